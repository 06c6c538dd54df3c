//! The evaluator's converter between instants and civil times, on integer microseconds.
//!
//! Statements speak about the wall clock of an IANA zone (`time of day between 10:00 and
//! 12:00`, `daily`, `cron 30 2 * * *`); histories and answers are instants. [`Zone`]
//! answers the three questions the evaluator needs:
//!
//! * what the wall clock shows at an instant ([`Zone::civil`]);
//! * when the wall clock next reaches a civil time, *or* the offset changes first
//!   ([`Zone::reach`]): between two offset changes civil time is a straight line, so the
//!   evaluator may jump there and look again;
//! * where a civil time first happens ([`Zone::first_instant`]): in a fold the first pass,
//!   in a gap the instant the gap ends ([`crate::zone::to_instant`] with
//!   [`CivilPolicy::FirstReached`], the crate's one civil-to-instant conversion).
//!
//! chrono-tz does not list a zone's transitions; [`super::offsets`] finds them once per
//! thread, and a [`Zone`] keeps the interval of one offset it last used ([`Span`]), so
//! that between two offset changes a zone with DST costs what a fixed offset costs. Zones
//! with a fixed offset (UTC, `Etc/*`) skip all of it.

use super::offsets::{span_at, Span};
use crate::civil::{naive_of_day, time_of_day, to_naive, DAY, MAX_TIME, MIN_TIME};
use crate::zone::{to_instant, CivilPolicy, DstPolicy};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{Tz, TzOffset, TZ_VARIANTS};
use std::cell::Cell;
use std::sync::OnceLock;

/// The longest DST gap considered when a civil time skipped by the clock is moved to the
/// end of the gap ([`DstPolicy::Forward`]): Pacific/Apia skipped a whole day in 2011.
const MAX_GAP: i64 = 25 * 3_600_000_000;

/// A forward jump of the wall clock: at instant `at` the clock skipped `[from, to)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Gap {
    /// The instant the gap ends (the first instant after the jump).
    pub(crate) at: i64,
    /// First skipped civil time.
    pub(crate) from: i64,
    /// First civil time shown after the jump.
    pub(crate) to: i64,
}

/// An interval of instants in which the wall clock runs straight: civil time is instant
/// plus `offset` on `[.., until)`, and from `first_pass_from` on each civil time is shown
/// there for the first time (see [`Zone::straight`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Straight {
    pub(crate) offset: i64,
    pub(crate) first_pass_from: i64,
    pub(crate) until: i64,
}

/// A time zone with its DST policy, ready for fast conversions.
#[derive(Clone, Debug)]
pub(crate) struct Zone {
    tz: Tz,
    fixed: Option<i64>,
    policy: DstPolicy,
    /// The interval of one offset value last looked at (empty until the first look).
    span: Cell<Span>,
}

impl Zone {
    /// The zone `tz` under `policy`.
    pub(crate) fn new(tz: Tz, policy: DstPolicy) -> Zone {
        let nowhere = Span {
            from: 0,
            until: 0,
            offset: 0,
            first_pass_from: 0,
            value: utc_offset(),
        };
        Zone {
            tz,
            fixed: fixed_offset(tz),
            policy,
            span: Cell::new(nowhere),
        }
    }

    /// The span of one offset value that contains instant `t`.
    #[inline]
    pub(crate) fn span(&self, t: i64) -> Span {
        let span = self.span.get();
        if span.contains(t) {
            return span;
        }
        self.look_up_span(t)
    }

    /// Takes the span last used by `other` (a copy of this zone) as the one last used.
    #[inline]
    pub(crate) fn keep_span(&self, other: &Zone) {
        self.span.set(other.span.get());
    }

    #[inline(never)]
    fn look_up_span(&self, t: i64) -> Span {
        let span = span_at(self.tz, t);
        self.span.set(span);
        span
    }

    /// The chrono-tz zone.
    pub(crate) fn tz(&self) -> Tz {
        self.tz
    }

