//! What a search answers: a [`Window`], or why there is none ([`Next`]), and which task
//! events could change that ([`Trigger`]).
//!
//! Instants in answers carry the zone of the evaluation, so they print as civil times with
//! their offset (`2024-03-11T10:00:00-04:00`). All three types serialize with serde to the
//! shape `tminus next --format json` prints.

use crate::history::Action;
use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

/// A stretch of time in which a statement is true: `[start, end)`, half-open.
///
/// `end` is `None` when the window is *open*: nothing but a new task event (a run, a
/// success, ...) can end it, or it lasts at least for the whole horizon after `start`.
///
/// ```
/// use chrono::TimeZone;
/// use tminus::{MemoryHistory, Statement};
///
/// let s = Statement::parse("time of day between 10:00 and 12:00")?.schedule();
/// let from = chrono::Utc.with_ymd_and_hms(2024, 3, 11, 8, 0, 0).unwrap();
/// let w = s.next_window(from, chrono::TimeDelta::days(1), chrono_tz::UTC, &MemoryHistory::new());
/// let w = w.window().unwrap();
/// assert_eq!(w.start.to_rfc3339(), "2024-03-11T10:00:00+00:00");
/// assert_eq!(w.end.unwrap().to_rfc3339(), "2024-03-11T12:00:00+00:00");
/// assert_eq!(serde_json::to_string(w)?, r#"{"start":"2024-03-11T10:00:00Z","end":"2024-03-11T12:00:00Z"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First instant at which the statement is true.
    pub start: DateTime<Tz>,
    /// First instant after `start` at which it is false again; `None` when open.
    pub end: Option<DateTime<Tz>>,
}

impl Window {
    /// Whether `at` lies in the window (`start <= at < end`).
    ///
    /// ```
    /// use chrono::TimeZone;
    /// let start = chrono_tz::UTC.with_ymd_and_hms(2024, 3, 11, 10, 0, 0).unwrap();
    /// let w = tminus::Window { start, end: None };
    /// assert!(w.contains(start) && !w.contains(start - chrono::TimeDelta::seconds(1)));
    /// ```
    pub fn contains<Z: chrono::TimeZone>(&self, at: DateTime<Z>) -> bool {
        at >= self.start && self.end.is_none_or(|end| at < end)
    }
}

/// An instant as ISO 8601 with its offset (`Z` for UTC), microseconds when needed.
pub(crate) fn iso(at: &DateTime<Tz>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

impl Serialize for Window {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Window", 2)?;
        s.serialize_field("start", &iso(&self.start))?;
        s.serialize_field("end", &self.end.as_ref().map(iso))?;
        s.end()
    }
}

/// A task event, or another change in the outside world, that could make a statement
/// true (see [`Next::WaitsOn`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Trigger {
    /// A new record of `action` for `task` (`after task 'a'` waits on a success of `a`).
    Task {
        /// The task.
        task: String,
        /// What it would have to do.
        action: Action,
    },
    /// `task` starting (`running: true`) or stopping (`running: false`) a live run.
    Running {
        /// The task.
        task: String,
        /// Whether it would have to be running.
        running: bool,
    },
    /// The scheduler starting, or its cycle count changing.
    Scheduler,
    /// Session parameter `key` changing (`env 'prod'` waits on `env`).
    Param {
        /// The parameter.
        key: String,
    },
    /// A custom predicate changing its mind; it has no re-check hint.
    Predicate {
        /// The registered name.
        name: String,
    },
}

impl Serialize for Trigger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        match self {
            Trigger::Task { task, action } => {
                m.serialize_entry("task", task)?;
                m.serialize_entry("action", action.as_str())?;
            }
            Trigger::Running { task, running } => {
                m.serialize_entry("task", task)?;
                m.serialize_entry("running", running)?;
            }
            Trigger::Scheduler => m.serialize_entry("scheduler", &true)?,
            Trigger::Param { key } => m.serialize_entry("param", key)?,
            Trigger::Predicate { name } => m.serialize_entry("predicate", name)?,
        }
        m.end()
    }
}

impl std::fmt::Display for Trigger {
    /// `a succeeds`, `a starts running`, `the scheduler changes`, `param env changes`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Trigger::Task { task, action } => write!(f, "task '{task}' records {action}"),
            Trigger::Running {
                task,
                running: true,
            } => write!(f, "task '{task}' starts running"),
            Trigger::Running {
                task,
                running: false,
            } => write!(f, "task '{task}' stops running"),
            Trigger::Scheduler => f.write_str("the scheduler changes"),
            Trigger::Param { key } => write!(f, "param '{key}' changes"),
            Trigger::Predicate { name } => write!(f, "predicate '{name}' changes"),
        }
    }
}

/// The answer of a search for the next window.
///
/// ```
/// use chrono::{TimeDelta, Utc};
/// use tminus::{MemoryHistory, Next, Statement, Trigger, Action};
///
/// let history = MemoryHistory::new();
/// let day = TimeDelta::days(1);
/// let never = Statement::parse("cron 0 0 30 2 *")?.schedule();
/// assert_eq!(never.next_window(Utc::now(), day, chrono_tz::UTC, &history), Next::Never);
///
/// let waits = Statement::parse("after task 'extract'")?.schedule();
/// let expected = Trigger::Task { task: "extract".into(), action: Action::Success };
/// assert_eq!(waits.next_window(Utc::now(), day, chrono_tz::UTC, &history), Next::WaitsOn(vec![expected]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// The statement is true in this window.
    Window(Window),
    /// It can never be true, whatever happens (proved, not searched:
    /// `time of day before 10:00 & time of day after 12:00`, `cron 0 0 30 2 *`).
    Never,
    /// It is not true before the horizon, unless a task event changes that.
    NotWithinHorizon,
    /// Time alone will never make it true; one of these events could.
    WaitsOn(Vec<Trigger>),
}

impl Next {
    /// The window, if there is one.
    ///
    /// ```
    /// assert!(tminus::Next::Never.window().is_none());
    /// ```
    pub fn window(&self) -> Option<&Window> {
        match self {
            Next::Window(w) => Some(w),
            _ => None,
        }
    }
}

impl Serialize for Next {
    /// `{"windows": [...], "never": bool, "waits_on": [...]}`, as `tminus next --jsonl`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let windows: &[Window] = match self {
            Next::Window(w) => std::slice::from_ref(w),
            _ => &[],
        };
        let waits: &[Trigger] = match self {
            Next::WaitsOn(t) => t,
            _ => &[],
        };
        let mut m = serializer.serialize_map(Some(4))?;
        m.serialize_entry("windows", windows)?;
        m.serialize_entry("never", &matches!(self, Next::Never))?;
        m.serialize_entry(
            "not_within_horizon",
            &matches!(self, Next::NotWithinHorizon),
        )?;
        m.serialize_entry("waits_on", waits)?;
        m.end()
    }
}
