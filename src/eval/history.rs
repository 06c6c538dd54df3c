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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime};
use chrono::{Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

// ------------------------------------------------------------------------------------ Action

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

fn unknown_action(word: &str) -> HistoryError {
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

// ----------------------------------------------------------------------------- MemoryHistory

/// An in-memory [`History`].
///
/// Each task's events are kept sorted by instant; events at the same instant keep the
/// order in which they were recorded (log order). Running tasks, the scheduler state and
/// session parameters are set explicitly: loading a log does not mark anything running
/// (see [`MemoryHistory::running_from_log`]).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tminus::{Action, History, MemoryHistory};
///
/// let t = |h| Utc.with_ymd_and_hms(2024, 3, 11, h, 0, 0).unwrap();
/// let mut history = MemoryHistory::new();
/// history
///     .record("report", Action::Success, t(11))
///     .record("report", Action::Run, t(10)) // out of order: sorted on insert
///     .set_running("fetch", true)
///     .set_param("env", "prod");
/// assert_eq!(history.events("report")[0].action, Action::Run);
/// assert!(history.is_running("fetch"));
/// assert_eq!(history.param("env"), Some("prod"));
/// assert_eq!(history.tasks(), ["report"]); // only tasks with events
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryHistory {
    logs: BTreeMap<String, Vec<Event>>,
    /// Each log's instants in microseconds, in log order (derived from `logs`, kept in
    /// step with it: the evaluator reads these rather than converting `Event::at`).
    micros: BTreeMap<String, Vec<i64>>,
    running: BTreeSet<String>,
    scheduler: Option<SchedulerState>,
    params: BTreeMap<String, String>,
}

impl MemoryHistory {
    /// An empty history: no events, nothing running, no scheduler, no parameters.
    ///
    /// ```
    /// assert!(tminus::MemoryHistory::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a record to `task`'s log, keeping it sorted: the event goes after every
    /// event at the same or an earlier instant. `at` keeps microsecond precision.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use tminus::{Action, History, MemoryHistory};
    ///
    /// let at = Utc.with_ymd_and_hms(2024, 3, 11, 10, 0, 0).unwrap();
    /// let mut history = MemoryHistory::new();
    /// history.record("t", Action::Run, at).record("t", Action::Fail, at);
    /// let actions: Vec<_> = history.events("t").iter().map(|e| e.action).collect();
    /// assert_eq!(actions, [Action::Run, Action::Fail]);
    /// ```
    pub fn record(&mut self, task: &str, action: Action, at: DateTime<Utc>) -> &mut Self {
        let event = Event::new(action, at);
        let log = self.logs.entry(task.to_owned()).or_default();
        let index = log.partition_point(|e| e.at <= event.at);
        log.insert(index, event);
        let micros = self.micros.entry(task.to_owned()).or_default();
        micros.insert(index, event.at.timestamp_micros());
        self
    }

    /// Says whether `task` has a live run now.
    ///
    /// ```
    /// use tminus::{History, MemoryHistory};
    /// let mut history = MemoryHistory::new();
    /// history.set_running("t", true);
    /// assert!(history.is_running("t"));
    /// history.set_running("t", false);
    /// assert!(!history.is_running("t"));
    /// ```
    pub fn set_running(&mut self, task: &str, running: bool) -> &mut Self {
        if running {
            self.running.insert(task.to_owned());
        } else {
            self.running.remove(task);
        }
        self
    }

    /// Sets (or, with `None`, clears) the scheduler's start and cycle count.
    ///
    /// ```
    /// use tminus::{History, MemoryHistory};
    /// let mut history = MemoryHistory::new();
    /// history.set_scheduler(None);
    /// assert_eq!(history.scheduler(), None);
    /// ```
    pub fn set_scheduler(&mut self, state: Option<SchedulerState>) -> &mut Self {
        self.scheduler = state;
        self
    }

    /// Sets session parameter `key` to `value` (`env 'prod'` reads the parameter `env`).
    ///
    /// ```
    /// use tminus::{History, MemoryHistory};
    /// let mut history = MemoryHistory::new();
    /// history.set_param("env", "dev").set_param("env", "prod");
    /// assert_eq!(history.param("env"), Some("prod"));
    /// ```
    pub fn set_param(&mut self, key: &str, value: &str) -> &mut Self {
        self.params.insert(key.to_owned(), value.to_owned());
        self
    }

    /// Removes session parameter `key`.
    ///
    /// ```
    /// use tminus::{History, MemoryHistory};
    /// let mut history = MemoryHistory::new();
    /// history.set_param("env", "prod").remove_param("env");
    /// assert_eq!(history.param("env"), None);
    /// ```
    pub fn remove_param(&mut self, key: &str) -> &mut Self {
        self.params.remove(key);
        self
    }

    /// Forgets `task`: its events and its running flag.
    ///
    /// ```
    /// use chrono::Utc;
    /// use tminus::{Action, History, MemoryHistory};
    /// let mut history = MemoryHistory::new();
    /// history.record("t", Action::Run, Utc::now()).set_running("t", true);
    /// history.remove_task("t");
    /// assert!(history.events("t").is_empty() && !history.is_running("t"));
    /// ```
    pub fn remove_task(&mut self, task: &str) -> &mut Self {
        self.logs.remove(task);
        self.micros.remove(task);
        self.running.remove(task);
        self
    }

    /// Forgets everything: events, running flags, scheduler state and parameters.
    ///
    /// ```
    /// use chrono::Utc;
    /// use tminus::{Action, MemoryHistory};
    /// let mut history = MemoryHistory::new();
    /// history.record("t", Action::Run, Utc::now()).clear();
    /// assert!(history.is_empty());
    /// ```
    pub fn clear(&mut self) -> &mut Self {
        *self = MemoryHistory::default();
        self
    }

    /// Number of events over all tasks.
    ///
    /// ```
    /// use chrono::Utc;
    /// use tminus::{Action, MemoryHistory};
    /// let mut history = MemoryHistory::new();
    /// history.record("a", Action::Run, Utc::now()).record("b", Action::Run, Utc::now());
    /// assert_eq!(history.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.logs.values().map(Vec::len).sum()
    }

    /// Whether no task has any event.
    ///
    /// ```
    /// assert!(tminus::MemoryHistory::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.logs.values().all(Vec::is_empty)
    }

    /// Tasks whose log has a run with no later finish, sorted by name.
    ///
    /// This is how Rocketry tells running tasks from the log alone (with
    /// `force_status_from_logs`; see [`Event::open_runs`] for the matching rule). Readers
    /// of a Rocketry log can feed it to [`MemoryHistory::set_running`], or use
    /// [`MemoryHistory::set_running_from_log`].
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use tminus::{Action, MemoryHistory};
    ///
    /// let t = |m| Utc.with_ymd_and_hms(2024, 3, 11, 10, m, 0).unwrap();
    /// let mut history = MemoryHistory::new();
    /// history
    ///     .record("done", Action::Run, t(0))
    ///     .record("done", Action::Success, t(1))
    ///     .record("busy", Action::Run, t(2));
    /// assert_eq!(history.running_from_log(), ["busy"]);
    /// ```
    pub fn running_from_log(&self) -> Vec<String> {
        self.logs
            .iter()
            .filter(|(_, events)| !Event::open_runs(events).is_empty())
            .map(|(task, _)| task.clone())
            .collect()
    }

    /// Replaces the running flags with [`MemoryHistory::running_from_log`].
    ///
    /// ```
    /// use chrono::Utc;
    /// use tminus::{Action, History, MemoryHistory};
    /// let mut history = MemoryHistory::new();
    /// history.record("t", Action::Run, Utc::now()).set_running_from_log();
    /// assert!(history.is_running("t"));
    /// ```
    pub fn set_running_from_log(&mut self) -> &mut Self {
        self.running = self.running_from_log().into_iter().collect();
        self
    }

    /// Builds a history from records in log order (sorted per task, stably, at the end).
    fn from_log(records: Vec<(String, Event)>) -> MemoryHistory {
        let mut history = MemoryHistory::new();
        for (task, event) in records {
            history.logs.entry(task).or_default().push(event);
        }
        for (task, log) in &mut history.logs {
            log.sort_by_key(|e| e.at);
            let micros = log.iter().map(|e| e.at.timestamp_micros()).collect();
            history.micros.insert(task.clone(), micros);
        }
        history
    }
}