    /// Whether the zone never changes its offset (so the wall clock has no gaps or folds).
    pub(crate) fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }

    /// Whether civil times in a gap are moved to its end.
    pub(crate) fn moves_gaps(&self) -> bool {
        self.policy == DstPolicy::Forward && self.fixed.is_none()
    }

    /// Where the wall clock runs straight around instant `t`: for ever in a fixed-offset
    /// zone, else the span of one offset that contains `t`.
    pub(crate) fn straight(&self, t: i64) -> Straight {
        match self.fixed {
            Some(offset) => Straight {
                offset,
                first_pass_from: i64::MIN,
                until: i64::MAX,
            },
            None => {
                let span = self.span(in_evaluator_range(t));
                Straight {
                    offset: span.offset,
                    first_pass_from: span.first_pass_from,
                    until: span.until,
                }
            }
        }
    }

    /// UTC offset in microseconds at instant `t`.
    // Inlined so that a fixed offset costs an addition at the call site, and an offset
    // in the span last used a comparison.
    #[inline]
    pub(crate) fn offset(&self, t: i64) -> i64 {
        match self.fixed {
            Some(offset) => offset,
            None => self.span(in_evaluator_range(t)).offset,
        }
    }

    /// The wall-clock time at instant `t`.
    #[inline]
    pub(crate) fn civil(&self, t: i64) -> i64 {
        t.saturating_add(self.offset(t))
    }

    /// The earliest instant after `t` at which the wall clock shows `civil` or later, or
    /// the offset changes, whichever comes first; `limit` if neither happens before it.
    /// `civil` must lie after the wall-clock time at `t`.
    #[inline]
    pub(crate) fn reach(&self, t: i64, civil: i64, limit: i64) -> i64 {
        let target = civil
            .saturating_sub(self.offset(t))
            .max(t.saturating_add(1));
        if self.fixed.is_some() {
            return target;
        }
        let limit = target.min(limit);
        if self.span(in_evaluator_range(t)).until >= limit {
            return limit;
        }
        self.next_transition(t, limit)
    }

    /// The first instant whose wall-clock time is `civil` (the first pass in a fold), or
    /// the instant the gap ends when the clock skips `civil`.
    #[inline]
    pub(crate) fn first_instant(&self, civil: i64) -> i64 {
        if let Some(offset) = self.fixed {
            return civil.saturating_sub(offset);
        }
        // In the span last used, or else in the span of the instant its offset gives.
        let span = self.span.get();
        let at = civil.saturating_sub(span.offset);
        if span.first_pass_from <= at && at < span.until {
            return at;
        }
        self.first_instant_elsewhere(civil, at)
    }

    /// [`Zone::first_instant`] outside the span last used (`at` is the instant its offset
    /// gives).
    #[inline(never)]
    fn first_instant_elsewhere(&self, civil: i64, at: i64) -> i64 {
        if (MIN_TIME..=MAX_TIME).contains(&at) {
            let span = self.span(at);
            let at = civil.saturating_sub(span.offset);
            if span.first_pass_from <= at && at < span.until {
                return at;
            }
        }
        self.looked_up_first_instant(civil)
    }

    /// [`Zone::first_instant`] through chrono-tz's tables.
    #[inline(never)]
    fn looked_up_first_instant(&self, civil: i64) -> i64 {
        to_instant(to_naive(civil), self.tz, CivilPolicy::from(self.policy))
            .map_or(MAX_TIME, |at| at.timestamp_micros())
    }

    /// chrono-tz's offset value at instant `t`, for answers.
    #[inline]
    fn value(&self, t: i64) -> TzOffset {
        if self.tz == Tz::UTC {
            utc_offset()
        } else {
            self.span(in_evaluator_range(t)).value
        }
    }

    /// A window's `start` and `end` in the zone, for answers: `None` when `start` lies
    /// outside chrono's range, an open end when `end` does. `near` is a UTC day (its day
    /// number and date) close to the answer, typically the query's: an instant on that
    /// day or the next takes its date from it, which spares a conversion from the day
    /// number. Offset values come from the span last used.
    pub(crate) fn datetimes(
        &self,
        start: i64,
        end: Option<i64>,
        near: (i64, NaiveDate),
    ) -> Option<(DateTime<Tz>, Option<DateTime<Tz>>)> {
        let (day, in_day) = (start.div_euclid(DAY), start.rem_euclid(DAY));
        let date = match day - near.0 {
            0 => near.1,
            1 => near.1.succ_opt()?,
            _ => naive_of_day(day, in_day)?.date(),
        };
        let utc = NaiveDateTime::new(date, time_of_day(in_day)?);
        let from = DateTime::from_naive_utc_and_offset(utc, self.value(start));
        let end = end.and_then(|end| {
            // On the start's UTC day (the common case) the date is the start's.
            let in_day = end.checked_sub(start)?.checked_add(in_day)?;
            let utc = if in_day < DAY {
                NaiveDateTime::new(date, time_of_day(in_day)?)
            } else {
                utc_naive(end, (day, date))?
            };
            Some(DateTime::from_naive_utc_and_offset(utc, self.value(end)))
        });
        Some((from, end))
    }

    /// The gap that ended at or before `t` and less than its own length ago, if the
    /// policy moves civil times out of gaps.
    #[inline]
    pub(crate) fn gap_before(&self, t: i64) -> Option<Gap> {
        if !self.moves_gaps() {
            return None;
        }
        self.gap_ending_before(t)
    }

    /// [`Zone::gap_before`] for a zone that moves civil times out of gaps.
    #[inline(never)]
    fn gap_ending_before(&self, t: i64) -> Option<Gap> {
        let earlier = t.saturating_sub(MAX_GAP);
        let before = self.offset(earlier);
        let after = self.offset(t);
        if after <= before {
            return None;
        }
        let at = self.bisect(earlier, t, before);
        let (from, to) = (at + self.offset(at - 1), at + self.offset(at));
        (to > from && t - at < to - from).then_some(Gap { at, from, to })
    }

    /// The first instant in `(t, limit)` with an offset different from the one at `t`, or
    /// `limit`.
    #[inline(never)]
    pub(crate) fn next_transition(&self, t: i64, limit: i64) -> i64 {
        if self.fixed.is_some() {
            return limit;
        }
        // Spans end where chrono-tz's offset value changes, which may leave the offset as
        // it is (a new abbreviation), or at the edge of the blocks searched.
        let offset = self.offset(t);
        let mut low = in_evaluator_range(t);
        while low < limit {
            let span = self.span(low);
            if span.offset != offset {
                return low.max(t.saturating_add(1));
            }
            if span.until >= MAX_TIME {
                break;
            }
            low = span.until;
        }
        limit
    }

    /// The first instant in `(low, high]` whose offset is not `offset`, given that the
    /// offset at `low` is `offset` and the one at `high` is not.
    fn bisect(&self, mut low: i64, mut high: i64, offset: i64) -> i64 {
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            if self.offset(mid) == offset {
                low = mid;
            } else {
                high = mid;
            }
        }
        high
    }
}

