//! Planning: which task is due next, for many statements at once, without polling.
//!
//! A scheduler hands the [`Planner`] its tasks' statements once, then only asks *when do
//! I wake next* ([`Planner::next_wake`]) and *which tasks are due now* ([`Planner::due`]),
//! and reports what its tasks do ([`Planner::record`]). Rocketry instead evaluates every
//! statement every 0.1 s; the planner evaluates a statement only when its answer can have
//! changed: when its window opens or closes, or when a task it reads records an event.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use tminus::{Action, Planner, Statement};
//!
//! let start = Utc.with_ymd_and_hms(2024, 3, 11, 9, 30, 0).unwrap();
//! let mut planner = Planner::new(chrono_tz::UTC, start).with_resolution(TimeDelta::seconds(1));
//! planner.insert("extract", &Statement::parse("hourly")?);
//! planner.insert("transform", &Statement::parse("after task 'extract' succeeded")?);
//!
//! assert_eq!(planner.due(start), ["extract"]); // hourly: not yet run this hour
//! planner.record("extract", Action::Run, start);
//! planner.record("extract", Action::Success, start + TimeDelta::seconds(5));
//!
//! let later = start + TimeDelta::seconds(5);
//! assert_eq!(planner.due(later), ["transform"]); // only transform was re-planned
//! planner.record("transform", Action::Run, later);
//! planner.record("transform", Action::Success, later);
//!
//! // Nothing is due until extract's next hour (true from 10:00:00.000001, so 10:00:01
//! // at a resolution of one second).
//! assert_eq!(planner.next_wake(), Some(Utc.with_ymd_and_hms(2024, 3, 11, 10, 0, 1).unwrap()));
//! assert!(planner.due(later).is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How it works
//!
//! Each statement is in one state: *pending* (true from a known instant), *ready* (true
//! now), *blocked* (true now, but its task is running), *re-check* (nothing found within
//! the search horizon, or a custom predicate to ask again), or *idle* (only an event can
//! make it true, such as `after task 'a'` before `a` succeeds). Pending starts and
//! re-checks sit in an ordered set keyed by instant, so the next wake is its first key.
//! [`Planner::advance`] takes the keys that time has reached and re-plans those statements
//! alone. [`Planner::record`] looks up, in an index built when statements are inserted,
//! the statements that read the task *and that action*: `daily` is re-planned on its
//! task's finishes, not on its runs; `after task 'extract' succeeded` on `extract`'s
//! successes and its own task's runs; `every 10 minutes` and `cron` on their task's runs.
//! Nothing ever walks all statements, except [`Planner::with_resolution`] and the other
//! builders, which re-plan everything once. With a resolution (one second, say), a
//! statement is due at the first multiple of it inside its window, which is what a
//! scheduler that looks once per second would see.
//!
//! # Complexity
//!
//! With n statements: [`Planner::next_wake`] is O(log n); [`Planner::advance`] and
//! [`Planner::due`] are O(k log n) plus k searches for the k statements whose window
//! opened, closed or needs a re-check; [`Planner::record`] is O(d log n) plus d searches for
//! the d statements that read the event (the owner and its dependents). A search
//! ([`crate::Schedule::next_window`]) jumps from boundary to boundary, and the planner
//! grows its horizon only as far as the next window (see `search.rs`), so a search costs
//! about the number of boundaries until that window. Memory is a few hundred bytes per
//! statement (figures in `docs/performance.md`).
//!
//! # Late and out-of-order events
//!
//! The planner has a clock: the latest instant given to [`Planner::advance`] or
//! [`Planner::due`] (or [`Planner::new`]). It answers for that clock and after; the past
//! cannot be launched any more. [`Planner::record`] does not move the clock, so a worker
//! with a wrong clock cannot make the planner skip time. An event is added to the history
//! at *its own* instant, wherever that falls, and the statements that read it are
//! re-planned **from the clock**, never from the event's instant:
//!
//! * an event *before* the clock (a success reported late, a run recorded after a later
//!   one) changes what the statements were in the past, which no longer matters, and what
//!   they are from the clock on, which the new plan reflects: a late success of `extract`
//!   makes `transform` due at the clock, not at the instant of the success;
//! * an event *after* the clock is judged as the evaluator judges future records (Rocketry
//!   ignores records in the future for `daily`, `every` and `cron`; `after task` counts
//!   them), and the plan switches at the event's instant.
//!
//! So the plan of every statement is always the one a fresh planner, built at the clock
//! from the same history, would make (`tests/planner.rs` checks that after random late,
//! early and out-of-order events, and checks launches against naive re-evaluation with
//! outcomes reported late). The clock never goes back: `advance` to an earlier instant
//! does nothing.
//!
//! Whether a task is running comes from its events: a `run` later (in instant, then in
//! record order) than its latest finish (`success`, `fail`, `terminate`, `inaction` or
//! `crash`). A running task is never due, as in Rocketry without multilaunch.
//!
//! [`guide`] (`docs/planner.md`) shows how to embed the planner in a scheduler;
//! `examples/scheduler.rs` is one.