impl History for MemoryHistory {
    fn events(&self, task: &str) -> &[Event] {
        self.logs.get(task).map_or(&[], Vec::as_slice)
    }

    fn is_running(&self, task: &str) -> bool {
        self.running.contains(task)
    }

    fn scheduler(&self) -> Option<SchedulerState> {
        self.scheduler
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }

    fn tasks(&self) -> Vec<&str> {
        self.logs
            .iter()
            .filter(|(_, events)| !events.is_empty())
            .map(|(task, _)| task.as_str())
            .collect()
    }

    fn event_micros(&self, task: &str) -> Option<&[i64]> {
        Some(self.micros.get(task).map_or(&[], Vec::as_slice))
    }
}

// ------------------------------------------------------------------------------- the readers

impl MemoryHistory {
    /// Reads JSON Lines: one record per line,
    /// `{"task": "t", "action": "success", "at": "2024-03-11T10:05:00"}`.
    ///
    /// * `task`: the task name, a non-empty string.
    /// * `action`: `run`, `success`, `fail`, `terminate`, `inaction` or `crash`.
    /// * `at`, one of:
    ///   * ISO 8601 with an offset or `Z` (`2024-03-11T10:05:00+02:00`): that instant;
    ///   * ISO 8601 without an offset: a civil time in `zone`. A time that the clocks skip
    ///     (spring forward) is read with the offset in force before the skip, so it lands
    ///     after the gap by as much as it was into it (Helsinki `2024-03-31T03:30` is
    ///     `04:30+03:00`). A time that happens twice (fall back) is the earlier instant.
    ///     Both are what Python's `datetime.timestamp()` does, and so the Rocketry oracle;
    ///   * a JSON number: POSIX seconds, rounded to the microsecond (ties to even).
    ///
    ///   The date is `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM`,
    ///   `HH:MM:SS` or `HH:MM:SS.f` with 1 to 9 fractional digits, truncated to
    ///   microseconds; a bare date is midnight. Offsets are `Z`, `±HH:MM`, `±HHMM` or `±HH`.
    ///
    /// Other keys are ignored. Blank lines and lines starting with `#` are skipped. Records
    /// may come in any order; equal instants keep file order.
    ///
    /// ```
    /// use tminus::{History, HistoryErrorKind, MemoryHistory};
    ///
    /// let zone = chrono_tz::Europe::Helsinki;
    /// let log = "# morning\n{\"task\": \"t\", \"action\": \"run\", \"at\": 1710151500.5}\n";
    /// let history = MemoryHistory::from_jsonl(log.as_bytes(), zone)?;
    /// assert_eq!(history.events("t")[0].at.timestamp_millis(), 1_710_151_500_500);
    ///
    /// let bad = "{\"task\": \"t\", \"action\": \"sucess\", \"at\": 0}";
    /// let error = MemoryHistory::from_jsonl(bad.as_bytes(), zone).unwrap_err();
    /// assert_eq!(error.kind(), HistoryErrorKind::UnknownAction);
    /// assert_eq!(error.line(), Some(1));
    /// # Ok::<(), tminus::HistoryError>(())
    /// ```
    pub fn from_jsonl(reader: impl BufRead, zone: Tz) -> Result<MemoryHistory, HistoryError> {
        let mut records = Vec::new();
        for (index, line) in jsonl::lines(reader).enumerate() {
            let number = index + 1;
            let text = line.map_err(|e| e.at_line(number))?;
            let text = text.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let record = jsonl::record(text, zone).map_err(|e| e.at_line(number))?;
            records.push(record);
        }
        Ok(MemoryHistory::from_log(records))
    }

    /// Reads the CSV file Rocketry's `CSVFileRepo` writes.
    ///
    /// Rocketry 2.5.1 (through redbird 0.7.1) writes a header row with the record model's
    /// field names, then one row per record, `\r\n`-terminated and quoted as Python's
    /// `csv` module does. With `MinimalRecord` that is `task_name,action,created`;
    /// `created` is POSIX seconds as Python prints a float (`1710151500.4565208`). Richer
    /// models (`LogRecord`, `TaskRunRecord`, …) add columns such as `msg`, `exc_text`
    /// (multi-line tracebacks), `start`, `run_id`; they are ignored.
    ///
    /// Columns are found by header name (`task_name`, `action`, `created`), so their order
    /// does not matter. (Rocketry itself reads by position, using its model's field order.)
    /// An empty file is an empty history. Line numbers in errors count physical lines,
    /// header included.
    ///
    /// ```
    /// use tminus::{Action, History, MemoryHistory};
    ///
    /// let csv = "task_name,action,created\r\nfetch,run,1710151500.25\r\n";
    /// let history = MemoryHistory::from_rocketry_csv(csv.as_bytes())?;
    /// assert_eq!(history.events("fetch")[0].action, Action::Run);
    /// # Ok::<(), tminus::HistoryError>(())
    /// ```
    pub fn from_rocketry_csv(reader: impl Read) -> Result<MemoryHistory, HistoryError> {
        let lines = rocketry_csv::LineCounter::new(reader);
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(lines);
        let header = match csv.headers() {
            Ok(header) => header.clone(),
            Err(error) => return Err(rocketry_csv::csv_error(error, csv.get_mut())),
        };
        if header.is_empty() {
            return Ok(MemoryHistory::new());
        }
        let columns = rocketry_csv::Columns::find(&header)?;
        let mut records = Vec::new();
        let mut row = csv::StringRecord::new();
        loop {
            match csv.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => return Err(rocketry_csv::csv_error(error, csv.get_mut())),
            }
            let line = row.position().map(|p| csv.get_mut().line_at(p.byte()));
            let record = columns.record(&row).map_err(|e| match line {
                Some(line) => e.at_line(line),
                None => e,
            })?;
            records.push(record);
        }
        Ok(MemoryHistory::from_log(records))
    }

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
        rocketry_sqlite::read(path, Some(table))
            .map(MemoryHistory::from_log)
            .map_err(|e| e.with_path(path))
    }

    /// Reads a history file, choosing the reader by extension (case-insensitive):
    ///
    /// * `.jsonl`, `.ndjson`, `.json`: [`MemoryHistory::from_jsonl`] with `zone`;
    /// * `.csv`: [`MemoryHistory::from_rocketry_csv`];
    /// * `.db`, `.sqlite`, `.sqlite3`: [`MemoryHistory::from_rocketry_sqlite`] with `table`.
    ///   Rocketry has no conventional table name (its documentation uses `tasks` and `log`),
    ///   so without `table` the database must hold exactly one table (or view) with the
    ///   columns `task_name`, `action` and `created`, and that one is read.
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
        let history = match Format::of(path).map_err(|e| e.with_path(path))? {
            Format::Jsonl => MemoryHistory::from_jsonl(std::io::BufReader::new(open(path)?), zone),
            Format::Csv => MemoryHistory::from_rocketry_csv(std::io::BufReader::new(open(path)?)),
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
enum Format {
    Jsonl,
    Csv,
    Sqlite,
}

impl Format {
    fn of(path: &Path) -> Result<Format, HistoryError> {
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

/// Reads an instant the way the history readers do: ISO 8601 with an offset or `Z` is
/// absolute; without one it is a civil time in `zone` (in a fold the earlier instant, in a
/// gap the offset in force before it, as Python's `fold=0`). For command lines and inputs
/// that give `now` next to a history.
///
/// ```
/// let at = tminus::eval::history::parse_instant("2024-03-11T10:00:00", chrono_tz::Europe::Helsinki)?;
/// assert_eq!(at.to_rfc3339(), "2024-03-11T08:00:00+00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_instant(text: &str, zone: Tz) -> Result<DateTime<Utc>, String> {
    instant::from_iso(text, zone).map_err(|why| format!("`{text}` is not an instant: {why}"))
}

/// A record field read as text: present, not null, a non-empty string.
fn task_name(value: Option<&str>, field: &str) -> Result<String, HistoryError> {
    match value {
        None => Err(missing(field)),
        Some("") => Err(HistoryError::new(
            HistoryErrorKind::BadValue,
            format!("empty task name in `{field}`"),
        )
        .in_column(field)),
        Some(name) => Ok(name.to_owned()),
    }
}

fn action_named(value: Option<&str>, field: &str) -> Result<Action, HistoryError> {
    let word = value.ok_or_else(|| missing(field))?;
    Action::parse(word).ok_or_else(|| unknown_action(word).in_column(field))
}

/// `created` given as text (CSV cell, SQLite text): POSIX seconds as Python prints a float.
fn instant_from_text(text: &str, field: &str) -> Result<DateTime<Utc>, HistoryError> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| bad_instant(text, field, "expected POSIX seconds such as 1710151500.25"))?;
    instant_from_seconds(seconds, text, field)
}

