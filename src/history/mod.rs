//! Task history: what happened to which task, and when.
//!
//! Conditions such as `has succeeded today`, `every 10 minutes` or `after task 'fetch'`
//! are answered from a task log. This module defines that log and how to read one:
//!
//! * [`History`] is the trait the evaluator reads: each task's [`Event`]s sorted by instant,
//!   which tasks have a live run, the scheduler's start and cycle count, and session
//!   parameters.
//! * [`MemoryHistory`] is an in-memory implementation that embedding code fills with
//!   [`MemoryHistory::record`], or loads from a file:
//!   * JSON Lines ([`MemoryHistory::from_jsonl`]), the same record shape as the Rocketry
//!     oracle's `history` entries: `{"task": "t", "action": "run", "at": "2024-03-11T10:05:00"}`;
//!   * the CSV file Rocketry's `CSVFileRepo` writes ([`MemoryHistory::from_rocketry_csv`]);
//!   * the SQLite table Rocketry's `SQLRepo` writes ([`MemoryHistory::from_rocketry_sqlite`],
//!     with the `sqlite` feature);
//!   * any of them by file extension ([`MemoryHistory::load`]).
//! * [`HistoryError`] says which file, line (or row) and field could not be read, and why.
//! * [`TaskLog`] is a log a scheduler appends to and resumes from, one backend per
//!   [`LogUrl`]: [`MemoryLog`], [`CsvLog`], `SqliteLog` and `PostgresLog` (features
//!   `sqlite` and `postgres`), each beside its reader, writing [`LogRecord`]s with
//!   Rocketry's field names.
//!
//! Instants are UTC with microsecond resolution. Rocketry stamps records with POSIX seconds
//! as a float; those are rounded to the nearest microsecond, ties to even, exactly like
//! Python's `datetime.fromtimestamp`.
//!
//! ```
//! use tminus::{Action, History, MemoryHistory};
//!
//! let log = "\
//! {\"task\": \"fetch\", \"action\": \"run\", \"at\": \"2024-03-11T10:00:00Z\"}
//! {\"task\": \"fetch\", \"action\": \"success\", \"at\": \"2024-03-11T10:00:05Z\"}
//! ";
//! let history = MemoryHistory::from_jsonl(log.as_bytes(), chrono_tz::UTC)?;
//! assert_eq!(history.tasks(), ["fetch"]);
//! assert_eq!(history.events("fetch")[1].action, Action::Success);
//! # Ok::<(), tminus::HistoryError>(())
//! ```

mod error;
mod event;
mod field;
mod instant;
mod jsonl;
mod load;
mod log;
mod memory;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
pub(crate) mod record;
mod rocketry_csv;
#[cfg(feature = "sqlite")]
mod rocketry_sqlite;
#[cfg(test)]
mod tests;
pub(crate) mod url;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use chrono::{TimeDelta, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

pub use error::{HistoryError, HistoryErrorKind};
pub use event::{Action, Event};
use field::*;
use instant::truncate_to_micros;
pub use instant::{parse_instant, InstantError};
pub use log::{open_log, LogError, TaskLog, Wake};
pub(crate) use memory::TaskId;
pub use memory::{MemoryHistory, MemoryLog};
#[cfg(feature = "postgres")]
pub use postgres::PostgresLog;
pub use record::LogRecord;
pub use rocketry_csv::CsvLog;
#[cfg(feature = "sqlite")]
pub use rocketry_sqlite::{SqliteLog, MAX_RECORDS};
pub use url::LogUrl;

/// Scheduler facts used by `scheduler ...` statements.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tminus::{History, MemoryHistory, SchedulerState};
///
/// let started = Utc.with_ymd_and_hms(2024, 3, 11, 9, 0, 0).unwrap();
/// let mut history = MemoryHistory::new();
/// history.set_scheduler(Some(SchedulerState { started, cycles: 42 }));
/// assert_eq!(history.scheduler().map(|s| s.cycles), Some(42));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchedulerState {
    /// When the scheduler started (Rocketry's `scheduler.startup_time`).
    pub started: DateTime<Utc>,
    /// How many cycles it has completed (Rocketry's `scheduler.n_cycles`).
    pub cycles: u64,
}

// ----------------------------------------------------------------------------------- History

/// Everything the embedding scheduler tells tminus about what happened.
///
/// [`MemoryHistory`] implements it; a scheduler with its own storage can implement it
/// directly. References to histories are histories too.
///
/// ```
/// use tminus::{History, MemoryHistory};
///
/// fn has_any_log(history: impl History, task: &str) -> bool {
///     !history.events(task).is_empty()
/// }
/// let history = MemoryHistory::new();
/// assert!(!has_any_log(&history, "fetch"));
/// ```
pub trait History {
    /// The events of `task`, sorted by instant; equal instants keep log order.
    /// Empty for unknown tasks.
    fn events(&self, task: &str) -> &[Event];

    /// Whether `task` has a live run now (Rocketry's run stack).
    fn is_running(&self, task: &str) -> bool;

    /// Scheduler start and cycle count, when a scheduler is running.
    fn scheduler(&self) -> Option<SchedulerState>;

    /// Session parameter `key` (Rocketry's `session.parameters`; `env` is the parameter
    /// named "env").
    fn param(&self, key: &str) -> Option<&str>;

    /// Names of every task with at least one event, sorted. The default returns nothing;
    /// [`MemoryHistory`] lists its tasks.
    fn tasks(&self) -> Vec<&str> {
        Vec::new()
    }

    /// The instants of [`History::events`]`(task)` in microseconds since the epoch, one
    /// per event and in the same order, if the history keeps them (the evaluator then
    /// reads them instead of converting each event's `at`). The default keeps none;
    /// [`MemoryHistory`] does.
    fn event_micros(&self, task: &str) -> Option<&[i64]> {
        let _ = task;
        None
    }
}

impl<H: History + ?Sized> History for &H {
    fn events(&self, task: &str) -> &[Event] {
        (**self).events(task)
    }

    fn is_running(&self, task: &str) -> bool {
        (**self).is_running(task)
    }

    fn scheduler(&self) -> Option<SchedulerState> {
        (**self).scheduler()
    }

    fn param(&self, key: &str) -> Option<&str> {
        (**self).param(key)
    }

    fn tasks(&self) -> Vec<&str> {
        (**self).tasks()
    }

    fn event_micros(&self, task: &str) -> Option<&[i64]> {
        (**self).event_micros(task)
    }
}
