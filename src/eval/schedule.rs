//! [`Schedule`]: a statement compiled for evaluation, with everything fixed per task.
//!
//! Compiling turns the IR into a tree of [`Node`]s that hold exactly what evaluation
//! reads (offsets in microseconds, action sets as bit masks, the registered closures),
//! and proves "never true" once, so that no search is started for it.

use super::period::CivilPeriod;
use crate::history::Action;
use crate::ir::{
    Comparison, Cond, CondKind, CronExpr, Custom, Outcome, ParamCond, SchedulerCond, StatusAction,
    StatusWindow,
};
use crate::zone::DstPolicy;
use chrono::{DateTime, TimeDelta};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A set of [`Action`]s as a bit mask; the evaluator's leaves and the planner's
/// dependency index both read history through it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Actions(u8);

impl Actions {
    /// Every action (a change of the running flag, for `task 'a' is running`).
    pub(crate) const ALL: Actions = Actions(0b11_1111);
    /// A start: what `every` and `cron` count, and what `after task` compares with.
    pub(crate) const RUN: Actions = Actions::of(&[Action::Run]);
    /// What ends a period for `daily` & co.: success, fail, terminate, inaction.
    pub(crate) const PERIOD_END: Actions = Actions::of(&[
        Action::Success,
        Action::Fail,
        Action::Terminate,
        Action::Inaction,
    ]);

    pub(crate) const fn of(actions: &[Action]) -> Actions {
        let mut bits = 0;
        let mut i = 0;
        while i < actions.len() {
            bits |= 1 << actions[i] as u8;
            i += 1;
        }
        Actions(bits)
    }

    pub(crate) fn has(self, action: Action) -> bool {
        self.0 & (1 << action as u8) != 0
    }

    /// The actions in the set, in [`Action::ALL`] order.
    pub(crate) fn iter(self) -> impl Iterator<Item = Action> {
        Action::ALL.into_iter().filter(move |a| self.has(*a))
    }

    /// Both sets.
    pub(crate) fn with(self, other: Actions) -> Actions {
        Actions(self.0 | other.0)
    }

    /// The records a status phrase counts.
    pub(crate) fn status(action: StatusAction) -> Actions {
        match action {
            StatusAction::Succeeded => Actions::of(&[Action::Success]),
            StatusAction::Failed => Actions::of(&[Action::Fail]),
            StatusAction::Finished => {
                Actions::of(&[Action::Success, Action::Fail, Action::Terminate])
            }
            StatusAction::Started => Actions::RUN,
            StatusAction::Terminated => Actions::of(&[Action::Terminate]),
            StatusAction::Inacted => Actions::of(&[Action::Inaction]),
        }
    }

    /// The finishes a dependency counts (terminate is not one, as in Rocketry).
    pub(crate) fn outcome(outcome: Outcome) -> Actions {
        match outcome {
            Outcome::Succeeded => Actions::of(&[Action::Success]),
            Outcome::Failed => Actions::of(&[Action::Fail]),
            Outcome::Finished => Actions::of(&[Action::Success, Action::Fail]),
        }
    }
}

/// Which records a status leaf counts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Lookback {
    Ever,
    Past(i64),
    Period(CivilPeriod),
}

/// A compiled node.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Const(bool),
    TimeOf(CivilPeriod),
    Periodic(CivilPeriod),
    Every(i64),
    Cron {
        expr: Box<CronExpr>,
        slot: i64,
    },
    Status {
        task: Option<String>,
        actions: Actions,
        lookback: Lookback,
    },
    Depend {
        task: String,
        actions: Actions,
    },
    Running(String),
    Scheduler(SchedulerCond),
    Env(String),
    Param(ParamCond),
    Custom {
        name: String,
        args: Vec<String>,
    },
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
}

/// What a custom predicate is asked: its name, its arguments and the instant.
///
/// ```
/// use chrono::TimeZone;
/// use tminus::{MemoryHistory, ParseOptions, Statement};
///
/// let options = ParseOptions::new().register("is business day");
/// let s = Statement::parse_with("is business day", &options)?
///     .schedule()
///     .with_predicate("is business day", |call: &tminus::PredicateCall<'_>| {
///         use chrono::Datelike;
///         call.at.weekday().number_from_monday() <= 5
///     });
/// let saturday = chrono::Utc.with_ymd_and_hms(2024, 3, 16, 12, 0, 0).unwrap();
/// assert!(!s.is_true(saturday, chrono_tz::UTC, &MemoryHistory::new()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct PredicateCall<'a> {
    /// The registered name (`is business day`, `file_exists`).
    pub name: &'a str,
    /// The arguments of a call form, quotes removed; empty for a phrase.
    pub args: &'a [String],
    /// The instant asked about, in the zone of the evaluation.
    pub at: DateTime<Tz>,
}

