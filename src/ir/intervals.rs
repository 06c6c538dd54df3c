//! Canonical interval sets over the offsets of one cycle: sorted, half-open `[start, end)`
//! intervals, no two overlapping or adjacent. Union, intersection and complement stay
//! simple and equality is structural, so an empty set is a proof of "never" and the full
//! set a proof of "always".

use super::{Bound, Period, Point, Scope, DAY};

/// A set of offsets within `[0, max)` of a cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntervalSet {
    max: i64,
    ranges: Vec<(i64, i64)>,
}

impl IntervalSet {
    /// The empty set of a cycle of length `max`.
    pub fn empty(max: i64) -> IntervalSet {
        IntervalSet {
            max,
            ranges: Vec::new(),
        }
    }

    /// The whole cycle.
    pub fn full(max: i64) -> IntervalSet {
        IntervalSet {
            max,
            ranges: vec![(0, max)],
        }
    }

    /// The offsets of `period`, wrapping periods split at the end of the cycle.
    pub fn of_period(period: &Period) -> IntervalSet {
        IntervalSet::of_offsets(period.scope.max(), period.offsets(), period.is_full())
    }

    /// The offsets `[start, end)` of a cycle of length `max` (wrapping when `end < start`),
    /// or the whole cycle when `full`, as Rocketry reads a period.
    pub fn of_offsets(max: i64, (start, end): (i64, i64), full: bool) -> IntervalSet {
        if full {
            return IntervalSet::full(max);
        }
        let pieces = if start < end {
            vec![(start, end)]
        } else {
            vec![(0, end), (start, max)]
        };
        IntervalSet::from_ranges(max, pieces)
    }

    /// The offsets of a cycle of `scope` at which `cron` can fire, when the cron constrains
    /// that cycle: the minutes of a day, the days of a week, the days of a month. The set
    /// may be larger than the truth (never smaller), so an empty intersection with it is a
    /// proof of "never".
    pub fn of_cron(cron: &super::CronExpr, scope: Scope) -> Option<IntervalSet> {
        let days = |bits: u32, index: &dyn Fn(u32) -> i64| {
            let ranges = (0..32)
                .filter(|b| bits & (1 << b) != 0)
                .map(|b| (index(b) * DAY, (index(b) + 1) * DAY))
                .collect();
            IntervalSet::from_ranges(scope.max(), ranges)
        };
        match scope {
            Scope::Day => Some(IntervalSet::from_ranges(DAY, cron.day_ranges())),
            // Weeks start on Monday; cron counts Sunday as 0.
            Scope::Week => cron
                .firing_weekdays()
                .map(|bits| days(u32::from(bits), &|d| (i64::from(d) + 6) % 7)),
            Scope::Month => cron
                .firing_days()
                .map(|bits| days(bits, &|d| i64::from(d) - 1)),
            Scope::Second | Scope::Minute | Scope::Hour => None,
        }
    }

    /// A set from any ranges: clipped to the cycle, sorted, merged.
    pub fn from_ranges(max: i64, mut ranges: Vec<(i64, i64)>) -> IntervalSet {
        ranges.retain_mut(|r| {
            *r = (r.0.max(0), r.1.min(max));
            r.0 < r.1
        });
        ranges.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(ranges.len());
        for (s, e) in ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        IntervalSet {
            max,
            ranges: merged,
        }
    }

    /// The intervals, sorted.
    pub fn ranges(&self) -> &[(i64, i64)] {
        &self.ranges
    }

    /// The length of the cycle.
    pub fn max(&self) -> i64 {
        self.max
    }

    /// Whether no offset is in the set.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether every offset of the cycle is in the set.
    pub fn is_full(&self) -> bool {
        self.ranges == [(0, self.max)]
    }

    /// Offsets in either set.
    pub fn union(&self, other: &IntervalSet) -> IntervalSet {
        let all = self.ranges.iter().chain(&other.ranges).copied().collect();
        IntervalSet::from_ranges(self.max, all)
    }

