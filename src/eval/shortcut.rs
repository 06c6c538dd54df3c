//! A shortcut for the most common statement, a lone `cron ...`, whose windows follow
//! from the cron slots alone.
//!
//! The generic search ([`super::next`]) evaluates the whole statement at every boundary:
//! at the query instant, again at the slot it jumped to (to learn the value there), and
//! again past the window to find its end, each time also reading the owner's records.
//! When the statement is a lone `cron` leaf, no DST gap moves a slot, and the answer lies
//! where the wall clock runs straight at one offset (a fixed-offset zone, or one span of a
//! zone with DST: [`Zone::straight`]), its value at instant `t` follows from the wall
//! clock `t + offset` and the owner's last run:
//!
//! * without a run, it is "`t + offset` lies in a matching slot", and the window is the
//!   run of consecutive matching slots from the first one at or after the query;
//! * when every run lies at or before the query (a task that ran before), a slot that
//!   started after the last run `r` is true, one that contains `r` is false from `r` on,
//!   and at the exact start of a slot Rocketry looks at the previous matching slot
//!   instead (a run in it, ends included, makes that one instant false).
//!
//! One slot search for the start, one match test per following slot for the end, and for
//! the run rule a slot search between the last run and the start. Where the answer would
//! leave the span, or the run rule needs more than the last run, the shortcut gives way
//! to the generic search. The answer is the generic search's, step for step (same limits,
//! same step bound); the tests compare both on random expressions, zones and runs.

use super::next::{Found, MAX_STEPS};
use super::schedule::{Actions, Node, Schedule};
use super::truth::{any_in, far_past, Records};
use super::zone::{Straight, Zone};
use crate::civil::{in_range, DAY, MAX_TIME, MIN_TIME};
use crate::history::History;
use crate::ir::CronExpr;
use std::cell::Cell;

/// The longest log of the owner whose instants the shortcut converts on each read.
const SHORT_LOG: usize = 8;

/// A minute in microseconds, the slot of a cron expression without a seconds field.
const MINUTE: i64 = 60_000_000;

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
    if expr.is_never() || zone.moves_gaps() {
        return None; // proved never: the generic answer needs no search either
    }
    let straight = zone.straight(from);
    let offset = straight.offset;
    // Near the ends of the supported range the evaluator clamps civil times; leave
    // those queries to the generic search rather than mirror the clamping here.
    let civil_limit = limit.checked_add(offset)?.checked_add(2 * DAY)?;
    if from.saturating_add(offset) <= MIN_TIME || civil_limit >= MAX_TIME {
        return None;
    }
    // The records' instants are read only when the owner has run.
    let events = history.events(&schedule.task);
    let has_run = events.iter().any(|e| Actions::RUN.has(e.action));
    // The shortcut reads a few instants: for a short log, converting them costs less
    // than a second lookup by task name for the table of instants.
    let micros = has_run && events.len() > SHORT_LOG;
    let records = Records::of_events(history, &schedule.task, events, micros);
    let last_run = if has_run {
        records.last_of(Actions::RUN)
    } else {
        None
    };
    let slots = Slots {
        expr,
        slot: *slot,
        straight,
        civil_limit,
        run_end: Cell::new(None),
    };
    let start = match last_run {
        None => slots.first_start(from, limit)?,
        // A run after the query, or outside the span: the generic search.
        Some(run) if run <= from && run >= straight.first_pass_from => {
            let runs = Runs {
                zone,
                records,
                last: run,
            };
            slots.first_start_after_runs(from, limit, &runs)?
        }
        Some(_) => return None,
    };
    let start = match start {
        Start::At(start) => start,
        Start::Instant(start) => {
            // True for this one instant: the run at it counts from the next one on.
            let end = start.checked_add(1).filter(|&end| end < straight.until)?;
            let end_limit = start.saturating_add(span).min(MAX_TIME);
            return Some(Found::Window(start, (end < end_limit).then_some(end)));
        }
        Start::Beyond => return Some(Found::Beyond),
    };
    let end_limit = start.saturating_add(span).min(MAX_TIME);
    Some(Found::Window(start, slots.end(start, end_limit)?))
}

/// Where a window starts.
enum Start {
    /// At this instant, lasting at least to the end of its slot.
    At(i64),
    /// At this instant, for this instant only.
    Instant(i64),
    /// Not before the limit.
    Beyond,
}

