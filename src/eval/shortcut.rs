//! A shortcut for the most common statement, a lone `cron ...`, whose windows follow
//! from the cron slots alone.
//!
//! The generic search ([`super::next`]) evaluates the whole statement at every boundary:
//! at the query instant, again at the slot it jumped to (to learn the value there), and
//! again past the window to find its end, each time also reading the owner's records.
//! When the statement is a lone `cron` leaf, the zone has a fixed offset (no gaps, so no
//! slot is ever moved) and the owner has no run record at all (so no slot is ever
//! "already run"), its value at instant `t` is exactly "the wall clock `t + offset` lies
//! in a matching slot". Then the window is the run of consecutive matching slots from
//! the first one at or after the query: one slot search for the start, one match test
//! per following slot for the end. The answer is the generic search's, step for step
//! (same limits, same step bound); the tests compare both on random expressions.

use super::next::{Found, MAX_STEPS};
use super::schedule::{Node, Schedule};
use super::zone::Zone;
use crate::civil::{in_range, DAY, MAX_TIME, MIN_TIME};
use crate::history::{Action, History};
use crate::ir::CronExpr;

/// The next window of `schedule` starting in `[from, limit)`, its end searched up to
/// `span` after its start, when the shortcut applies (`None` otherwise).
#[inline]
pub(crate) fn lone_cron<H: History + ?Sized>(
    schedule: &Schedule,
    zone: &Zone,
    history: &H,
    (from, limit, span): (i64, i64, i64),
) -> Option<Found> {
    let Node::Cron { expr, slot } = &schedule.root else {
        return None;
    };
    if expr.is_never() {
        return None; // proved never: the generic answer needs no search either
    }
    let offset = zone.is_fixed().then(|| zone.offset(from))?;
    // Near the ends of the supported range the evaluator clamps civil times; leave
    // those queries to the generic search rather than mirror the clamping here.
    let civil_limit = limit.checked_add(offset)?.checked_add(2 * DAY)?;
    if from.saturating_add(offset) <= MIN_TIME || civil_limit >= MAX_TIME {
        return None;
    }
    let runs = history.events(&schedule.task);
    if runs.iter().rev().any(|e| e.action == Action::Run) {
        return None;
    }
    let slots = Civil {
        expr,
        slot: *slot,
        offset,
    };
    let Some(start) = slots.first_start(from, limit, civil_limit) else {
        return Some(Found::Beyond);
    };
    let end_limit = start.saturating_add(span).min(MAX_TIME);
    Some(Found::Window(start, slots.end(start, end_limit)))
}

/// The slots of a cron expression on the wall clock of a fixed-offset zone.
struct Civil<'a> {
    expr: &'a CronExpr,
    slot: i64,
    offset: i64,
}

impl Civil<'_> {
    /// The first instant in `[from, limit)` inside a matching slot.
    fn first_start(&self, from: i64, limit: i64, civil_limit: i64) -> Option<i64> {
        let l = from + self.offset;
        if self.expr.matches_civil(l) {
            return Some(from);
        }
        let next = self.expr.next_slot_from_civil(l, civil_limit)? - self.offset;
        (next < limit).then_some(next)
    }

    /// The first instant after `start` (inside a matching slot) outside every matching
    /// slot, if before `end_limit` and within [`MAX_STEPS`] slots, as the generic search.
    fn end(&self, start: i64, end_limit: i64) -> Option<i64> {
        let l = start + self.offset;
        let mut t = l - l.rem_euclid(self.slot) + self.slot - self.offset;
        if t >= end_limit {
            return None;
        }
        for _ in 0..MAX_STEPS {
            if !self.expr.matches_civil(in_range(t + self.offset)) {
                return Some(t);
            }
            t += self.slot;
            if t >= end_limit {
                return None;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::MemoryHistory;
    use crate::Statement;
    use chrono::{TimeZone, Utc};

    /// A small deterministic xorshift generator, so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len() as u64) as usize]
        }
    }

    fn random_cron(rng: &mut Rng) -> String {
        let minute = rng.pick(&["*", "*/5", "30", "0,1,2", "59", "*/7", "10-12"]);
        let hour = rng.pick(&["*", "9", "23", "0-3", "*/6"]);
        let day = rng.pick(&["*", "29", "31", "1,15", "L", "15W"]);
        let month = rng.pick(&["*", "2", "1-6", "*/4"]);
        let weekday = rng.pick(&["*", "1-5", "0", "5L", "2#3"]);
        let seconds = rng.pick(&["", "", "*/20 ", "0 "]);
        format!("cron {seconds}{minute} {hour} {day} {month} {weekday}")
    }

    #[test]
    fn agrees_with_the_generic_search() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let zones = [
            chrono_tz::UTC,
            chrono_tz::Etc::GMTMinus5,
            chrono_tz::Etc::GMTPlus12,
        ];
        let spans = [60_000_000, 3_600_000_000, DAY, 40 * DAY, 5 * 366 * DAY];
        let base = Utc.with_ymd_and_hms(2024, 3, 11, 10, 7, 13).unwrap();
        let history = MemoryHistory::new();
        for _ in 0..3000 {
            let text = random_cron(&mut rng);
            let schedule = Statement::parse(&text).unwrap().schedule();
            if schedule.is_never() {
                continue; // answered before any search
            }
            let zone = Zone::new(zones[rng.below(3) as usize], schedule.dst);
            let from = base.timestamp_micros() + rng.below(400 * DAY as u64) as i64
                - 200 * DAY
                - [0, 13_000_000, 7][rng.below(3) as usize];
            let (span, horizon) = (spans[rng.below(5) as usize], spans[rng.below(5) as usize]);
            let bounds = (from, from + horizon, span);
            let fast = lone_cron(&schedule, &zone, &history, bounds);
            let generic = schedule.search(&zone, &history, bounds);
            assert_eq!(
                fast,
                Some(generic),
                "{text} from {from}, {zone:?}, {bounds:?}"
            );
        }
    }

    #[test]
    fn applies_only_to_a_lone_cron_without_runs_in_a_fixed_zone() {
        let from = Utc.with_ymd_and_hms(2024, 3, 11, 10, 7, 13).unwrap();
        let bounds = (from.timestamp_micros(), from.timestamp_micros() + DAY, DAY);
        let cron = Statement::parse("cron */5 * * * *").unwrap().schedule();
        let utc = Zone::new(chrono_tz::UTC, cron.dst);
        let none = MemoryHistory::new();
        assert!(lone_cron(&cron, &utc, &none, bounds).is_some());
        let ny = Zone::new(chrono_tz::America::New_York, cron.dst);
        assert_eq!(lone_cron(&cron, &ny, &none, bounds), None);
        let mut ran = MemoryHistory::new();
        ran.record("t", Action::Run, from);
        assert_eq!(lone_cron(&cron, &utc, &ran, bounds), None);
        let both = Statement::parse("cron */5 * * * * & every 10 minutes").unwrap();
        assert_eq!(lone_cron(&both.schedule(), &utc, &none, bounds), None);
    }
}
