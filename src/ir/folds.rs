//! The folds of the smart constructors, reported as warnings while lowering.
//!
//! [`Cond::all`], [`Cond::any`] and [`Cond::not`] drop `true` inside `&`, `false` inside
//! `|` and the second `~` of `~~`, so the IR keeps no trace of them; only lowering sees
//! both what was written and what it folded to. A part that folds away is always a
//! leftover or a mistake (`~false & daily` is `daily`), so each fold gets a warning at the
//! part written. A node that folds to a constant is not reported where it folds but where
//! its constant is dropped in turn, or, when it is the whole statement, by the optimizer's
//! lint (`never-true`, an error, or `always-true`).

use super::{Cond, CondKind};
use crate::diag::{codes, Diagnostic, Severity};
use crate::syntax::ast::{Expr, ExprKind};

/// The operands of one `&` (`is_all`) or `|` that fold away: the neutral constant (`true`
/// in `&`, `false` in `|`) beside an operand that is not constant. When an operand is the
/// absorbing constant, or every operand is constant, the node itself becomes a constant
/// and is reported further up.
pub(super) fn dropped_operands(
    written: &[Expr],
    lowered: &[Cond],
    is_all: bool,
) -> Vec<Diagnostic> {
    let neutral = is_all;
    let constants: Vec<Option<bool>> = lowered.iter().map(Cond::as_const).collect();
    let absorbed = constants.contains(&Some(!neutral));
    if absorbed || constants.iter().all(Option::is_some) {
        return Vec::new();
    }
    let (code, message, label) = if is_all {
        (
            codes::REDUNDANT_CLAUSE,
            "this clause is always true",
            "always true, so it changes nothing in `&`",
        )
    } else {
        (
            codes::NEVER_TRUE_CLAUSE,
            "this alternative is never true",
            "never true, so it changes nothing in `|`",
        )
    };
    written
        .iter()
        .zip(&constants)
        .filter(|(_, c)| **c == Some(neutral))
        .map(|(e, _)| {
            Diagnostic::new(code, Severity::Warning, message, e.span, label)
                .with_help("remove it; the statement means the same without it")
        })
        .collect()
}

/// `~~a` written so (parentheses between the two `~` allowed), where `a` is not a
/// constant: the two negations cancel. `~~true` folds to a constant instead.
pub(super) fn double_negation(
    written: &Expr,
    inner: &Expr,
    lowered_inner: &Cond,
) -> Option<Diagnostic> {
    let mut inner = inner;
    while let ExprKind::Group(e) = &inner.kind {
        inner = e;
    }
    let twice =
        matches!(inner.kind, ExprKind::Not(_)) && matches!(lowered_inner.kind(), CondKind::Not(_));
    twice.then(|| {
        Diagnostic::new(
            codes::DOUBLE_NEGATION,
            Severity::Warning,
            "two negations cancel out",
            written.span,
            "`~~` means the same as no `~`",
        )
        .with_help("remove both `~`")
    })
}