    /// Offsets in both sets.
    pub fn intersect(&self, other: &IntervalSet) -> IntervalSet {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a, b) = (self.ranges[i], other.ranges[j]);
            let (s, e) = (a.0.max(b.0), a.1.min(b.1));
            if s < e {
                out.push((s, e));
            }
            if a.1 < b.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        IntervalSet {
            max: self.max,
            ranges: out,
        }
    }

    /// Offsets not in the set.
    pub fn complement(&self) -> IntervalSet {
        let mut out = Vec::new();
        let mut at = 0;
        for &(s, e) in &self.ranges {
            if at < s {
                out.push((at, s));
            }
            at = e;
        }
        if at < self.max {
            out.push((at, self.max));
        }
        IntervalSet {
            max: self.max,
            ranges: out,
        }
    }

    /// Whether every offset of `self` is in `other`.
    pub fn is_subset(&self, other: &IntervalSet) -> bool {
        self.intersect(other) == *self
    }

    /// This set of a shorter cycle repeated across a longer one of length `max`
    /// (`time of day` seen from a week: seven copies).
    pub fn repeat_into(&self, max: i64) -> IntervalSet {
        let copies = (max + self.max - 1) / self.max;
        let ranges = (0..copies)
            .flat_map(|k| {
                self.ranges
                    .iter()
                    .map(move |&(s, e)| (s + k * self.max, e + k * self.max))
            })
            .collect();
        IntervalSet::from_ranges(max, ranges)
    }

    /// The periods of `scope` that cover exactly this set: none for the empty set, one
    /// `between` for a single (possibly wrapping) interval, one per interval otherwise.
    pub fn to_periods(&self, scope: Scope) -> Vec<Period> {
        let mut ranges = self.ranges.clone();
        if ranges.len() >= 2 && ranges[0].0 == 0 && ranges[ranges.len() - 1].1 == self.max {
            // A piece at each end of the cycle is one interval that wraps.
            let first = ranges.remove(0);
            if let Some(last) = ranges.last_mut() {
                *last = (last.0, first.1);
            }
        }
        ranges
            .into_iter()
            .map(|(s, e)| Period {
                scope,
                bound: bound(scope, s, e),
            })
            .collect()
    }
}

/// The bound that reads `[start, end)` (wrapping when `end < start`) most naturally.
fn bound(scope: Scope, start: i64, end: i64) -> Bound {
    let whole_days = matches!(scope, Scope::Week | Scope::Month);
    let start_point = if whole_days && start % DAY == 0 {
        Point::day(start)
    } else {
        Point::at(start)
    };
    let end_point = if whole_days && end % DAY == 0 && end > 0 {
        Point::day(end - DAY)
    } else {
        Point::at(end)
    };
    if start == 0 && end < scope.max() {
        Bound::Before(end_point)
    } else if end == scope.max() && start > 0 {
        Bound::After(start_point)
    } else {
        Bound::Between(start_point, end_point)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::HOUR;

    fn set(ranges: &[(i64, i64)]) -> IntervalSet {
        IntervalSet::from_ranges(24, ranges.to_vec())
    }

    #[test]
    fn algebra() {
        let a = set(&[(10, 12)]);
        let b = set(&[(11, 20)]);
        assert_eq!(a.intersect(&b), set(&[(11, 12)]));
        assert_eq!(a.union(&b), set(&[(10, 20)]));
        assert_eq!(a.complement(), set(&[(0, 10), (12, 24)]));
        assert!(set(&[(11, 12)]).is_subset(&a));
        assert!(a.intersect(&set(&[(13, 14)])).is_empty());
        assert!(a.union(&a.complement()).is_full());
    }

    #[test]
    fn wrapping_periods_round_trip() {
        let p = Period {
            scope: Scope::Day,
            bound: Bound::Between(Point::at(22 * HOUR), Point::at(2 * HOUR)),
        };
        let s = IntervalSet::of_period(&p);
        assert_eq!(s.ranges(), [(0, 2 * HOUR), (22 * HOUR, 24 * HOUR)]);
        assert_eq!(s.to_periods(Scope::Day), [p]);
    }

    #[test]
    fn whole_days_print_as_days() {
        let s = IntervalSet::from_ranges(7 * DAY, vec![(DAY, 5 * DAY)]);
        let p = s.to_periods(Scope::Week);
        assert_eq!(
            p[0].bound,
            Bound::Between(Point::day(DAY), Point::day(4 * DAY))
        );
    }

    #[test]
    fn repeating_into_a_longer_cycle() {
        let day = IntervalSet::from_ranges(DAY, vec![(10 * HOUR, 12 * HOUR)]);
        let week = day.repeat_into(7 * DAY);
        assert_eq!(week.ranges().len(), 7);
        assert_eq!(week.ranges()[6], (6 * DAY + 10 * HOUR, 6 * DAY + 12 * HOUR));
    }
}
