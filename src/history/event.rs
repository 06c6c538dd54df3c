//! [`Action`] and [`Event`]: what one record of a task log says happened, and when.

use super::*;

/// What a task log record says happened.
///
/// These are the six `action` values Rocketry 2.5.1 writes to its task log.
///
/// ```
/// use tminus::Action;
///
/// assert_eq!(Action::parse("success"), Some(Action::Success));
/// assert_eq!(Action::Fail.as_str(), "fail");
/// assert_eq!("crash".parse::<Action>()?, Action::Crash);
/// assert!(Action::parse("Success").is_none()); // case matters, as in Rocketry
/// # Ok::<(), tminus::HistoryError>(())
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The task started a run.
    Run,
    /// A run finished without error.
    Success,
    /// A run raised an error.
    Fail,
    /// A run was stopped by the scheduler (timeout, end condition, shutdown).
    Terminate,
    /// A run decided it had nothing to do (Rocketry's `TaskInactionException`).
    Inaction,
    /// At startup the log ended in a `run` with no finish: the previous process died.
    Crash,
}

impl Action {
    /// Every action, in the order Rocketry's documentation lists them.
    ///
    /// ```
    /// assert_eq!(tminus::Action::ALL.len(), 6);
    /// ```
    pub const ALL: [Action; 6] = [
        Action::Run,
        Action::Success,
        Action::Fail,
        Action::Terminate,
        Action::Inaction,
        Action::Crash,
    ];

    /// The word used in logs: `run`, `success`, `fail`, `terminate`, `inaction` or `crash`.
    ///
    /// ```
    /// assert_eq!(tminus::Action::Inaction.as_str(), "inaction");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Run => "run",
            Action::Success => "success",
            Action::Fail => "fail",
            Action::Terminate => "terminate",
            Action::Inaction => "inaction",
            Action::Crash => "crash",
        }
    }

    /// The action spelled exactly `s` (lower case, no surrounding space), if any.
    ///
    /// ```
    /// assert_eq!(tminus::Action::parse("terminate"), Some(tminus::Action::Terminate));
    /// assert_eq!(tminus::Action::parse("sucess"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.as_str() == s)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Action {
    type Err = HistoryError;

    fn from_str(s: &str) -> Result<Action, HistoryError> {
        Action::parse(s).ok_or_else(|| unknown_action(s))
    }
}

pub(super) fn unknown_action(word: &str) -> HistoryError {
    let expected: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    HistoryError::new(
        HistoryErrorKind::UnknownAction,
        format!(
            "unknown action `{word}`, expected one of {}",
            expected.join(", ")
        ),
    )
}

// ------------------------------------------------------------------------- Event, scheduler

/// One record of a task's log: an action at an instant (UTC, microsecond resolution).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tminus::{Action, Event};
///
/// let at = Utc.with_ymd_and_hms(2024, 3, 11, 10, 5, 0).unwrap();
/// let event = Event::new(Action::Success, at);
/// assert_eq!(event, Event { action: Action::Success, at });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Event {
    /// What happened.
    pub action: Action,
    /// When it happened.
    pub at: DateTime<Utc>,
}

impl Event {
    /// An event; `at` keeps at most microsecond precision (finer digits are dropped).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// let at = Utc.timestamp_opt(1_710_151_500, 123_456_789).unwrap();
    /// let event = tminus::Event::new(tminus::Action::Run, at);
    /// assert_eq!(event.at.timestamp_subsec_nanos(), 123_456_000);
    /// ```
    pub fn new(action: Action, at: DateTime<Utc>) -> Event {
        Event {
            action,
            at: truncate_to_micros(at),
        }
    }

    /// Starts of the runs in `events` that are still open, matched the way Rocketry
    /// decides `task '…' is running` when `force_status_from_logs` is on.
    ///
    /// `events` must be sorted by instant (as [`History::events`] returns them). Each `run`
    /// is matched, in order, with the earliest not yet matched record of any other action
    /// at or after it; a run left without a match is open. Only the records in `events`
    /// count: to ask "as of `now`", pass the events up to `now`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use tminus::{Action, Event, History, MemoryHistory};
    ///
    /// let t = |m| Utc.with_ymd_and_hms(2024, 3, 11, 10, m, 0).unwrap();
    /// let mut history = MemoryHistory::new();
    /// history
    ///     .record("job", Action::Run, t(0))
    ///     .record("job", Action::Run, t(1)) // a second, overlapping run
    ///     .record("job", Action::Success, t(2));
    /// assert_eq!(Event::open_runs(history.events("job")), [t(1)]);
    /// ```
    pub fn open_runs(events: &[Event]) -> Vec<DateTime<Utc>> {
        let finishes: Vec<DateTime<Utc>> = events
            .iter()
            .filter(|e| e.action != Action::Run)
            .map(|e| e.at)
            .collect();
        let mut next_unmatched = 0;
        let mut open = Vec::new();
        for run in events.iter().filter(|e| e.action == Action::Run) {
            let candidate = next_unmatched.max(finishes.partition_point(|f| *f < run.at));
            if candidate < finishes.len() {
                next_unmatched = candidate + 1;
            } else {
                open.push(run.at);
            }
        }
        open
    }
}
