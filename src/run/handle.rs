//! A handle on a running scheduler: status, records, control.

use super::status::TaskStatus;
use super::task::Task;
use crate::history::LogRecord;
use std::collections::BTreeMap;
use std::sync::mpsc;
use tokio::sync::{broadcast, oneshot};

/// What the loop is told.
pub(crate) enum Message {
    /// A run ended (`run` is the loop's number for it).
    Finished {
        run: u64,
        result: super::task::RunResult,
        detail: Option<String>,
        at: chrono::DateTime<chrono::Utc>,
    },
    Control(Control),
    /// Other schedulers sharing the log may have written records.
    LogChanged,
}

/// A request from a [`Handle`].
pub(crate) enum Control {
    RunNow(String, oneshot::Sender<Result<(), String>>),
    SetDisabled(String, bool, oneshot::Sender<Result<(), String>>),
    Status(oneshot::Sender<Vec<TaskStatus>>),
    Records(oneshot::Sender<Result<Vec<LogRecord>, String>>),
    Reload(Box<Reload>, oneshot::Sender<Result<(), String>>),
    Shutdown,
}

/// A new set of tasks and parameters (a reloaded tasks file).
#[derive(Debug)]
pub struct Reload {
    /// The tasks; tasks not in it are removed (their runs go on until they end).
    pub tasks: Vec<Task>,
    /// The session parameters.
    pub params: BTreeMap<String, String>,
}

/// The scheduler stopped, so it cannot answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the scheduler has stopped")
    }
}

impl std::error::Error for Stopped {}

/// A handle on a scheduler that runs (or will): ask where its tasks stand, read and
/// follow its log, run a task now, disable and enable tasks, stop it. Cheap to clone,
/// usable from any thread; each call has a blocking form and an `_async` form for async
/// code.
#[derive(Clone, Debug)]
pub struct Handle {
    pub(crate) tx: mpsc::Sender<Message>,
    pub(crate) records: broadcast::Sender<LogRecord>,
}

impl Handle {
    fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> Control,
    ) -> Result<oneshot::Receiver<T>, Stopped> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Message::Control(make(reply)))
            .map_err(|_| Stopped)?;
        Ok(answer)
    }

    /// Every task's status, sorted by name.
    pub fn status(&self) -> Result<Vec<TaskStatus>, Stopped> {
        self.ask(Control::Status)?
            .blocking_recv()
            .map_err(|_| Stopped)
    }

    /// [`Handle::status`] for async code.
    pub async fn status_async(&self) -> Result<Vec<TaskStatus>, Stopped> {
        self.ask(Control::Status)?.await.map_err(|_| Stopped)
    }

    /// Every record of the log, oldest first (read from the log).
    pub fn records(&self) -> Result<Result<Vec<LogRecord>, String>, Stopped> {
        self.ask(Control::Records)?
            .blocking_recv()
            .map_err(|_| Stopped)
    }

    /// [`Handle::records`] for async code.
    pub async fn records_async(&self) -> Result<Result<Vec<LogRecord>, String>, Stopped> {
        self.ask(Control::Records)?.await.map_err(|_| Stopped)
    }

    /// New records as they are written. A receiver that falls more than 4096 records
    /// behind loses the oldest ones (it is told how many).
    pub fn subscribe(&self) -> broadcast::Receiver<LogRecord> {
        self.records.subscribe()
    }

    /// Launches `task` now, whatever its statement says (not while it runs, unless it is
    /// multilaunch). `Err` names an unknown task.
    pub fn run_now(&self, task: &str) -> Result<Result<(), String>, Stopped> {
        self.ask(|r| Control::RunNow(task.to_owned(), r))?
            .blocking_recv()
            .map_err(|_| Stopped)
    }

    /// [`Handle::run_now`] for async code.
    pub async fn run_now_async(&self, task: &str) -> Result<Result<(), String>, Stopped> {
        self.ask(|r| Control::RunNow(task.to_owned(), r))?
            .await
            .map_err(|_| Stopped)
    }

    /// Disables (`true`) or enables (`false`) `task`; a run under way goes on.
    pub fn set_disabled(&self, task: &str, disabled: bool) -> Result<Result<(), String>, Stopped> {
        self.ask(|r| Control::SetDisabled(task.to_owned(), disabled, r))?
            .blocking_recv()
            .map_err(|_| Stopped)
    }

    /// [`Handle::set_disabled`] for async code.
    pub async fn set_disabled_async(
        &self,
        task: &str,
        disabled: bool,
    ) -> Result<Result<(), String>, Stopped> {
        self.ask(|r| Control::SetDisabled(task.to_owned(), disabled, r))?
            .await
            .map_err(|_| Stopped)
    }

    /// Replaces the tasks and parameters; `Err` says why the new set was refused.
    pub fn reload(&self, reload: Reload) -> Result<Result<(), String>, Stopped> {
        self.ask(|r| Control::Reload(Box::new(reload), r))?
            .blocking_recv()
            .map_err(|_| Stopped)
    }

    /// Asks the scheduler to stop: it launches nothing more, terminates what runs, and
    /// returns from [`Scheduler::run`](super::Scheduler::run) once all is recorded.
    pub fn shutdown(&self) {
        let _ = self.tx.send(Message::Control(Control::Shutdown));
    }
}
