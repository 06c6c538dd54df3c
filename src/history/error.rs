//! [`HistoryError`]: which file, line (or row) and field could not be read, and why.

use super::*;

/// What kind of problem a [`HistoryError`] reports.
///
/// ```
/// use tminus::{HistoryErrorKind, MemoryHistory};
/// let error = MemoryHistory::from_jsonl("{\"task\": \"t\"".as_bytes(), chrono_tz::UTC).unwrap_err();
/// assert_eq!(error.kind(), HistoryErrorKind::Json);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HistoryErrorKind {
    /// The file could not be opened or read.
    Io,
    /// A JSON Lines line is not a JSON object (or not UTF-8).
    Json,
    /// The CSV structure is broken (e.g. not UTF-8).
    Csv,
    /// SQLite failed: not a database, no such table, several candidate tables, …
    Sqlite,
    /// An `action` that is none of the six Rocketry actions.
    UnknownAction,
    /// An `at` / `created` value that is not an instant.
    BadInstant,
    /// A required field, column or value is absent (or NULL, or an empty CSV cell).
    MissingField,
    /// The file extension names no known format (or its reader is not compiled in).
    UnknownFormat,
    /// A value of the wrong type (a number as task name, a blob, …) or an empty task name.
    BadValue,
    /// The log holds more records than a reader keeps in memory (SQLite: more than
    /// `tminus::history::MAX_RECORDS` rows).
    TooLarge,
}

/// Why a history could not be read: which file, line (or SQLite row) and field, and what
/// was wrong.
///
/// ```
/// use tminus::{HistoryErrorKind, MemoryHistory};
///
/// let log = "\n{\"task\": \"t\", \"action\": \"run\", \"at\": 0}\n\
///            {\"task\": \"t\", \"action\": \"sucess\", \"at\": 1}\n";
/// let error = MemoryHistory::from_jsonl(log.as_bytes(), chrono_tz::UTC).unwrap_err();
/// assert_eq!(error.kind(), HistoryErrorKind::UnknownAction);
/// assert_eq!(error.line(), Some(3));
/// assert_eq!(error.column(), Some("action"));
/// assert_eq!(
///     error.to_string(),
///     "line 3: unknown action `sucess`, expected one of run, success, fail, terminate, inaction, crash"
/// );
/// ```
#[derive(Debug)]
pub struct HistoryError {
    detail: Box<ErrorDetail>,
}

#[derive(Debug)]
struct ErrorDetail {
    kind: HistoryErrorKind,
    message: String,
    path: Option<PathBuf>,
    line: Option<usize>,
    row: Option<usize>,
    column: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl HistoryError {
    pub(super) fn new(kind: HistoryErrorKind, message: impl Into<String>) -> HistoryError {
        let detail = ErrorDetail {
            kind,
            message: message.into(),
            path: None,
            line: None,
            row: None,
            column: None,
            source: None,
        };
        HistoryError {
            detail: Box::new(detail),
        }
    }

    pub(super) fn at_line(mut self, line: usize) -> HistoryError {
        self.detail.line.get_or_insert(line);
        self
    }

    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(super) fn at_row(mut self, row: usize) -> HistoryError {
        self.detail.row.get_or_insert(row);
        self
    }

    pub(super) fn in_column(mut self, column: &str) -> HistoryError {
        self.detail.column.get_or_insert_with(|| column.to_owned());
        self
    }

    pub(super) fn with_path(mut self, path: &Path) -> HistoryError {
        self.detail.path.get_or_insert_with(|| path.to_owned());
        self
    }

    pub(super) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> HistoryError {
        self.detail.source = Some(Box::new(source));
        self
    }

    /// What kind of problem this is.
    ///
    /// ```
    /// use tminus::{HistoryErrorKind, MemoryHistory};
    /// let error = MemoryHistory::from_rocketry_csv("a,b\n1,2\n".as_bytes()).unwrap_err();
    /// assert_eq!(error.kind(), HistoryErrorKind::MissingField);
    /// ```
    pub fn kind(&self) -> HistoryErrorKind {
        self.detail.kind
    }

    /// The 1-based line of a JSON Lines or CSV file (CSV lines are physical lines,
    /// header included).
    ///
    /// ```
    /// use tminus::MemoryHistory;
    /// let csv = "task_name,action,created\nt,run,x\n";
    /// let error = MemoryHistory::from_rocketry_csv(csv.as_bytes()).unwrap_err();
    /// assert_eq!(error.line(), Some(2));
    /// ```
    pub fn line(&self) -> Option<usize> {
        self.detail.line
    }

    /// The 1-based row of a SQLite table, in storage order.
    ///
    /// ```no_run
    /// use std::path::Path;
    /// match tminus::MemoryHistory::load(Path::new("app.db"), Some("tasks"), chrono_tz::UTC) {
    ///     Err(error) if error.row().is_some() => eprintln!("bad record: {error}"),
    ///     _ => {}
    /// }
    /// ```
    pub fn row(&self) -> Option<usize> {
        self.detail.row
    }

    /// The field (JSON key) or column the problem is in, when there is one.
    ///
    /// ```
    /// use tminus::MemoryHistory;
    /// let log = "{\"action\": \"run\", \"at\": 0}";
    /// let error = MemoryHistory::from_jsonl(log.as_bytes(), chrono_tz::UTC).unwrap_err();
    /// assert_eq!(error.column(), Some("task"));
    /// ```
    pub fn column(&self) -> Option<&str> {
        self.detail.column.as_deref()
    }

    /// The file, when the history was read from one with [`MemoryHistory::load`] or
    /// [`MemoryHistory::from_rocketry_sqlite`].
    ///
    /// ```
    /// use std::path::Path;
    /// let path = Path::new("history.txt");
    /// let error = tminus::MemoryHistory::load(path, None, chrono_tz::UTC).unwrap_err();
    /// assert_eq!(error.path(), Some(path));
    /// ```
    pub fn path(&self) -> Option<&Path> {
        self.detail.path.as_deref()
    }

    /// What was wrong, without the location.
    ///
    /// ```
    /// use tminus::MemoryHistory;
    /// let error = MemoryHistory::from_jsonl("[1]".as_bytes(), chrono_tz::UTC).unwrap_err();
    /// assert!(error.message().starts_with("expected a JSON object"));
    /// ```
    pub fn message(&self) -> &str {
        &self.detail.message
    }
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let detail = &self.detail;
        if let Some(path) = &detail.path {
            write!(f, "{}: ", path.display())?;
        }
        if let Some(line) = detail.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(row) = detail.row {
            write!(f, "row {row}: ")?;
        }
        f.write_str(&detail.message)
    }
}

impl std::error::Error for HistoryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.detail
            .source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}
