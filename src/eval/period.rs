//! Periods on the civil time line: cycles, membership, occurrences and rollback windows.
//!
//! A [`Period`] of the IR is a part of a cycle given as offsets (`daily between 10:00 and
//! 12:00` is 10 h to 12 h of every day). [`CivilPeriod`] lays it on the civil time line
//! (microseconds on the wall clock) the way Rocketry does (`rocketry/core/time/anchor.py`,
//! `base.py`): half-open membership that may wrap around the end of the cycle, full cycles
//! anchored at their start offset, month offsets as absolute day numbers, and the
//! "previous occurrence" that status windows look back to. Everything here is civil; the
//! caller turns the results into instants through the zone.

use crate::civil::{month_micros, month_start, DAY};
use crate::ir::{Period, Scope};

/// A period laid on the civil time line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CivilPeriod {
    scope: Scope,
    start: i64,
    end: i64,
    full: bool,
}

impl CivilPeriod {
    /// The period `p`, with Rocketry's offsets.
    pub(crate) fn new(p: &Period) -> CivilPeriod {
        let (start, end) = p.offsets();
        CivilPeriod {
            scope: p.scope,
            start,
            end,
            full: p.is_full(),
        }
    }

    /// The cycle the period lives in.
    pub(crate) fn scope(&self) -> Scope {
        self.scope
    }

    /// Start and end offsets within the cycle (end before start wraps).
    pub(crate) fn offsets(&self) -> (i64, i64) {
        (self.start, self.end)
    }

    /// Whether the period covers the whole cycle (membership is always true).
    pub(crate) fn is_full(&self) -> bool {
        self.full
    }

    /// Start of the cycle that contains civil time `l`.
    pub(crate) fn cycle_start(&self, l: i64) -> i64 {
        // One arm per fixed-length scope, so that each division is by a constant (a
        // multiplication) rather than by a length read at run time (a hardware division,
        // tens of cycles, at every evaluation of every period).
        match self.scope {
            Scope::Second => l - l.rem_euclid(Scope::Second.max()),
            Scope::Minute => l - l.rem_euclid(Scope::Minute.max()),
            Scope::Hour => l - l.rem_euclid(Scope::Hour.max()),
            Scope::Day => l - l.rem_euclid(Scope::Day.max()),
            // Monday-based: 1970-01-01 was a Thursday, 3 days after a week start.
            Scope::Week => l - (l + 3 * DAY).rem_euclid(7 * DAY),
            Scope::Month => month_start(l),
        }
    }

    /// Start of the cycle after the one starting at `c`.
    pub(crate) fn next_cycle(&self, c: i64) -> i64 {
        match self.scope {
            Scope::Month => c + month_micros(c),
            scope => c + scope.max(),
        }
    }

    /// Start of the cycle before the one starting at `c`.
    pub(crate) fn prev_cycle(&self, c: i64) -> i64 {
        match self.scope {
            Scope::Month => month_start(c - 1),
            scope => c - scope.max(),
        }
    }

    /// Whether civil time `l` lies in the period (half-open, wrapping, full cycles always).
    #[inline]
    pub(crate) fn contains(&self, l: i64) -> bool {
        self.full || self.contains_offset(l - self.cycle_start(l))
    }

    /// [`CivilPeriod::contains`] for `l` in the cycle starting at `c`.
    #[inline]
    pub(crate) fn contains_in(&self, l: i64, c: i64) -> bool {
        self.full || self.contains_offset(l - c)
    }

    fn contains_offset(&self, ms: i64) -> bool {
        if self.start < self.end {
            self.start <= ms && ms < self.end
        } else {
            ms >= self.start || ms < self.end
        }
    }

    /// The earliest civil time after `l` at which membership may change (conservative).
    pub(crate) fn next_boundary(&self, l: i64) -> i64 {
        self.next_boundary_in(l, self.cycle_start(l))
    }

    /// [`CivilPeriod::next_boundary`] for `l` in the cycle starting at `c`.
    #[inline]
    pub(crate) fn next_boundary_in(&self, l: i64, c: i64) -> i64 {
        let n = self.next_cycle(c);
        // Past the occurrence of a period that does not wrap around its cycle, nothing
        // changes until the next occurrence starts (the start of the next cycle is no
        // boundary): that spares a search a stop at midnight.
        if !self.full && 0 <= self.start && self.start < self.end && l >= c + self.end {
            return n + self.start;
        }
        // The least candidate after `l`; `n` (after `l`) is one. With offsets that are
        // not negative (all that statements give), `n + start` and `n + end` are never
        // less than `n`.
        let mut best = n;
        for b in [c + self.start, c + self.end] {
            if b > l && b < best {
                best = b;
            }
        }
        if self.start < 0 || self.end < 0 {
            for b in [n + self.start, n + self.end] {
                if b > l && b < best {
                    best = b;
                }
            }
        }
        best
    }

    /// Start of the current cycle of a full period, anchored at its start offset: the
    /// latest `cycle start + start offset` at or before `l` (`daily starting 10:00` at
    /// 09:00 is yesterday 10:00; month arithmetic is naive, as Rocketry's).
    pub(crate) fn anchor_at_or_before(&self, l: i64) -> i64 {
        let c = self.cycle_start(l);
        if l - c >= self.start {
            c + self.start
        } else {
            self.prev_cycle(c) + self.start
        }
    }

