//! The scheduler and its builder.

use super::handle::{Handle, Message};
use super::task::{Execution, Job, Task};
use crate::history::{LogError, LogRecord, LogUrl, MemoryLog, TaskLog};
use crate::{Errors, PredicateCall, Statement};
use chrono::TimeDelta;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{mpsc, Arc};

/// A callback that sees every record as it is written.
pub(crate) type OnRecord = Box<dyn FnMut(&LogRecord) + Send>;
/// A setup hook: runs once before the first cycle; an `Err` stops the start.
pub(crate) type Setup = Box<dyn FnOnce() -> Result<(), String> + Send>;
/// A registered custom predicate.
pub(crate) type Predicate = Arc<dyn Fn(&PredicateCall<'_>) -> bool + Send + Sync>;

/// A scheduler: tasks, a task log, a zone; [`Scheduler::run`] runs it until it is shut.
///
/// ```
/// use tminus::run::{Scheduler, Task};
///
/// let mut scheduler = Scheduler::new(chrono_tz::UTC)
///     .shut_cond("task 'hello' has succeeded")?;
/// scheduler.add(Task::function("hello", "true", |_| Ok(Some("hi".into())))?)?;
/// scheduler.run()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Scheduler {
    pub(crate) zone: Tz,
    pub(crate) log: Box<dyn TaskLog>,
    pub(crate) execution: Execution,
    pub(crate) params: BTreeMap<String, String>,
    pub(crate) shut: Option<Statement>,
    pub(crate) setup: Vec<Setup>,
    pub(crate) tasks: Vec<Task>,
    pub(crate) grace: TimeDelta,
    pub(crate) runtime: Option<tokio::runtime::Handle>,
    pub(crate) on_record: Vec<OnRecord>,
    pub(crate) predicates: Vec<(String, Option<TimeDelta>, Predicate)>,
    pub(crate) tx: mpsc::Sender<Message>,
    pub(crate) rx: mpsc::Receiver<Message>,
    pub(crate) records: tokio::sync::broadcast::Sender<LogRecord>,
}

impl fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scheduler")
            .field("zone", &self.zone)
            .field("execution", &self.execution)
            .field("tasks", &self.tasks.len())
            .finish_non_exhaustive()
    }
}

