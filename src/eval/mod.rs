//! Evaluation: when is a statement true?
//!
//! The last stage of the pipeline takes a compiled statement ([`Schedule`]), an instant,
//! an IANA zone and a task [`History`], and answers
//!
//! * whether the statement is true at that instant ([`Schedule::is_true`]);
//! * when it is next true, and until when ([`Schedule::next_window`], [`Schedule::windows`]),
//!   or why it never will be ([`Next`]);
//! * when it was last true ([`Schedule::previous_window`]).
//!
//! Meaning follows Rocketry 2.5.1 family by family (`docs/semantics.md`), except where
//! Rocketry is wrong (`docs/differences.md`), and is DST-correct: time predicates are
//! judged on the wall clock of the zone, durations in real time, and one [`DstPolicy`]
//! decides what happens to civil times that the clock skips.
//!
//! Modules: `zone` (the evaluator's civil/instant conversions), `offsets` (a zone's
//! spans of one offset, found once per thread), `period` (periods on the civil line), `schedule` (compilation), `never` (proofs),
//! `truth` (value and change point at an instant), `next` (searches), `shortcut` (the
//! windows of a lone `cron` straight from its slots), `lone_time` (those of a lone time
//! predicate from its period edges), `window` (answers).
//! Task logs are read through [`crate::history`].

mod lone_time;
mod never;
mod next;
mod offsets;
mod period;
mod schedule;
mod shortcut;
mod truth;
pub mod waiting;
mod window;
mod zone;

/// The task-log module under its former path, `tminus::eval::history`; it lives in
/// [`crate::history`] now.
#[doc(hidden)]
pub use crate::history;
pub use crate::history::{
    Action, Event, History, HistoryError, HistoryErrorKind, MemoryHistory, SchedulerState,
};
pub use crate::zone::DstPolicy;
pub use next::{Windows, MAX_STEPS};
pub(crate) use schedule::Actions;
pub use schedule::{PredicateCall, Schedule};
pub use window::{Next, Trigger, Window};
