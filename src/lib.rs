//! tminus compiles Rocketry-style scheduling statements (`daily between 10:00 and 12:00 &
//! after task 'extract' succeeded`, `every 10 minutes`, `cron 0 */2 * * *`) and tells a
//! scheduler exactly when each one next becomes true.
//!
//! The pipeline, one module per representation:
//!
//! - [`syntax`]: text to AST (pest grammar in `grammar/tminus.pest`), with byte [`Span`]s.
//! - [`ir`]: AST to IR ([`Cond`]): literals read and checked, built through smart
//!   constructors that keep the tree canonical; [`ir::print`] writes it back as text.
//! - [`diag`]: errors and warnings as [`Diagnostic`] values, rendered with ariadne.
//!
//! ```
//! let statement = tminus::Statement::parse("time of week between Mon and Fri & ~task 'report' is running")?;
//! assert_eq!(statement.cond().task_names(), ["report"]);
//!
//! let errors = tminus::Statement::parse("dialy between 10:00 and 12:00").unwrap_err();
//! assert_eq!(errors.errors()[0].help(), Some("did you mean `daily`?"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]
#![warn(missing_debug_implementations)]

mod check;
mod civil;
pub mod cron;
pub mod diag;
mod duration;
mod error;
pub mod eval;
pub mod explain;
pub mod history;
pub mod ir;
pub mod opt;
pub mod plan;
#[cfg(feature = "run")]
pub mod run;
#[cfg(feature = "serve")]
pub mod serve;
mod span;
mod statement;
pub mod syntax;
pub mod zone;

pub use check::{check, diagnostics};
pub use diag::render::{render, RenderOptions};
pub use diag::{Diagnostic, Label, Severity};
pub use duration::parse_duration;
pub use error::{Error, ErrorKind, Errors};
pub use eval::{Next, PredicateCall, Schedule, Trigger, Window, Windows};
pub use history::{
    Action, Event, History, HistoryError, HistoryErrorKind, MemoryHistory, SchedulerState,
};
pub use ir::{Cond, CondKind};
pub use plan::{Plan, Planner, PlannerStats};
pub use statement::{ParseOptions, Statement};
pub use syntax::Span;
pub use zone::{CivilPolicy, DstPolicy};