type PredicateFn = dyn Fn(&PredicateCall<'_>) -> bool + Send + Sync;

/// A registered custom predicate.
#[derive(Clone)]
pub(crate) struct Predicate {
    pub(crate) f: Arc<PredicateFn>,
    pub(crate) recheck: Option<i64>,
}

impl std::fmt::Debug for Predicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Predicate")
            .field("recheck", &self.recheck)
            .finish_non_exhaustive()
    }
}

/// A statement compiled for evaluation as the start condition of one task.
///
/// Build it with [`Statement::schedule`] (task `t`, [`DstPolicy::Skip`], no custom
/// predicates) and adjust with the `with_` methods; then ask [`Schedule::is_true`],
/// [`Schedule::next_window`], [`Schedule::windows`] and [`Schedule::previous_window`] as
/// often as needed. A schedule is cheap to clone and can be shared between threads.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use tminus::{Action, MemoryHistory, Statement};
///
/// let schedule = Statement::parse("daily between 10:00 and 12:00")?.schedule().with_task("report");
/// let mut history = MemoryHistory::new();
/// history.record("report", Action::Success, Utc.with_ymd_and_hms(2024, 3, 11, 10, 5, 0).unwrap());
///
/// let at = Utc.with_ymd_and_hms(2024, 3, 11, 11, 0, 0).unwrap();
/// assert!(!schedule.is_true(at, chrono_tz::UTC, &history)); // done for today
/// let next = schedule.next_window(at, TimeDelta::days(2), chrono_tz::UTC, &history);
/// assert_eq!(next.window().unwrap().start.to_rfc3339(), "2024-03-12T10:00:00+00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Schedule {
    pub(crate) root: Node,
    pub(crate) task: String,
    pub(crate) dst: DstPolicy,
    pub(crate) predicates: BTreeMap<String, Predicate>,
    /// Never true on any clock (a constant, an impossible cron).
    pub(crate) never: bool,
    /// Never true on the wall clock (disjoint time predicates): exact unless civil times
    /// are moved out of DST gaps.
    pub(crate) never_civil: bool,
}

impl Schedule {
    /// Compiles a condition for task `t` with the default [`DstPolicy`].
    ///
    /// ```
    /// let s = tminus::Statement::parse("time of day after 12:00 & time of day before 10:00")?;
    /// assert!(tminus::Schedule::new(s.cond()).is_never());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(cond: &Cond) -> Schedule {
        let root = compile(cond);
        let never = super::never::never(&root);
        let never_civil = never || super::never::never_civil(&root);
        Schedule {
            root,
            task: "t".to_owned(),
            dst: DstPolicy::default(),
            predicates: BTreeMap::new(),
            never,
            never_civil,
        }
    }

    /// The task that owns the statement: `daily`, `every`, `cron`, `has succeeded` without
    /// a task and `after task ...` look at its records.
    ///
    /// ```
    /// let s = tminus::Statement::parse("daily")?.schedule();
    /// assert_eq!(s.with_task("report").task(), "report");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_task(mut self, task: impl Into<String>) -> Schedule {
        self.task = task.into();
        self
    }

    /// How DST gaps are treated (see [`DstPolicy`]).
    ///
    /// ```
    /// use tminus::DstPolicy;
    /// let s = tminus::Statement::parse("cron 30 2 * * *")?.schedule().with_dst(DstPolicy::Forward);
    /// assert_eq!(s.dst(), DstPolicy::Forward);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_dst(mut self, policy: DstPolicy) -> Schedule {
        self.dst = policy;
        self
    }

    /// Registers the closure behind custom predicate `name` (see [`PredicateCall`]).
    /// Its future cannot be predicted, so searches treat it as constant: a statement that
    /// waits only on it reports [`crate::Next::WaitsOn`]. Unregistered names are false.
    ///
    /// ```
    /// let options = tminus::ParseOptions::new().register("maintenance");
    /// let s = tminus::Statement::parse_with("~maintenance", &options)?
    ///     .schedule()
    ///     .with_predicate("maintenance", |_: &tminus::PredicateCall<'_>| false);
    /// assert!(s.is_true(chrono::Utc::now(), chrono_tz::UTC, &tminus::MemoryHistory::new()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_predicate<F>(self, name: impl Into<String>, f: F) -> Schedule
    where
        F: Fn(&PredicateCall<'_>) -> bool + Send + Sync + 'static,
    {
        self.insert_predicate(name.into(), Arc::new(f), None)
    }

    /// Like [`Schedule::with_predicate`], with a hint: the answer may change at any time,
    /// so searches ask again every `recheck` (a window ends at the latest `recheck` after
    /// the last question).
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// let options = tminus::ParseOptions::new().register("file_exists");
    /// let s = tminus::Statement::parse_with("file_exists('in.csv')", &options)?
    ///     .schedule()
    ///     .with_predicate_every("file_exists", TimeDelta::minutes(5), |call: &tminus::PredicateCall<'_>| {
    ///         call.args == ["in.csv"]
    ///     });
    /// assert!(s.is_true(chrono::Utc::now(), chrono_tz::UTC, &tminus::MemoryHistory::new()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_predicate_every<F>(
        self,
        name: impl Into<String>,
        recheck: TimeDelta,
        f: F,
    ) -> Schedule
    where
        F: Fn(&PredicateCall<'_>) -> bool + Send + Sync + 'static,
    {
        let micros = recheck.num_microseconds().unwrap_or(i64::MAX).max(1);
        self.insert_predicate(name.into(), Arc::new(f), Some(micros))
    }

    fn insert_predicate(
        mut self,
        name: String,
        f: Arc<PredicateFn>,
        recheck: Option<i64>,
    ) -> Schedule {
        self.predicates
            .insert(name.trim().to_owned(), Predicate { f, recheck });
        self
    }

    /// The owner task.
    pub fn task(&self) -> &str {
        &self.task
    }

    /// The DST policy.
    pub fn dst(&self) -> DstPolicy {
        self.dst
    }

    /// Whether the statement is proved never true, in any zone, whatever happens
    /// (`cron 0 0 30 2 *`, `time of day between 10:00 and 11:00 & time of day after
    /// 12:00`). Decided at compile time; no search.
    ///
    /// ```
    /// let s = tminus::Statement::parse("cron 0 0 30 2 *")?.schedule();
    /// assert!(s.is_never());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_never(&self) -> bool {
        self.never || (self.never_civil && self.dst == DstPolicy::Skip)
    }
}

