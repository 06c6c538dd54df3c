//! Running tasks: a scheduler that launches tasks when their statements become true,
//! records what they do in a task log, and resumes from that log after a restart
//! (the `run` feature).
//!
//! * [`Scheduler`]: built with a zone, a [`TaskLog`], session parameters, a shut
//!   condition and [`Task`]s; [`Scheduler::run`] runs it on the calling thread,
//!   [`Scheduler::spawn`] on a thread of its own.
//! * [`Task`]: a name, a start statement and a [`Job`] (a command, a function or a
//!   future), with Rocketry's options (`end_cond`, `timeout`, `priority`, `disabled`,
//!   `multilaunch`) and a [`CatchUp`] policy. Runs see a [`Context`].
//! * [`Handle`]: status ([`TaskStatus`]), the log's records and new ones as they come,
//!   run now, disable, enable, reload, shut down.
//! * [`TaskLog`] backends named by a [`LogUrl`]: memory, CSV, SQLite, PostgreSQL (they
//!   live in [`crate::history`], beside the readers, and are re-exported here).
//! * [`TasksFile`]: the TOML file `tminus run` reads.
//! * [`ClusterLog`] (feature `postgres`): several schedulers on one PostgreSQL log, each
//!   launch exactly once, a dead instance's runs taken over ([`ClusterOptions`],
//!   [`ClusterView`] for status).
//!
//! The loop sleeps until the planner's next wake, a running task's deadline, or a
//! message (a run that ended, a request from a handle), whichever comes first: it never
//! polls. It records Rocketry's actions: `run` at launch, then `success`, `fail`,
//! `terminate` (timeout, end condition, shutdown), and `crash` at start for runs a
//! previous process left open.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use tminus::run::{Scheduler, Task};
//!
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let out = seen.clone();
//! let mut scheduler = Scheduler::new(chrono_tz::UTC)
//!     .param("env", "test")
//!     .shut_cond("task 'transform' has succeeded")?;
//! scheduler.add(Task::function("extract", "true", |_| Ok(Some("42 rows".into())))?)?;
//! scheduler.add(Task::function("transform", "after task 'extract' succeeded", move |cx| {
//!     out.lock().unwrap().push(format!("{} {:?}", cx.param("env").unwrap(), cx.returned("extract")));
//!     Ok(None)
//! })?)?;
//! scheduler.run()?;
//! assert_eq!(*seen.lock().unwrap(), ["test Some(\"42 rows\")"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod catch_up;
mod cluster;
mod command;
mod file;
mod handle;
mod scheduler;
mod session;
mod status;
mod task;

#[cfg(feature = "postgres")]
pub use crate::history::PostgresLog;
#[cfg(feature = "sqlite")]
pub use crate::history::SqliteLog;
pub use crate::history::{open_log, CsvLog, LogError, LogRecord, LogUrl, MemoryLog, TaskLog, Wake};
#[cfg(feature = "postgres")]
pub use cluster::ClusterLog;
pub use cluster::{ClusterOptions, ClusterRun, ClusterView, Instance};

#[doc = include_str!("../../docs/running.md")]
pub mod guide {}

pub use command::RETURN_CAP;
pub use file::{FileError, TasksFile};
pub use handle::{Handle, Reload, Stopped};
pub use scheduler::{RunError, Scheduler, TaskError};
pub use status::{status_from_log, NextRun, Outcome, TaskState, TaskStatus};
pub use task::{
    parse_duration, AsyncFunction, Cancel, CatchUp, CommandSpec, Context, Execution, Function, Job,
    RunResult, Task, CATCH_UP_CAP,
};
