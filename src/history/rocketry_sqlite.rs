//! The SQLite task log Rocketry's `SQLRepo` writes.

use super::*;

impl MemoryHistory {
    /// Reads table `table` of the SQLite database Rocketry's `SQLRepo` writes to.
    ///
    /// The columns `task_name` (text), `action` (text) and `created` (POSIX seconds; real,
    /// integer, or text holding a number) are read; other columns (an `id` key, `run_id`,
    /// …) are ignored. The database is opened read-only. A missing file, table or column,
    /// a NULL, or a value of the wrong type is an error; row numbers count the table's
    /// rows from 1 in storage order.
    ///
    /// ```no_run
    /// use std::path::Path;
    /// let history = tminus::MemoryHistory::from_rocketry_sqlite(Path::new("app.db"), "tasks")?;
    /// # Ok::<(), tminus::HistoryError>(())
    /// ```
    #[cfg(feature = "sqlite")]
    pub fn from_rocketry_sqlite(path: &Path, table: &str) -> Result<MemoryHistory, HistoryError> {
        read(path, Some(table))
            .map(MemoryHistory::from_log)
            .map_err(|e| e.with_path(path))
    }
}

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

const COLUMNS: [&str; 3] = ["task_name", "action", "created"];

/// Every record of `table` (or of the only log table, when `None`), in storage order.
pub(super) fn read(path: &Path, table: Option<&str>) -> Result<Vec<(String, Event)>, HistoryError> {
    std::fs::metadata(path).map_err(io_error)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sqlite_error)?;
    let table = match table {
        Some(table) => checked_table(&conn, table)?,
        None => only_log_table(&conn)?,
    };
    read_rows(&conn, &table)
}

fn table_names(conn: &Connection) -> Result<Vec<String>, HistoryError> {
    let sql = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name";
    let mut statement = conn.prepare(sql).map_err(sqlite_error)?;
    let names = statement
        .query_map([], |row| row.get::<_, String>(0))
        .map_err(sqlite_error)?;
    names.collect::<Result<_, _>>().map_err(sqlite_error)
}

fn column_names(conn: &Connection, table: &str) -> Result<Vec<String>, HistoryError> {
    let mut statement = conn
        .prepare("SELECT name FROM pragma_table_info(?1)")
        .map_err(sqlite_error)?;
    let names = statement
        .query_map([table], |row| row.get::<_, String>(0))
        .map_err(sqlite_error)?;
    let names: Vec<String> = names.collect::<Result<_, _>>().map_err(sqlite_error)?;
    Ok(names.into_iter().map(|n| n.to_ascii_lowercase()).collect())
}

fn checked_table(conn: &Connection, table: &str) -> Result<String, HistoryError> {
    let tables = table_names(conn)?;
    if !tables.iter().any(|t| t.eq_ignore_ascii_case(table)) {
        return Err(HistoryError::new(
            HistoryErrorKind::Sqlite,
            format!("no table `{table}` (tables: {})", tables.join(", ")),
        ));
    }
    let columns = column_names(conn, table)?;
    match COLUMNS
        .iter()
        .find(|c| !columns.iter().any(|have| have == *c))
    {
        Some(column) => Err(HistoryError::new(
            HistoryErrorKind::MissingField,
            format!(
                "table `{table}` has no column `{column}` (found: {})",
                columns.join(", ")
            ),
        )
        .in_column(column)),
        None => Ok(table.to_owned()),
    }
}

fn only_log_table(conn: &Connection) -> Result<String, HistoryError> {
    let mut candidates = Vec::new();
    for table in table_names(conn)? {
        let columns = column_names(conn, &table)?;
        if COLUMNS.iter().all(|c| columns.iter().any(|have| have == c)) {
            candidates.push(table);
        }
    }
    match <[String; 1]>::try_from(candidates) {
        Ok([table]) => Ok(table),
        Err(candidates) if candidates.is_empty() => Err(HistoryError::new(
            HistoryErrorKind::MissingField,
            "no table has the columns task_name, action and created",
        )),
        Err(candidates) => Err(HistoryError::new(
            HistoryErrorKind::Sqlite,
            format!(
                "several log tables ({}): say which one to read",
                candidates.join(", ")
            ),
        )),
    }
}

fn read_rows(conn: &Connection, table: &str) -> Result<Vec<(String, Event)>, HistoryError> {
    let sql = format!(
        "SELECT task_name, action, created FROM \"{}\"",
        table.replace('"', "\"\"")
    );
    let mut statement = conn.prepare(&sql).map_err(sqlite_error)?;
    let mut rows = statement.query([]).map_err(sqlite_error)?;
    let mut records = Vec::new();
    while let Some(row) = rows.next().map_err(sqlite_error)? {
        let number = records.len() + 1;
        records.push(record(row).map_err(|e| e.at_row(number))?);
    }
    Ok(records)
}

fn record(row: &rusqlite::Row<'_>) -> Result<(String, Event), HistoryError> {
    let task = task_name(text_cell(row, 0, "task_name")?, "task_name")?;
    let action = action_named(text_cell(row, 1, "action")?, "action")?;
    let at = created_cell(row)?;
    Ok((task, Event { action, at }))
}

/// `Ok(None)` for NULL; an error for anything but text.
fn text_cell<'r>(
    row: &'r rusqlite::Row<'_>,
    index: usize,
    column: &str,
) -> Result<Option<&'r str>, HistoryError> {
    match row.get_ref(index).map_err(sqlite_error)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) => std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|_| wrong_type(column, "text that is not valid UTF-8")),
        ValueRef::Integer(_) => Err(wrong_type(column, "an integer")),
        ValueRef::Real(_) => Err(wrong_type(column, "a real")),
        ValueRef::Blob(_) => Err(wrong_type(column, "a blob")),
    }
}

fn created_cell(row: &rusqlite::Row<'_>) -> Result<DateTime<Utc>, HistoryError> {
    match row.get_ref(2).map_err(sqlite_error)? {
        ValueRef::Null => Err(HistoryError::new(
            HistoryErrorKind::MissingField,
            "`created` is NULL",
        )
        .in_column("created")),
        ValueRef::Real(seconds) => instant_from_seconds(seconds, &seconds.to_string(), "created"),
        ValueRef::Integer(seconds) => {
            instant_from_seconds(seconds as f64, &seconds.to_string(), "created")
        }
        ValueRef::Text(bytes) => instant_from_text(&String::from_utf8_lossy(bytes), "created"),
        ValueRef::Blob(_) => Err(wrong_type("created", "a blob")),
    }
}

fn wrong_type(column: &str, found: &str) -> HistoryError {
    let expected = if column == "created" {
        "a number"
    } else {
        "text"
    };
    HistoryError::new(
        HistoryErrorKind::BadValue,
        format!("`{column}` holds {found}, expected {expected}"),
    )
    .in_column(column)
}

fn sqlite_error(error: rusqlite::Error) -> HistoryError {
    HistoryError::new(HistoryErrorKind::Sqlite, error.to_string()).with_source(error)
}
