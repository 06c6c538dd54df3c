//! Explanations: a statement as a tree, each node with its plain-English reading, its truth
//! at an instant, why, and when that node's value next changes. `tminus explain` and the
//! REPL's `:explain` print it; it serializes to JSON.

use crate::eval::{History, Next, Schedule};
use crate::ir::print::{clock_text, point_text};
use crate::ir::{
    Bound, Comparison, Cond, CondKind, Custom, ParamCond, Period, SchedulerCond, Scope, Status,
    StatusAction, StatusWindow,
};
use crate::{Action, DstPolicy, Statement};
use chrono::{DateTime, DurationRound, SecondsFormat, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::fmt::{self, Write as _};

/// One node of an explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The node's canonical statement text.
    pub statement: String,
    /// What it means, in plain English: "once a day, between 10:00 and 12:00".
    pub reading: String,
    /// Its truth at the instant.
    pub value: bool,
    /// Why, from the history or the clock: "t last finished at 2024-03-11T10:05:00Z".
    pub why: String,
    /// When its value next changes: an instant, or a sentence ("when task 'a' records success").
    pub next_change: String,
    /// The operands of `&`, `|` and `~`.
    pub children: Vec<Explanation>,
}

/// What an explanation is about: the instant, zone, owner task and how far to look ahead.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a, H: History + ?Sized> {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The zone of civil times.
    pub zone: Tz,
    /// The task that owns the statement.
    pub task: &'a str,
    /// What happened.
    pub history: &'a H,
    /// How far to look for the next change.
    pub horizon: TimeDelta,
    /// What happens to occurrences that fall in a DST gap (as [`Schedule::with_dst`]).
    pub dst: DstPolicy,
}

/// Explains `statement` at `cx.at`.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use tminus::{explain, DstPolicy, MemoryHistory, Statement};
///
/// let s = Statement::parse("daily between 10:00 and 12:00 & ~task 'report' is running")?;
/// let h = MemoryHistory::new();
/// let at = Utc.with_ymd_and_hms(2024, 3, 11, 10, 30, 0).unwrap();
/// let cx = explain::Context {
///     at, zone: chrono_tz::UTC, task: "t", history: &h, horizon: TimeDelta::days(30),
///     dst: DstPolicy::Skip,
/// };
/// let e = explain::explain(&s, &cx);
/// assert!(e.value);
/// assert_eq!(e.children[0].reading, "once a day, between 10:00 and 12:00");
/// assert_eq!(e.children[0].next_change, "false from 2024-03-11T12:00:00Z");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn explain<H: History + ?Sized>(statement: &Statement, cx: &Context<'_, H>) -> Explanation {
    node(statement.cond(), cx)
}

fn node<H: History + ?Sized>(cond: &Cond, cx: &Context<'_, H>) -> Explanation {
    let schedule = Schedule::new(cond).with_task(cx.task).with_dst(cx.dst);
    let value = schedule.is_true(cx.at, cx.zone, cx.history);
    Explanation {
        statement: cond.to_string(),
        reading: reading(cond),
        value,
        why: why(cond, value, cx),
        next_change: next_change(&schedule, value, cx),
        children: cond.children().iter().map(|c| node(c, cx)).collect(),
    }
}