fn instant_from_seconds(
    seconds: f64,
    shown: &str,
    field: &str,
) -> Result<DateTime<Utc>, HistoryError> {
    instant::from_posix_seconds(seconds)
        .ok_or_else(|| bad_instant(shown, field, "not a representable instant"))
}

fn missing(field: &str) -> HistoryError {
    HistoryError::new(
        HistoryErrorKind::MissingField,
        format!("missing field `{field}`"),
    )
    .in_column(field)
}

fn bad_instant(text: &str, field: &str, why: &str) -> HistoryError {
    HistoryError::new(
        HistoryErrorKind::BadInstant,
        format!("bad instant `{text}` in `{field}`: {why}"),
    )
    .in_column(field)
}

fn io_error(error: std::io::Error) -> HistoryError {
    HistoryError::new(HistoryErrorKind::Io, error.to_string()).with_source(error)
}

// ---------------------------------------------------------------------------------- JSONL

mod jsonl {
    use super::*;

    /// The lines of `reader` (without their terminators), as UTF-8.
    pub(super) fn lines(
        mut reader: impl BufRead,
    ) -> impl Iterator<Item = Result<String, HistoryError>> {
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            let mut bytes = Vec::new();
            match reader.read_until(b'\n', &mut bytes) {
                Ok(0) => None,
                Ok(_) => Some(utf8_line(bytes)),
                Err(error) => {
                    done = true;
                    Some(Err(io_error(error)))
                }
            }
        })
    }

    fn utf8_line(bytes: Vec<u8>) -> Result<String, HistoryError> {
        String::from_utf8(bytes).map_err(|error| {
            HistoryError::new(HistoryErrorKind::Json, "the line is not valid UTF-8")
                .with_source(error)
        })
    }

    /// One non-blank, non-comment line.
    pub(super) fn record(text: &str, zone: Tz) -> Result<(String, Event), HistoryError> {
        let value: Value = serde_json::from_str(text).map_err(json_error)?;
        let Value::Object(map) = value else {
            return Err(HistoryError::new(
                HistoryErrorKind::Json,
                "expected a JSON object like {\"task\": \"t\", \"action\": \"run\", \"at\": \"2024-03-11T10:05:00\"}",
            ));
        };
        let task = task_name(string_field(&map, "task")?, "task")?;
        let action = action_named(string_field(&map, "action")?, "action")?;
        let at = at_field(&map, zone)?;
        Ok((task, Event { action, at }))
    }

    /// `Ok(None)` when the key is absent or null; an error when it holds a non-string.
    fn string_field<'a>(
        map: &'a Map<String, Value>,
        key: &str,
    ) -> Result<Option<&'a str>, HistoryError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(HistoryError::new(
                HistoryErrorKind::BadValue,
                format!("`{key}` must be a string, found {other}"),
            )
            .in_column(key)),
        }
    }

    fn at_field(map: &Map<String, Value>, zone: Tz) -> Result<DateTime<Utc>, HistoryError> {
        match map.get("at") {
            None | Some(Value::Null) => Err(missing("at")),
            Some(Value::String(text)) => {
                instant::from_iso(text, zone).map_err(|why| bad_instant(text, "at", why))
            }
            Some(Value::Number(number)) => match number.as_f64() {
                Some(seconds) => instant_from_seconds(seconds, &number.to_string(), "at"),
                None => Err(bad_instant(&number.to_string(), "at", "not a number")),
            },
            Some(other) => Err(bad_instant(
                &other.to_string(),
                "at",
                "expected an ISO 8601 string or a number of POSIX seconds",
            )),
        }
    }

    fn json_error(error: serde_json::Error) -> HistoryError {
        let full = error.to_string();
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let what = full.strip_suffix(&suffix).unwrap_or(&full);
        HistoryError::new(
            HistoryErrorKind::Json,
            format!("malformed JSON at column {}: {what}", error.column()),
        )
        .with_source(error)
    }
}

// ------------------------------------------------------------------------------------ CSV

mod rocketry_csv {
    use super::*;

    /// Where the three columns Rocketry reads are.
    pub(super) struct Columns {
        task: usize,
        action: usize,
        created: usize,
    }

    impl Columns {
        pub(super) fn find(header: &csv::StringRecord) -> Result<Columns, HistoryError> {
            let names: Vec<&str> = header
                .iter()
                .map(|name| name.trim_start_matches('\u{feff}').trim())
                .collect();
            let index = |column: &str| {
                names
                    .iter()
                    .position(|name| *name == column)
                    .ok_or_else(|| {
                        HistoryError::new(
                            HistoryErrorKind::MissingField,
                            format!(
                                "the header has no column `{column}` (found: {})",
                                names.join(", ")
                            ),
                        )
                        .in_column(column)
                        .at_line(1)
                    })
            };
            Ok(Columns {
                task: index("task_name")?,
                action: index("action")?,
                created: index("created")?,
            })
        }

        /// One data row; an empty cell counts as missing (redbird reads it as None).
        pub(super) fn record(
            &self,
            row: &csv::StringRecord,
        ) -> Result<(String, Event), HistoryError> {
            let cell = |index: usize| row.get(index).filter(|text| !text.is_empty());
            let task = task_name(cell(self.task), "task_name")?;
            let action = action_named(cell(self.action), "action")?;
            let created = cell(self.created).ok_or_else(|| missing("created"))?;
            let at = instant_from_text(created, "created")?;
            Ok((task, Event { action, at }))
        }
    }

