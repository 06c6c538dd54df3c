//! Proofs that a statement is never true, decided once at compile time.
//!
//! Two kinds: [`never`] holds whatever the clock and the history do (a constant `false`,
//! an impossible cron such as `0 0 30 2 *`); [`never_civil`] holds on the wall clock
//! because the time predicates under one `&` cannot meet (`time of day between 10:00 and
//! 11:00 & time of day after 12:00`). The second is checked with canonical interval sets
//! over the offsets of one cycle: sorted, disjoint, non-adjacent `[start, end)` pairs, so
//! intersection and complement are simple merges and the empty set is `[]`.

use super::period::CivilPeriod;
use super::schedule::Node;
use crate::ir::IntervalSet;
use crate::ir::Scope;

/// Whether `node` is false at every instant with every history.
pub(crate) fn never(node: &Node) -> bool {
    match node {
        Node::Const(v) => !v,
        Node::Cron { expr, .. } => expr.is_never(),
        Node::All(items) => items.iter().any(never),
        Node::Any(items) => items.iter().all(never),
        Node::Not(inner) => always(inner),
        _ => false,
    }
}

/// Whether `node` is true at every instant with every history.
fn always(node: &Node) -> bool {
    match node {
        Node::Const(v) => *v,
        Node::TimeOf(p) => p.is_full(),
        Node::All(items) => items.iter().all(always),
        Node::Any(items) => items.iter().any(always),
        Node::Not(inner) => never(inner),
        _ => false,
    }
}

/// Whether `node` is false at every instant because of its time predicates alone, judged
/// on the wall clock.
pub(crate) fn never_civil(node: &Node) -> bool {
    match node {
        Node::All(items) => items.iter().any(never_civil) || disjoint(items),
        Node::Any(items) => items.iter().all(never_civil),
        _ => false,
    }
}

/// Whether the time predicates among the operands of an `&` leave no common offset in
/// some cycle.
fn disjoint(items: &[Node]) -> bool {
    Scope::ALL.into_iter().any(|scope| {
        let mut common = IntervalSet::full(scope.max());
        for item in items {
            if let Some(set) = required(item, scope) {
                common = common.intersect(&set);
            }
        }
        common.is_empty()
    })
}

/// The offsets of `scope` at which `node` can be true, when it constrains them.
fn required(node: &Node, scope: Scope) -> Option<IntervalSet> {
    match node {
        Node::TimeOf(p) | Node::Periodic(p) if p.scope() == scope => Some(set_of(p)),
        Node::Cron { expr, .. } => IntervalSet::of_cron(expr, scope),
        Node::Not(inner) => match inner.as_ref() {
            Node::TimeOf(p) if p.scope() == scope => Some(set_of(p).complement()),
            _ => None,
        },
        _ => None,
    }
}

/// The offsets of a civil period, as the optimizer's canonical interval set.
fn set_of(p: &CivilPeriod) -> IntervalSet {
    IntervalSet::of_offsets(p.scope().max(), p.offsets(), p.is_full())
}

#[cfg(test)]
mod tests {
    use crate::Statement;

    fn proved(text: &str) -> (bool, bool) {
        let s = Statement::parse(text).map(|s| s.schedule());
        s.map_or((false, false), |s| (s.never, s.never_civil))
    }

    #[test]
    fn proves_disjoint_time_predicates() {
        assert_eq!(
            proved("time of day between 10:00 and 11:00 & time of day after 12:00"),
            (false, true)
        );
        assert_eq!(
            proved("time of day after 10:00 & ~time of day after 09:00"),
            (false, true)
        );
        assert_eq!(
            proved("daily between 22:00 and 02:00 & time of day between 03:00 and 04:00"),
            (false, true)
        );
        assert_eq!(
            proved("time of day between 22:00 and 02:00 & time of day before 01:00"),
            (false, false)
        );
    }

    #[test]
    fn proves_cron_against_time_windows() {
        assert_eq!(
            proved("cron 0 0 * * 1 & time of week on Tue"),
            (false, true)
        );
        assert_eq!(
            proved("cron 0 12 * * * & time of day before 10:00"),
            (false, true)
        );
        assert_eq!(
            proved("cron 0 0 1 * * & time of month between 10th and 20th"),
            (false, true)
        );
        assert_eq!(
            proved("cron 0 0 * * 1 & time of week on Mon"),
            (false, false)
        );
        assert_eq!(
            proved("cron 0 0 1 * 2 & time of week on Mon"),
            (false, false)
        );
        assert_eq!(
            proved("cron 30 9 * * * & time of day between 09:00 and 10:00"),
            (false, false)
        );
    }

    #[test]
    fn proves_impossible_cron_and_constants() {
        assert_eq!(proved("cron 0 0 30 2 *"), (true, true));
        assert_eq!(proved("cron 0 0 30 2 * | cron 0 0 31 4 *"), (true, true));
        assert_eq!(proved("cron 0 0 29 2 *"), (false, false));
        assert_eq!(proved("~time of day between 10:00 and 10:00"), (true, true));
    }
}
