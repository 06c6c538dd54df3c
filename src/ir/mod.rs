//! The IR: what a statement means, with the spans needed for warnings.
//!
//! The AST says how a statement was written; the IR ([`Cond`]) says what it means:
//! `after tasks 'a', 'b'` is two dependencies under an `All`, `daily between 10am and
//! 12pm` is a [`Period`] of offsets. Nodes are built only through the smart constructors
//! [`Cond::all`], [`Cond::any`] and [`Cond::not`], which keep every tree canonical: no
//! nested `All` in `All`, no constant inside `All`/`Any`, no double negation, no
//! single-child lists. Equality ignores spans, so `parse(print(c)) == c`.

mod folds;
pub mod intervals;
pub mod json;
pub(crate) mod lower;
pub mod print;
pub mod task;
pub mod time;

pub use crate::cron::CronExpr;
use crate::span::Span;
use chrono::TimeDelta;
pub use intervals::IntervalSet;
pub use task::{
    Comparison, Custom, Depend, Outcome, ParamCond, SchedulerCond, Status, StatusAction,
    StatusWindow,
};
pub use time::{Bound, Period, Point, Scope, DAY, HOUR, MINUTE, SECOND};

/// A condition: one node of the IR with the span of the text it came from.
#[derive(Clone, Debug)]
pub struct Cond {
    kind: CondKind,
    span: Span,
}

/// What a [`Cond`] node is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CondKind {
    /// `true` or `false`.
    Const(bool),
    /// `time of day between 10:00 and 12:00`: the instant lies in the period.
    TimeOf(Period),
    /// `daily`, `daily between 10:00 and 12:00`: in the period, and the owner has not
    /// finished in this occurrence of it.
    Periodic(Period),
    /// `every 10 minutes`: the owner has not started within the duration.
    Every(TimeDelta),
    /// `cron 0 */2 * * *`: in a matching slot the owner has not started in.
    Cron(Box<CronExpr>),
    /// `task 'a' has succeeded today`.
    Status(Status),
    /// `after task 'a' succeeded`.
    Depend(Depend),
    /// `task 'a' is running`.
    Running(String),
    /// `scheduler started 10 minutes ago`, `scheduler has 3 cycles`.
    Scheduler(SchedulerCond),
    /// `env 'prod'`: the session parameter `env` equals the value.
    Env(String),
    /// `param 'k' exists`, `param 'k' is 'v'`.
    Param(ParamCond),
    /// A predicate registered by the embedding program.
    Custom(Custom),
    /// All operands hold (`&`); at least two, none constant or `All`.
    All(Vec<Cond>),
    /// Some operand holds (`|`); at least two, none constant or `Any`.
    Any(Vec<Cond>),
    /// The operand does not hold (`~`); never a constant or a `Not`.
    Not(Box<Cond>),
}

impl PartialEq for Cond {
    /// Spans are where a node came from, not what it means: they are not compared.
    fn eq(&self, other: &Cond) -> bool {
        self.kind == other.kind
    }
}

impl Eq for Cond {}

impl std::hash::Hash for Cond {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.kind.hash(state);
    }
}

impl Cond {
    /// A leaf node. Use [`Cond::all`], [`Cond::any`] and [`Cond::not`] for operators: a
    /// leaf given an operator kind is rebuilt through them.
    pub fn leaf(kind: CondKind, span: Span) -> Cond {
        match kind {
            CondKind::All(items) => Cond::all(items, span),
            CondKind::Any(items) => Cond::any(items, span),
            CondKind::Not(inner) => Cond::not(*inner, span),
            kind => Cond { kind, span },
        }
    }

    /// A constant.
    pub fn constant(value: bool, span: Span) -> Cond {
        Cond {
            kind: CondKind::Const(value),
            span,
        }
    }

    /// `a & b & ...`: flattens nested `All`, drops `true`, is `false` if any operand is,
    /// `true` if none is left, the operand itself if one is left.
    pub fn all(items: Vec<Cond>, span: Span) -> Cond {
        Cond::join(items, span, true)
    }