mod agenda;
mod build;
mod deps;
mod run;
mod search;
mod view;

#[doc = include_str!("../../docs/planner.md")]
pub mod guide {}

use crate::history::TaskId;
use crate::{
    Action, DstPolicy, Errors, MemoryHistory, ParseOptions, PredicateCall, Schedule,
    SchedulerState, Statement,
};
use agenda::{Agenda, Micros, State};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use deps::{Mask, Reads};
use search::{utc, Found, Search};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use view::View;

/// The default search horizon: a statement with no window within it is re-checked then.
const DEFAULT_HORIZON: Micros = 366 * 86_400_000_000;

type PredicateFn = dyn Fn(&PredicateCall<'_>) -> bool + Send + Sync;

/// Plans many statements at once: tells a scheduler when to wake and which tasks are due.
///
/// Each task has at most one statement (its start condition); the task is the statement's
/// owner, whose records `daily`, `every`, `cron` and `after task` read. See the
/// [module documentation](crate::plan) for how it works, the complexity of each call and
/// how late events are handled.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use tminus::{Action, Plan, Planner, Statement};
///
/// let now = Utc.with_ymd_and_hms(2024, 3, 11, 6, 0, 0).unwrap();
/// let mut planner = Planner::new(chrono_tz::Europe::Helsinki, now);
/// planner.insert("report", &Statement::parse("daily between 10:00 and 12:00")?);
///
/// let ten = Utc.with_ymd_and_hms(2024, 3, 11, 8, 0, 0).unwrap(); // 10:00 in Helsinki
/// assert_eq!(planner.next_wake(), Some(ten));
/// assert_eq!(planner.due(ten), ["report"]);
/// planner.record("report", Action::Run, ten);
/// assert!(matches!(planner.planned("report"), Some(Plan::Running { .. })));
/// let done = ten + TimeDelta::minutes(3);
/// planner.record("report", Action::Success, done);
/// planner.advance(done); // the clock moves with `advance` and `due` only
/// assert_eq!(planner.next_wake(), Some(ten + TimeDelta::days(1)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Planner {
    zone: Tz,
    dst: DstPolicy,
    resolution: Micros,
    horizon: Micros,
    /// The latest instant the planner was told about; plans start here.
    clock: Micros,
    /// Global record counter: orders events at equal instants for the running flags.
    seq: u64,
    history: MemoryHistory,
    /// Every task that has a statement, is read by one, or has events, indexed by its id
    /// in `history` (which holds the names); a task's id is also its statement's.
    tasks: Vec<Task>,
    agenda: Agenda,
    param_readers: HashMap<Box<str>, Vec<TaskId>>,
    scheduler_readers: Vec<TaskId>,
    predicate_readers: HashMap<Box<str>, Vec<TaskId>>,
    predicates: BTreeMap<String, Registered>,
    stats: PlannerStats,
}

/// One task: its statement, the statements that read it, and its running flag.
struct Task {
    statement: Option<Box<Planned>>,
    /// Statements of other tasks that read this one, with the actions they read.
    dependents: Vec<(TaskId, Mask)>,
    /// The latest run and the latest finish, as (instant, record number).
    last_run: (Micros, u64),
    last_finish: (Micros, u64),
}

