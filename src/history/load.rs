//! Reading a task log file with the reader its extension names.

use super::*;

impl MemoryHistory {
    /// Reads a history file, choosing the reader by extension (case-insensitive):
    ///
    /// * `.jsonl`, `.ndjson`, `.json`: [`MemoryHistory::from_jsonl`] with `zone`;
    /// * `.csv`: [`MemoryHistory::from_rocketry_csv`];
    /// * `.db`, `.sqlite`, `.sqlite3`: [`MemoryHistory::from_rocketry_sqlite`] with `table`.
    ///   Rocketry has no conventional table name (its documentation uses `tasks` and `log`),
    ///   so without `table` the database must hold exactly one table with the
    ///   columns `task_name`, `action` and `created`, and that one is read. Views and
    ///   virtual tables are never read, and a table of more than [`crate::history::MAX_RECORDS`] rows is a
    ///   [`HistoryErrorKind::TooLarge`] error.
    ///
    /// `table` is ignored for the other formats, `zone` for CSV and SQLite (their
    /// instants are absolute). Any other extension is a [`HistoryErrorKind::UnknownFormat`]
    /// error, as is a SQLite file when the `sqlite` feature is off.
    ///
    /// ```no_run
    /// use std::path::Path;
    /// use tminus::MemoryHistory;
    /// let zone = chrono_tz::Europe::Helsinki;
    /// let from_csv = MemoryHistory::load(Path::new("tasks.csv"), None, zone)?;
    /// let from_db = MemoryHistory::load(Path::new("app.db"), Some("tasks"), zone)?;
    /// # Ok::<(), tminus::HistoryError>(())
    /// ```
    pub fn load(path: &Path, table: Option<&str>, zone: Tz) -> Result<MemoryHistory, HistoryError> {
        if path.is_dir() {
            let error = HistoryError::new(
                HistoryErrorKind::Io,
                "is a directory: give the task log file itself",
            );
            return Err(error.with_path(path));
        }
        let history = match Format::of(path).map_err(|e| e.with_path(path))? {
            Format::Jsonl => {
                open(path).and_then(|f| MemoryHistory::from_jsonl(std::io::BufReader::new(f), zone))
            }
            Format::Csv => open(path)
                .and_then(|f| MemoryHistory::from_rocketry_csv(std::io::BufReader::new(f))),
            Format::Sqlite => load_sqlite(path, table),
        };
        history.map_err(|e| e.with_path(path))
    }
}

fn open(path: &Path) -> Result<std::fs::File, HistoryError> {
    std::fs::File::open(path).map_err(io_error)
}

#[cfg(feature = "sqlite")]
fn load_sqlite(path: &Path, table: Option<&str>) -> Result<MemoryHistory, HistoryError> {
    rocketry_sqlite::read(path, table).map(MemoryHistory::from_log)
}

#[cfg(not(feature = "sqlite"))]
fn load_sqlite(_path: &Path, _table: Option<&str>) -> Result<MemoryHistory, HistoryError> {
    Err(HistoryError::new(
        HistoryErrorKind::UnknownFormat,
        "reading SQLite needs tminus built with the `sqlite` feature",
    ))
}

/// The history file formats [`MemoryHistory::load`] knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Jsonl,
    Csv,
    Sqlite,
}

impl Format {
    pub(super) fn of(path: &Path) -> Result<Format, HistoryError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("jsonl" | "ndjson" | "json") => Ok(Format::Jsonl),
            Some("csv") => Ok(Format::Csv),
            Some("db" | "sqlite" | "sqlite3") => Ok(Format::Sqlite),
            _ => Err(HistoryError::new(
                HistoryErrorKind::UnknownFormat,
                "cannot tell the history format from the file name: expected .jsonl, \
                 .ndjson, .json, .csv, .db, .sqlite or .sqlite3",
            )),
        }
    }
}
