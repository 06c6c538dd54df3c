//! Merging of time windows: the `time of` operands of one scope become one interval set
//! (intersection under `&`, union under `|`, complement under `~`), written back as the
//! fewest periods; windows of different scopes stay apart but are checked jointly, so that
//! `time of week on Mon & time of day after 10:00 & time of week on Tue` is proved never true.

use super::fold::redundant;
use super::{Finding, FindingKind};
use crate::ir::IntervalSet;
use crate::ir::{Cond, CondKind, Scope};
use crate::span::Span;
use std::collections::BTreeMap;

/// The `time of` operands of one scope within one `&` or `|`.
struct Group {
    set: IntervalSet,
    members: Vec<(IntervalSet, Cond)>,
}

/// Merges the `time of` operands of `items` scope by scope, and (under `&`) proves the
/// whole conjunction empty when its windows of different scopes never meet.
pub fn merge(items: Vec<Cond>, is_all: bool, span: Span, findings: &mut Vec<Finding>) -> Vec<Cond> {
    let mut groups: BTreeMap<Scope, Group> = BTreeMap::new();
    let mut rest = Vec::new();
    for item in items {
        match item.kind() {
            CondKind::TimeOf(p) => {
                let set = IntervalSet::of_period(p);
                let g = groups.entry(p.scope).or_insert_with(|| Group {
                    set: set.clone(),
                    members: Vec::new(),
                });
                g.set = if is_all {
                    g.set.intersect(&set)
                } else {
                    g.set.union(&set)
                };
                g.members.push((set, item));
            }
            _ => rest.push(item),
        }
    }
    let mut merged = Vec::new();
    for (scope, group) in &groups {
        report_redundant(group, is_all, findings);
        match (is_all, group.set.is_empty(), group.set.is_full()) {
            (true, true, _) => {
                return vec![never(
                    group.members.iter().map(|(_, c)| c.span()).collect(),
                    span,
                    findings,
                )]
            }
            (false, _, true) => return vec![Cond::constant(true, span)],
            (true, _, true) => {}
            _ if group.members.len() == 1 => merged.push(group.members[0].1.clone()),
            _ => merged.push(from_set(&group.set, *scope, cover(group))),
        }
    }
    if is_all {
        if let Some(spans) = jointly_empty(&groups, &rest) {
            return vec![never(spans, span, findings)];
        }
    }
    merged.extend(rest);
    merged
}

/// `~` of a constant is the other constant, `~` of a `time of` the complement window;
/// anything else is negated as usual.
pub fn negate(inner: Cond, span: Span) -> Cond {
    if let Some(value) = inner.as_const() {
        return Cond::constant(!value, span);
    }
    match inner.kind() {
        CondKind::TimeOf(p) => from_set(&IntervalSet::of_period(p).complement(), p.scope, span),
        _ => Cond::not(inner, span),
    }
}

/// The condition that holds exactly on `set`: `false`, `true`, one period or an `|` of them.
fn from_set(set: &IntervalSet, scope: Scope, span: Span) -> Cond {
    if set.is_full() {
        return Cond::constant(true, span);
    }
    let periods: Vec<Cond> = set
        .to_periods(scope)
        .into_iter()
        .map(|p| Cond::leaf(CondKind::TimeOf(p), span))
        .collect();
    Cond::any(periods, span)
}

fn cover(group: &Group) -> Span {
    let spans = group.members.iter().map(|(_, c)| c.span());
    spans.reduce(Span::cover).unwrap_or_default()
}

fn never(spans: Vec<Span>, span: Span, findings: &mut Vec<Finding>) -> Cond {
    findings.push(Finding {
        kind: FindingKind::NeverTrue,
        spans,
        detail: "these time conditions never hold at the same time".into(),
    });
    Cond::constant(false, span)
}

/// A member is redundant when the others already decide the group: under `&` when their
/// intersection lies inside it, under `|` when it lies inside their union.
fn report_redundant(group: &Group, is_all: bool, findings: &mut Vec<Finding>) {
    if group.members.len() < 2 {
        return;
    }
    for (i, (set, cond)) in group.members.iter().enumerate() {
        let others = group
            .members
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, (s, _))| s);
        let combined = others
            .cloned()
            .reduce(|a, b| if is_all { a.intersect(&b) } else { a.union(&b) });
        let Some(combined) = combined else { continue };
        let decided = if is_all {
            combined.is_subset(set)
        } else {
            set.is_subset(&combined)
        };
        let by = group
            .members
            .iter()
            .enumerate()
            .find(|(j, _)| *j != i)
            .map(|(_, (_, c))| c);
        if decided && !combined.is_empty() {
            findings.push(redundant(
                cond,
                by.unwrap_or(cond),
                "the other time conditions already decide it",
            ));
            return;
        }
    }
}

/// The window each operand requires of its own scope: `time of` windows (already merged)
/// and the periods of periodic phrases (`daily between 10:00 and 12:00` holds only then).
fn required_windows(
    groups: &BTreeMap<Scope, Group>,
    rest: &[Cond],
) -> (BTreeMap<Scope, IntervalSet>, Vec<Span>) {
    let mut sets: BTreeMap<Scope, IntervalSet> =
        groups.iter().map(|(s, g)| (*s, g.set.clone())).collect();
    let mut spans: Vec<Span> = groups
        .values()
        .flat_map(|g| g.members.iter().map(|(_, c)| c.span()))
        .collect();
    let mut require = |scope: Scope, set: IntervalSet| {
        let entry = sets
            .entry(scope)
            .or_insert_with(|| IntervalSet::full(scope.max()));
        *entry = entry.intersect(&set);
    };
    for cond in rest {
        match cond.kind() {
            CondKind::Periodic(p) if !p.is_full() => {
                require(p.scope, IntervalSet::of_period(p));
                spans.push(cond.span());
            }
            // A cron fires only in its minutes of the day and its days of the week or month.
            CondKind::Cron(expr) => {
                for scope in [Scope::Day, Scope::Week, Scope::Month] {
                    if let Some(set) = IntervalSet::of_cron(expr, scope) {
                        require(scope, set);
                    }
                }
                spans.push(cond.span());
            }
            _ => {}
        }
    }
    (sets, spans)
}

/// Whether the required windows of different scopes never meet: finer scopes are repeated
/// across coarser ones (a day's window seven times across a week) and intersected.
fn jointly_empty(groups: &BTreeMap<Scope, Group>, rest: &[Cond]) -> Option<Vec<Span>> {
    let (sets, spans) = required_windows(groups, rest);
    if sets.len() < 2 && !sets.values().any(IntervalSet::is_empty) {
        return None;
    }
    let mut acc: Option<IntervalSet> = None;
    for scope in [Scope::Second, Scope::Minute, Scope::Hour, Scope::Day] {
        acc = match (acc, sets.get(&scope)) {
            (Some(a), Some(s)) => Some(a.repeat_into(scope.max()).intersect(s)),
            (Some(a), None) => Some(a.repeat_into(scope.max())),
            (None, s) => s.cloned(),
        };
        if acc.as_ref().is_some_and(IntervalSet::is_empty) {
            return Some(spans);
        }
    }
    for top in [Scope::Week, Scope::Month] {
        let Some(s) = sets.get(&top) else { continue };
        let met = match &acc {
            Some(a) => a.repeat_into(top.max()).intersect(s),
            None => s.clone(),
        };
        if met.is_empty() {
            return Some(spans);
        }
    }
    None
}
