//! Cron expressions for `cron ...` statements: parsing, matching and slot search.
//!
//! A statement such as `cron 0 */2 * * *` schedules work with a classic cron
//! expression. This module turns the text after the keyword into a [`CronExpr`]:
//! one bit set per field (seconds, minutes, hours, days of the month, months,
//! days of the week) plus the Quartz-style day extensions (`L`, `LW`, `15W`,
//! `5L`, `5#3`). With those bit sets the evaluator can ask when the expression
//! next (or last) matched a civil date-time by jumping field by field instead of
//! stepping minute by minute, which keeps [`CronExpr::next_slot_from`] far below
//! a microsecond.
//!
//! Every operation comes in two spellings: on chrono's [`NaiveDateTime`], and on *civil
//! microseconds* (an `i64` counting microseconds since 1970-01-01T00:00:00 on the wall
//! clock, the evaluator's own representation). The second skips chrono's calendar
//! conversions, which cost more than the search itself on the evaluator's hot path.
//!
//! Parsing reports every problem it finds as a [`CronError`] that carries a byte
//! range into the parsed text, so the diagnostics layer can underline the exact
//! piece. It also proves at parse time when an expression can never match
//! (`0 0 30 2 *`), so callers can warn instead of searching in vain.
//!
//! Semantics are those of Vixie cron, not Rocketry's: steps count from the start
//! of their range (`*/2` in day-of-month is 1, 3, 5, ...), day-of-week 0 and 7
//! are both Sunday, and when both day fields are restricted (neither is a lone
//! `*` or `?`) a day matches if either field does. Everything works on naive
//! civil time; time zones and DST transitions are the caller's concern.

mod error;
mod field;
mod parse;
mod search;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike};

use crate::civil::{date_of_days, weekday_of_days, DAY};
pub use error::{CronError, CronErrorKind};
use field::MONTH_FULL_NAMES;
use parse::{compile, field_count_error, join_words, parse_macro, split_fields};
use search::{bit_values, has_bit, next_bit, next_time_of_day, Civil, Fields};

/// How many years past its start a slot search scans before giving up.
///
/// The Gregorian calendar repeats every 400 years, so an expression that
/// matches at all matches within any window of that length.
pub const MAX_SEARCH_YEARS: i32 = 400;

/// How many days after a day without a further slot a search tests one by one, for an
/// expression that fires every week, before the calendar search.
const NEAR_DAYS: i64 = 7;

/// A compiled cron expression.
///
/// Built by [`CronExpr::parse`]. Equality compares the canonical text as well as
/// the compiled fields; [`CronExpr::same_schedule`] ignores the spelling.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CronExpr {
    text: String,
    has_seconds: bool,
    fields: Fields,
    never: bool,
}

// ---------------------------------------------------------------------------
// Public operations
// ---------------------------------------------------------------------------

impl CronExpr {
    /// Parses fields separated by exactly one ASCII space (a double space is an error
    /// pointing at it).
    ///
    /// 5 fields: minute hour day-of-month month day-of-week. 6 fields: second minute hour
    /// day-of-month month day-of-week. Also the macros `@yearly` `@annually` `@monthly`
    /// `@weekly` `@daily` `@midnight` `@hourly` (case-insensitive).
    /// Returns every error found (each field is checked), not just the first.
    pub fn parse(text: &str) -> Result<CronExpr, Vec<CronError>> {
        let mut errors = Vec::new();
        let fields = split_fields(text, &mut errors);
        if fields
            .first()
            .is_some_and(|f| text[f.clone()].starts_with('@'))
        {
            return parse_macro(text, &fields, errors);
        }
        if !matches!(fields.len(), 5 | 6) {
            errors.push(field_count_error(text, &fields));
            return Err(errors);
        }
        match compile(text, &fields, &mut errors) {
            Some(compiled) if errors.is_empty() => {
                let canonical: Vec<String> = fields
                    .iter()
                    .map(|f| text[f.clone()].to_ascii_uppercase())
                    .collect();
                Ok(CronExpr::new(
                    canonical.join(" "),
                    fields.len() == 6,
                    compiled,
                ))
            }
            _ => Err(errors),
        }
    }

