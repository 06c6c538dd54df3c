//! The IR as JSON, for `tminus parse --format json` and other machines: every node is an
//! object with a `type`, its fields and its `span` in the statement.

use super::print::point_text;
use super::task::*;
use super::time::{format_duration, Bound, Period};
use super::{Cond, CondKind};
use chrono::TimeDelta;
use serde_json::{json, Value};

/// The JSON form of a condition tree.
///
/// ```
/// let s = tminus::Statement::parse("~daily")?;
/// let v = tminus::ir::json::to_json(s.cond());
/// assert_eq!(v["type"], "not");
/// assert_eq!(v["child"]["period"]["scope"], "day");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_json(cond: &Cond) -> Value {
    let mut v = node(cond.kind());
    v["span"] = json!({"start": cond.span().start, "end": cond.span().end});
    v
}

fn node(kind: &CondKind) -> Value {
    match kind {
        CondKind::Const(b) => json!({"type": "const", "value": b}),
        CondKind::TimeOf(p) => json!({"type": "time_of", "period": period(p)}),
        CondKind::Periodic(p) => json!({"type": "periodic", "period": period(p)}),
        CondKind::Every(d) => json!({"type": "every", "duration": duration(*d)}),
        CondKind::Cron(c) => json!({"type": "cron", "expr": c.text()}),
        CondKind::Status(s) => json!({
            "type": "status",
            "task": s.task,
            "action": s.action.word(),
            "window": window(&s.window),
        }),
        CondKind::Depend(d) => {
            json!({"type": "depend", "task": d.task, "outcome": d.outcome.word()})
        }
        CondKind::Running(t) => json!({"type": "running", "task": t}),
        CondKind::Scheduler(s) => scheduler(s),
        CondKind::Env(v) => json!({"type": "env", "value": v}),
        CondKind::Param(ParamCond::Exists(k)) => json!({"type": "param_exists", "key": k}),
        CondKind::Param(ParamCond::Is(k, v)) => json!({"type": "param_is", "key": k, "value": v}),
        CondKind::Custom(Custom::Phrase(p)) => json!({"type": "custom", "phrase": p}),
        CondKind::Custom(Custom::Call { name, args }) => {
            json!({"type": "custom_call", "name": name, "args": args})
        }
        CondKind::All(items) => {
            json!({"type": "all", "children": items.iter().map(to_json).collect::<Vec<_>>()})
        }
        CondKind::Any(items) => {
            json!({"type": "any", "children": items.iter().map(to_json).collect::<Vec<_>>()})
        }
        CondKind::Not(inner) => json!({"type": "not", "child": to_json(inner)}),
    }
}

fn period(p: &Period) -> Value {
    let text = |pt| point_text(p.scope, pt);
    let (form, points): (&str, Vec<String>) = match p.bound {
        Bound::Full => ("full", vec![]),
        Bound::Between(a, b) => ("between", vec![text(a), text(b)]),
        Bound::After(a) => ("after", vec![text(a)]),
        Bound::Before(b) => ("before", vec![text(b)]),
        Bound::On(a) => ("on", vec![text(a)]),
        Bound::Starting(a) => ("starting", vec![text(a)]),
    };
    let (start, end) = p.offsets();
    json!({
        "scope": p.scope.unit_word(),
        "form": form,
        "points": points,
        "start_us": start,
        "end_us": end,
        "full": p.is_full(),
    })
}

fn duration(d: TimeDelta) -> Value {
    json!({"micros": d.num_microseconds(), "text": format_duration(d)})
}

fn window(w: &StatusWindow) -> Value {
    match w {
        StatusWindow::Ever => json!({"type": "ever"}),
        StatusWindow::Period(p) => json!({"type": "period", "period": period(p)}),
        StatusWindow::Past(d) => json!({"type": "past", "duration": duration(*d)}),
    }
}

fn scheduler(s: &SchedulerCond) -> Value {
    match s {
        SchedulerCond::StartedWithin(d) => {
            json!({"type": "scheduler_started", "within": duration(*d)})
        }
        SchedulerCond::RunOver(d) => json!({"type": "scheduler_run_over", "over": duration(*d)}),
        SchedulerCond::Cycles(c, n) => {
            let cmp = match c {
                Comparison::Equal => "equal",
                Comparison::MoreThan => "more_than",
                Comparison::LessThan => "less_than",
            };
            json!({"type": "scheduler_cycles", "comparison": cmp, "count": n})
        }
    }
}