    pub(super) fn csv_error<R>(error: csv::Error, lines: &mut LineCounter<R>) -> HistoryError {
        let line = error.position().map(|p| lines.line_at(p.byte()));
        let converted = match error.kind() {
            csv::ErrorKind::Io(_) => HistoryError::new(HistoryErrorKind::Io, error.to_string()),
            _ => HistoryError::new(HistoryErrorKind::Csv, csv_message(&error)),
        };
        let converted = converted.with_source(error);
        match line {
            Some(line) => converted.at_line(line),
            None => converted,
        }
    }

    /// A reader that remembers where its line breaks are, to turn the byte offsets the
    /// `csv` crate reports into line numbers. (Its own line count lags on `\r\n` files,
    /// which is what Rocketry writes, and counts the blank lines it skips as part of the
    /// next record.) `\n`, `\r\n` and a lone `\r` each end a line.
    pub(super) struct LineCounter<R> {
        inner: R,
        bytes_read: u64,
        previous: Option<u8>,
        line_start: u64,
        /// Line breaks not yet passed: (offset of the break's last byte, ends a blank line).
        breaks_ahead: std::collections::VecDeque<(u64, bool)>,
        lines_behind: usize,
    }

    impl<R> LineCounter<R> {
        pub(super) fn new(inner: R) -> Self {
            LineCounter {
                inner,
                bytes_read: 0,
                previous: None,
                line_start: 0,
                breaks_ahead: std::collections::VecDeque::new(),
                lines_behind: 0,
            }
        }

        /// The 1-based line of the first non-blank line starting after the line breaks at
        /// or before byte `offset`. Offsets must not decrease between calls.
        pub(super) fn line_at(&mut self, offset: u64) -> usize {
            while let Some(&(at, _)) = self.breaks_ahead.front() {
                if at > offset {
                    break;
                }
                self.pass_break();
            }
            while self.breaks_ahead.front().is_some_and(|(_, blank)| *blank) {
                self.pass_break();
            }
            self.lines_behind + 1
        }

        fn pass_break(&mut self) {
            self.breaks_ahead.pop_front();
            self.lines_behind += 1;
        }

        /// Notes one byte at `offset`.
        fn see(&mut self, offset: u64, byte: u8) {
            match (self.previous, byte) {
                (Some(b'\r'), b'\n') => self.line_break(offset, offset.saturating_sub(1)),
                (_, b'\n') => self.line_break(offset, offset),
                (Some(b'\r'), _) => {
                    let at = offset.saturating_sub(1);
                    self.line_break(at, at)
                }
                _ => {}
            }
            self.previous = Some(byte);
        }

        /// A line break ending at `last` whose first byte is `first`.
        fn line_break(&mut self, last: u64, first: u64) {
            self.breaks_ahead
                .push_back((last, first == self.line_start));
            self.line_start = last + 1;
        }
    }

    impl<R: Read> Read for LineCounter<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let count = self.inner.read(buf)?;
            let filled = buf.get(..count).unwrap_or(buf);
            for (offset, byte) in (self.bytes_read..).zip(filled) {
                self.see(offset, *byte);
            }
            self.bytes_read += filled.len() as u64;
            Ok(count)
        }
    }

    fn csv_message(error: &csv::Error) -> String {
        match error.kind() {
            csv::ErrorKind::Utf8 { err, .. } => {
                format!("field {} is not valid UTF-8", err.field() + 1)
            }
            _ => error.to_string(),
        }
    }
}

// --------------------------------------------------------------------------------- SQLite

#[cfg(feature = "sqlite")]
mod rocketry_sqlite {
    use super::*;
    use rusqlite::types::ValueRef;
    use rusqlite::{Connection, OpenFlags};

    const COLUMNS: [&str; 3] = ["task_name", "action", "created"];

    /// Every record of `table` (or of the only log table, when `None`), in storage order.
    pub(super) fn read(
        path: &Path,
        table: Option<&str>,
    ) -> Result<Vec<(String, Event)>, HistoryError> {
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
            ValueRef::Real(seconds) => {
                instant_from_seconds(seconds, &seconds.to_string(), "created")
            }
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
}

// -------------------------------------------------------------------------------- instants

mod instant {
    use super::*;

    /// POSIX seconds to an instant, the way Python's `datetime.fromtimestamp` does it:
    /// split off the fraction, scale it to microseconds, round half to even.
    pub(super) fn from_posix_seconds(seconds: f64) -> Option<DateTime<Utc>> {
        if !seconds.is_finite() || seconds.abs() > 1e15 {
            return None;
        }
        let mut whole = seconds.trunc();
        let mut micros = ((seconds - whole) * 1e6).round_ties_even();
        if micros >= 1e6 {
            micros -= 1e6;
            whole += 1.0;
        } else if micros < 0.0 {
            micros += 1e6;
            whole -= 1.0;
        }
        // Both casts are in range: |whole| <= 1e15 + 1 and 0 <= micros < 1e6.
        DateTime::from_timestamp(whole as i64, (micros as u32) * 1000)
    }

    /// An ISO 8601 instant; without an offset it is a civil time in `zone`.
    pub(super) fn from_iso(text: &str, zone: Tz) -> Result<DateTime<Utc>, &'static str> {
        let (civil, offset) = parse_iso(text.trim())?;
        match offset {
            Some(offset) => civil
                .checked_sub_offset(offset)
                .map(|utc| utc.and_utc())
                .ok_or("out of range"),
            None => civil_in_zone(civil, zone).ok_or("out of range"),
        }
    }

    /// The instant `civil` names in `zone`: the earlier one in a fold, and in a gap the
    /// one given by the offset in force before the gap (Python's `fold=0`).
    pub(super) fn civil_in_zone(civil: NaiveDateTime, zone: Tz) -> Option<DateTime<Utc>> {
        match zone.from_local_datetime(&civil) {
            LocalResult::Single(at) => Some(at.with_timezone(&Utc)),
            LocalResult::Ambiguous(first, second) => {
                Some(first.with_timezone(&Utc).min(second.with_timezone(&Utc)))
            }
            LocalResult::None => {
                let probe = civil.checked_sub_signed(TimeDelta::days(1))?;
                let before = zone.offset_from_utc_datetime(&probe).fix();
                Some(civil.checked_sub_offset(before)?.and_utc())
            }
        }
    }

