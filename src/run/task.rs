//! What a scheduler runs: tasks, their options, and what a run sees.

use crate::{Errors, ParseOptions, Statement};
use chrono::TimeDelta;
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What a run returns: its return value (which other tasks can read), or why it failed.
pub type RunResult = Result<Option<String>, String>;

/// A blocking function run on a thread or in the scheduler's loop.
pub type Function = Arc<dyn Fn(Context) -> RunResult + Send + Sync>;

/// A function that makes the future an `async` task runs.
pub type AsyncFunction =
    Arc<dyn Fn(Context) -> Pin<Box<dyn Future<Output = RunResult> + Send>> + Send + Sync>;

/// Where a task runs, named as in Rocketry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Execution {
    /// In the scheduler's loop: nothing else is launched until it finishes.
    Main,
    /// A function on a thread of its own.
    Thread,
    /// A future on the scheduler's tokio runtime.
    Async,
    /// A command in a child process.
    Process,
}

impl Execution {
    /// `main`, `thread`, `async` or `process`.
    pub fn as_str(self) -> &'static str {
        match self {
            Execution::Main => "main",
            Execution::Thread => "thread",
            Execution::Async => "async",
            Execution::Process => "process",
        }
    }
}

/// What a restart does about windows missed while no scheduler ran.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CatchUp {
    /// Nothing special: the statement alone decides, now (Rocketry's behaviour; a `daily`
    /// task that did not run yesterday runs today, once, because `daily` is still true).
    #[default]
    None,
    /// One run now if any window was missed (systemd's `Persistent=`).
    Once,
    /// One run per missed window, up to [`CATCH_UP_CAP`] runs.
    All,
}

/// The most runs [`CatchUp::All`] makes up for.
pub const CATCH_UP_CAP: usize = 100;

/// A command to run in a child process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandSpec {
    /// The program and its arguments; a single string given to [`CommandSpec::shell`] runs
    /// through `sh -c`.
    pub argv: Vec<String>,
    /// The working directory (default: the scheduler's).
    pub cwd: Option<PathBuf>,
    /// Extra environment variables.
    pub env: BTreeMap<String, String>,
}

impl CommandSpec {
    /// A program run directly with its arguments.
    pub fn new(argv: impl IntoIterator<Item = impl Into<String>>) -> CommandSpec {
        CommandSpec {
            argv: argv.into_iter().map(Into::into).collect(),
            cwd: None,
            env: BTreeMap::new(),
        }
    }

    /// A command line run by `sh -c`.
    pub fn shell(line: &str) -> CommandSpec {
        CommandSpec::new(["sh", "-c", line])
    }
}

/// What a task does when it runs.
#[derive(Clone)]
pub enum Job {
    /// A command (execution `process` or `main`).
    Command(CommandSpec),
    /// A blocking function (execution `thread` or `main`).
    Function(Function),
    /// A future (execution `async`, or `main`, where the loop waits for it).
    Async(AsyncFunction),
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Job::Command(c) => f.debug_tuple("Command").field(c).finish(),
            Job::Function(_) => f.write_str("Function"),
            Job::Async(_) => f.write_str("Async"),
        }
    }
}

/// A task: a name, a start statement, what it runs, and Rocketry's options.
///
/// ```
/// use tminus::run::{Execution, Task};
///
/// let task = Task::command("backup", "daily after 02:00", ["tar", "czf", "b.tgz", "data"])?
///     .timeout("1 hour")?
///     .priority(3);
/// assert_eq!(task.name(), "backup");
/// assert_eq!(task.execution_mode(), None); // the scheduler's default
///
/// let error = Task::command("x", "dialy", ["true"]).unwrap_err();
/// assert_eq!(error.errors()[0].help(), Some("did you mean `daily`?"));
/// # Ok::<(), tminus::Errors>(())
/// ```
#[derive(Clone, Debug)]
pub struct Task {
    pub(crate) name: String,
    pub(crate) start: Statement,
    pub(crate) job: Job,
    pub(crate) execution: Option<Execution>,
    pub(crate) end: Option<Statement>,
    pub(crate) timeout: Option<TimeDelta>,
    pub(crate) priority: i64,
    pub(crate) disabled: bool,
    pub(crate) multilaunch: bool,
    pub(crate) catch_up: CatchUp,
}

impl Task {
    /// A task from an already parsed start statement.
    pub fn new(name: &str, start: Statement, job: Job) -> Task {
        Task {
            name: name.to_owned(),
            start,
            job,
            execution: None,
            end: None,
            timeout: None,
            priority: 0,
            disabled: false,
            multilaunch: false,
            catch_up: CatchUp::None,
        }
    }

