//! Civil-calendar arithmetic on microsecond counts.
//!
//! The evaluator works on two integer time lines: *instants* (microseconds since
//! 1970-01-01T00:00:00Z) and *civil times* (microseconds since 1970-01-01T00:00:00 on a
//! wall clock, no zone). Only [`super::zone`] moves between them; this module does the
//! calendar part of civil times (days, weekdays, months) with Howard Hinnant's
//! `days_from_civil` algorithms, which need no tables and never allocate.

use chrono::{DateTime, NaiveDateTime};

/// Microseconds in one day.
pub(crate) const DAY: i64 = 86_400_000_000;

/// Earliest civil time or instant the evaluator works with (year -9999, safely inside chrono).
pub(crate) const MIN_TIME: i64 = -377_705_116_800_000_000;
/// Latest civil time or instant the evaluator works with (year 9999, safely inside chrono).
pub(crate) const MAX_TIME: i64 = 253_402_300_799_999_999;

/// Days since 1970-01-01 of a proleptic Gregorian date (the cron module's arithmetic;
/// years stay far inside `i32` between [`MIN_TIME`] and [`MAX_TIME`]).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    crate::ir::cron::days_of_date(year as i32, month as i32, day as i32)
}

/// The date `(year, month, day)` of a day number counted from 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let (year, month, day) = crate::ir::cron::date_of_days(days);
    (i64::from(year), month as u32, day as u32)
}

/// Days in a month of the proleptic Gregorian calendar.
pub(crate) fn days_in_month(year: i64, month: u32) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Monday-based weekday (Monday 0 … Sunday 6) of a day number; 1970-01-01 was a Thursday.
#[cfg(test)]
pub(crate) fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

/// Start (civil microseconds) of the month that contains civil time `civil`.
pub(crate) fn month_start(civil: i64) -> i64 {
    let (y, m, _) = civil_from_days(civil.div_euclid(DAY));
    days_from_civil(y, m, 1) * DAY
}

/// Length in microseconds of the month that starts at civil time `start`.
pub(crate) fn month_len(start: i64) -> i64 {
    let (y, m, _) = civil_from_days(start.div_euclid(DAY));
    days_in_month(y, m) * DAY
}

/// A civil time or instant inside the supported range (what [`to_naive`] converts).
#[inline]
pub(crate) fn in_range(t: i64) -> i64 {
    t.clamp(MIN_TIME, MAX_TIME)
}

/// A civil microsecond count as chrono's naive date-time (clamped to the supported range).
pub(crate) fn to_naive(civil: i64) -> NaiveDateTime {
    let civil = in_range(civil);
    DateTime::from_timestamp_micros(civil).map_or(NaiveDateTime::MIN, |d| d.naive_utc())
}

/// Chrono's naive date-time as a civil microsecond count.
#[cfg(test)]
pub(crate) fn from_naive(naive: NaiveDateTime) -> i64 {
    naive.and_utc().timestamp_micros()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days() {
        for days in [-800_000, -1, 0, 1, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn weekdays_and_months() {
        assert_eq!(weekday(days_from_civil(2024, 3, 11)), 0); // a Monday
        assert_eq!(weekday(days_from_civil(2024, 3, 17)), 6);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        let march = days_from_civil(2024, 3, 1) * DAY;
        assert_eq!(month_start(march + 5 * DAY + 7), march);
        assert_eq!(month_len(march), 31 * DAY);
    }
}