    /// The canonical text: fields as written but with names upper-cased (MON, JAN), single
    /// spaces; macros kept as the (lower-case) macro. `parse(text())` gives back `self`.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the expression has a leading seconds field (6 fields).
    pub fn has_seconds(&self) -> bool {
        self.has_seconds
    }

    /// Length of one slot: 1 minute for 5 fields, 1 second for 6 fields.
    pub fn slot(&self) -> TimeDelta {
        TimeDelta::seconds(if self.has_seconds { 1 } else { 60 })
    }

    /// Whether both expressions compile to the same field sets, so match the same times,
    /// however they are spelled (`0 12 * * 0` and `0 12 * * SUN,7`).
    pub fn same_schedule(&self, other: &CronExpr) -> bool {
        self.has_seconds == other.has_seconds && self.fields == other.fields
    }

    /// Whether the civil date-time `t` lies in a matching slot (a matching minute holds for
    /// the whole minute; with seconds, the whole second).
    pub fn matches(&self, t: NaiveDateTime) -> bool {
        let f = &self.fields;
        let weekday = t.weekday().num_days_from_sunday();
        has_bit(f.months.into(), t.month())
            && f.day_matches(t.year(), t.month(), t.day(), weekday)
            && has_bit(f.hours.into(), t.hour())
            && has_bit(f.minutes, t.minute())
            && (!self.has_seconds || has_bit(f.seconds, t.second()))
    }

    /// Start of the earliest matching slot whose start is `>= t` (if `t` is inside a matching
    /// slot, that slot's start is `< t`: then the next one). Civil (naive) times. `None` if
    /// no match before `limit` (exclusive), within [`MAX_SEARCH_YEARS`], or ever.
    pub fn next_slot_from(&self, t: NaiveDateTime, limit: NaiveDateTime) -> Option<NaiveDateTime> {
        if self.never || t >= limit {
            return None;
        }
        let start = self.first_candidate(t);
        let last_year = limit
            .year()
            .min(start.year.saturating_add(MAX_SEARCH_YEARS));
        let found = self.fields.search_forward(start, last_year)?.to_naive()?;
        (found < limit).then_some(found)
    }

    /// Start of the latest matching slot whose start is `<= t` (the slot containing `t` if
    /// `t` matches). `None` if none at or after `limit` (inclusive lower bound), within
    /// [`MAX_SEARCH_YEARS`], or ever.
    pub fn prev_slot_at_or_before(
        &self,
        t: NaiveDateTime,
        limit: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        if self.never || t < limit {
            return None;
        }
        let start = Civil::of(t);
        let first_year = limit
            .year()
            .max(start.year.saturating_sub(MAX_SEARCH_YEARS));
        let found = self.fields.search_backward(start, first_year)?.to_naive()?;
        (found >= limit).then_some(found)
    }