    /// `a | b | ...`: flattens nested `Any`, drops `false`, is `true` if any operand is,
    /// `false` if none is left, the operand itself if one is left.
    pub fn any(items: Vec<Cond>, span: Span) -> Cond {
        Cond::join(items, span, false)
    }

    /// `All` when `is_all`, else `Any`: `unit` is the neutral constant, `!unit` absorbs.
    fn join(items: Vec<Cond>, span: Span, is_all: bool) -> Cond {
        let unit = is_all;
        let mut flat = Vec::with_capacity(items.len());
        for item in items {
            match item.kind {
                CondKind::Const(v) if v == unit => {}
                CondKind::Const(_) => return Cond::constant(!unit, item.span),
                CondKind::All(inner) if is_all => flat.extend(inner),
                CondKind::Any(inner) if !is_all => flat.extend(inner),
                kind => flat.push(Cond {
                    kind,
                    span: item.span,
                }),
            }
        }
        match flat.len() {
            0 => Cond::constant(unit, span),
            1 => flat.pop().unwrap_or_else(|| Cond::constant(unit, span)),
            _ if is_all => Cond {
                kind: CondKind::All(flat),
                span,
            },
            _ => Cond {
                kind: CondKind::Any(flat),
                span,
            },
        }
    }

    /// `~a`: `~true` is `false`, `~~a` is `a`.
    pub fn not(inner: Cond, span: Span) -> Cond {
        match inner.kind {
            CondKind::Const(v) => Cond::constant(!v, span),
            CondKind::Not(x) => *x,
            kind => Cond {
                kind: CondKind::Not(Box::new(Cond {
                    kind,
                    span: inner.span,
                })),
                span,
            },
        }
    }

    /// What the node is.
    pub fn kind(&self) -> &CondKind {
        &self.kind
    }

    /// The span of the text the node came from.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The constant value, if the node is a constant.
    pub fn as_const(&self) -> Option<bool> {
        match self.kind {
            CondKind::Const(v) => Some(v),
            _ => None,
        }
    }

    /// The operands of an operator node (empty for a leaf).
    pub fn children(&self) -> &[Cond] {
        match &self.kind {
            CondKind::All(v) | CondKind::Any(v) => v,
            CondKind::Not(x) => std::slice::from_ref(x),
            _ => &[],
        }
    }

    /// Every task name the statement mentions (dependencies, status, running), sorted.
    pub fn task_names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        self.collect_tasks(&mut names);
        names.sort_unstable();
        names.dedup();
        names
    }

    fn collect_tasks<'a>(&'a self, out: &mut Vec<&'a str>) {
        match &self.kind {
            CondKind::Status(Status { task: Some(t), .. }) => out.push(t),
            CondKind::Depend(d) => out.push(&d.task),
            CondKind::Running(t) => out.push(t),
            _ => {}
        }
        for c in self.children() {
            c.collect_tasks(out);
        }
    }
}

impl std::fmt::Display for Cond {
    /// The canonical statement text (see [`print`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&print::print(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Cond {
        Cond::constant(true, Span::default())
    }
    fn f() -> Cond {
        Cond::constant(false, Span::default())
    }
    fn env(v: &str) -> Cond {
        Cond::leaf(CondKind::Env(v.into()), Span::default())
    }

    #[test]
    fn constructors_fold_constants() {
        assert_eq!(Cond::all(vec![t(), env("a")], Span::default()), env("a"));
        assert_eq!(Cond::all(vec![f(), env("a")], Span::default()), f());
        assert_eq!(Cond::any(vec![t(), env("a")], Span::default()), t());
        assert_eq!(Cond::any(vec![], Span::default()), f());
        assert_eq!(Cond::not(t(), Span::default()), f());
    }

    #[test]
    fn constructors_flatten_and_cancel() {
        let inner = Cond::all(vec![env("a"), env("b")], Span::default());
        let outer = Cond::all(vec![inner, env("c")], Span::default());
        assert_eq!(outer.children().len(), 3);
        let twice = Cond::not(Cond::not(env("a"), Span::default()), Span::default());
        assert_eq!(twice, env("a"));
    }
}
