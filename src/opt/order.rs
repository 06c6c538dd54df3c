//! Orders the operands of `&` and `|` by evaluation cost, cheapest first, so that
//! short-circuit evaluation rarely reaches the expensive ones: pure time predicates,
//! then the owner's own history, then other tasks' history, then custom predicates.

use crate::ir::{Cond, CondKind};

/// A rough relative cost of evaluating a node once.
pub fn cost(cond: &Cond) -> u32 {
    match cond.kind() {
        CondKind::Const(_) => 0,
        CondKind::TimeOf(_) => 1,
        CondKind::Env(_) | CondKind::Param(_) | CondKind::Scheduler(_) => 2,
        CondKind::Periodic(_) | CondKind::Every(_) | CondKind::Cron(_) => 3,
        CondKind::Running(_) => 4,
        CondKind::Status(_) | CondKind::Depend(_) => 5,
        CondKind::Custom(_) => 20,
        CondKind::Not(inner) => cost(inner),
        CondKind::All(items) | CondKind::Any(items) => items.iter().map(cost).sum(),
    }
}

/// The operands sorted by [`cost`]; equal costs keep their written order.
pub fn by_cost(mut items: Vec<Cond>) -> Vec<Cond> {
    items.sort_by_key(cost);
    items
}

/// The condition with the operands of every `&` and `|` sorted by their canonical text:
/// the form `tminus fmt --sort` prints, for when the written order does not matter.
pub fn sorted(cond: &Cond) -> Cond {
    let span = cond.span();
    match cond.kind() {
        CondKind::All(items) | CondKind::Any(items) => {
            let mut items: Vec<(String, Cond)> = items
                .iter()
                .map(|c| {
                    let c = sorted(c);
                    (c.to_string(), c)
                })
                .collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            let items = items.into_iter().map(|(_, c)| c).collect();
            if matches!(cond.kind(), CondKind::All(_)) {
                Cond::all(items, span)
            } else {
                Cond::any(items, span)
            }
        }
        CondKind::Not(inner) => Cond::not(sorted(inner), span),
        _ => cond.clone(),
    }
}