    /// [`CronExpr::matches`] on a civil time in microseconds since 1970-01-01T00:00:00.
    ///
    /// ```
    /// use tminus::cron::CronExpr;
    /// let e = CronExpr::parse("30 9 * * 1-5").map_err(|_| "cron")?;
    /// let monday_0930 = 1_710_149_400_000_000; // 2024-03-11T09:30:00
    /// assert!(e.matches_civil(monday_0930 + 59_999_999));
    /// assert!(!e.matches_civil(monday_0930 + 60_000_000));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches_civil(&self, civil: i64) -> bool {
        // The time of day first: it needs no calendar, and most non-matching times fail it.
        let days = civil.div_euclid(DAY);
        let seconds = (civil.rem_euclid(DAY) / 1_000_000) as u32;
        let f = &self.fields;
        if !(has_bit(f.hours.into(), seconds / 3600)
            && has_bit(f.minutes, seconds / 60 % 60)
            && (!self.has_seconds || has_bit(f.seconds, seconds % 60)))
        {
            return false;
        }
        let (year, month, day) = date_of_days(days);
        has_bit(f.months.into(), month as u32)
            && f.day_matches(year, month as u32, day as u32, weekday_of_days(days))
    }

    /// [`CronExpr::next_slot_from`] on civil microseconds since 1970-01-01T00:00:00: the
    /// earliest matching slot start `>= civil` and `< limit`.
    ///
    /// ```
    /// use tminus::cron::CronExpr;
    /// let e = CronExpr::parse("*/5 * * * *").map_err(|_| "cron")?;
    /// let t = 1_710_151_633_000_000; // 2024-03-11T10:07:13
    /// let next = e.next_slot_from_civil(t, t + 86_400_000_000);
    /// assert_eq!(next, Some(1_710_151_800_000_000)); // 10:10:00
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_slot_from_civil(&self, civil: i64, limit: i64) -> Option<i64> {
        if self.never || civil >= limit {
            return None;
        }
        if let Some(found) = self.next_slot_same_day(civil) {
            return (found < limit).then_some(found);
        }
        if let Some(found) = self.next_slot_next_days(civil) {
            return (found < limit).then_some(found);
        }
        let (c, fraction) = Civil::of_micros(civil);
        let start = self.round_up(c, fraction != 0);
        let found = self
            .fields
            .search_forward(start, self.last_year(civil, limit, start))?;
        let found = if (found.year, found.month, found.day) == (c.year, c.month, c.day) {
            // Same day (the common case): no calendar arithmetic back to microseconds.
            let midnight = civil.checked_sub(civil.rem_euclid(DAY))?;
            midnight + found.micros_of_day()
        } else {
            found.to_micros()?
        };
        (found < limit).then_some(found)
    }

    /// The last year a forward search from `civil` (fields `start`) to `limit` scans.
    /// It may exceed `min(year of limit, start + MAX_SEARCH_YEARS)`: a slot in a later
    /// year lies past `limit` and is rejected anyway. A limit within a year needs no
    /// calendar: its year is at most the next one.
    /// The first slot at or after `civil` (rounded up to a slot) on the same day, when
    /// that day matches: bit scans over the time fields only, no calendar search. `None`
    /// when the day does not match or has no later matching slot.
    #[inline]
    fn next_slot_same_day(&self, civil: i64) -> Option<i64> {
        let (days, in_day) = (civil.div_euclid(DAY), civil.rem_euclid(DAY));
        // Rounded up to the slot, with constant divisors.
        let seconds = if self.has_seconds {
            (in_day + 999_999) / 1_000_000
        } else {
            (in_day + 59_999_999) / 60_000_000 * 60
        };
        if seconds >= 86_400 {
            return None;
        }
        let seconds = seconds as i32;
        let f = &self.fields;
        let (hour, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        let time = next_time_of_day(f, hour, minute, second)?;
        let (year, month, day) = date_of_days(days);
        let day_matches = has_bit(f.months.into(), month as u32)
            && f.day_matches(year, month as u32, day as u32, weekday_of_days(days));
        let midnight = civil.checked_sub(in_day)?;
        day_matches.then(|| midnight.checked_add(i64::from(time) * 1_000_000))?
    }

    /// The first slot on one of the [`NEAR_DAYS`] days after the day of `civil` (the
    /// first matching time of the first matching day), when the day of `civil` has no
    /// matching slot at or after it: a day test each, no calendar search. `None` when
    /// none of those days matches.
    #[inline]
    fn next_slot_next_days(&self, civil: i64) -> Option<i64> {
        if !self.fields.every_week() {
            return None;
        }
        let days = civil.div_euclid(DAY);
        // The day's midnight must be a count, as for a slot on the same day.
        days.checked_mul(DAY)?;
        let time = next_time_of_day(&self.fields, 0, 0, 0)?;
        let day = (days + 1..=days + NEAR_DAYS).find(|&d| self.day_matches_days(d))?;
        day.checked_mul(DAY)?
            .checked_add(i64::from(time) * 1_000_000)
    }

    /// Whether day number `days` (counted from 1970-01-01) is a matching day.
    #[inline]
    pub(crate) fn day_matches_days(&self, days: i64) -> bool {
        let (year, month, day) = date_of_days(days);
        let f = &self.fields;
        has_bit(f.months.into(), month as u32)
            && f.day_matches(year, month as u32, day as u32, weekday_of_days(days))
    }

    /// For an expression without a seconds field (slots of a minute): the first matching
    /// minute of a matching day at or after minute `minute` (0 to 1439) of the day, and
    /// the first minute after it that does not match (1440 when the matching minutes
    /// last to midnight, where the next day decides). The time fields alone: the day's
    /// match is the caller's. `None` with a seconds field, or when no minute at or after
    /// `minute` matches.
    #[inline]
    pub(crate) fn minute_run(&self, minute: u32) -> Option<(u32, u32)> {
        const HOUR: u64 = (1 << 60) - 1;
        if self.has_seconds || minute >= 1440 {
            return None;
        }
        let f = &self.fields;
        let (hours, minutes) = (u64::from(f.hours), f.minutes);
        let (mut hour, mut from) = ((minute / 60) as i32, (minute % 60) as i32);
        let first = loop {
            if has_bit(hours, hour as u32) {
                if let Some(m) = next_bit(minutes, from) {
                    break m;
                }
            }
            hour = next_bit(hours, hour + 1)?;
            from = 0;
        };
        let start = hour as u32 * 60 + first as u32;
        // The first minute of the hour after `first` that does not match, else the next
        // hours while they match whole.
        let gaps = !minutes & HOUR;
        if let Some(m) = next_bit(gaps, first + 1) {
            return Some((start, hour as u32 * 60 + m as u32));
        }
        loop {
            hour += 1;
            if hour >= 24 || !has_bit(hours, hour as u32) || gaps & 1 != 0 {
                return Some((start, hour as u32 * 60));
            }
            if gaps != 0 {
                return Some((start, hour as u32 * 60 + gaps.trailing_zeros()));
            }
        }
    }

    fn last_year(&self, civil: i64, limit: i64, start: Civil) -> i32 {
        if limit.saturating_sub(civil) < 365 * DAY {
            return start.year.saturating_add(1);
        }
        let (limit_year, _, _) = date_of_days(limit.div_euclid(DAY));
        limit_year.min(start.year.saturating_add(MAX_SEARCH_YEARS))
    }

    /// [`CronExpr::prev_slot_at_or_before`] on civil microseconds since
    /// 1970-01-01T00:00:00: the latest matching slot start `<= civil` and `>= limit`.
    ///
    /// ```
    /// use tminus::cron::CronExpr;
    /// let e = CronExpr::parse("*/5 * * * *").map_err(|_| "cron")?;
    /// let t = 1_710_151_633_000_000; // 2024-03-11T10:07:13
    /// let prev = e.prev_slot_at_or_before_civil(t, t - 86_400_000_000);
    /// assert_eq!(prev, Some(1_710_151_500_000_000)); // 10:05:00
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn prev_slot_at_or_before_civil(&self, civil: i64, limit: i64) -> Option<i64> {
        if self.never || civil < limit {
            return None;
        }
        let (start, _) = Civil::of_micros(civil);
        let (limit_year, _, _) = date_of_days(limit.div_euclid(DAY));
        let first_year = limit_year.max(start.year.saturating_sub(MAX_SEARCH_YEARS));
        let found = self
            .fields
            .search_backward(start, first_year)?
            .to_micros()?;
        (found >= limit).then_some(found)
    }

    /// True when it is proved that no date ever matches (e.g. `0 0 30 2 *`, `0 0 31 4 *`,
    /// `0 0 31 4,6,9,11 *`), decided at parse time from the field sets. `0 0 29 2 *` is not
    /// never (leap years). Exact, extensions included.
    pub fn is_never(&self) -> bool {
        self.never
    }

    /// The civil times of day at which the expression can fire, as `[start, end)` offsets
    /// from midnight in microseconds: each matching minute (or second, with six fields) of
    /// each matching hour. For proofs of "never" against `time of day` windows.
    pub fn day_ranges(&self) -> Vec<(i64, i64)> {
        let f = &self.fields;
        let (minute, second) = (60_000_000_i64, 1_000_000_i64);
        let mut ranges = Vec::new();
        for h in bit_values(f.hours.into()) {
            for m in bit_values(f.minutes) {
                let at = i64::from(h) * 60 * minute + i64::from(m) * minute;
                if self.has_seconds {
                    ranges.extend(
                        bit_values(f.seconds)
                            .map(|s| (at + i64::from(s) * second, at + i64::from(s + 1) * second)),
                    );
                } else {
                    ranges.push((at, at + minute));
                }
            }
        }
        ranges
    }

    /// The weekdays (bit 0 Sunday … bit 6 Saturday) on which the expression can fire, when
    /// the day-of-week field alone decides it: not when both day fields are restricted
    /// (either one matching is enough) nor with `L` or `#` weekdays.
    pub fn firing_weekdays(&self) -> Option<u8> {
        let f = &self.fields;
        let plain = !f.either_day && f.weekday_extras == search::WeekdayExtras::default();
        plain.then_some(f.weekdays)
    }

    /// The days of the month (bit n for day n) on which the expression can fire, when the
    /// day-of-month field alone decides it (see [`CronExpr::firing_weekdays`]).
    pub fn firing_days(&self) -> Option<u32> {
        let f = &self.fields;
        (!f.either_day && f.day_extras.is_empty()).then_some(f.days)
    }

    /// Which fields can never combine, for a lint message, e.g.
    /// `Some("day 30 never occurs in February")`. `None` if the expression can match.
    pub fn never_reason(&self) -> Option<String> {
        if !self.never {
            return None;
        }
        let f = &self.fields;
        let days: Vec<String> = bit_values((f.days | f.day_extras.nearest).into())
            .map(|d| d.to_string())
            .collect();
        let months: Vec<&str> = bit_values(f.months.into())
            .map(|m| MONTH_FULL_NAMES[m as usize - 1])
            .collect();
        let (noun, verb) = if days.len() == 1 {
            ("day", "occurs")
        } else {
            ("days", "occur")
        };
        Some(format!(
            "{noun} {} never {verb} in {}",
            join_words(&days, "and"),
            join_words(&months, "or")
        ))
    }

    fn new(text: String, has_seconds: bool, fields: Fields) -> CronExpr {
        let never = fields.is_never();
        CronExpr {
            text,
            has_seconds,
            fields,
            never,
        }
    }

    /// The first slot start at or after `t`, as civil fields that may overflow (minute 60).
    fn first_candidate(&self, t: NaiveDateTime) -> Civil {
        self.round_up(Civil::of(t), t.nanosecond() != 0)
    }

    /// The first slot start at or after the time `c` (plus a fraction of a second when
    /// `fraction`), as civil fields that may overflow (minute 60).
    fn round_up(&self, mut c: Civil, fraction: bool) -> Civil {
        if self.has_seconds {
            if fraction {
                c.second += 1;
            }
        } else if c.second != 0 || fraction {
            c.minute += 1;
            c.second = 0;
        }
        c
    }
}

impl fmt::Display for CronExpr {
    /// Writes the canonical text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for CronExpr {
    type Err = Vec<CronError>;

    /// Same as [`CronExpr::parse`].
    fn from_str(text: &str) -> Result<CronExpr, Vec<CronError>> {
        CronExpr::parse(text)
    }
}
