//! The SQLite task log, in the layout of Rocketry's `SQLRepo`.

use super::record;
use super::{LogError, LogRecord, TaskLog};
use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// A table of a SQLite database: an integer `id` key, then the columns of [`LogRecord`]
/// (`created`, `start`, `end` as POSIX seconds, `runtime` in seconds, all `FLOAT`).
///
/// The file and the table are created when missing. A table that exists keeps its
/// columns: records written to a `MinimalRecord` table (`task_name`, `action`,
/// `created`) have those three only. Each record is committed before `append` returns
/// (write-ahead log, `synchronous=NORMAL`: a killed process loses nothing).
///
/// ```
/// use tminus::run::{LogRecord, SqliteLog, TaskLog};
/// use tminus::Action;
///
/// let path = std::env::temp_dir().join(format!("tminus-doc-{}.db", std::process::id()));
/// let mut log = SqliteLog::open(&path, "tasks")?;
/// log.append(&LogRecord::new("fetch", Action::Run, chrono::Utc::now()))?;
/// assert_eq!(SqliteLog::open(&path, "tasks")?.read()?.len(), 1);
/// # std::fs::remove_file(&path).unwrap();
/// # Ok::<(), tminus::run::LogError>(())
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
            let record = super::csv::parse_fields(&fields).map_err(|why| {
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
        let params: Vec<&Value> = self.columns.iter().map(|&i| &values[i]).collect();
        self.conn
            .prepare_cached(&self.insert)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(params)))
            .map(drop)
            .map_err(|e| self.error(e))
    }
}

/// The record's values in `record::COLUMNS` order, as SQL values.
fn sql_values(record: &LogRecord) -> [Value; 8] {
    let real = |v: Option<f64>| v.map_or(Value::Null, Value::Real);
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::Text);
    [
        Value::Text(record.task_name.clone()),
        Value::Text(record.action.as_str().to_owned()),
        Value::Real(record.created_seconds()),
        real(record.start.map(record::seconds)),
        real(record.end.map(record::seconds)),
        real(record.runtime.map(record::duration_seconds)),
        text(&record.message),
        text(&record.exc_text),
    ]
}

#[cfg(test)]
mod tests {
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