impl Default for Task {
    fn default() -> Task {
        Task {
            statement: None,
            dependents: Vec::new(),
            last_run: (Micros::MIN, 0),
            last_finish: (Micros::MIN, 0),
        }
    }
}

impl Task {
    fn is_running(&self) -> bool {
        self.last_run > self.last_finish
    }
}

/// A statement under planning.
struct Planned {
    schedule: Schedule,
    state: State,
    /// The owner's actions that change the statement.
    owner: Mask,
    /// Where the statement is indexed, to take it out again.
    reads: Box<[Read]>,
    /// The shortest re-check interval of the predicates it calls.
    recheck: Option<Micros>,
    /// Whether it calls custom predicates (then it is asked again before it is due).
    asks: bool,
    /// The horizon level that found its last window (see `search.rs`).
    level: u8,
}

/// An entry of the indexes that point at a statement.
enum Read {
    Task(TaskId),
    Param(Box<str>),
    Scheduler,
    Predicate(Box<str>),
}

/// A registered custom predicate.
#[derive(Clone)]
struct Registered {
    f: Arc<PredicateFn>,
    recheck: Option<Micros>,
}

/// Counters of the work a [`Planner`] has done since it was created.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tminus::{Action, Planner, Statement};
///
/// let now = Utc.with_ymd_and_hms(2024, 3, 11, 0, 0, 0).unwrap();
/// let mut planner = Planner::new(chrono_tz::UTC, now);
/// planner.insert("sync", &Statement::parse("every 2 hours")?);
/// planner.record("sync", Action::Run, now);
/// let stats = planner.stats();
/// assert_eq!((stats.statements, stats.plans, stats.runs), (1, 2, 1));
/// assert!(stats.evaluations() >= 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannerStats {
    /// Statements planned now.
    pub statements: usize,
    /// Times a statement was planned (inserted, woken, or read an event).
    pub plans: u64,
    /// Searches ([`Schedule::next_window`] calls); a plan takes one or a few.
    pub searches: u64,
    /// Truth checks ([`Schedule::is_true`]) of statements with custom predicates before
    /// they are reported due.
    pub checks: u64,
    /// Events recorded.
    pub events: u64,
    /// `run` events recorded: launches, when the scheduler records each launch.
    pub runs: u64,
    /// Window starts, window ends and re-checks processed by [`Planner::advance`].
    pub wakes: u64,
}

impl PlannerStats {
    /// Statement evaluations: searches plus truth checks. Divided by [`Self::runs`], the
    /// evaluations per launched task.
    ///
    /// ```
    /// assert_eq!(tminus::PlannerStats::default().evaluations(), 0);
    /// ```
    pub fn evaluations(&self) -> u64 {
        self.searches + self.checks
    }
}

/// Where a task's statement stands (see [`Planner::planned`]).
///
/// `until` is the end of the window as far as the planner has looked: the statement is
/// true at least until then unless an event changes it, and the planner looks again then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Plan {
    /// True now: [`Planner::due`] returns the task.
    Due {
        /// End of the known part of the window.
        until: DateTime<Utc>,
    },
    /// True now, but the task is running, so it is not due.
    Running {
        /// End of the known part of the window.
        until: DateTime<Utc>,
    },
    /// True from `at` (an instant of the resolution).
    At {
        /// When it becomes true.
        at: DateTime<Utc>,
        /// End of the known part of the window.
        until: DateTime<Utc>,
    },
    /// Not true before `at`, when the planner looks again (the horizon, or a predicate's
    /// re-check interval).
    Recheck {
        /// When the planner looks again.
        at: DateTime<Utc>,
    },
    /// Only an event can make it true (a dependency, a parameter, a predicate without
    /// re-check interval), or it never will be.
    Waiting,
}

impl std::fmt::Debug for Planner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Planner")
            .field("zone", &self.zone)
            .field("clock", &utc(self.clock))
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}
