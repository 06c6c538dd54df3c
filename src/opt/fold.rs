//! Constant folding of leaves (full time windows are `true`, cron that never matches is
//! `false`), de-duplication and absorption in `&`/`|`.

use super::{Finding, FindingKind};
use crate::ir::{Bound, Cond, CondKind, Period, StatusWindow};

/// Folds a leaf: a `time of` covering the whole cycle is `true`; a cron expression that
/// never matches is `false`. Records `between X and X` on the way.
pub fn leaf(cond: &Cond, findings: &mut Vec<Finding>) -> Cond {
    let span = cond.span();
    if let Some(p) = period_of(cond) {
        if let Bound::Between(a, b) = p.bound {
            if a.offset == b.end_offset() {
                findings.push(Finding {
                    kind: FindingKind::EmptyBetween,
                    spans: vec![span],
                    detail: "the start equals the end, which Rocketry reads as the whole cycle"
                        .into(),
                });
            }
        }
    }
    match cond.kind() {
        CondKind::TimeOf(p) if p.is_full() => Cond::constant(true, span),
        CondKind::Cron(c) if c.is_never() => {
            let detail = c
                .never_reason()
                .unwrap_or_else(|| "no date matches these fields".into());
            findings.push(Finding {
                kind: FindingKind::CronNever,
                spans: vec![span],
                detail,
            });
            Cond::constant(false, span)
        }
        _ => cond.clone(),
    }
}

/// The period of a time-based leaf, if it has one.
pub fn period_of(cond: &Cond) -> Option<&Period> {
    match cond.kind() {
        CondKind::TimeOf(p) | CondKind::Periodic(p) => Some(p),
        CondKind::Status(s) => match &s.window {
            StatusWindow::Period(p) => Some(p),
            _ => None,
        },
        _ => None,
    }
}

/// Operands of `|` that folded to `false` although they were not written `false`: a
/// never-true proof found inside one becomes a never-true-clause finding.
pub fn report_dead_operands(items: &[Cond], findings: &mut Vec<Finding>) {
    for item in items.iter().filter(|i| i.as_const() == Some(false)) {
        let inside = |f: &Finding| {
            f.spans
                .first()
                .is_some_and(|s| item.span().start <= s.start && s.end <= item.span().end)
        };
        let mut found = false;
        for f in findings.iter_mut().filter(|f| inside(f)) {
            found |= matches!(f.kind, FindingKind::NeverTrue | FindingKind::CronNever);
            if f.kind == FindingKind::NeverTrue {
                f.kind = FindingKind::NeverTrueClause;
            }
        }
        if !found {
            findings.push(Finding {
                kind: FindingKind::NeverTrueClause,
                spans: vec![item.span()],
                detail: "this alternative can never be true".into(),
            });
        }
    }
}

/// Removes repeated operands (`daily & daily`), keeping the first.
pub fn dedupe(items: Vec<Cond>, findings: &mut Vec<Finding>) -> Vec<Cond> {
    let mut kept: Vec<Cond> = Vec::with_capacity(items.len());
    for item in items {
        match kept.iter().find(|k| **k == item && k.as_const().is_none()) {
            Some(first) => findings.push(redundant(&item, first, "it repeats another clause")),
            None => kept.push(item),
        }
    }
    kept
}

/// Absorption: in `a & (a | b)` the group adds nothing, nor does `a & b` in `a | (a & b)`.
pub fn absorb(items: Vec<Cond>, is_all: bool, findings: &mut Vec<Finding>) -> Vec<Cond> {
    let absorbed: Vec<bool> = items
        .iter()
        .map(|item| {
            let inner = match item.kind() {
                CondKind::Any(v) if is_all => v,
                CondKind::All(v) if !is_all => v,
                _ => return false,
            };
            items
                .iter()
                .any(|other| !std::ptr::eq(other, item) && inner.contains(other))
        })
        .collect();
    let mut out = Vec::with_capacity(items.len());
    for (item, gone) in items.iter().zip(&absorbed) {
        if *gone {
            let by = items
                .iter()
                .find(|o| !std::ptr::eq(*o, item) && item.children().contains(o));
            findings.push(redundant(
                item,
                by.unwrap_or(item),
                "another operand already decides it",
            ));
        } else {
            out.push(item.clone());
        }
    }
    out
}

pub(super) fn redundant(item: &Cond, by: &Cond, why: &str) -> Finding {
    Finding {
        kind: FindingKind::Redundant,
        spans: vec![item.span(), by.span()],
        detail: format!("this clause is redundant: {why}"),
    }
}
