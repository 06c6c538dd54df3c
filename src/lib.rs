//! tminus compiles Rocketry-style scheduling statements (`daily between 10:00 and 12:00 &
//! after task 'extract' succeeded`, `every 10 minutes`, `cron 0 */2 * * *`) and tells a
//! scheduler exactly when each one next becomes true.
//!
//! # Crate map
//!
//! Modules in pipeline order; each uses only modules listed before it.
//!
//! Foundations:
//!
//! - `span`: [`Span`], the byte range every stage and diagnostic points with.
//! - `civil`: calendar arithmetic on the civil time line (leap years, month lengths, days
//!   ↔ dates, weekdays), once for the whole crate.
//! - [`diag`]: [`Diagnostic`] values, the table of codes ([`diag::codes`]), the vocabulary
//!   and did-you-mean ([`diag::suggest`]), rendering with ariadne.
//! - [`zone`]: civil time in a zone → instant, the one conversion, under a named
//!   [`CivilPolicy`]; [`DstPolicy`]; IANA zone names with a did-you-mean.
//! - [`cron`]: cron expressions: parsing with messages, fields, the compiled slot search.
//! - `error`: [`Error`] and [`ErrorKind`] (cron errors nested under [`ErrorKind::Cron`]).
//! - `options`: [`ParseOptions`], the custom predicates a program registered.
//!
//! The pipeline:
//!
//! - [`syntax`]: text to AST (pest grammar in `grammar/tminus.pest`).
//! - [`ir`]: AST to IR ([`Cond`]): literals read and checked, built through smart
//!   constructors that keep the tree canonical; interval sets; [`ir::print`] writes it back.
//! - [`history`]: task logs, what happened and when ([`History`], [`MemoryHistory`], the
//!   JSON Lines and Rocketry CSV/SQLite readers, and the log writers).
//! - [`eval`]: IR + instant + history to answers: truth, next windows ([`Schedule`]).
//! - `statement`: [`Statement`], parse once (syntax → IR), then [`Statement::schedule`].
//! - [`opt`]: the optimizer's passes and the warnings they prove ([`opt::lint`]).
//! - `check`: [`diagnostics`] and [`check`], everything to say about one statement's text.
//! - `duration`: [`parse_duration`], a duration alone as `every` reads it.
//! - [`explain`]: a statement as a tree of readings, values and reasons.
//! - [`plan`]: the incremental [`Planner`] for many statements.
//! - `lint` (feature `lint`): the linter behind `tminus lint` and the Python package's
//!   `lint_file`: text files, Python sources of Rocketry apps, output formats.
//! - `run` (feature `run`): the scheduler runtime behind `tminus run`.
//! - `serve` (feature `serve`): `tminus serve`, the web playground, its JSON API and the
//!   scheduler dashboard.
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
#[cfg(feature = "lint")]
pub mod lint;
pub mod opt;
mod options;
pub mod plan;
#[cfg(feature = "run")]
pub mod run;
#[cfg(feature = "serve")]
pub mod serve;
mod span;
mod statement;
pub mod syntax;
#[cfg(test)]
mod test_rng;
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
pub use options::ParseOptions;
pub use plan::{Plan, Planner, PlannerStats};
pub use statement::Statement;
pub use syntax::Span;
pub use zone::{CivilPolicy, DstPolicy};