    /// `YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][Z|±HH[:MM]]`.
    fn parse_iso(text: &str) -> Result<(NaiveDateTime, Option<FixedOffset>), &'static str> {
        let mut cursor = Cursor::new(text);
        let date = date(&mut cursor)?;
        if cursor.is_done() {
            return Ok((date.and_time(NaiveTime::MIN), None));
        }
        if !(cursor.eat(b'T') || cursor.eat(b't') || cursor.eat(b' ')) {
            return Err("expected `T` between date and time");
        }
        let time = time(&mut cursor)?;
        let offset = offset(&mut cursor)?;
        if !cursor.is_done() {
            return Err("unexpected text after the time");
        }
        Ok((date.and_time(time), offset))
    }

    fn date(cursor: &mut Cursor<'_>) -> Result<NaiveDate, &'static str> {
        const SHAPE: &str = "expected a date like 2024-03-11";
        let year = cursor.digits(4).ok_or(SHAPE)?;
        let month = cursor.after(b'-').and_then(|c| c.digits(2)).ok_or(SHAPE)?;
        let day = cursor.after(b'-').and_then(|c| c.digits(2)).ok_or(SHAPE)?;
        let year = i32::try_from(year).map_err(|_| SHAPE)?;
        NaiveDate::from_ymd_opt(year, month, day).ok_or("no such date")
    }

    fn time(cursor: &mut Cursor<'_>) -> Result<NaiveTime, &'static str> {
        const SHAPE: &str = "expected a time like 10:05, 10:05:00 or 10:05:00.123456";
        let hour = cursor.digits(2).ok_or(SHAPE)?;
        let minute = cursor.after(b':').and_then(|c| c.digits(2)).ok_or(SHAPE)?;
        let mut second = 0;
        let mut micros = 0;
        if cursor.eat(b':') {
            second = cursor.digits(2).ok_or(SHAPE)?;
            if cursor.eat(b'.') || cursor.eat(b',') {
                micros = fraction_micros(cursor)?;
            }
        }
        NaiveTime::from_hms_micro_opt(hour, minute, second, micros).ok_or("no such time of day")
    }

    /// 1 to 9 digits after the decimal mark, truncated to microseconds.
    fn fraction_micros(cursor: &mut Cursor<'_>) -> Result<u32, &'static str> {
        let digits = cursor.take_digits();
        if digits.is_empty() || digits.len() > 9 {
            return Err("expected 1 to 9 digits of fractional seconds");
        }
        let padded = format!("{digits:0<6}");
        padded
            .get(..6)
            .and_then(|six| six.parse().ok())
            .ok_or("bad fractional seconds")
    }

    fn offset(cursor: &mut Cursor<'_>) -> Result<Option<FixedOffset>, &'static str> {
        const SHAPE: &str = "expected a UTC offset like Z, +02:00, +0200 or +02";
        if cursor.eat(b'Z') || cursor.eat(b'z') {
            return Ok(FixedOffset::east_opt(0));
        }
        let sign = if cursor.eat(b'+') {
            1
        } else if cursor.eat(b'-') {
            -1
        } else {
            return Ok(None);
        };
        let hours = cursor.fixed_digits(2).ok_or(SHAPE)?;
        let colon = cursor.eat(b':');
        let minutes = match cursor.fixed_digits(2) {
            Some(minutes) => minutes,
            None if colon => return Err(SHAPE),
            None => 0,
        };
        if hours > 23 || minutes > 59 {
            return Err(SHAPE);
        }
        let seconds = sign * i32::try_from(hours * 3600 + minutes * 60).map_err(|_| SHAPE)?;
        FixedOffset::east_opt(seconds).map(Some).ok_or(SHAPE)
    }

    /// A position in an ASCII-structured string.
    struct Cursor<'a> {
        text: &'a str,
        at: usize,
    }

    impl<'a> Cursor<'a> {
        fn new(text: &'a str) -> Self {
            Cursor { text, at: 0 }
        }

        fn rest(&self) -> &'a str {
            self.text.get(self.at..).unwrap_or("")
        }

        fn is_done(&self) -> bool {
            self.rest().is_empty()
        }

        fn eat(&mut self, byte: u8) -> bool {
            let hit = self.rest().as_bytes().first() == Some(&byte);
            if hit {
                self.at += 1;
            }
            hit
        }

        /// Itself after eating `byte`, if that comes next.
        fn after(&mut self, byte: u8) -> Option<&mut Self> {
            if self.eat(byte) {
                Some(self)
            } else {
                None
            }
        }

        fn take_digits(&mut self) -> &'a str {
            let rest = self.rest();
            let count = rest.bytes().take_while(u8::is_ascii_digit).count();
            self.at += count;
            rest.get(..count).unwrap_or("")
        }

        /// The next `count` ASCII digits, as a number (more digits may follow).
        fn fixed_digits(&mut self, count: usize) -> Option<u32> {
            let digits = self.rest().get(..count)?;
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            self.at += count;
            digits.parse().ok()
        }

        /// Exactly `count` ASCII digits (no more follow), as a number.
        fn digits(&mut self, count: usize) -> Option<u32> {
            let start = self.at;
            let digits = self.take_digits();
            if digits.len() != count {
                self.at = start;
                return None;
            }
            digits.parse().ok()
        }
    }
}

/// Drops sub-microsecond digits.
fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = at.timestamp_subsec_nanos();
    let excess = nanos % 1000;
    at.checked_sub_signed(TimeDelta::nanoseconds(i64::from(excess)))
        .unwrap_or(at)
}