    /// The anchored cycle start before the one at or before `l`.
    pub(crate) fn anchor_before(&self, l: i64) -> i64 {
        let a = self.anchor_at_or_before(l);
        let c = self.cycle_start(a - self.start);
        self.prev_cycle(c) + self.start
    }

    /// The first anchored cycle start after `l`.
    pub(crate) fn anchor_after(&self, l: i64) -> i64 {
        let c = self.cycle_start(l);
        let n = self.next_cycle(c);
        [c + self.start, n + self.start]
            .into_iter()
            .find(|&a| a > l)
            .unwrap_or(n)
    }

    /// Start of the occurrence that contains `l` (non-full periods, `l` in the period).
    pub(crate) fn occurrence_start(&self, l: i64) -> i64 {
        self.occurrence_start_in(l, self.cycle_start(l))
    }

    /// [`CivilPeriod::occurrence_start`] for `l` in the cycle starting at `c`.
    #[inline]
    pub(crate) fn occurrence_start_in(&self, l: i64, c: i64) -> i64 {
        if self.start < self.end || l - c >= self.start {
            c + self.start
        } else {
            self.prev_cycle(c) + self.start
        }
    }

    /// The last occurrence that ended at or before `l` (non-full periods, `l` outside),
    /// as civil `(start, end)`: "at 09:00, `today between 10:00 and 12:00` is yesterday's".
    pub(crate) fn previous_occurrence(&self, l: i64) -> (i64, i64) {
        let c = self.cycle_start(l);
        let p = self.prev_cycle(c);
        if self.start > self.end {
            (p + self.start, c + self.end)
        } else if l - c >= self.end {
            (c + self.start, c + self.end)
        } else {
            (p + self.start, p + self.end)
        }
    }

    /// Length of the longest occurrence lying wholly in the civil interval `[from, to)`
    /// (a DST gap), 0 if none does.
    pub(crate) fn longest_inside(&self, from: i64, to: i64) -> i64 {
        if self.full {
            return 0;
        }
        let mut longest = 0;
        let mut c = self.cycle_start(from);
        // Bounded: a gap is at most a day long, so at most 86 400 one-second cycles.
        for _ in 0..100_000 {
            if c >= to {
                break;
            }
            let n = self.next_cycle(c);
            let end = if self.start < self.end {
                c + self.end
            } else {
                n + self.end
            };
            let start = c + self.start;
            if from <= start && end <= to && start < end {
                longest = longest.max(end - start);
            }
            c = n;
        }
        longest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::time::{HOUR, MINUTE};
    use crate::ir::{Bound, Point};

    fn period(scope: Scope, bound: Bound) -> CivilPeriod {
        CivilPeriod::new(&Period { scope, bound })
    }

    fn day(n: i64) -> i64 {
        // 2024-03-11 (a Monday) is day 19 793.
        (19_793 + n) * DAY
    }

    #[test]
    fn wrapping_day_period() {
        let p = period(
            Scope::Day,
            Bound::Between(Point::at(22 * HOUR), Point::at(2 * HOUR)),
        );
        assert!(p.contains(day(0) + 23 * HOUR));
        assert!(p.contains(day(1) + HOUR));
        assert!(!p.contains(day(1) + 2 * HOUR));
        assert_eq!(p.occurrence_start(day(1) + HOUR), day(0) + 22 * HOUR);
        assert_eq!(
            p.previous_occurrence(day(1) + 12 * HOUR),
            (day(0) + 22 * HOUR, day(1) + 2 * HOUR)
        );
        assert_eq!(p.next_boundary(day(0) + 12 * HOUR), day(0) + 22 * HOUR);
    }

    #[test]
    fn status_window_looks_back_to_yesterday() {
        let p = period(
            Scope::Day,
            Bound::Between(Point::at(10 * HOUR), Point::at(12 * HOUR)),
        );
        assert_eq!(
            p.previous_occurrence(day(0) + 9 * HOUR),
            (day(-1) + 10 * HOUR, day(-1) + 12 * HOUR)
        );
        assert_eq!(
            p.previous_occurrence(day(0) + 14 * HOUR),
            (day(0) + 10 * HOUR, day(0) + 12 * HOUR)
        );
    }

    #[test]
    fn weeks_start_on_monday_and_anchor() {
        let p = period(Scope::Week, Bound::Starting(Point::day(2 * DAY)));
        assert_eq!(p.cycle_start(day(3)), day(0));
        assert_eq!(p.anchor_at_or_before(day(1)), day(-5));
        assert_eq!(p.anchor_at_or_before(day(2)), day(2));
        assert_eq!(p.anchor_before(day(2)), day(-5));
        assert_eq!(p.anchor_after(day(2)), day(9));
    }

    #[test]
    fn gap_occurrences() {
        let p = period(
            Scope::Day,
            Bound::Between(
                Point::at(2 * HOUR + 10 * MINUTE),
                Point::at(2 * HOUR + 50 * MINUTE),
            ),
        );
        assert_eq!(
            p.longest_inside(day(0) + 2 * HOUR, day(0) + 3 * HOUR),
            40 * MINUTE
        );
        assert_eq!(
            p.longest_inside(day(0) + 2 * HOUR + 20 * MINUTE, day(0) + 3 * HOUR),
            0
        );
    }
}
