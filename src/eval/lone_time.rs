//! A shortcut for a lone time predicate (`time of day between 10:00 and 12:00`, `time of
//! week on Sat`), whose windows are its occurrences on the wall clock.
//!
//! The generic search ([`super::next`]) evaluates the statement at the query, at the next
//! period edge and again at the end of the occurrence. A lone `time of ...` has no
//! history and, when no DST gap moves an occurrence (a fixed-offset zone, or
//! [`crate::DstPolicy::Skip`]), its value is membership of the wall-clock time alone: the
//! window is the occurrence that contains the query or else the next one, from its period
//! edges. Where the wall clock runs straight at one offset ([`Zone::straight`]) those
//! edges are instants by one subtraction; where an edge lies past the span, the
//! shortcut gives way to the generic search. The answer is the generic search's; the
//! tests compare both in the zones of the DST tests.

use super::next::Found;
use super::period::CivilPeriod;
use super::schedule::{Node, Schedule};
use super::zone::Zone;
use crate::civil::{DAY, MAX_TIME, MIN_TIME};

/// The most period edges followed to the end of an occurrence (an edge at the start of a
/// cycle inside a wrapping occurrence, and a spare) before the generic search takes over.
const MAX_EDGES: usize = 3;

/// The next window of `schedule` starting in `[from, limit)`, its end searched up to
/// `span` after its start, when the shortcut applies (`None` otherwise).
#[inline]
pub(crate) fn lone_time(
    schedule: &Schedule,
    zone: &Zone,
    (from, limit, span): (i64, i64, i64),
) -> Option<Found> {
    let Node::TimeOf(p) = &schedule.root else {
        return None;
    };
    if p.is_full() || zone.moves_gaps() {
        return None;
    }
    let straight = zone.straight(from);
    let (offset, until) = (straight.offset, straight.until);
    // Near the ends of the supported range the evaluator clamps civil times.
    let l = from.checked_add(offset)?;
    let far = limit.checked_add(offset)?.checked_add(2 * DAY)?;
    if l <= MIN_TIME || far >= MAX_TIME {
        return None;
    }
    let c = p.cycle_start(l);
    let start = if p.contains_in(l, c) {
        from
    } else {
        // The next edge starts the next occurrence, unless the cycle holds none there.
        let edge = p.next_boundary_in(l, c);
        if !p.contains(edge) {
            return None;
        }
        let at = edge - offset;
        if at >= limit {
            // Not before the limit: certain only if the limit lies inside the span.
            return (limit <= until).then_some(Found::Beyond);
        }
        if at >= until {
            return None;
        }
        at
    };
    let end_civil = occurrence_end(p, start + offset)?;
    let end = end_civil - offset;
    let end_limit = start.saturating_add(span).min(MAX_TIME);
    if end >= end_limit {
        return (end_limit <= until).then_some(Found::Window(start, None));
    }
    (end < until).then_some(Found::Window(start, Some(end)))
}

/// The first civil time after `l` (inside the period) outside it, following at most
/// [`MAX_EDGES`] edges.
fn occurrence_end(p: &CivilPeriod, l: i64) -> Option<i64> {
    let mut at = l;
    for _ in 0..MAX_EDGES {
        at = p.next_boundary(at);
        if !p.contains(at) {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{DstPolicy, MemoryHistory};
    use crate::test_rng::Rng;
    use crate::Statement;
    use chrono_tz::Tz;

    /// The zones of the DST tests, and fixed ones.
    const ZONES: [Tz; 9] = [
        chrono_tz::UTC,
        chrono_tz::Etc::GMTMinus5,
        chrono_tz::Etc::GMTPlus12,
        chrono_tz::America::New_York,
        chrono_tz::Europe::Helsinki,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Pacific::Chatham,
        chrono_tz::America::Sao_Paulo,
        chrono_tz::Pacific::Apia,
    ];

    /// The shortcut's answer is the general search's, for random periods of every scope
    /// (wrapping ones too), zones and policies, near offset changes and elsewhere.
    #[test]
    fn agrees_with_the_general_search() {
        let periods = [
            "time of day between 10:00 and 12:00",
            "time of day between 22:00 and 02:00",
            "time of day between 01:30 and 03:15",
            "time of day after 17:00",
            "time of day before 06:00",
            "time of hour between 15:00 and 45:00",
            "time of minute after 30",
            "time of week between Mon and Fri",
            "time of week between Sat and Mon",
            "time of week on Sun",
            "time of month between 28th and 31st",
            "time of month between 30th and 2nd",
            "time of month after 15th",
            "time of day between 00:00 and 24:00",
        ];
        let hour = 3_600_000_000i64;
        // Offset changes of the DST zones (UTC seconds) and an ordinary Monday.
        let around: [i64; 8] = [
            1_710_054_000,
            1_730_613_600,
            1_729_990_800,
            1_728_142_200,
            1_712_412_000,
            1_541_300_400,
            1_325_239_200,
            1_710_151_633,
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut shortcuts = 0;
        for _ in 0..6000 {
            let text = rng.pick(&periods);
            let policy = [DstPolicy::Skip, DstPolicy::Forward][rng.below(2) as usize];
            // Forms this grammar does not take are skipped (the count below checks the rest).
            let Ok(statement) = Statement::parse(text) else {
                continue;
            };
            let schedule = statement.schedule().with_dst(policy);
            let zone = Zone::new(ZONES[rng.below(ZONES.len() as u64) as usize], policy);
            let at = around[rng.below(around.len() as u64) as usize] * 1_000_000;
            let from = at + rng.below(80 * hour as u64) as i64 - 40 * hour
                + [0, 1, 7, 59_999_999][rng.below(4) as usize];
            let span = [hour, 30 * hour, 40 * 24 * hour][rng.below(3) as usize];
            let history = MemoryHistory::new();
            let fast = lone_time(&schedule, &zone, (from, from + span, span));
            shortcuts += usize::from(fast.is_some());
            // A lone time predicate takes no fast path in the generic search.
            let general = schedule.search(&zone, &history, (from, from + span, span));
            if let Some(fast) = fast {
                assert_eq!(fast, general, "{text} in {:?} from {from}", zone.tz());
            }
        }
        assert!(shortcuts > 2000, "{shortcuts}");
    }
}
