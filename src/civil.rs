//! Calendar arithmetic on the civil time line, once for the whole crate.
//!
//! Two integer time lines run through tminus: *instants* (microseconds since
//! 1970-01-01T00:00:00Z) and *civil times* (microseconds since 1970-01-01T00:00:00 on a wall
//! clock, no zone). This module does the calendar part of civil times — leap years, month
//! lengths, day numbers ↔ dates, weekdays, the microseconds of a day — for the cron search,
//! the evaluator and the CLI. Moving between the two lines (which needs a zone) is
//! [`crate::zone`]'s job.
//!
//! Day numbers count days from 1970-01-01 in the proleptic Gregorian calendar. The
//! conversions need no tables and never allocate: they run at nearly every step of a search.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

/// Microseconds in one day.
pub(crate) const DAY: i64 = 86_400_000_000;

/// Earliest civil time or instant the evaluator works with (year -9999, safely inside chrono).
pub(crate) const MIN_TIME: i64 = -377_705_116_800_000_000;
/// Latest civil time or instant the evaluator works with (year 9999, safely inside chrono).
pub(crate) const MAX_TIME: i64 = 253_402_300_799_999_999;

/// Whether `year` has a February 29th.
pub(crate) fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1–12) of `year`.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The most days `month` ever has (29 for February).
pub(crate) fn longest_month(month: u32) -> u32 {
    days_in_month(2000, month)
}

/// The proleptic Gregorian `(year, month, day)` of a day number counted from 1970-01-01,
/// after Neri and Schneider, "Euclidean affine functions and their application to
/// calendar algorithms" (2022): multiplications and shifts only, no signed division,
/// because the evaluator converts a civil time at nearly every step of a search.
/// Every `i64` count of civil microseconds lies within about ±292,000 years, inside the
/// range handled here.
pub(crate) fn date_of_days(days: i64) -> (i32, i32, i32) {
    // Shift to a March-based count that is positive for every input: 0 is 0000-03-01
    // minus `ERAS` 400-year eras.
    const ERAS: u64 = 800;
    let n = (days + 719_468 + 146_097 * ERAS as i64) as u64;
    let n1 = 4 * n + 3;
    let (century, of_century) = (n1 / 146_097, n1 % 146_097 / 4);
    let n2 = 4 * of_century + 3;
    let p2 = 2_939_745 * n2;
    let (of_century_year, day_of_year) = (p2 >> 32, (p2 & 0xFFFF_FFFF) / 2_939_745 / 4);
    let n3 = 2141 * day_of_year + 197_913;
    let (month, day) = (n3 >> 16, (n3 & 0xFFFF) / 2141 + 1);
    // Months 13 and 14 are January and February of the next year.
    let january = day_of_year >= 306;
    let year = (100 * century + of_century_year) as i64 - 400 * ERAS as i64 + i64::from(january);
    let month = if january { month - 12 } else { month };
    (year as i32, month as i32, day as i32)
}

/// The day number counted from 1970-01-01 of a proleptic Gregorian date (Hinnant's
/// `days_from_civil`, the inverse of [`date_of_days`]).
pub(crate) fn days_of_date(year: i32, month: i32, day: i32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Day of the week (Sunday = 0) of a day number counted from 1970-01-01, a Thursday.
pub(crate) fn weekday_of_days(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32
}

/// Day of the week of a proleptic Gregorian date, Sunday = 0.
pub(crate) fn weekday_of(year: i32, month: u32, day: u32) -> u32 {
    // Days from March 1st of the (March-based) year to the 1st of each month, modulo 7,
    // shifted so that the sum below lands on Sunday = 0.
    const MONTH_SHIFT: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    let leap_days = y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400);
    let sum = y + leap_days + MONTH_SHIFT[month as usize - 1] + day as i32;
    sum.rem_euclid(7) as u32
}

/// Microseconds since midnight of a time of day given as fields in range.
pub(crate) fn micros_of_day(hour: i32, minute: i32, second: i32) -> i64 {
    i64::from((hour * 60 + minute) * 60 + second) * 1_000_000
}

/// Start (civil microseconds) of the month that contains civil time `civil`.
pub(crate) fn month_start(civil: i64) -> i64 {
    let (y, m, _) = date_of_days(civil.div_euclid(DAY));
    days_of_date(y, m, 1) * DAY
}

