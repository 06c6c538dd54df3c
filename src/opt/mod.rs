//! IR to IR: the optimizer. Each pass is small and named, and every pass preserves
//! meaning; together they fold constants, flatten and de-duplicate `&`/`|`, apply
//! absorption, merge time windows of one scope into one interval set (intersection for
//! `&`, union for `|`, complement for `~`), prove conjunctions of time windows of
//! different scopes empty, and order operands by evaluation cost.
//!
//! While it works, the optimizer records [`Finding`]s (never-true clauses, redundant
//! clauses, ...) that [`lint`] turns into warnings pointing at the source spans.
//!
//! ```
//! let s = tminus::Statement::parse("time of day between 10:00 and 12:00 & time of day after 11:00")?;
//! assert_eq!(tminus::opt::optimize(s.cond()).to_string(), "time of day between 11:00 and 12:00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod fold;
mod lint;
mod order;
mod windows;

pub use crate::ir::IntervalSet;
pub use lint::lint;
pub use order::sorted;

use crate::ir::{Cond, CondKind};
use crate::span::Span;

/// Something the optimizer proved about a part of the statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What was proved.
    pub kind: FindingKind,
    /// The clauses involved, the first one primary.
    pub spans: Vec<Span>,
    /// One sentence for people, e.g. "cron day 31 never occurs in April".
    pub detail: String,
}

/// The kinds of [`Finding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FindingKind {
    /// The whole statement can never be true: `time of day before 10:00 & time of day after 11:00`.
    NeverTrue,
    /// One operand of `|` can never be true: `daily | time of day after 11:00 & time of day before 10:00`.
    NeverTrueClause,
    /// The whole statement is always true although it has time conditions:
    /// `time of day between 10:00 and 10:00`.
    AlwaysTrue,
    /// A clause that another makes redundant: `time of day after 09:00` in
    /// `time of day between 10:00 and 12:00 & time of day after 09:00`.
    Redundant,
    /// `between X and X`, which Rocketry reads as the full cycle: `daily between 10:00 and 10:00`.
    EmptyBetween,
    /// Cron fields that never match: `cron 0 0 31 4 *`.
    CronNever,
}

/// The optimized statement and what was proved on the way.
#[derive(Clone, Debug)]
pub struct Optimized {
    /// The optimized IR: same meaning, cheaper to evaluate.
    pub cond: Cond,
    /// What was proved, in the order found.
    pub findings: Vec<Finding>,
}

/// Optimizes a condition (see the module docs for the passes).
pub fn optimize(cond: &Cond) -> Cond {
    analyze(cond).cond
}

/// Optimizes a condition and reports what it proved.
pub fn analyze(cond: &Cond) -> Optimized {
    let mut findings = Vec::new();
    let optimized = rewrite(cond, &mut findings);
    lint::statement_findings(cond, &optimized, &mut findings);
    Optimized {
        cond: optimized,
        findings,
    }
}

/// The pass pipeline, bottom-up: children first, then the node's own passes.
fn rewrite(cond: &Cond, findings: &mut Vec<Finding>) -> Cond {
    let span = cond.span();
    match cond.kind() {
        CondKind::All(items) | CondKind::Any(items) => {
            let is_all = matches!(cond.kind(), CondKind::All(_));
            let items: Vec<Cond> = items.iter().map(|c| rewrite(c, findings)).collect();
            if !is_all {
                fold::report_dead_operands(&items, findings);
            }
            let items = fold::dedupe(items, findings);
            let items = fold::absorb(items, is_all, findings);
            let items = windows::merge(items, is_all, span, findings);
            let items = order::by_cost(items);
            if is_all {
                Cond::all(items, span)
            } else {
                Cond::any(items, span)
            }
        }
        CondKind::Not(inner) => windows::negate(rewrite(inner, findings), span),
        _ => fold::leaf(cond, findings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Statement;

    fn opt(text: &str) -> String {
        optimize(Statement::parse(text).expect("parses").cond()).to_string()
    }

    #[test]
    fn windows_of_one_scope_merge() {
        assert_eq!(
            opt("time of day between 10:00 and 12:00 & time of day after 11:00"),
            "time of day between 11:00 and 12:00"
        );
        assert_eq!(
            opt("time of day before 10:00 | time of day after 22:00"),
            "time of day between 22:00 and 10:00"
        );
        assert_eq!(
            opt("~time of day between 10:00 and 12:00"),
            "time of day between 12:00 and 10:00"
        );
        assert_eq!(
            opt("time of week between Mon and Fri & ~time of week on Wed"),
            "time of week before Tue | time of week between Thu and Fri"
        );
    }

    #[test]
    fn never_and_always() {
        assert_eq!(
            opt("time of day before 10:00 & time of day after 11:00"),
            "false"
        );
        assert_eq!(
            opt("time of day before 10:00 | time of day after 09:00"),
            "true"
        );
        assert_eq!(opt("cron 0 0 30 2 * | daily"), "daily");
        assert_eq!(
            opt("time of week on Mon & time of day after 10:00 & time of week on Tue"),
            "false"
        );
        assert_eq!(
            opt("daily between 10:00 and 12:00 & time of day after 13:00"),
            "false"
        );
    }

    #[test]
    fn cross_scope_windows_stay_apart_unless_empty() {
        assert_eq!(
            opt("time of week on Mon & time of day after 10:00"),
            "time of day after 10:00 & time of week on Mon"
        );
    }

    #[test]
    fn duplicates_absorption_and_order() {
        assert_eq!(opt("daily & daily"), "daily");
        assert_eq!(opt("daily & (daily | every 10 minutes)"), "daily");
        assert_eq!(
            opt("after task 'a' & time of day after 10:00"),
            "time of day after 10:00 & after task 'a' succeeded"
        );
    }
}