/// The UTC date and time of instant `t`, taking the date from `near` (a day number and its
/// date) when `t` lies on that day or the next; `None` outside chrono's range.
#[inline]
fn utc_naive(t: i64, (days, date): (i64, NaiveDate)) -> Option<NaiveDateTime> {
    let (day, in_day) = (t.div_euclid(DAY), t.rem_euclid(DAY));
    let date = match day - days {
        0 => date,
        1 => date.succ_opt()?,
        _ => return naive_of_day(day, in_day),
    };
    Some(NaiveDateTime::new(date, time_of_day(in_day)?))
}

/// An instant inside the range the evaluator supports, where offsets are looked up (beyond
/// it, chrono-tz's offsets no longer change).
#[inline]
fn in_evaluator_range(t: i64) -> i64 {
    t.clamp(MIN_TIME, MAX_TIME)
}

/// chrono-tz's offset value of [`Tz::UTC`], looked up once per process: most answers are
/// in UTC, and the lookup (a search in the zone's table) costs as much as a cron search.
fn utc_offset() -> TzOffset {
    static OFFSET: OnceLock<TzOffset> = OnceLock::new();
    *OFFSET.get_or_init(|| Tz::UTC.offset_from_utc_datetime(&to_naive(0)))
}

/// The offset of zones that never change it: UTC and the `Etc/` family (from a table
/// made once per process: a search starts with this question).
fn fixed_offset(tz: Tz) -> Option<i64> {
    if tz == Tz::UTC || tz == Tz::Etc__UTC {
        return Some(0);
    }
    static FIXED: OnceLock<Vec<Option<i64>>> = OnceLock::new();
    let table = FIXED.get_or_init(|| {
        let len = TZ_VARIANTS
            .iter()
            .map(|&tz| tz as usize + 1)
            .max()
            .unwrap_or(0);
        let mut table = vec![None; len];
        for tz in TZ_VARIANTS {
            table[tz as usize] = looked_up_fixed_offset(tz);
        }
        table
    });
    table.get(tz as usize).copied().flatten()
}

