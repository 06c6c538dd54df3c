//! [`MemoryHistory`]: the task log in memory, filled by the embedding program or a reader.

use super::*;

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
    pub(super) fn from_log(records: Vec<(String, Event)>) -> MemoryHistory {
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

// ------------------------------------------------------------------------------- the writer

use super::log::{LogError, TaskLog};
use super::record::LogRecord;

/// Records kept in memory.
///
/// ```
/// use tminus::history::{LogRecord, MemoryLog, TaskLog};
/// use tminus::Action;
///
/// let mut log = MemoryLog::new();
/// log.append(&LogRecord::new("fetch", Action::Run, chrono::Utc::now()))?;
/// assert_eq!(log.read()?.len(), 1);
/// # Ok::<(), tminus::history::LogError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemoryLog {
    records: Vec<LogRecord>,
}

impl MemoryLog {
    /// An empty log.
    pub fn new() -> MemoryLog {
        MemoryLog::default()
    }

    /// A log that already holds `records` (as if a previous run had written them).
    pub fn from_records(records: Vec<LogRecord>) -> MemoryLog {
        MemoryLog { records }
    }
}

impl TaskLog for MemoryLog {
    fn read(&mut self) -> Result<Vec<LogRecord>, LogError> {
        Ok(self.records.clone())
    }

    fn append(&mut self, record: &LogRecord) -> Result<(), LogError> {
        self.records.push(record.clone());
        Ok(())
    }
}
