//! Task logs a scheduler writes and resumes from: one [`TaskLog`] per backend, named by a
//! [`LogUrl`]. Each backend's writer lives beside its reader.
//!
//! | URL | backend | layout |
//! |---|---|---|
//! | `memory` | `MemoryLog` | nothing survives the process |
//! | `csv:PATH` | `CsvLog` | Rocketry's `CSVFileRepo` file |
//! | `sqlite:PATH` | `SqliteLog` | Rocketry's `SQLRepo` table (`?table=NAME`, default `tasks`) |
//! | `postgres://user@host:port/db` | `PostgresLog` | the same table (`?table=`, `?schema=`) |
//!
//! Every backend writes the same [`LogRecord`] fields, named as Rocketry's records name
//! them: `task_name`, `action`, `created` (POSIX seconds) first, so that Rocketry's own
//! repos read the log with `MinimalRecord`, then `start`, `end`, `runtime`, `message` and
//! `exc_text` as its `LogRecord`/`TaskLogRecord` keep them. Logs that have only the first
//! three columns (Rocketry's `MinimalRecord`) are read too.

use super::url::LogUrl;
#[cfg(feature = "postgres")]
use super::PostgresLog;
#[cfg(feature = "sqlite")]
use super::SqliteLog;
use super::{CsvLog, LogRecord, MemoryLog};
use std::fmt;

/// A task log: records appended as they happen, read back whole when a scheduler starts.
///
/// The scheduler keeps what it needs in memory (its planner's history) and never re-reads
/// the log while it runs: `append` is the only call per event.
pub trait TaskLog: Send {
    /// Every record, in the order they were written.
    fn read(&mut self) -> Result<Vec<LogRecord>, LogError>;

    /// Appends `record`; it is stored (committed, flushed) when this returns.
    fn append(&mut self, record: &LogRecord) -> Result<(), LogError>;

    /// Appends the `run` record of a launch, as a claim: `Ok(false)` means the launch is
    /// refused, because another scheduler sharing the log has already launched
    /// `record.task_name` after the latest run this one knows of (its view is stale:
    /// [`TaskLog::fetch_new`] brings it up to date), or because this scheduler does not
    /// hold a live lease on the shared log. A log shared by no one has nothing to claim
    /// against: the default appends and answers `true`. A shared backend writes the record
    /// and its claim in one transaction, and may restamp `created` and `start` with its own
    /// clock at the moment of writing (so that instants follow the order of the writes of
    /// every scheduler): `record` is left as it was stored.
    fn claim_run(&mut self, record: &mut LogRecord) -> Result<bool, LogError> {
        self.append(record)?;
        Ok(true)
    }

    /// Appends the finish (`success`, `fail`, `terminate`) of a run this scheduler
    /// launched. `Ok(false)` means the run is no longer this scheduler's: a shared log
    /// has already closed it with `crash` because this scheduler's lease expired, so the
    /// outcome is kept beside the claim as a late outcome instead of as a second finish in
    /// the log. The default appends and answers `true`. Like [`TaskLog::claim_run`], a
    /// shared log may restamp `created`, `end` and `runtime`.
    fn close_run(&mut self, record: &mut LogRecord) -> Result<bool, LogError> {
        self.append(record)?;
        Ok(true)
    }

    /// Records that other writers appended since the last call (or since `read`), for a
    /// log shared by several schedulers; the default has none.
    fn fetch_new(&mut self) -> Result<Vec<LogRecord>, LogError> {
        Ok(Vec::new())
    }

    /// Asks the log to call `wake` (from any thread) when other writers may have appended
    /// records, so that the scheduler's loop calls [`TaskLog::fetch_new`] without
    /// polling. The default never calls it.
    fn watch(&mut self, wake: Wake) {
        let _ = wake;
    }

    /// Whether the runs this log shows open were left by a scheduler that is gone, so
    /// that a starting scheduler records `crash` for them (the default). A shared log
    /// answers `false` while other schedulers may own them: it closes the runs of dead
    /// schedulers itself.
    fn inherits_open_runs(&self) -> bool {
        true
    }

    /// The newest sign of life of another scheduler sharing the log (a lease renewal),
    /// which catch-up counts as the end of the downtime; the default has none.
    fn last_sign_of_life(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        None
    }

    /// How far the log's clock is ahead of this machine's; a scheduler adds it to its
    /// own clock, so that schedulers sharing a log stamp records on one clock. Zero by
    /// default.
    fn clock_offset(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::zero()
    }
}

/// What a [`TaskLog`] calls when other writers may have appended records.
pub type Wake = Box<dyn Fn() + Send + Sync>;

/// A task log that could not be opened, read or written.
#[derive(Debug)]
pub struct LogError {
    message: String,
}

impl LogError {
    pub(crate) fn new(message: impl Into<String>) -> LogError {
        LogError {
            message: message.into(),
        }
    }

    /// What went wrong, with the log's name.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LogError {}

/// Opens the log `url` names, creating the file or table when missing.
///
/// ```
/// let url: tminus::history::LogUrl = "memory".parse()?;
/// let mut log = tminus::history::open_log(&url)?;
/// assert!(log.read()?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn open_log(url: &LogUrl) -> Result<Box<dyn TaskLog>, LogError> {
    Ok(match url {
        LogUrl::Memory => Box::new(MemoryLog::new()),
        LogUrl::Csv(path) => Box::new(CsvLog::open(path)?),
        #[cfg(feature = "sqlite")]
        LogUrl::Sqlite { path, table } => Box::new(SqliteLog::open(path, table)?),
        #[cfg(not(feature = "sqlite"))]
        LogUrl::Sqlite { .. } => {
            return Err(LogError::new(
                "SQLite logs need tminus built with the `sqlite` feature",
            ))
        }
        #[cfg(feature = "postgres")]
        LogUrl::Postgres { url, schema, table } => {
            Box::new(PostgresLog::open(url, schema.as_deref(), table)?)
        }
        #[cfg(not(feature = "postgres"))]
        LogUrl::Postgres { .. } => {
            return Err(LogError::new(
                "PostgreSQL logs need tminus built with the `postgres` feature",
            ))
        }
    })
}