/// [`fixed_offset`] from the zone's name.
fn looked_up_fixed_offset(tz: Tz) -> Option<i64> {
    let name = tz.name();
    let fixed = name.starts_with("Etc/")
        || matches!(
            name,
            "UTC" | "UCT" | "GMT" | "GMT0" | "GMT+0" | "GMT-0" | "Greenwich" | "Universal" | "Zulu"
        );
    fixed.then(|| {
        let epoch = to_naive(0);
        i64::from(tz.offset_from_utc_datetime(&epoch).fix().local_minus_utc()) * 1_000_000
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;

    fn civil_of(text: &str) -> i64 {
        crate::civil::from_naive(text.parse().unwrap_or_default())
    }

    fn instant(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text).map_or(0, |d| d.timestamp_micros())
    }

    #[test]
    fn first_instant_takes_first_pass_and_gap_end() {
        let ny = Zone::new(New_York, DstPolicy::Skip);
        let fold = ny.first_instant(civil_of("2024-11-03T01:30:00"));
        assert_eq!(fold, instant("2024-11-03T01:30:00-04:00"));
        let gap = ny.first_instant(civil_of("2024-03-10T02:30:00"));
        assert_eq!(gap, instant("2024-03-10T03:00:00-04:00"));
    }

    #[test]
    fn reach_stops_at_transitions() {
        let ny = Zone::new(New_York, DstPolicy::Skip);
        let t = instant("2024-11-03T01:45:00-04:00");
        let end = ny.reach(t, civil_of("2024-11-03T02:00:00"), i64::MAX);
        assert_eq!(end, instant("2024-11-03T01:00:00-05:00"));
    }

    #[test]
    fn gaps_are_found_only_when_moving() {
        let t = instant("2024-03-10T03:20:00-04:00");
        assert_eq!(Zone::new(New_York, DstPolicy::Skip).gap_before(t), None);
        let gap = Zone::new(New_York, DstPolicy::Forward).gap_before(t);
        let expected = Gap {
            at: instant("2024-03-10T03:00:00-04:00"),
            from: civil_of("2024-03-10T02:00:00"),
            to: civil_of("2024-03-10T03:00:00"),
        };
        assert_eq!(gap, Some(expected));
    }

    /// Every zone's offset changes from 1970 to 2040, found by [`Zone::next_transition`],
    /// against chrono-tz's own offset probed every 23 hours (a phase that drifts across the
    /// day): the offset is constant between two changes found, and differs across each
    /// (America/Recife kept DST for 7 days in October 2000).
    #[test]
    fn every_transition_of_every_zone_is_found() {
        let (from, to) = (
            instant("1970-01-01T00:00:00Z"),
            instant("2040-01-01T00:00:00Z"),
        );
        let mut checked = 0;
        for &tz in chrono_tz::TZ_VARIANTS.iter() {
            let zone = Zone::new(tz, DstPolicy::Skip);
            let mut t = from;
            while t < to {
                let next = zone.next_transition(t, to);
                let offset = zone.offset(t);
                let reference = |at: i64| {
                    let utc = to_naive(at);
                    i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()) * 1_000_000
                };
                assert_eq!(reference(t), offset, "{} at {t}", tz.name());
                let mut probe = t + 23 * DAY / 24;
                while probe < next {
                    assert_eq!(reference(probe), offset, "{} at {probe}", tz.name());
                    probe += 23 * DAY / 24;
                    checked += 1;
                }
                if next < to {
                    assert_ne!(zone.offset(next), zone.offset(next - 1), "{}", tz.name());
                }
                t = next;
            }
        }
        assert!(checked > 5_000_000, "{checked}");
    }

    #[test]
    fn recife_week_of_dst_in_2000() {
        let recife = Zone::new(chrono_tz::America::Recife, DstPolicy::Skip);
        let t = instant("2000-10-01T00:00:00Z");
        let start = recife.next_transition(t, t + 365 * DAY);
        assert_eq!(start, instant("2000-10-08T03:00:00Z"));
        let end = recife.next_transition(start, t + 365 * DAY);
        assert_eq!(end, instant("2000-10-15T02:00:00Z"));
    }

    #[test]
    fn utc_is_fixed() {
        assert!(Zone::new(chrono_tz::UTC, DstPolicy::Skip).is_fixed());
        assert!(!Zone::new(New_York, DstPolicy::Skip).is_fixed());
    }
}