    /// A command run directly (no shell), started when `start` is true.
    pub fn command(
        name: &str,
        start: &str,
        argv: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<Task, Errors> {
        let start = Statement::parse(start)?;
        Ok(Task::new(name, start, Job::Command(CommandSpec::new(argv))))
    }

    /// A blocking function, run on a thread unless the execution says otherwise.
    pub fn function<F>(name: &str, start: &str, f: F) -> Result<Task, Errors>
    where
        F: Fn(Context) -> RunResult + Send + Sync + 'static,
    {
        let start = Statement::parse(start)?;
        Ok(Task::new(name, start, Job::Function(Arc::new(f))).execution(Execution::Thread))
    }

    /// An async function, run on the scheduler's tokio runtime.
    pub fn future<F, Fut>(name: &str, start: &str, f: F) -> Result<Task, Errors>
    where
        F: Fn(Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = RunResult> + Send + 'static,
    {
        let start = Statement::parse(start)?;
        let f: AsyncFunction = Arc::new(move |cx| Box::pin(f(cx)));
        Ok(Task::new(name, start, Job::Async(f)).execution(Execution::Async))
    }

    /// Re-parses the start statement with `options` (custom predicates).
    pub fn reparse(mut self, options: &ParseOptions) -> Result<Task, Errors> {
        self.start = Statement::parse_with(self.start.source(), options)?;
        Ok(self)
    }

    /// Where it runs; without one, the scheduler's default.
    pub fn execution(mut self, execution: Execution) -> Task {
        self.execution = Some(execution);
        self
    }

    /// A running task is terminated when `end` becomes true.
    pub fn end_cond(mut self, end: &str) -> Result<Task, Errors> {
        self.end = Some(Statement::parse(end)?);
        Ok(self)
    }

    /// [`Task::end_cond`] with a parsed statement.
    pub fn end_statement(mut self, end: Statement) -> Task {
        self.end = Some(end);
        self
    }

    /// A run is terminated after `duration` (Rocketry's duration text: `30 minutes`,
    /// `1h 30min`, `90s`).
    pub fn timeout(mut self, duration: &str) -> Result<Task, Errors> {
        self.timeout = Some(parse_duration(duration)?);
        Ok(self)
    }

    /// [`Task::timeout`] with a duration.
    pub fn timeout_after(mut self, duration: TimeDelta) -> Task {
        self.timeout = Some(duration);
        self
    }

    /// Order among tasks due in the same cycle: higher first (ties by name).
    pub fn priority(mut self, priority: i64) -> Task {
        self.priority = priority;
        self
    }

    /// A disabled task is never launched (until enabled again).
    pub fn disabled(mut self, disabled: bool) -> Task {
        self.disabled = disabled;
        self
    }

    /// Whether a new run may start while one runs.
    pub fn multilaunch(mut self, multilaunch: bool) -> Task {
        self.multilaunch = multilaunch;
        self
    }

    /// What a restart does about missed windows.
    pub fn catch_up(mut self, catch_up: CatchUp) -> Task {
        self.catch_up = catch_up;
        self
    }

    /// The task's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its start statement.
    pub fn start(&self) -> &Statement {
        &self.start
    }

    /// Its end statement.
    pub fn end(&self) -> Option<&Statement> {
        self.end.as_ref()
    }

    /// Its execution, if it names one.
    pub fn execution_mode(&self) -> Option<Execution> {
        self.execution
    }

    /// What it runs.
    pub fn job(&self) -> &Job {
        &self.job
    }
}

/// A duration in Rocketry's text (`30 minutes`, `1h 30min`, `90s`, `2 days`), as `every`
/// reads it: [`crate::parse_duration`].
pub use crate::parse_duration;

/// What a run sees: its task, the session parameters, the return values of other tasks,
/// and whether the scheduler asks it to stop.
#[derive(Clone, Debug)]
pub struct Context {
    pub(crate) task: String,
    pub(crate) params: Arc<BTreeMap<String, String>>,
    pub(crate) returns: BTreeMap<String, String>,
    pub(crate) cancel: Cancel,
}

impl Context {
    /// The task this run belongs to.
    pub fn task(&self) -> &str {
        &self.task
    }

    /// Session parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// The return value of the last successful run of `task` (Rocketry's `Return('task')`).
    pub fn returned(&self, task: &str) -> Option<&str> {
        self.returns.get(task).map(String::as_str)
    }

    /// The cancellation token: set when the scheduler terminates this run.
    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }

    /// Whether the scheduler asked this run to stop (timeout, end condition, shutdown).
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }
}

/// A cancellation token a run can watch: checked with [`Cancel::is_cancelled`] or awaited
/// with [`Cancel::cancelled`].
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    inner: Arc<CancelInner>,
}

#[derive(Debug, Default)]
struct CancelInner {
    flag: AtomicBool,
    notify: tokio::sync::Notify,
}

impl Cancel {
    /// A token not yet cancelled.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks the run to stop.
    pub fn cancel(&self) {
        self.inner.flag.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.flag.load(Ordering::SeqCst)
    }

    /// Resolves once the run is asked to stop.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.inner.notify.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}