/// Length in microseconds of the month that starts at civil time `start`.
pub(crate) fn month_micros(start: i64) -> i64 {
    let (y, m, _) = date_of_days(start.div_euclid(DAY));
    i64::from(days_in_month(y, m as u32)) * DAY
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

/// The naive date-time `in_day` microseconds into day `days` (counted from 1970-01-01),
/// through chrono's day count rather than its epoch conversion (cheaper); `None` outside
/// chrono's range.
#[inline]
pub(crate) fn naive_of_day(days: i64, in_day: i64) -> Option<NaiveDateTime> {
    // Day 1 of the common era is 719,163 days before 1970-01-01.
    let days = i32::try_from(days.checked_add(719_163)?).ok()?;
    let date = NaiveDate::from_num_days_from_ce_opt(days)?;
    Some(NaiveDateTime::new(date, time_of_day(in_day)?))
}

/// The time `in_day` microseconds (less than a day) after midnight.
#[inline]
pub(crate) fn time_of_day(in_day: i64) -> Option<NaiveTime> {
    NaiveTime::from_num_seconds_from_midnight_opt(
        (in_day / 1_000_000) as u32,
        (in_day % 1_000_000) as u32 * 1_000,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn round_trips_days() {
        for days in [-800_000, -1, 0, 1, 19_782, 2_932_896] {
            let (y, m, d) = date_of_days(days);
            assert_eq!(days_of_date(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(date_of_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn weekdays_and_months() {
        assert_eq!(weekday_of_days(days_of_date(2024, 3, 11)), 1); // a Monday
        assert_eq!(weekday_of_days(days_of_date(2024, 3, 17)), 0);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(longest_month(2), 29);
        let march = days_of_date(2024, 3, 1) * DAY;
        assert_eq!(month_start(march + 5 * DAY + 7), march);
        assert_eq!(month_micros(march), 31 * DAY);
        assert_eq!(micros_of_day(1, 2, 3), 3_723_000_000);
    }

    #[test]
    fn weekday_of_agrees_with_chrono() {
        let mut date = NaiveDate::from_ymd_opt(-1000, 1, 1).unwrap_or_default();
        let end = NaiveDate::from_ymd_opt(3000, 1, 1).unwrap_or_default();
        while date < end {
            let expected = date.weekday().num_days_from_sunday();
            assert_eq!(
                weekday_of(date.year(), date.month(), date.day()),
                expected,
                "{date}"
            );
            date += chrono::TimeDelta::days(13);
        }
    }

    #[test]
    fn dates_of_days_agree_with_chrono() {
        // A xorshift generator, so failures reproduce.
        let mut state = 0x5851_F42D_4C95_7F2D_u64;
        let mut below = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n) as i64
        };
        let days: Vec<i64> = (0..5000).map(|_| below(8_000_000) - 4_000_000).collect();
        for days in days
            .into_iter()
            .chain([-719_468, -1, 0, 1, 11_016, 2_932_896])
        {
            let date = DateTime::from_timestamp_micros(days * DAY)
                .map(|d| d.date_naive())
                .unwrap_or_default();
            let (y, m, d) = date_of_days(days);
            assert_eq!(
                (y, m as u32, d as u32),
                (date.year(), date.month(), date.day())
            );
            assert_eq!(days_of_date(y, m, d), days, "{date}");
            let weekday = date.weekday().num_days_from_sunday();
            assert_eq!(weekday_of_days(days), weekday, "{date}");
        }
        // Beyond chrono's range, up to the ends of the `i64` microsecond line.
        let ends = [i64::MIN, i64::MAX].map(|t| t.div_euclid(DAY));
        for days in ends.into_iter().flat_map(|d| [d - 400, d, d + 400]) {
            let (y, m, d) = date_of_days(days);
            assert_eq!(days_of_date(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn naive_conversions_agree() {
        for civil in [-1, 0, 1_710_151_633_123_456, MIN_TIME, MAX_TIME] {
            let fast = naive_of_day(civil.div_euclid(DAY), civil.rem_euclid(DAY));
            assert_eq!(fast, Some(to_naive(civil)), "{civil}");
            assert_eq!(from_naive(to_naive(civil)), civil);
        }
    }
}