fn iso(at: DateTime<Tz>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A recorded event's instant, to the second: its fraction is the clock's chance, not
/// something a reader needs (`tminus` writes human instants this way everywhere).
fn observed(at: DateTime<Utc>, zone: Tz) -> String {
    let at = at.with_timezone(&zone);
    iso(at.duration_trunc(TimeDelta::seconds(1)).unwrap_or(at))
}

fn next_change<H: History + ?Sized>(s: &Schedule, value: bool, cx: &Context<'_, H>) -> String {
    match (s.next_window(cx.at, cx.horizon, cx.zone, cx.history), value) {
        (Next::Window(w), true) => match w.end {
            Some(end) => format!("false from {}", iso(end)),
            None => "stays true until a task event".into(),
        },
        (Next::Window(w), false) => format!("true from {}", iso(w.start)),
        (Next::Never, _) => "never true".into(),
        (Next::NotWithinHorizon, _) => "does not change within the horizon".into(),
        (Next::WaitsOn(events), _) => {
            let events: Vec<String> = events.iter().map(ToString::to_string).collect();
            format!("when {}", events.join(" or "))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Readings

/// The plain-English reading of one node (its children are read separately).
pub fn reading(cond: &Cond) -> String {
    match cond.kind() {
        CondKind::Const(v) => format!("always {v}"),
        CondKind::TimeOf(p) => format!("the time of {} is {}", p.scope.unit_word(), range(p)),
        CondKind::Periodic(p) => periodic(p),
        CondKind::Every(d) => format!(
            "once every {} (since the task last started)",
            crate::ir::time::format_duration(*d)
        ),
        CondKind::Cron(c) => format!("once in each slot of cron `{}`", c.text()),
        CondKind::Status(s) => status(s),
        CondKind::Depend(d) => format!(
            "task '{}' {} after this task last started",
            d.task,
            d.outcome.word()
        ),
        CondKind::Running(t) => format!("task '{t}' is running"),
        CondKind::Scheduler(s) => scheduler(s),
        CondKind::Env(v) => format!("the parameter env is '{v}'"),
        CondKind::Param(ParamCond::Exists(k)) => format!("the parameter '{k}' is set"),
        CondKind::Param(ParamCond::Is(k, v)) => format!("the parameter '{k}' is '{v}'"),
        CondKind::Custom(Custom::Phrase(p)) => format!("the custom condition '{p}' holds"),
        CondKind::Custom(Custom::Call { name, .. }) => {
            format!("the custom condition {name}(...) holds")
        }
        CondKind::All(_) => "all of these hold".into(),
        CondKind::Any(_) => "at least one of these holds".into(),
        CondKind::Not(_) => "this does not hold".into(),
    }
}

fn periodic(p: &Period) -> String {
    let once = match p.scope {
        Scope::Second => "once a second",
        Scope::Minute => "once a minute",
        Scope::Hour => "once an hour",
        Scope::Day => "once a day",
        Scope::Week => "once a week",
        Scope::Month => "once a month",
    };
    match p.bound {
        Bound::Full => once.to_owned(),
        Bound::Starting(a) => format!(
            "{once}, the {} starting at {}",
            p.scope.unit_word(),
            point(p.scope, a.offset)
        ),
        _ => format!("{once}, {}", range(p)),
    }
}

fn point(scope: Scope, offset: i64) -> String {
    match scope {
        Scope::Day => clock_text(offset),
        _ => point_text(scope, crate::ir::Point::at(offset)),
    }
}

/// "between 10:00 and 12:00", "after Fri 18:00", "on Mon".
fn range(p: &Period) -> String {
    let text = |pt: crate::ir::Point| point_text(p.scope, pt);
    match p.bound {
        Bound::Full => "anything".into(),
        Bound::Between(a, b) => format!("between {} and {}", text(a), text(b)),
        Bound::After(a) => format!("after {}", text(a)),
        Bound::Before(b) => format!("before {}", text(b)),
        Bound::On(a) => format!("on {}", text(a)),
        Bound::Starting(a) => format!("in the cycle starting {}", text(a)),
    }
}

fn status(s: &Status) -> String {
    let who = s
        .task
        .as_deref()
        .map_or("this task".to_owned(), |t| format!("task '{t}'"));
    let when = match &s.window {
        StatusWindow::Ever => "at some time".to_owned(),
        StatusWindow::Past(d) => format!("in the past {}", crate::ir::time::format_duration(*d)),
        StatusWindow::Period(p) if p.bound == Bound::Full => match p.scope {
            Scope::Day => "today".to_owned(),
            scope => format!("this {}", scope.unit_word()),
        },
        StatusWindow::Period(p) => format!("this {} {}", p.scope.unit_word(), range(p)),
    };
    format!("{who} {} {when}", s.action.word())
}

fn scheduler(s: &SchedulerCond) -> String {
    use crate::ir::time::format_duration;
    match s {
        SchedulerCond::StartedWithin(d) => format!(
            "the scheduler started within the last {}",
            format_duration(*d)
        ),
        SchedulerCond::RunOver(d) => format!(
            "the scheduler has run for more than {}",
            format_duration(*d)
        ),
        SchedulerCond::Cycles(Comparison::Equal, n) => {
            format!("the scheduler has run exactly {n} cycles")
        }
        SchedulerCond::Cycles(Comparison::MoreThan, n) => {
            format!("the scheduler has run more than {n} cycles")
        }
        SchedulerCond::Cycles(Comparison::LessThan, n) => {
            format!("the scheduler has run fewer than {n} cycles")
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reasons

fn why<H: History + ?Sized>(cond: &Cond, value: bool, cx: &Context<'_, H>) -> String {
    let civil = cx
        .at
        .with_timezone(&cx.zone)
        .format("%a %Y-%m-%d %H:%M:%S")
        .to_string();
    match cond.kind() {
        CondKind::TimeOf(_) => format!("it is {civil} in {}", cx.zone),
        CondKind::Periodic(_) => last(
            cx,
            cx.task,
            &[
                Action::Success,
                Action::Fail,
                Action::Terminate,
                Action::Inaction,
            ],
            "finished",
        ),
        CondKind::Every(_) | CondKind::Cron(_) => last(cx, cx.task, &[Action::Run], "started"),
        CondKind::Status(s) => {
            let task = s.task.as_deref().unwrap_or(cx.task);
            last(cx, task, actions(s.action), s.action.word())
        }
        CondKind::Depend(d) => {
            let dep = last(cx, &d.task, &[Action::Success, Action::Fail], "finished");
            format!("{dep}; {}", last(cx, cx.task, &[Action::Run], "started"))
        }
        CondKind::Running(t) => format!(
            "task '{t}' {} running",
            if cx.history.is_running(t) {
                "is"
            } else {
                "is not"
            }
        ),
        CondKind::Scheduler(_) => match cx.history.scheduler() {
            Some(s) => format!(
                "the scheduler started at {} and has run {} cycles",
                observed(s.started, cx.zone),
                s.cycles
            ),
            None => "no scheduler is running".into(),
        },
        CondKind::Env(_) => param(cx, "env"),
        CondKind::Param(ParamCond::Exists(k) | ParamCond::Is(k, _)) => param(cx, k),
        CondKind::Const(_) | CondKind::Custom(_) => String::new(),
        CondKind::All(_) | CondKind::Any(_) | CondKind::Not(_) => operator_why(cond, value),
    }
}

fn actions(action: StatusAction) -> &'static [Action] {
    match action {
        StatusAction::Succeeded => &[Action::Success],
        StatusAction::Failed => &[Action::Fail],
        StatusAction::Finished => &[Action::Success, Action::Fail, Action::Terminate],
        StatusAction::Started => &[Action::Run],
        StatusAction::Terminated => &[Action::Terminate],
        StatusAction::Inacted => &[Action::Inaction],
    }
}

/// "task 't' last finished at 2024-03-11T10:05:00Z", or "task 't' has never finished".
fn last<H: History + ?Sized>(
    cx: &Context<'_, H>,
    task: &str,
    actions: &[Action],
    verb: &str,
) -> String {
    let latest = cx
        .history
        .events(task)
        .iter()
        .rev()
        .find(|e| e.at <= cx.at && actions.contains(&e.action));
    match latest {
        Some(e) => format!("task '{task}' last {verb} at {}", observed(e.at, cx.zone)),
        None => format!("task '{task}' has never {verb}"),
    }
}

fn param<H: History + ?Sized>(cx: &Context<'_, H>, key: &str) -> String {
    match cx.history.param(key) {
        Some(v) => format!("the parameter '{key}' is '{v}'"),
        None => format!("the parameter '{key}' is not set"),
    }
}

fn operator_why(cond: &Cond, value: bool) -> String {
    let n = cond.children().len();
    match (cond.kind(), value) {
        (CondKind::All(_), true) => format!("all {n} hold"),
        (CondKind::All(_), false) => "at least one does not hold".into(),
        (CondKind::Any(_), true) => "at least one holds".into(),
        (CondKind::Any(_), false) => format!("none of the {n} holds"),
        _ => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Text

impl fmt::Display for Explanation {
    /// A tree, one node per line with its reading, value, reason and next change.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_node(self, "", "", &mut out);
        f.write_str(&out)
    }
}

fn write_node(e: &Explanation, first: &str, rest: &str, out: &mut String) {
    let value = if e.value { "TRUE " } else { "false" };
    let _ = writeln!(out, "{first}{value}  {}", e.statement);
    let pad = format!(
        "{rest}{}",
        if e.children.is_empty() {
            "       "
        } else {
            "│      "
        }
    );
    let _ = writeln!(out, "{pad}means: {}", e.reading);
    if !e.why.is_empty() {
        let _ = writeln!(out, "{pad}because: {}", e.why);
    }
    let _ = writeln!(out, "{pad}next: {}", e.next_change);
    for (i, child) in e.children.iter().enumerate() {
        let last = i + 1 == e.children.len();
        let (head, tail) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        write_node(
            child,
            &format!("{rest}{head}"),
            &format!("{rest}{tail}"),
            out,
        );
    }
}