// ---------------------------------------------------------------------------------- errors

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
    fn new(kind: HistoryErrorKind, message: impl Into<String>) -> HistoryError {
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

    fn at_line(mut self, line: usize) -> HistoryError {
        self.detail.line.get_or_insert(line);
        self
    }

    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    fn at_row(mut self, row: usize) -> HistoryError {
        self.detail.row.get_or_insert(row);
        self
    }

    fn in_column(mut self, column: &str) -> HistoryError {
        self.detail.column.get_or_insert_with(|| column.to_owned());
        self
    }

    fn with_path(mut self, path: &Path) -> HistoryError {
        self.detail.path.get_or_insert_with(|| path.to_owned());
        self
    }

    fn with_source(
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

// ----------------------------------------------------------------------------------- tests

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Helsinki;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or(DateTime::UNIX_EPOCH)
    }

    fn iso(text: &str, zone: Tz) -> Result<DateTime<Utc>, &'static str> {
        instant::from_iso(text, zone)
    }

    fn jsonl(text: &str) -> Result<MemoryHistory, HistoryError> {
        MemoryHistory::from_jsonl(text.as_bytes(), Helsinki)
    }

    fn csv(text: &str) -> Result<MemoryHistory, HistoryError> {
        MemoryHistory::from_rocketry_csv(text.as_bytes())
    }

    fn actions(history: &MemoryHistory, task: &str) -> Vec<Action> {
        history.events(task).iter().map(|e| e.action).collect()
    }

    #[test]
    fn actions_round_trip_through_their_names() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
            assert_eq!(action.as_str().parse::<Action>().ok(), Some(action));
            assert_eq!(action.to_string(), action.as_str());
            let json = serde_json::to_string(&action).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", action.as_str()));
        }
        assert_eq!(Action::parse("RUN"), None);
        assert_eq!(Action::parse(" run"), None);
        let error = "sucess".parse::<Action>().err();
        assert_eq!(
            error.map(|e| e.kind()),
            Some(HistoryErrorKind::UnknownAction)
        );
    }

    #[test]
    fn record_keeps_log_order_for_equal_instants() {
        let t0 = utc("2024-03-11T10:00:00Z");
        let t1 = utc("2024-03-11T10:01:00Z");
        let mut history = MemoryHistory::new();
        history
            .record("t", Action::Success, t1)
            .record("t", Action::Run, t0)
            .record("t", Action::Fail, t1)
            .record("t", Action::Crash, t0);
        let expected = [Action::Run, Action::Crash, Action::Success, Action::Fail];
        assert_eq!(actions(&history, "t"), expected);
        assert_eq!(history.len(), 4);
        assert_eq!(history.tasks(), ["t"]);
        assert!(history.events("unknown").is_empty());
    }

    #[test]
    fn record_truncates_to_microseconds() {
        let at = utc("2024-03-11T10:00:00.123456789Z");
        let mut history = MemoryHistory::new();
        history.record("t", Action::Run, at);
        let stored = history.events("t").first().map(|e| e.at);
        assert_eq!(stored, Some(utc("2024-03-11T10:00:00.123456Z")));
    }

    #[test]
    fn setters_and_removal() {
        let at = utc("2024-03-11T10:00:00Z");
        let state = SchedulerState {
            started: at,
            cycles: 3,
        };
        let mut history = MemoryHistory::new();
        history
            .record("a", Action::Run, at)
            .set_running("a", true)
            .set_scheduler(Some(state))
            .set_param("env", "prod");
        let by_ref: &dyn History = &history;
        assert!(by_ref.is_running("a"));
        fn generic(history: impl History) -> (Option<SchedulerState>, Option<String>) {
            (history.scheduler(), history.param("env").map(str::to_owned))
        }
        let seen = generic(&history);
        assert_eq!(seen, (Some(state), Some("prod".to_owned())));
        history.remove_task("a").remove_param("env");
        assert!(history.is_empty() && !history.is_running("a"));
        assert_eq!(history.param("env"), None);
        history.clear();
        assert_eq!(history, MemoryHistory::new());
    }

    #[test]
    fn open_runs_match_rocketry() {
        let t = |m: u32| utc(&format!("2024-03-11T10:{m:02}:00Z"));
        let event = |action, m| Event::new(action, t(m));
        use Action::*;
        // A finish before any run answers nothing.
        let early = [event(Success, 0), event(Run, 1)];
        assert_eq!(Event::open_runs(&early), [t(1)]);
        // A finish at the same instant as the run answers it.
        assert!(Event::open_runs(&[event(Run, 1), event(Inaction, 1)]).is_empty());
        // Two runs, one finish: the first run takes it.
        let overlap = [event(Run, 1), event(Run, 2), event(Fail, 3)];
        assert_eq!(Event::open_runs(&overlap), [t(2)]);
        // Crash closes a run.
        assert!(Event::open_runs(&[event(Run, 1), event(Crash, 5)]).is_empty());
        let mixed = [
            event(Run, 1),
            event(Success, 2),
            event(Run, 3),
            event(Run, 4),
            event(Terminate, 6),
        ];
        assert_eq!(Event::open_runs(&mixed), [t(4)]);
    }

    #[test]
    fn running_from_log_lists_tasks_with_open_runs() {
        let at = utc("2024-03-11T10:00:00Z");
        let mut history = MemoryHistory::new();
        history
            .record("b", Action::Run, at)
            .record("a", Action::Run, at)
            .record("c", Action::Run, at)
            .record("c", Action::Success, at)
            .set_running("c", true);
        assert_eq!(history.running_from_log(), ["a", "b"]);
        history.set_running_from_log();
        assert!(history.is_running("a") && history.is_running("b") && !history.is_running("c"));
    }

    #[test]
    fn posix_seconds_round_like_python() {
        let at = |s: f64| instant::from_posix_seconds(s).map(|t| t.timestamp_micros());
        assert_eq!(at(1710151500.0), Some(1_710_151_500_000_000));
        assert_eq!(at(0.5), Some(500_000));
        assert_eq!(at(0.0000005), Some(0)); // tie to even
        assert_eq!(at(0.0000015), Some(2));
        assert_eq!(at(-0.5), Some(-500_000));
        assert_eq!(at(-1.25), Some(-1_250_000));
        assert_eq!(at(0.9999996), Some(1_000_000));
        assert_eq!(at(1795618736.4565208), Some(1_795_618_736_456_521));
        assert_eq!(at(f64::NAN), None);
        assert_eq!(at(f64::INFINITY), None);
        assert_eq!(at(1e300), None);
    }

    #[test]
    fn iso_with_offsets_is_absolute() {
        let expected = Ok(utc("2024-03-11T08:05:00Z"));
        assert_eq!(iso("2024-03-11T10:05:00+02:00", Helsinki), expected);
        assert_eq!(iso("2024-03-11T10:05:00+0200", Helsinki), expected);
        assert_eq!(iso("2024-03-11T10:05+02", Helsinki), expected);
        assert_eq!(iso("2024-03-11 08:05:00Z", Helsinki), expected);
        assert_eq!(iso("2024-03-11t08:05:00z", Helsinki), expected);
        assert_eq!(iso("  2024-03-11T08:05:00Z ", Helsinki), expected);
        assert_eq!(iso("2024-03-11T03:05:00-05:00", Helsinki), expected);
    }

    #[test]
    fn iso_fractions_truncate_to_microseconds() {
        let expected = Ok(utc("2024-03-11T10:05:00.123456Z"));
        assert_eq!(iso("2024-03-11T10:05:00.123456789Z", Helsinki), expected);
        assert_eq!(iso("2024-03-11T10:05:00,1234569Z", Helsinki), expected);
        let short = Ok(utc("2024-03-11T10:05:00.5Z"));
        assert_eq!(iso("2024-03-11T10:05:00.5Z", chrono_tz::UTC), short);
        assert!(iso("2024-03-11T10:05:00.1234567890Z", Helsinki).is_err());
        assert!(iso("2024-03-11T10:05:00.Z", Helsinki).is_err());
    }

    #[test]
    fn naive_iso_is_civil_time_in_the_zone() {
        assert_eq!(
            iso("2024-03-11T10:05:00", Helsinki),
            Ok(utc("2024-03-11T08:05:00Z"))
        );
        assert_eq!(
            iso("2024-07-01T10:05:00", Helsinki),
            Ok(utc("2024-07-01T07:05:00Z"))
        );
        assert_eq!(iso("2024-03-11", Helsinki), Ok(utc("2024-03-10T22:00:00Z")));
        assert_eq!(
            iso("2024-03-11T10:05", chrono_tz::UTC),
            Ok(utc("2024-03-11T10:05:00Z"))
        );
    }

    #[test]
    fn dst_gap_and_fold_follow_python() {
        // Spring forward 03:00 EET -> 04:00 EEST: 03:30 is read as 03:30+02:00.
        assert_eq!(
            iso("2024-03-31T03:30:00", Helsinki),
            Ok(utc("2024-03-31T01:30:00Z"))
        );
        assert_eq!(
            iso("2024-03-31T03:00:00", Helsinki),
            Ok(utc("2024-03-31T01:00:00Z"))
        );
        assert_eq!(
            iso("2024-03-31T04:00:00", Helsinki),
            Ok(utc("2024-03-31T01:00:00Z"))
        );
        // Fall back 04:00 EEST -> 03:00 EET: 03:30 happens twice, take the first.
        assert_eq!(
            iso("2024-10-27T03:30:00", Helsinki),
            Ok(utc("2024-10-27T00:30:00Z"))
        );
        assert_eq!(
            iso("2024-10-27T04:00:00", Helsinki),
            Ok(utc("2024-10-27T02:00:00Z"))
        );
    }

    #[test]
    fn malformed_iso_is_rejected() {
        for text in [
            "",
            "2024",
            "2024-3-11",
            "2024-03-11T",
            "2024-03-11T10",
            "2024-03-11T1:05",
            "2024-02-30T10:00",
            "2024-03-11T24:00",
            "2024-03-11T10:60",
            "2024-03-11T10:05:60",
            "2024-03-11T10:05:00+2",
            "2024-03-11T10:05:00+24:00",
            "2024-03-11T10:05:00+02:",
            "2024-03-11T10:05:00 UTC",
            "2024-03-11X10:05",
            "20240311T1005",
            "tomorrow",
            "2024-03-11T10:05:00Zjunk",
            "２０２４-03-11",
            "2024-03-11T10:05:00.",
        ] {
            assert!(iso(text, Helsinki).is_err(), "{text:?} should be rejected");
        }
    }

    #[test]
    fn jsonl_reads_all_instant_forms() -> Result<(), HistoryError> {
        let log = "\n# comment\n  # indented comment\n\
            {\"task\": \"a\", \"action\": \"run\", \"at\": \"2024-03-11T10:05:00\", \"extra\": 1}\r\n\
            {\"task\": \"a\", \"action\": \"success\", \"at\": \"2024-03-11T08:06:00Z\"}\n\
            {\"task\": \"b\", \"action\": \"fail\", \"at\": 1710151500}\n\
            {\"task\": \"b\", \"action\": \"run\", \"at\": 1710151499.9999996}";
        let history = jsonl(log)?;
        assert_eq!(history.tasks(), ["a", "b"]);
        let a: Vec<_> = history.events("a").iter().map(|e| e.at).collect();
        assert_eq!(
            a,
            [utc("2024-03-11T08:05:00Z"), utc("2024-03-11T08:06:00Z")]
        );
        // 1710151499.9999996 rounds up to 1710151500.0 and keeps file order after `fail`.
        assert_eq!(actions(&history, "b"), [Action::Fail, Action::Run]);
        Ok(())
    }

    fn jsonl_error(text: &str) -> (HistoryErrorKind, Option<usize>, String) {
        match jsonl(text) {
            Ok(_) => (HistoryErrorKind::Io, None, "no error".to_owned()),
            Err(e) => (e.kind(), e.line(), e.to_string()),
        }
    }

    #[test]
    fn jsonl_errors_name_line_and_problem() {
        let ok = "{\"task\": \"t\", \"action\": \"run\", \"at\": 0}\n";
        let (kind, line, text) = jsonl_error(&format!(
            "{ok}\n{{\"task\": \"t\", \"action\": \"sucess\", \"at\": 0}}"
        ));
        assert_eq!((kind, line), (HistoryErrorKind::UnknownAction, Some(3)));
        assert!(
            text.starts_with("line 3: unknown action `sucess`, expected one of run,"),
            "{text}"
        );
        let (kind, line, text) = jsonl_error(&format!(
            "{ok}{{\"task\": \"t\", \"action\": \"run\", \"at\": \"yesterday\"}}"
        ));
        assert_eq!((kind, line), (HistoryErrorKind::BadInstant, Some(2)));
        assert!(text.contains("bad instant `yesterday` in `at`"), "{text}");
        let (kind, line, text) = jsonl_error("{\"action\": \"run\", \"at\": 0}");
        assert_eq!(
            (kind, line, text.as_str()),
            (
                HistoryErrorKind::MissingField,
                Some(1),
                "line 1: missing field `task`"
            )
        );
        let (kind, line, text) =
            jsonl_error(&format!("{ok}{ok}{{\"task\": \"t\", \"action\": \"run\""));
        assert_eq!((kind, line), (HistoryErrorKind::Json, Some(3)));
        assert!(
            text.starts_with("line 3: malformed JSON at column "),
            "{text}"
        );
    }

    #[test]
    fn jsonl_rejects_wrong_types() {
        let cases = [
            (
                "{\"task\": 5, \"action\": \"run\", \"at\": 0}",
                HistoryErrorKind::BadValue,
            ),
            (
                "{\"task\": \"\", \"action\": \"run\", \"at\": 0}",
                HistoryErrorKind::BadValue,
            ),
            (
                "{\"task\": null, \"action\": \"run\", \"at\": 0}",
                HistoryErrorKind::MissingField,
            ),
            (
                "{\"task\": \"t\", \"action\": [], \"at\": 0}",
                HistoryErrorKind::BadValue,
            ),
            (
                "{\"task\": \"t\", \"action\": \"run\"}",
                HistoryErrorKind::MissingField,
            ),
            (
                "{\"task\": \"t\", \"action\": \"run\", \"at\": true}",
                HistoryErrorKind::BadInstant,
            ),
            (
                "{\"task\": \"t\", \"action\": \"run\", \"at\": 1e300}",
                HistoryErrorKind::BadInstant,
            ),
            ("[\"t\", \"run\", 0]", HistoryErrorKind::Json),
            ("\"just text\"", HistoryErrorKind::Json),
        ];
        for (line, kind) in cases {
            assert_eq!(jsonl_error(line).0, kind, "{line}");
        }
        let not_utf8: &[u8] = b"{\"task\": \"\xff\", \"action\": \"run\", \"at\": 0}";
        let error = MemoryHistory::from_jsonl(not_utf8, Helsinki).err();
        assert_eq!(
            error.map(|e| (e.kind(), e.line())),
            Some((HistoryErrorKind::Json, Some(1)))
        );
    }

    #[test]
    fn csv_reads_by_header_name_and_ignores_extra_columns() -> Result<(), HistoryError> {
        let text = "msg,created,action,task_name,exc_text\r\n\
            \"hello, \"\"world\"\"\",1710151500.25,run,fetch,\r\n\
            x,1710151501,fail,fetch,\"Traceback:\r\n  boom\"\r\n";
        let history = csv(text)?;
        assert_eq!(actions(&history, "fetch"), [Action::Run, Action::Fail]);
        let at = history.events("fetch").first().map(|e| e.at);
        assert_eq!(at, Some(utc("2024-03-11T10:05:00.25Z")));
        assert!(csv("")?.is_empty());
        assert!(csv("task_name,action,created\r\n")?.is_empty());
        assert!(csv("\u{feff}task_name,action,created\nt,run,0\n")?.len() == 1);
        Ok(())
    }

    fn csv_error(text: &str) -> (HistoryErrorKind, Option<usize>, String) {
        match csv(text) {
            Ok(_) => (HistoryErrorKind::Io, None, "no error".to_owned()),
            Err(e) => (e.kind(), e.line(), e.to_string()),
        }
    }

    #[test]
    fn csv_errors_name_the_physical_line() {
        let head = "task_name,action,created,exc_text\n";
        let multi = "t,fail,1,\"two\nlines\"\n";
        let (kind, line, text) = csv_error(&format!("{head}{multi}t,sucess,2,\n"));
        assert_eq!((kind, line), (HistoryErrorKind::UnknownAction, Some(4)));
        assert!(
            text.starts_with("line 4: unknown action `sucess`"),
            "{text}"
        );
        let (kind, line, _) = csv_error(&format!("{head}t,run,soon,\n"));
        assert_eq!((kind, line), (HistoryErrorKind::BadInstant, Some(2)));
        let (kind, line, _) = csv_error(&format!("{head}t,run,inf,\n"));
        assert_eq!((kind, line), (HistoryErrorKind::BadInstant, Some(2)));
        let (kind, line, _) = csv_error(&format!("{head}t,run,,\n"));
        assert_eq!((kind, line), (HistoryErrorKind::MissingField, Some(2)));
        let (kind, line, _) = csv_error(&format!("{head}t,run\n"));
        assert_eq!((kind, line), (HistoryErrorKind::MissingField, Some(2)));
        let (kind, line, _) = csv_error(&format!("{head},run,1,\n"));
        assert_eq!((kind, line), (HistoryErrorKind::MissingField, Some(2)));
        let (kind, line, text) = csv_error("task,action,created\nt,run,1\n");
        assert_eq!((kind, line), (HistoryErrorKind::MissingField, Some(1)));
        assert!(text.contains("no column `task_name`"), "{text}");
        let bad_utf8: &[u8] = b"task_name,action,created\r\n\r\nt\xff,run,1\r\n";
        let error = MemoryHistory::from_rocketry_csv(bad_utf8).err();
        assert_eq!(
            error.map(|e| (e.kind(), e.line())),
            Some((HistoryErrorKind::Csv, Some(3)))
        );
    }

    #[test]
    fn csv_line_numbers_survive_crlf_blank_lines_and_multiline_fields() {
        let bad = "t,sucess,2";
        for (text, line) in [
            (
                format!("task_name,action,created\r\nt,run,1\r\n{bad}\r\n"),
                3,
            ),
            (
                format!("task_name,action,created\r\nt,fail,1,\"a\r\nb\"\r\n\r\n\r\n{bad}\r\n"),
                6,
            ),
            (
                format!("task_name,action,created\nt,fail,1,\"a\nb\"\n\n\n{bad}\n"),
                6,
            ),
            (format!("task_name,action,created\n\n\n{bad}"), 4),
            (format!("task_name,action,created\rt,run,1\r{bad}\r"), 3),
            (format!("\n\ntask_name,action,created\nt,run,1\n{bad}\n"), 5),
        ] {
            let (kind, found, _) = csv_error(&text);
            assert_eq!(
                (kind, found),
                (HistoryErrorKind::UnknownAction, Some(line)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn load_picks_the_reader_by_extension() {
        let error = MemoryHistory::load(Path::new("history.txt"), None, Helsinki).err();
        assert_eq!(
            error.as_ref().map(|e| e.kind()),
            Some(HistoryErrorKind::UnknownFormat)
        );
        let shown = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            shown.starts_with("history.txt: cannot tell the history format"),
            "{shown}"
        );
        let missing = MemoryHistory::load(Path::new("/nonexistent/h.JSONL"), None, Helsinki).err();
        assert_eq!(missing.map(|e| e.kind()), Some(HistoryErrorKind::Io));
        assert_eq!(
            Format::of(Path::new("a.Sqlite3")).ok(),
            Some(Format::Sqlite)
        );
        assert_eq!(Format::of(Path::new("a.ndjson")).ok(), Some(Format::Jsonl));
        assert!(Format::of(Path::new("csv")).is_err());
    }

    #[test]
    fn error_display_and_source() {
        let error = HistoryError::new(HistoryErrorKind::Sqlite, "boom")
            .with_path(Path::new("a.db"))
            .at_row(4)
            .with_source(std::fmt::Error);
        assert_eq!(error.to_string(), "a.db: row 4: boom");
        assert_eq!(error.row(), Some(4));
        assert_eq!(error.message(), "boom");
        assert!(std::error::Error::source(&error).is_some());
    }

    #[cfg(feature = "sqlite")]
    mod sqlite {
        use super::*;
        use std::sync::atomic::{AtomicUsize, Ordering};

        /// A SQLite file built from `sql`, removed on drop.
        struct TempDb(PathBuf);

        impl TempDb {
            fn new(sql: &str) -> TempDb {
                static COUNTER: AtomicUsize = AtomicUsize::new(0);
                let n = COUNTER.fetch_add(1, Ordering::SeqCst);
                let name = format!("tminus-history-{}-{n}.db", std::process::id());
                let path = std::env::temp_dir().join(name);
                let _ = std::fs::remove_file(&path);
                if let Ok(conn) = rusqlite::Connection::open(&path) {
                    let _ = conn.execute_batch(sql);
                }
                TempDb(path)
            }
        }

        impl Drop for TempDb {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.0);
            }
        }

        const SCHEMA: &str = "CREATE TABLE tasks (id INTEGER PRIMARY KEY, task_name TEXT, \
                              action TEXT, created FLOAT, run_id TEXT);";

        fn read(db: &TempDb, table: &str) -> Result<MemoryHistory, HistoryError> {
            MemoryHistory::from_rocketry_sqlite(&db.0, table)
        }

        #[test]
        fn reads_rows_and_ignores_extra_columns() -> Result<(), HistoryError> {
            let db = TempDb::new(&format!(
                "{SCHEMA} INSERT INTO tasks (task_name, action, created, run_id) VALUES \
                 ('t', 'success', 1710151500.5, 'x'), ('t', 'run', 1710151500, NULL), \
                 ('u', 'run', '1710151502.25', NULL);"
            ));
            let history = read(&db, "tasks")?;
            assert_eq!(actions(&history, "t"), [Action::Run, Action::Success]);
            assert_eq!(history.tasks(), ["t", "u"]);
            let loaded = MemoryHistory::load(&db.0, None, Helsinki)?;
            assert_eq!(loaded, history);
            Ok(())
        }

        fn failure(db: &TempDb, table: &str) -> (HistoryErrorKind, Option<usize>, String) {
            match read(db, table) {
                Ok(_) => (HistoryErrorKind::Io, None, "no error".to_owned()),
                Err(e) => (e.kind(), e.row(), e.to_string()),
            }
        }

        #[test]
        fn nulls_and_wrong_types_name_the_row() {
            let insert = |values: &str| {
                TempDb::new(&format!(
                    "{SCHEMA} INSERT INTO tasks (task_name, action, created) VALUES \
                     ('t', 'run', 1), {values};"
                ))
            };
            let cases = [
                ("(NULL, 'run', 2)", HistoryErrorKind::MissingField),
                ("('t', NULL, 2)", HistoryErrorKind::MissingField),
                ("('t', 'run', NULL)", HistoryErrorKind::MissingField),
                ("(X'74', 'run', 2)", HistoryErrorKind::BadValue),
                ("('t', 'run', X'00')", HistoryErrorKind::BadValue),
                ("('t', X'00', 2)", HistoryErrorKind::BadValue),
                ("('t', 'run', X'00')", HistoryErrorKind::BadValue),
                ("('t', 'run', 'soon')", HistoryErrorKind::BadInstant),
                ("('t', 'run', 1e300)", HistoryErrorKind::BadInstant),
                ("('t', 'sucess', 2)", HistoryErrorKind::UnknownAction),
            ];
            for (values, kind) in cases {
                let db = insert(values);
                let (found, row, text) = failure(&db, "tasks");
                assert_eq!((found, row), (kind, Some(2)), "{values}: {text}");
                assert!(text.contains("row 2: "), "{text}");
            }
        }

        #[test]
        fn missing_tables_and_columns_are_errors() {
            let db = TempDb::new(SCHEMA);
            let (kind, _, text) = failure(&db, "log");
            assert_eq!(kind, HistoryErrorKind::Sqlite);
            assert!(text.contains("no table `log` (tables: tasks)"), "{text}");
            let partial = TempDb::new("CREATE TABLE log (task_name TEXT, created REAL);");
            let (kind, _, text) = failure(&partial, "log");
            assert_eq!(kind, HistoryErrorKind::MissingField);
            assert!(text.contains("no column `action`"), "{text}");
            let none = MemoryHistory::load(&partial.0, None, Helsinki).err();
            assert_eq!(none.map(|e| e.kind()), Some(HistoryErrorKind::MissingField));
            let two = TempDb::new(&format!(
                "{SCHEMA} CREATE TABLE log AS SELECT * FROM tasks;"
            ));
            let ambiguous = MemoryHistory::load(&two.0, None, Helsinki).err();
            let text = ambiguous.map(|e| e.to_string()).unwrap_or_default();
            assert!(text.contains("several log tables (log, tasks)"), "{text}");
            let quoted = TempDb::new("CREATE TABLE \"we\"\"ird\" (task_name, action, created);");
            assert!(read(&quoted, "we\"ird").is_ok_and(|h| h.is_empty()));
        }

        #[test]
        fn non_databases_are_errors() {
            let path = std::env::temp_dir().join(format!("tminus-notdb-{}.db", std::process::id()));
            let _ = std::fs::write(&path, "task_name,action,created\n");
            let error = MemoryHistory::from_rocketry_sqlite(&path, "tasks").err();
            let _ = std::fs::remove_file(&path);
            assert_eq!(error.map(|e| e.kind()), Some(HistoryErrorKind::Sqlite));
            let absent =
                MemoryHistory::from_rocketry_sqlite(Path::new("/nonexistent.db"), "t").err();
            assert_eq!(absent.map(|e| e.kind()), Some(HistoryErrorKind::Io));
        }
    }
}
