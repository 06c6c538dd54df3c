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

/// The most rows a SQLite log may have: ten million records take about a gigabyte in
/// memory. A larger log is an error ([`HistoryErrorKind::TooLarge`]) rather than a process
/// that grows until it is killed.
pub const MAX_RECORDS: usize = 10_000_000;

/// Every record of `table` (or of the only log table, when `None`), in storage order.
pub(super) fn read(path: &Path, table: Option<&str>) -> Result<Vec<(String, Event)>, HistoryError> {
    read_at_most(path, table, MAX_RECORDS)
}

/// [`read`] with a cap on the number of rows.
pub(super) fn read_at_most(
    path: &Path,
    table: Option<&str>,
    cap: usize,
) -> Result<Vec<(String, Event)>, HistoryError> {
    std::fs::metadata(path).map_err(io_error)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sqlite_error)?;
    let table = match table {
        Some(table) => checked_table(&conn, table)?,
        None => only_log_table(&conn)?,
    };
    read_rows(&conn, &table, cap)
}

/// The names of the database's objects of `kind`: `table` (an ordinary table), `view` or
/// `virtual` (a virtual table). Only ordinary tables are read: a view may compute anything,
/// without end (a recursive one), and so may a virtual table, which reads its rows from
/// elsewhere when it is read (FTS5 with external content reads a table or a view).
fn table_names(conn: &Connection, kind: &str) -> Result<Vec<String>, HistoryError> {
    let sql = "SELECT name FROM pragma_table_list \
               WHERE schema = 'main' AND type = ?1 AND name != 'sqlite_schema' ORDER BY name";
    let mut statement = conn.prepare(sql).map_err(sqlite_error)?;
    let names = statement
        .query_map([kind], |row| row.get::<_, String>(0))
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
    let tables = table_names(conn, "table")?;
    if !tables.iter().any(|t| t.eq_ignore_ascii_case(table)) {
        for (kind, what) in [("view", "a view"), ("virtual", "a virtual table")] {
            let others = table_names(conn, kind)?;
            if others.iter().any(|v| v.eq_ignore_ascii_case(table)) {
                return Err(HistoryError::new(
                    HistoryErrorKind::Sqlite,
                    format!(
                        "`{table}` is {what}: only tables are read (tables: {})",
                        tables.join(", ")
                    ),
                ));
            }
        }
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
    for table in table_names(conn, "table")? {
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

fn read_rows(
    conn: &Connection,
    table: &str,
    cap: usize,
) -> Result<Vec<(String, Event)>, HistoryError> {
    let sql = format!(
        "SELECT task_name, action, created FROM \"{}\"",
        table.replace('"', "\"\"")
    );
    let mut statement = conn.prepare(&sql).map_err(sqlite_error)?;
    let mut rows = statement.query([]).map_err(sqlite_error)?;
    let mut records = Vec::new();
    while let Some(row) = rows.next().map_err(sqlite_error)? {
        let number = records.len() + 1;
        if number > cap {
            return Err(HistoryError::new(
                HistoryErrorKind::TooLarge,
                format!("table `{table}` has more than {cap} records, more than tminus reads"),
            ));
        }
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

// ------------------------------------------------------------------------------- the writer

use super::log::{LogError, TaskLog};
use super::record::LogRecord;
use rusqlite::types::Value as SqlValue;

/// A table of a SQLite database: an integer `id` key, then the columns of [`LogRecord`]
/// (`created`, `start`, `end` as POSIX seconds, `runtime` in seconds, all `FLOAT`).
///
/// The file and the table are created when missing. A table that exists keeps its
/// columns: records written to a `MinimalRecord` table (`task_name`, `action`,
/// `created`) have those three only. Each record is committed before `append` returns
/// (write-ahead log, `synchronous=NORMAL`: a killed process loses nothing).
///
/// ```
/// use tminus::history::{LogRecord, SqliteLog, TaskLog};
/// use tminus::Action;
///
/// let path = std::env::temp_dir().join(format!("tminus-doc-{}.db", std::process::id()));
/// let mut log = SqliteLog::open(&path, "tasks")?;
/// log.append(&LogRecord::new("fetch", Action::Run, chrono::Utc::now()))?;
/// assert_eq!(SqliteLog::open(&path, "tasks")?.read()?.len(), 1);
/// # std::fs::remove_file(&path).unwrap();
/// # Ok::<(), tminus::history::LogError>(())
/// ```
#[derive(Debug)]
pub struct SqliteLog {
    conn: Connection,
    path: PathBuf,
    table: String,
    /// The columns of `record::COLUMNS` the table has, by index.
    columns: Vec<usize>,
    insert: String,
}

impl SqliteLog {
    /// Opens (creating when missing) table `table` of the database at `path`.
    pub fn open(path: &Path, table: &str) -> Result<SqliteLog, LogError> {
        let error = |e: rusqlite::Error| LogError::new(format!("{}: {e}", path.display()));
        if !record::is_sql_name(table) {
            return Err(LogError::new(format!("`{table}` is not a table name")));
        }
        let conn = Connection::open(path).map_err(error)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(error)?;
        conn.execute_batch(&format!(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY, \
             task_name VARCHAR NOT NULL, action VARCHAR NOT NULL, created FLOAT NOT NULL, \
             start FLOAT, \"end\" FLOAT, runtime FLOAT, message TEXT, exc_text TEXT);"
        ))
        .map_err(error)?;
        let mut names = Vec::new();
        {
            let mut pragma = conn
                .prepare(&format!("PRAGMA table_info({table})"))
                .map_err(error)?;
            let mut rows = pragma.query([]).map_err(error)?;
            while let Some(row) = rows.next().map_err(error)? {
                names.push(row.get::<_, String>(1).map_err(error)?);
            }
        }
        let Some(columns) = record::table_columns(&names) else {
            return Err(LogError::new(format!(
                "{}: table `{table}` is not a task log: it needs the columns task_name, \
                 action and created",
                path.display()
            )));
        };
        let insert = record::insert_sql(table, &columns, '?');
        Ok(SqliteLog {
            conn,
            path: path.to_owned(),
            table: table.to_owned(),
            columns,
            insert,
        })
    }

    fn error(&self, e: rusqlite::Error) -> LogError {
        LogError::new(format!("{}: {e}", self.path.display()))
    }
}

impl TaskLog for SqliteLog {
    fn read(&mut self) -> Result<Vec<LogRecord>, LogError> {
        let sql = format!(
            "SELECT {} FROM {} ORDER BY rowid",
            record::column_list(&self.columns),
            self.table
        );
        let mut statement = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let mut rows = statement.query([]).map_err(|e| self.error(e))?;
        let mut records = Vec::new();
        let mut number = 0;
        while let Some(row) = rows.next().map_err(|e| self.error(e))? {
            number += 1;
            let mut texts: [Option<String>; 8] = Default::default();
            for (at, &column) in self.columns.iter().enumerate() {
                let value = row.get_ref(at).map_err(|e| self.error(e))?;
                texts[column] = match value {
                    ValueRef::Null => None,
                    ValueRef::Integer(i) => Some(i.to_string()),
                    ValueRef::Real(r) => Some(record::python_float(r)),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Some(String::from_utf8_lossy(t).into_owned())
                    }
                };
            }
            let fields: [Option<&str>; 8] = std::array::from_fn(|i| texts[i].as_deref());
            let record = super::rocketry_csv::parse_fields(&fields).map_err(|why| {
                LogError::new(format!(
                    "{}: table `{}`, row {number}: {why}",
                    self.path.display(),
                    self.table
                ))
            })?;
            records.push(record);
        }
        Ok(records)
    }

    fn append(&mut self, record: &LogRecord) -> Result<(), LogError> {
        let values = sql_values(record);
        let params: Vec<&SqlValue> = self.columns.iter().map(|&i| &values[i]).collect();
        self.conn
            .prepare_cached(&self.insert)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(params)))
            .map(drop)
            .map_err(|e| self.error(e))
    }
}

/// The record's values in `record::COLUMNS` order, as SQL values.
fn sql_values(record: &LogRecord) -> [SqlValue; 8] {
    let real = |v: Option<f64>| v.map_or(SqlValue::Null, SqlValue::Real);
    let text = |v: &Option<String>| v.clone().map_or(SqlValue::Null, SqlValue::Text);
    [
        SqlValue::Text(record.task_name.clone()),
        SqlValue::Text(record.action.as_str().to_owned()),
        SqlValue::Real(record.created_seconds()),
        real(record.start.map(record::seconds)),
        real(record.end.map(record::seconds)),
        real(record.runtime.map(record::duration_seconds)),
        text(&record.message),
        text(&record.exc_text),
    ]
}

#[cfg(test)]
mod log_tests {
    use super::super::log::TaskLog;
    use super::*;
    use crate::Action;
    use chrono::TimeZone;

    #[test]
    fn writes_into_a_minimal_record_table_and_reads_everything_back() {
        let path =
            std::env::temp_dir().join(format!("tminus-sqlite-min-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE log (id INTEGER PRIMARY KEY, task_name TEXT, action TEXT, created FLOAT)",
        )
        .unwrap();
        drop(conn);
        let at = chrono::Utc.timestamp_opt(1_710_151_500, 123_000).unwrap();
        let mut log = SqliteLog::open(&path, "log").unwrap();
        log.append(&LogRecord::new("a", Action::Run, at)).unwrap();
        log.append(&LogRecord::finish("a", Action::Fail, at, at).with_message("x"))
            .unwrap();
        let records = log.read().unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].created, at);
        assert_eq!(records[1].message, None); // the table has no message column
        let full = SqliteLog::open(&path, "full").unwrap();
        drop(full);
        std::fs::remove_file(&path).unwrap();
    }
}