/// The slots of a cron expression on a wall clock that runs straight at one offset.
struct Slots<'a> {
    expr: &'a CronExpr,
    slot: i64,
    straight: Straight,
    /// The generic search's bound for slot searches (wall clock, two days past the limit).
    civil_limit: i64,
    /// The civil end of the matching slots that the window found starts in, when
    /// [`Slots::first_start`] saw it on the way.
    run_end: Cell<Option<i64>>,
}

/// The owner's records, all at or before the query, and its last run.
struct Runs<'a, 'e> {
    zone: &'a Zone,
    records: Records<'e>,
    last: i64,
}

impl Slots<'_> {
    /// The instant of civil time `l` (inside the span).
    fn instant(&self, l: i64) -> i64 {
        l - self.straight.offset
    }

    /// The civil time of instant `t`.
    fn civil(&self, t: i64) -> i64 {
        t + self.straight.offset
    }

    /// The start of the slot containing civil time `l`.
    fn slot_of(&self, l: i64) -> i64 {
        l - l.rem_euclid(self.slot)
    }

    /// The first matching slot at or after civil time `l` (rounded up to a slot), as an
    /// instant: `Err(())` when the answer needs the generic search (the slot lies beyond
    /// the span), `Ok(None)` when there is none before `limit`.
    fn next_slot(&self, l: i64, limit: i64) -> Result<Option<i64>, ()> {
        let next = self.expr.next_slot_from_civil(l, self.civil_limit);
        match next.map(|n| self.instant(n)) {
            Some(at) => self.slot_or_beyond(at, limit).ok_or(()),
            None if limit <= self.straight.until => Ok(None),
            None => Err(()),
        }
    }

    /// [`Slots::next_slot`]'s answer for the first matching slot starting at instant
    /// `at`: `Some(Some(at))` before the limit and inside the span, `Some(None)` when
    /// none lies before the limit (certain only if the limit lies inside the span), `None`
    /// when the answer needs the generic search.
    #[inline]
    fn slot_or_beyond(&self, at: i64, limit: i64) -> Option<Option<i64>> {
        if at < limit {
            (at < self.straight.until).then_some(Some(at))
        } else {
            (limit <= self.straight.until).then_some(None)
        }
    }

    /// The first instant in `[from, limit)` inside a matching slot, without runs.
    fn first_start(&self, from: i64, limit: i64) -> Option<Start> {
        let l = self.civil(from);
        // Slots of a minute on a matching day: the time fields alone, by bit scans.
        let (days, in_day) = (l.div_euclid(DAY), l.rem_euclid(DAY));
        let minute = (in_day / MINUTE) as u32;
        if let Some((first, next)) = self.expr.minute_run(minute) {
            if self.expr.day_matches_days(days) {
                let midnight = l - in_day;
                if next < 1440 {
                    self.run_end.set(Some(midnight + i64::from(next) * MINUTE));
                }
                if first == minute {
                    return Some(Start::At(from));
                }
                let at = self.instant(midnight + i64::from(first) * MINUTE);
                return Some(match self.slot_or_beyond(at, limit)? {
                    Some(at) => Start::At(at),
                    None => Start::Beyond,
                });
            }
        }
        if self.expr.matches_civil(l) {
            return Some(Start::At(from));
        }
        Some(match self.next_slot(l, limit).ok()? {
            Some(at) => Start::At(at),
            None => Start::Beyond,
        })
    }

    /// The first instant in `[from, limit)` at which the statement is true, given runs all
    /// at or before `from`.
    fn first_start_after_runs(&self, from: i64, limit: i64, runs: &Runs<'_, '_>) -> Option<Start> {
        let l = self.civil(from);
        // Whether the slot the search starts from is known to have run.
        let mut search_from = l;
        let mut ran = false;
        if self.expr.matches_civil(l) {
            let s = self.slot_of(l);
            let a = self.instant(s);
            if a < self.straight.first_pass_from {
                return None;
            }
            let ran_here = runs.last >= a;
            if from > a && !ran_here {
                return Some(Start::At(from));
            }
            if from == a && !self.ran_in_previous_slot(s, runs)? {
                // True at the slot's start; a run at that very instant counts after it.
                return Some(if ran_here {
                    Start::Instant(a)
                } else {
                    Start::At(a)
                });
            }
            if from == a && !ran_here {
                // False at the start only (the previous slot ran), true after it.
                return Some(if a + 1 < limit {
                    Start::At(a + 1)
                } else {
                    Start::Beyond
                });
            }
            // This slot has run: false to its end, and the next matching slot, whose
            // previous matching slot this is, starts false for one instant.
            search_from = s + self.slot;
            ran = true;
        }
        let Some(at) = self.next_slot(search_from, limit).ok()? else {
            return Some(Start::Beyond);
        };
        let ran = ran || self.ran_in_previous_slot(self.civil(at), runs)?;
        Some(match (ran, at + 1 < limit) {
            (false, _) => Start::At(at),
            (true, true) => Start::At(at + 1),
            (true, false) => Start::Beyond,
        })
    }

    /// Whether a run lies in the matching slot before the matching slot starting at civil
    /// `s`, both ends included (Rocketry's rule at the exact start of a slot), judged from
    /// the last run (at or before `s`) where it can be; `None` when the answer needs the
    /// generic search.
    fn ran_in_previous_slot(&self, s: i64, runs: &Runs<'_, '_>) -> Option<bool> {
        let r = self.civil(runs.last);
        let sr = self.slot_of(r);
        let between = |from: i64| self.expr.next_slot_from_civil(from, s);
        if sr < s {
            // The slot of the last run matches: it is the previous one unless another
            // matching slot lies between (then every run is before that one).
            if self.expr.matches_civil(sr) {
                return Some(between(sr + self.slot).is_none());
            }
            if between(sr).is_some() {
                return Some(false);
            }
        }
        // The previous matching slot ended at or before the last run's slot starts: the
        // last run lies in it only at its end, and an earlier run may lie in it.
        if r == sr && self.expr.matches_civil(in_range(sr - self.slot)) {
            return Some(true);
        }
        if !runs.records.has_before_last(Actions::RUN) {
            return Some(false);
        }
        let previous = self
            .expr
            .prev_slot_at_or_before_civil(in_range(s - self.slot), far_past(s))?;
        let (from, to) = (
            runs.zone.first_instant(previous),
            runs.zone.first_instant(previous + self.slot),
        );
        Some(any_in(runs.records, Actions::RUN, from, to))
    }

    /// The first instant after `start` (inside a matching slot) outside every matching
    /// slot, if before `end_limit` and within [`MAX_STEPS`] slots, as the generic search.
    /// `None` when the answer needs the generic search (it leaves the span).
    fn end(&self, start: i64, end_limit: i64) -> Option<Option<i64>> {
        let until = self.straight.until;
        let l = self.civil(start);
        // Slots of a minute: the first minute of the day that does not match, by bit
        // scans, when there is one (the slot loop below would stop there too).
        let run_end = self.run_end.get().or_else(|| {
            let in_day = l.rem_euclid(DAY);
            let minute = (in_day / MINUTE) as u32;
            let (first, next) = self.expr.minute_run(minute)?;
            (first == minute && next < 1440).then(|| l - in_day + i64::from(next) * MINUTE)
        });
        if let Some(end) = run_end {
            let end = self.instant(end);
            return if end >= end_limit {
                (end_limit <= until).then_some(None)
            } else {
                (end < until).then_some(Some(end))
            };
        }
        let mut t = self.instant(self.slot_of(l) + self.slot);
        if t >= end_limit {
            return (end_limit <= until).then_some(None);
        }
        for _ in 0..MAX_STEPS {
            if t >= until {
                return None;
            }
            if !self.expr.matches_civil(in_range(self.civil(t))) {
                return Some(Some(t));
            }
            t += self.slot;
            if t >= end_limit {
                return (end_limit <= until).then_some(None);
            }
        }
        Some(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Action, DstPolicy, MemoryHistory};
    use crate::test_rng::Rng;
    use crate::Statement;
    use chrono::{DateTime, TimeZone, Utc};
    use chrono_tz::Tz;

    fn random_cron(rng: &mut Rng) -> String {
        let minute = rng.pick(&["*", "*/5", "30", "0,1,2", "59", "*/7", "10-12"]);
        let hour = rng.pick(&["*", "9", "23", "0-3", "*/6", "2"]);
        let day = rng.pick(&["*", "29", "31", "1,15", "L", "15W"]);
        let month = rng.pick(&["*", "2", "1-6", "*/4"]);
        let weekday = rng.pick(&["*", "1-5", "0", "5L", "2#3"]);
        let seconds = rng.pick(&["", "", "*/20 ", "0 "]);
        format!("cron {seconds}{minute} {hour} {day} {month} {weekday}")
    }

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

    /// Runs of the owner before `from`: none, one, or several, some on slot edges.
    fn random_runs(rng: &mut Rng, from: i64) -> MemoryHistory {
        let mut history = MemoryHistory::new();
        let minute = 60_000_000;
        let mut at: Vec<i64> = (0..rng.below(4))
            .map(|_| {
                let back = [0, 1, 7, minute, 5 * minute, DAY, 3 * DAY][rng.below(7) as usize];
                let jitter = [0, 1, 13_000_000][rng.below(3) as usize];
                let edge = from - from.rem_euclid(minute) - back;
                (edge + jitter).min(from)
            })
            .collect();
        at.sort_unstable();
        for t in at {
            let t = DateTime::from_timestamp_micros(t).unwrap_or_default();
            history.record("t", Action::Run, t);
            if rng.below(2) == 0 {
                history.record("t", Action::Success, t);
            }
        }
        history
    }

    /// The shortcut, where it applies, gives the generic search's answer: in fixed zones
    /// and zones with DST (queries near their changes too), both DST policies, with and
    /// without earlier runs.
    #[test]
    fn agrees_with_the_generic_search() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let spans = [60_000_000, 3_600_000_000, DAY, 40 * DAY, 5 * 366 * DAY];
        let bases = [
            Utc.with_ymd_and_hms(2024, 3, 11, 10, 7, 13).unwrap(),
            Utc.with_ymd_and_hms(2024, 3, 10, 6, 50, 0).unwrap(), // New York, spring
            Utc.with_ymd_and_hms(2024, 11, 3, 5, 20, 0).unwrap(), // New York, fall
            Utc.with_ymd_and_hms(2024, 10, 26, 23, 40, 0).unwrap(), // Helsinki, fall
            Utc.with_ymd_and_hms(2024, 10, 5, 15, 10, 0).unwrap(), // Lord Howe, spring
        ];
        let (mut applied, mut with_runs) = (0, 0);
        for _ in 0..6000 {
            let text = random_cron(&mut rng);
            let policy = [DstPolicy::Skip, DstPolicy::Forward][rng.below(2) as usize];
            let schedule = Statement::parse(&text).unwrap().schedule().with_dst(policy);
            if schedule.is_never() {
                continue; // answered before any search
            }
            let zone = Zone::new(ZONES[rng.below(ZONES.len() as u64) as usize], policy);
            let base = bases[rng.below(bases.len() as u64) as usize].timestamp_micros();
            let from = if rng.below(2) == 0 {
                base + rng.below(400 * DAY as u64) as i64 - 200 * DAY
            } else {
                base + rng.below(4 * 3_600_000_000) as i64 - 2 * 3_600_000_000
            } - [0, 13_000_000, 7][rng.below(3) as usize];
            let history = random_runs(&mut rng, from);
            let (span, horizon) = (spans[rng.below(5) as usize], spans[rng.below(5) as usize]);
            let bounds = (from, from + horizon, span);
            let fast = lone_cron(&schedule, &zone, &history, bounds);
            let generic = schedule.search(&zone, &history, bounds);
            if let Some(fast) = fast {
                applied += 1;
                with_runs += usize::from(!history.events("t").is_empty());
                assert_eq!(
                    fast, generic,
                    "{text} from {from}, {zone:?}, {bounds:?}, {history:?}"
                );
            }
        }
        // The shortcut must actually be taken, with runs too.
        assert!(applied > 3000 && with_runs > 1000, "{applied} {with_runs}");
    }

    #[test]
    fn applies_to_a_lone_cron_where_no_gap_moves_a_slot() {
        let from = Utc.with_ymd_and_hms(2024, 3, 11, 10, 7, 13).unwrap();
        let bounds = (from.timestamp_micros(), from.timestamp_micros() + DAY, DAY);
        let cron = Statement::parse("cron */5 * * * *").unwrap().schedule();
        let utc = Zone::new(chrono_tz::UTC, cron.dst);
        let none = MemoryHistory::new();
        assert!(lone_cron(&cron, &utc, &none, bounds).is_some());
        let ny = Zone::new(chrono_tz::America::New_York, cron.dst);
        assert!(lone_cron(&cron, &ny, &none, bounds).is_some());
        let forward = Zone::new(chrono_tz::America::New_York, DstPolicy::Forward);
        assert_eq!(lone_cron(&cron, &forward, &none, bounds), None);
        let mut ran = MemoryHistory::new();
        ran.record("t", Action::Run, from - chrono::TimeDelta::minutes(7));
        assert!(lone_cron(&cron, &utc, &ran, bounds).is_some());
        let mut later = MemoryHistory::new();
        later.record("t", Action::Run, from + chrono::TimeDelta::minutes(1));
        assert_eq!(lone_cron(&cron, &utc, &later, bounds), None);
        let both = Statement::parse("cron */5 * * * * & every 10 minutes").unwrap();
        assert_eq!(lone_cron(&both.schedule(), &utc, &none, bounds), None);
    }
}
