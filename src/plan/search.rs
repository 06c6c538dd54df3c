//! One statement's next window, found with a horizon that grows only as far as needed.
//!
//! [`Schedule::next_window`] searches a window's *end* as far after its start as the
//! horizon reaches, and an untouched `hourly` is true for ever, so one search with a
//! horizon of a year would cross two boundaries per hour for a year. The planner does not
//! need ends that far: a window that is still open at the end of its known part is simply
//! planned again then. So a search starts with a short horizon ([`FIRST_SPAN`], or the
//! span that found this statement's last window) and multiplies it by [`GROWTH`] while
//! nothing is found; each try starts where the previous one stopped, so no stretch of
//! time is searched twice.

use super::agenda::Micros;
use crate::{History, Next, Schedule};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

/// The first horizon tried by a statement with no better hint: one minute.
pub(crate) const FIRST_SPAN: Micros = 60_000_000;
/// How much the horizon grows per level.
const GROWTH: Micros = 8;
/// The highest level (`FIRST_SPAN * 8^7`, about four years).
const TOP_LEVEL: u8 = 7;
/// At most this many searches per planning; the rest is a re-check.
const MAX_SEARCHES: u32 = 24;

/// What planning one statement found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// True from `at`, an instant of the resolution, until `end` (or later: `end` may be
    /// where the search stopped looking).
    Window { at: Micros, end: Micros },
    /// Nothing until `at`; plan again then.
    Recheck { at: Micros },
    /// Nothing but an event can make it true, or nothing ever will.
    Idle,
}

/// A planning request.
pub(crate) struct Search<'a, H: History + ?Sized> {
    pub(crate) schedule: &'a Schedule,
    pub(crate) zone: Tz,
    pub(crate) history: &'a H,
    /// Launch instants are multiples of this (1 µs: exact).
    pub(crate) resolution: Micros,
    /// How far ahead to look in total before a re-check.
    pub(crate) horizon: Micros,
}

/// The answer, the level to start from next time, and the searches it took.
pub(crate) struct Outcome {
    pub(crate) found: Found,
    pub(crate) level: u8,
    pub(crate) searches: u32,
}

impl<H: History + ?Sized> Search<'_, H> {
    /// The first window from `from` on, starting the horizon at level `level`.
    pub(crate) fn run(&self, from: Micros, level: u8) -> Outcome {
        let limit = from.saturating_add(self.horizon);
        let mut out = Outcome {
            found: Found::Idle,
            level: level.min(TOP_LEVEL),
            searches: 0,
        };
        let mut t = from;
        while out.searches < MAX_SEARCHES && t < limit {
            if let Some(found) = self.step(from, &mut t, limit, &mut out) {
                return Outcome { found, ..out };
            }
        }
        let at = t.max(from.saturating_add(1));
        Outcome {
            found: Found::Recheck { at },
            ..out
        }
    }

    /// One search from `t` at the current level: the answer, or `None` with `t` (and
    /// perhaps the level) moved on. `from` is where the first search started.
    fn step(
        &self,
        from: Micros,
        t: &mut Micros,
        limit: Micros,
        out: &mut Outcome,
    ) -> Option<Found> {
        let span = span(out.level).min(limit - *t);
        out.searches += 1;
        let next = self
            .schedule
            .next_window(utc(*t), micros(span), self.zone, self.history);
        match next {
            Next::Window(w) => {
                // A window never starts before the search does (the guard keeps a wrong
                // answer from being planned in the past, where `advance` would loop on it).
                let start = w.start.timestamp_micros().max(*t);
                let end = w
                    .end
                    .map_or(start.saturating_add(span), |e| e.timestamp_micros());
                let at = ceil(start, self.resolution);
                if at < end {
                    out.level = settle(out.level, start - from);
                    return Some(Found::Window { at, end });
                }
                *t = end; // too short to hold an instant of the resolution
                None
            }
            Next::NotWithinHorizon => {
                *t = t.saturating_add(span);
                out.level = (out.level + 1).min(TOP_LEVEL);
                None
            }
            Next::Never | Next::WaitsOn(_) => Some(Found::Idle),
        }
    }
}

/// The horizon of a level.
fn span(level: u8) -> Micros {
    FIRST_SPAN.saturating_mul(GROWTH.saturating_pow(u32::from(level)))
}

/// The level to start from next time: one lower when the lower one would have found the
/// window, `distance` after where the first search started, in one search.
fn settle(level: u8, distance: Micros) -> u8 {
    if level > 0 && distance < span(level - 1) {
        level - 1
    } else {
        level
    }
}

/// The first multiple of `resolution` at or after `t`.
pub(crate) fn ceil(t: Micros, resolution: Micros) -> Micros {
    match t.rem_euclid(resolution) {
        0 => t,
        r => t.saturating_add(resolution - r),
    }
}

pub(crate) fn utc(t: Micros) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn micros(span: Micros) -> TimeDelta {
    TimeDelta::microseconds(span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Action, MemoryHistory, Statement};
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> Micros {
        Utc.with_ymd_and_hms(2024, 3, 11, h, m, s)
            .unwrap()
            .timestamp_micros()
    }

    fn search<'a>(schedule: &'a Schedule, history: &'a MemoryHistory) -> Search<'a, MemoryHistory> {
        Search {
            schedule,
            zone: chrono_tz::UTC,
            history,
            resolution: 1_000_000,
            horizon: 366 * 86_400_000_000,
        }
    }

    #[test]
    fn ceil_rounds_up_to_the_resolution() {
        assert_eq!(ceil(1_000_001, 1_000_000), 2_000_000);
        assert_eq!(ceil(2_000_000, 1_000_000), 2_000_000);
        assert_eq!(ceil(-1, 1_000_000), 0);
    }

    #[test]
    fn every_starts_on_the_next_second_after_its_duration() {
        let s = Statement::parse("every 10 minutes").unwrap().schedule();
        let mut h = MemoryHistory::new();
        h.record("t", Action::Run, utc(at(9, 3, 0)));
        let out = search(&s, &h).run(at(9, 5, 0), 0);
        let end = at(9, 13, 0) + 1 + 8 * FIRST_SPAN; // open: as far as the search looked
        assert_eq!(
            out.found,
            Found::Window {
                at: at(9, 13, 1),
                end
            }
        );
        assert_eq!((out.searches, out.level), (2, 1));
        assert_eq!(search(&s, &h).run(at(9, 5, 0), 2).searches, 1);
    }

    #[test]
    fn dependencies_wait_without_searching_time() {
        let s = Statement::parse("after task 'a'").unwrap().schedule();
        let out = search(&s, &MemoryHistory::new()).run(at(9, 0, 0), 0);
        assert_eq!((out.found, out.searches), (Found::Idle, 1));
    }

    #[test]
    fn nothing_within_the_horizon_is_a_recheck() {
        let s = Statement::parse("cron 0 0 29 2 *").unwrap().schedule();
        let history = MemoryHistory::new();
        let mut request = search(&s, &history);
        request.horizon = 86_400_000_000;
        let out = request.run(at(9, 0, 0), 0);
        assert_eq!(
            out.found,
            Found::Recheck {
                at: at(9, 0, 0) + 86_400_000_000
            }
        );
    }
}