/// Why a scheduler could not start or had to stop.
#[derive(Debug)]
pub enum RunError {
    /// The task log could not be opened, read or written.
    Log(LogError),
    /// A setup hook failed.
    Setup(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Log(e) => write!(f, "task log: {e}"),
            RunError::Setup(e) => write!(f, "setup: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

impl From<LogError> for RunError {
    fn from(e: LogError) -> RunError {
        RunError::Log(e)
    }
}

/// A task that cannot be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskError(pub String);

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TaskError {}

impl Scheduler {
    /// A scheduler on the wall clock of `zone`, with a memory log, `thread` as the default
    /// execution of functions (`process` of commands), and a grace period of 5 seconds.
    pub fn new(zone: Tz) -> Scheduler {
        let (tx, rx) = mpsc::channel();
        Scheduler {
            zone,
            log: Box::new(MemoryLog::new()),
            execution: Execution::Process,
            params: BTreeMap::new(),
            shut: None,
            setup: Vec::new(),
            tasks: Vec::new(),
            grace: TimeDelta::seconds(5),
            runtime: None,
            on_record: Vec::new(),
            predicates: Vec::new(),
            tx,
            rx,
            records: tokio::sync::broadcast::channel(4096).0,
        }
    }

    /// The task log (default: in memory).
    pub fn log(mut self, log: Box<dyn TaskLog>) -> Scheduler {
        self.log = log;
        self
    }

    /// The task log `url` names, opened now.
    pub fn log_url(self, url: &LogUrl) -> Result<Scheduler, LogError> {
        Ok(self.log(crate::history::open_log(url)?))
    }

    /// The execution of tasks that name none: `main` runs everything in the loop;
    /// `process` (the default) runs commands in child processes, functions on threads
    /// and futures on the runtime.
    pub fn execution(mut self, execution: Execution) -> Scheduler {
        self.execution = execution;
        self
    }

    /// A session parameter (`env 'prod'` reads `env`; runs see them in their context).
    pub fn param(mut self, name: &str, value: &str) -> Scheduler {
        self.params.insert(name.to_owned(), value.to_owned());
        self
    }

    /// Stops the scheduler when `statement` becomes true (Rocketry's `shut_cond`).
    pub fn shut_cond(mut self, statement: &str) -> Result<Scheduler, Errors> {
        self.shut = Some(Statement::parse_with(statement, &self.parse_options())?);
        Ok(self)
    }

    /// [`Scheduler::shut_cond`] with a parsed statement.
    pub fn shut_statement(mut self, statement: Statement) -> Scheduler {
        self.shut = Some(statement);
        self
    }

    /// A hook that runs once, before the first cycle.
    pub fn setup(mut self, hook: impl FnOnce() -> Result<(), String> + Send + 'static) -> Self {
        self.setup.push(Box::new(hook));
        self
    }

    /// How long a terminated run has to stop before it is killed (commands) or abandoned
    /// (functions); default 5 seconds.
    pub fn grace(mut self, grace: TimeDelta) -> Scheduler {
        self.grace = grace;
        self
    }

    /// The tokio runtime for `async` tasks (default: one the scheduler starts when it
    /// first needs it).
    pub fn runtime(mut self, runtime: tokio::runtime::Handle) -> Scheduler {
        self.runtime = Some(runtime);
        self
    }

    /// Calls `f` with every record, in the loop, as it is written.
    pub fn on_record(mut self, f: impl FnMut(&LogRecord) + Send + 'static) -> Scheduler {
        self.on_record.push(Box::new(f));
        self
    }

    /// Registers custom predicate `name`, asked again every `recheck` while it keeps a
    /// statement false (or, without `recheck`, only when the statement is planned for
    /// another reason). Register predicates before adding the tasks that call them.
    pub fn predicate(
        mut self,
        name: &str,
        recheck: Option<TimeDelta>,
        f: impl Fn(&PredicateCall<'_>) -> bool + Send + Sync + 'static,
    ) -> Scheduler {
        self.predicates
            .push((name.trim().to_owned(), recheck, Arc::new(f)));
        self
    }

    /// The options to parse statements with: the registered predicates.
    pub fn parse_options(&self) -> crate::ParseOptions {
        self.predicates
            .iter()
            .fold(crate::ParseOptions::new(), |o, (name, _, _)| {
                o.register(name.as_str())
            })
    }

    /// Adds a task. Names are unique; a command cannot run on a thread or as a future,
    /// nor a function in a process.
    pub fn add(&mut self, task: Task) -> Result<&mut Scheduler, TaskError> {
        check(&task, self.execution)?;
        if self.tasks.iter().any(|t| t.name == task.name) {
            return Err(TaskError(format!("task `{}` is added twice", task.name)));
        }
        self.tasks.push(task);
        Ok(self)
    }

    /// A handle for controlling the scheduler once it runs.
    pub fn handle(&self) -> Handle {
        Handle {
            tx: self.tx.clone(),
            records: self.records.clone(),
        }
    }

    /// Runs until the shut condition holds or [`Handle::shutdown`] is called, on this
    /// thread. Returns an error when the log cannot be read or written.
    pub fn run(self) -> Result<(), RunError> {
        super::session::Session::start(self)?.serve()
    }

    /// Runs on a thread of its own; the handle controls it, the join handle gives its end.
    pub fn spawn(self) -> (Handle, std::thread::JoinHandle<Result<(), RunError>>) {
        let handle = self.handle();
        let thread = std::thread::Builder::new()
            .name("tminus-scheduler".into())
            .spawn(move || self.run())
            .expect("spawning the scheduler thread");
        (handle, thread)
    }
}

/// Which execution `task` runs with under the default `default`.
pub(crate) fn execution_of(task: &Task, default: Execution) -> Execution {
    match (task.execution, &task.job, default) {
        (Some(e), _, _) => e,
        (None, _, Execution::Main) => Execution::Main,
        (None, Job::Command(_), _) => Execution::Process,
        (None, Job::Function(_), _) => Execution::Thread,
        (None, Job::Async(_), _) => Execution::Async,
    }
}

/// Whether `task`'s job can run with its execution.
pub(crate) fn check(task: &Task, default: Execution) -> Result<(), TaskError> {
    let execution = execution_of(task, default);
    let fits = match &task.job {
        Job::Command(_) => matches!(execution, Execution::Process | Execution::Main),
        Job::Function(_) => matches!(execution, Execution::Thread | Execution::Main),
        Job::Async(_) => matches!(execution, Execution::Async | Execution::Main),
    };
    match fits {
        true => Ok(()),
        false => Err(TaskError(format!(
            "task `{}`: execution `{}` does not fit its job (commands run as `process` or \
             `main`, functions as `thread` or `main`, futures as `async` or `main`)",
            task.name,
            execution.as_str()
        ))),
    }
}