/// The compiled node of an IR node.
fn compile(cond: &Cond) -> Node {
    match cond.kind() {
        CondKind::Const(v) => Node::Const(*v),
        CondKind::TimeOf(p) => Node::TimeOf(CivilPeriod::new(p)),
        CondKind::Periodic(p) => Node::Periodic(CivilPeriod::new(p)),
        CondKind::Every(d) => Node::Every(micros(*d)),
        CondKind::Cron(expr) => compile_cron(expr),
        CondKind::Status(s) => Node::Status {
            task: s.task.clone(),
            actions: Actions::status(s.action),
            lookback: lookback(&s.window),
        },
        CondKind::Depend(d) => Node::Depend {
            task: d.task.clone(),
            actions: Actions::outcome(d.outcome),
        },
        CondKind::Running(t) => Node::Running(t.clone()),
        CondKind::Scheduler(s) => Node::Scheduler(*s),
        CondKind::Env(v) => Node::Env(v.clone()),
        CondKind::Param(p) => Node::Param(p.clone()),
        CondKind::Custom(Custom::Phrase(name)) => Node::Custom {
            name: name.clone(),
            args: Vec::new(),
        },
        CondKind::Custom(Custom::Call { name, args }) => Node::Custom {
            name: name.clone(),
            args: args.clone(),
        },
        CondKind::All(items) => Node::All(items.iter().map(compile).collect()),
        CondKind::Any(items) => Node::Any(items.iter().map(compile).collect()),
        CondKind::Not(inner) => Node::Not(Box::new(compile(inner))),
    }
}

fn compile_cron(expr: &CronExpr) -> Node {
    let slot = micros(expr.slot());
    Node::Cron {
        expr: Box::new(expr.clone()),
        slot,
    }
}

fn lookback(window: &StatusWindow) -> Lookback {
    match window {
        StatusWindow::Ever => Lookback::Ever,
        StatusWindow::Past(d) => Lookback::Past(micros(*d)),
        StatusWindow::Period(p) => Lookback::Period(CivilPeriod::new(p)),
    }
}

/// A duration in microseconds; negative durations count as their absolute value, as in
/// Rocketry (`every -10 minutes` is `every 10 minutes`).
fn micros(d: TimeDelta) -> i64 {
    d.num_microseconds().unwrap_or(i64::MAX).saturating_abs()
}

/// Whether a comparison of scheduler cycles holds.
pub(crate) fn compare(cmp: Comparison, cycles: u64, n: u64) -> bool {
    match cmp {
        Comparison::Equal => cycles == n,
        Comparison::MoreThan => cycles > n,
        Comparison::LessThan => cycles < n,
    }
}
