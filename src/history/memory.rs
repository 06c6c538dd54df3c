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
#[derive(Clone, Default)]
pub struct MemoryHistory {
    /// Each task's id, given on first sight of its name.
    ids: HashMap<Box<str>, TaskId>,
    /// Each task's log, by id.
    tasks: Vec<TaskEntry>,
    scheduler: Option<SchedulerState>,
    params: BTreeMap<String, String>,
}

/// A task's index in a [`MemoryHistory`], given on first sight of its name (a record, a
/// running flag, or [`MemoryHistory::intern`]) and kept while the history lives: removing
/// a task empties its entry, the id stays. The planner indexes its own tables by it and so
/// reads a task's log without looking its name up. Ids are `u32`: no memory this runs in
/// holds 2³² task names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct TaskId(u32);

impl TaskId {
    /// The id at position `index` of tables indexed by id (`index` below 2³²).
    pub(crate) fn from_index(index: usize) -> TaskId {
        TaskId(index as u32)
    }

    /// The position of the task in tables indexed by id.
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// One task's log and running flag.
#[derive(Clone, Debug, Default)]
struct TaskEntry {
    name: Box<str>,
    /// Sorted by instant; equal instants in log order.
    events: Vec<Event>,
    /// The instants of `events` in microseconds, in step with it (the evaluator reads
    /// these rather than converting `Event::at`).
    micros: Vec<i64>,
    running: bool,
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
        let id = self.intern(task);
        self.record_of(id, action, at);
        self
    }

    /// [`MemoryHistory::record`] for the task with id `id`.
    pub(crate) fn record_of(&mut self, id: TaskId, action: Action, at: DateTime<Utc>) {
        let event = Event::new(action, at);
        let micros = event.at.timestamp_micros();
        let entry = &mut self.tasks[id.index()];
        // Records mostly come in order: the common case is a push.
        let index = entry.micros.partition_point(|&m| m <= micros);
        entry.events.insert(index, event);
        entry.micros.insert(index, micros);
    }

    /// The id of `task`, given now if the history has not seen the name yet.
    pub(crate) fn intern(&mut self, task: &str) -> TaskId {
        if let Some(&id) = self.ids.get(task) {
            return id;
        }
        let id = TaskId::from_index(self.tasks.len());
        let name: Box<str> = task.into();
        self.tasks.push(TaskEntry {
            name: name.clone(),
            ..TaskEntry::default()
        });
        self.ids.insert(name, id);
        id
    }

    /// The id of `task`, if the history has seen the name.
    pub(crate) fn id(&self, task: &str) -> Option<TaskId> {
        self.ids.get(task).copied()
    }

    /// The number of ids given so far (ids are `0..task_count()`).
    pub(crate) fn task_count(&self) -> usize {
        self.tasks.len()
    }

    /// The name of the task with id `id`.
    pub(crate) fn name(&self, id: TaskId) -> &str {
        &self.tasks[id.index()].name
    }

    /// [`History::events`] of the task with id `id`.
    pub(crate) fn events_of(&self, id: TaskId) -> &[Event] {
        &self.tasks[id.index()].events
    }

    /// [`History::event_micros`] of the task with id `id`.
    pub(crate) fn micros_of(&self, id: TaskId) -> &[i64] {
        &self.tasks[id.index()].micros
    }

    /// [`History::is_running`] of the task with id `id`.
    pub(crate) fn is_running_of(&self, id: TaskId) -> bool {
        self.tasks[id.index()].running
    }

    /// [`MemoryHistory::set_running`] for the task with id `id`.
    pub(crate) fn set_running_of(&mut self, id: TaskId, running: bool) {
        self.tasks[id.index()].running = running;
    }

    /// The tasks with at least one event, sorted by name.
    fn logged(&self) -> Vec<&TaskEntry> {
        let mut logged: Vec<&TaskEntry> =
            self.tasks.iter().filter(|t| !t.events.is_empty()).collect();
        logged.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        logged
    }

    /// The logs that hold events, with their tasks' names, sorted by name.
    fn named_logs(&self) -> Vec<(&str, &[Event])> {
        self.logged()
            .into_iter()
            .map(|t| (&*t.name, t.events.as_slice()))
            .collect()
    }

    /// The names of the tasks flagged running, sorted.
    fn running_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .tasks
            .iter()
            .filter(|t| t.running)
            .map(|t| &*t.name)
            .collect();
        names.sort_unstable();
        names
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
            let id = self.intern(task);
            self.set_running_of(id, true);
        } else if let Some(id) = self.id(task) {
            self.set_running_of(id, false);
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
        if let Some(id) = self.id(task) {
            let entry = &mut self.tasks[id.index()];
            entry.events = Vec::new();
            entry.micros = Vec::new();
            entry.running = false;
        }
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
        self.tasks.iter().map(|t| t.events.len()).sum()
    }

    /// Whether no task has any event.
    ///
    /// ```
    /// assert!(tminus::MemoryHistory::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.tasks.iter().all(|t| t.events.is_empty())
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
        self.logged()
            .into_iter()
            .filter(|t| !Event::open_runs(&t.events).is_empty())
            .map(|t| t.name.to_string())
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
        for entry in &mut self.tasks {
            entry.running = !Event::open_runs(&entry.events).is_empty();
        }
        self
    }

    /// Builds a history from records in log order (sorted per task, stably, at the end).
    pub(super) fn from_log(records: Vec<(String, Event)>) -> MemoryHistory {
        let mut history = MemoryHistory::new();
        for (task, event) in records {
            let id = history.intern(&task);
            history.tasks[id.index()].events.push(event);
        }
        for entry in &mut history.tasks {
            entry.events.sort_by_key(|e| e.at);
            entry.micros = entry
                .events
                .iter()
                .map(|e| e.at.timestamp_micros())
                .collect();
        }
        history
    }
}

/// Equal when the same tasks have the same events and running flags, whatever the order
/// in which the two histories first saw the names.
impl PartialEq for MemoryHistory {
    fn eq(&self, other: &Self) -> bool {
        self.scheduler == other.scheduler
            && self.params == other.params
            && self.running_names() == other.running_names()
            && self.named_logs() == other.named_logs()
    }
}

impl Eq for MemoryHistory {}

/// Tasks sorted by name, as the history compares.
impl fmt::Debug for MemoryHistory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let logs: BTreeMap<&str, &[Event]> = self.named_logs().into_iter().collect();
        f.debug_struct("MemoryHistory")
            .field("logs", &logs)
            .field("running", &self.running_names())
            .field("scheduler", &self.scheduler)
            .field("params", &self.params)
            .finish()
    }
}

impl History for MemoryHistory {
    fn events(&self, task: &str) -> &[Event] {
        self.id(task).map_or(&[], |id| self.events_of(id))
    }

    fn is_running(&self, task: &str) -> bool {
        self.id(task).is_some_and(|id| self.is_running_of(id))
    }

    fn scheduler(&self) -> Option<SchedulerState> {
        self.scheduler
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }

    fn tasks(&self) -> Vec<&str> {
        self.logged().into_iter().map(|t| &*t.name).collect()
    }

    fn event_micros(&self, task: &str) -> Option<&[i64]> {
        Some(self.id(task).map_or(&[], |id| self.micros_of(id)))
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
