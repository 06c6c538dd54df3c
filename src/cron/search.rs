//! The compiled expression and its search: one bit set per field, the day rule (with the
//! Quartz-style extensions), and the field-by-field jumps that find the next or previous
//! matching slot without stepping minute by minute.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::civil::{
    date_of_days, days_in_month, days_of_date, longest_month, micros_of_day, weekday_of, DAY,
};

// ---------------------------------------------------------------------------
// Compiled fields and the day rule
// ---------------------------------------------------------------------------

/// Every weekday, Sunday = bit 0.
pub(super) const ALL_WEEKDAYS: u8 = 0x7F;

/// The compiled fields: one bit per allowed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Fields {
    /// Bits 0..=59; only bit 0 for a 5-field expression.
    pub(super) seconds: u64,
    /// Bits 0..=59.
    pub(super) minutes: u64,
    /// Bits 0..=23.
    pub(super) hours: u32,
    /// Bits 1..=31 (plain numbers only; extensions live in `day_extras`).
    pub(super) days: u32,
    /// Bits 1..=12.
    pub(super) months: u16,
    /// Bits 0..=6, Sunday = 0 (7 is folded into 0).
    pub(super) weekdays: u8,
    pub(super) day_extras: DayExtras,
    pub(super) weekday_extras: WeekdayExtras,
    /// Both day fields are restricted: a day matches when either field matches.
    pub(super) either_day: bool,
}

/// Day-of-month extensions: `L`, `LW` and `nW`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct DayExtras {
    pub(super) last: bool,
    pub(super) last_weekday: bool,
    /// Bit n set for `nW`: the weekday nearest day n, not crossing the month.
    pub(super) nearest: u32,
}

/// Day-of-week extensions: `nL` and `n#k`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct WeekdayExtras {
    /// Bit d set for `dL`: the last weekday d of the month.
    pub(super) last: u8,
    /// `nth[k - 1]` has bit d set for `d#k`: the k-th weekday d of the month.
    pub(super) nth: [u8; 5],
}

impl DayExtras {
    pub(super) fn is_empty(&self) -> bool {
        !self.last && !self.last_weekday && self.nearest == 0
    }

    /// The days these extensions select in a month of `len` days whose 1st is weekday `first`.
    pub(super) fn mask(&self, first: u32, len: u32) -> u32 {
        let mut mask = 0;
        if self.last {
            mask |= 1 << len;
        }
        if self.last_weekday {
            mask |= 1 << nearest_weekday(len, first, len);
        }
        for day in bit_values(self.nearest.into()).take_while(|&d| d <= len) {
            mask |= 1 << nearest_weekday(day, first, len);
        }
        mask
    }
}

impl WeekdayExtras {
    pub(super) fn is_empty(&self) -> bool {
        self.last == 0 && self.nth.iter().all(|&w| w == 0)
    }

    /// The days these extensions select in a month of `len` days whose 1st is weekday `first`.
    pub(super) fn mask(&self, first: u32, len: u32) -> u32 {
        let mut mask = 0;
        let last_weekday = (first + len - 1) % 7;
        for weekday in bit_values(self.last.into()) {
            mask |= 1 << (len - (last_weekday + 7 - weekday) % 7);
        }
        for (week, weekdays) in (0u32..).zip(self.nth) {
            for weekday in bit_values(weekdays.into()) {
                let day = 1 + (weekday + 7 - first) % 7 + 7 * week;
                if day <= len {
                    mask |= 1 << day;
                }
            }
        }
        mask
    }
}

/// The weekday (Monday to Friday) nearest `day` without leaving the month, as Quartz's `W`.
pub(super) fn nearest_weekday(day: u32, first: u32, len: u32) -> u32 {
    match (first + day - 1) % 7 {
        6 if day == 1 => 3,
        6 => day - 1,
        0 if day == len => day - 2,
        0 => day + 1,
        _ => day,
    }
}

/// Days of the month whose weekday is in `weekdays`, for a month whose 1st is weekday `first`.
pub(super) fn weekly_mask(weekdays: u8, first: u32) -> u32 {
    const FIVE_WEEKS: u64 = 1 | 1 << 7 | 1 << 14 | 1 << 21 | 1 << 28;
    let w = u64::from(weekdays);
    // Bit i of `week` is day i + 1 of the month.
    let week = ((w >> first) | (w << (7 - first))) & u64::from(ALL_WEEKDAYS);
    ((week * FIVE_WEEKS) << 1) as u32
}

impl Fields {
    /// The matching days (bits 1..=31) of one month.
    pub(super) fn day_mask(&self, year: i32, month: u32) -> u32 {
        let len = days_in_month(year, month);
        let in_month = days_up_to(len);
        if self.plain_days() {
            return self.days & in_month;
        }
        let first = weekday_of(year, month, 1);
        let dom = self.days | self.day_extras.mask(first, len);
        let dow = weekly_mask(self.weekdays, first) | self.weekday_extras.mask(first, len);
        let days = if self.either_day {
            dom | dow
        } else {
            dom & dow
        };
        days & in_month
    }

    /// Whether day `day` of a month matches, its weekday being `weekday` (Sunday = 0).
    /// Without extensions both day fields are single bit tests; only `L`, `W`, `#` need
    /// the whole month's mask.
    pub(super) fn day_matches(&self, year: i32, month: u32, day: u32, weekday: u32) -> bool {
        if !self.day_extras.is_empty() || !self.weekday_extras.is_empty() {
            return has_bit(self.day_mask(year, month).into(), day);
        }
        let dom = has_bit(self.days.into(), day);
        let dow = has_bit(self.weekdays.into(), weekday);
        if self.either_day {
            dom || dow
        } else {
            dom && dow
        }
    }

    /// Whether some day of every week matches: every month, every day of the month, and
    /// plain weekdays (not all of them empty).
    pub(super) fn every_week(&self) -> bool {
        self.months == 0x1FFE
            && self.days == 0xFFFF_FFFE
            && self.weekdays != 0
            && self.day_extras.is_empty()
            && self.weekday_extras.is_empty()
    }

    /// Whether days depend on the day-of-month numbers alone (no weekday arithmetic needed).
    pub(super) fn plain_days(&self) -> bool {
        !self.either_day
            && self.weekdays == ALL_WEEKDAYS
            && self.weekday_extras.is_empty()
            && self.day_extras.is_empty()
    }

    /// Whether no date can ever match. The weekday side always matches somewhere (every
    /// weekday has a 5th occurrence in some 29-day February), so only a restricted
    /// day-of-month under the AND rule can make an expression impossible.
    pub(super) fn is_never(&self) -> bool {
        if self.either_day || self.day_extras.last || self.day_extras.last_weekday {
            return false;
        }
        let days = self.days | self.day_extras.nearest;
        bit_values(self.months.into()).all(|m| days & days_up_to(longest_month(m)) == 0)
    }

    /// The earliest match at or after `c`, scanning no year after `last_year`.
    pub(super) fn search_forward(&self, mut c: Civil, last_year: i32) -> Option<Civil> {
        let mut month_days = MonthDays::default();
        while c.year <= last_year {
            let Some(month) = next_bit(self.months.into(), c.month) else {
                c = Civil::year_start(c.year + 1);
                continue;
            };
            if month != c.month {
                c = c.month_start(month);
            }
            let days = month_days.get(self, c.year, month);
            let Some(day) = next_bit(days.into(), c.day) else {
                c = c.month_start(month + 1);
                continue;
            };
            if day != c.day {
                c = c.day_start(day);
            }
            let Some(hour) = next_bit(self.hours.into(), c.hour) else {
                c = c.day_start(day + 1);
                continue;
            };
            if hour != c.hour {
                c = c.hour_start(hour);
            }
            let Some(minute) = next_bit(self.minutes, c.minute) else {
                c = c.hour_start(hour + 1);
                continue;
            };
            if minute != c.minute {
                c = c.minute_start(minute);
            }
            let Some(second) = next_bit(self.seconds, c.second) else {
                c = c.minute_start(minute + 1);
                continue;
            };
            return Some(Civil { second, ..c });
        }
        None
    }

    /// The latest match at or before `c`, scanning no year before `first_year`.
    pub(super) fn search_backward(&self, mut c: Civil, first_year: i32) -> Option<Civil> {
        let mut month_days = MonthDays::default();
        while c.year >= first_year {
            let Some(month) = prev_bit(self.months.into(), c.month) else {
                c = Civil::year_end(c.year - 1);
                continue;
            };
            if month != c.month {
                c = c.month_end(month);
            }
            let days = month_days.get(self, c.year, month);
            let Some(day) = prev_bit(days.into(), c.day) else {
                c = c.month_end(month - 1);
                continue;
            };
            if day != c.day {
                c = c.day_end(day);
            }
            let Some(hour) = prev_bit(self.hours.into(), c.hour) else {
                c = c.day_end(day - 1);
                continue;
            };
            if hour != c.hour {
                c = c.hour_end(hour);
            }
            let Some(minute) = prev_bit(self.minutes, c.minute) else {
                c = c.hour_end(hour - 1);
                continue;
            };
            if minute != c.minute {
                c = c.minute_end(minute);
            }
            let Some(second) = prev_bit(self.seconds, c.second) else {
                c = c.minute_end(minute - 1);
                continue;
            };
            return Some(Civil { second, ..c });
        }
        None
    }
}

/// The day mask of the month a search is in. A search visits the days of one month in
/// turn, and the mask of a month with weekday rules takes weekday arithmetic, so it is
/// computed once per month rather than once per day.
#[derive(Default)]
pub(super) struct MonthDays {
    /// `(year, month)` of `mask`; month 0 (no month) until the first lookup.
    pub(super) of: (i32, i32),
    pub(super) mask: u32,
}

impl MonthDays {
    pub(super) fn get(&mut self, fields: &Fields, year: i32, month: i32) -> u32 {
        if self.of != (year, month) {
            self.of = (year, month);
            self.mask = fields.day_mask(year, month as u32);
        }
        self.mask
    }
}

// ---------------------------------------------------------------------------
// Civil time fields that may run past their range while searching
// ---------------------------------------------------------------------------

/// A civil date-time as loose fields: a search may set `minute` to 60 or `day` to 0,
/// and the next bit-set lookup turns that into a carry to the enclosing field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Civil {
    pub(super) year: i32,
    pub(super) month: i32,
    pub(super) day: i32,
    pub(super) hour: i32,
    pub(super) minute: i32,
    pub(super) second: i32,
}

impl Civil {
    pub(super) fn of(t: NaiveDateTime) -> Civil {
        Civil {
            year: t.year(),
            month: t.month() as i32,
            day: t.day() as i32,
            hour: t.hour() as i32,
            minute: t.minute() as i32,
            second: t.second() as i32,
        }
    }

    /// The fields of civil microseconds since 1970-01-01T00:00:00, and the microseconds
    /// past the second.
    pub(super) fn of_micros(civil: i64) -> (Civil, i64) {
        let (days, micros) = (civil.div_euclid(DAY), civil.rem_euclid(DAY));
        let (year, month, day) = date_of_days(days);
        let seconds = (micros / 1_000_000) as i32;
        let c = Civil {
            year,
            month,
            day,
            hour: seconds / 3600,
            minute: seconds / 60 % 60,
            second: seconds % 60,
        };
        (c, micros % 1_000_000)
    }

    /// Civil microseconds since 1970-01-01T00:00:00 of in-range fields; `None` when they
    /// do not fit an `i64`.
    pub(super) fn to_micros(self) -> Option<i64> {
        let days = days_of_date(self.year, self.month, self.day);
        days.checked_mul(DAY)?.checked_add(self.micros_of_day())
    }

    /// Microseconds since midnight of in-range time fields.
    pub(super) fn micros_of_day(self) -> i64 {
        micros_of_day(self.hour, self.minute, self.second)
    }

    pub(super) fn to_naive(self) -> Option<NaiveDateTime> {
        let unsigned = |v: i32| u32::try_from(v).ok();
        NaiveDate::from_ymd_opt(self.year, unsigned(self.month)?, unsigned(self.day)?)?.and_hms_opt(
            unsigned(self.hour)?,
            unsigned(self.minute)?,
            unsigned(self.second)?,
        )
    }

    pub(super) fn year_start(year: i32) -> Civil {
        Civil {
            year,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
        }
    }

    pub(super) fn year_end(year: i32) -> Civil {
        Civil {
            year,
            month: 12,
            day: 31,
            hour: 23,
            minute: 59,
            second: 59,
        }
    }

    pub(super) fn month_start(self, month: i32) -> Civil {
        Civil {
            month,
            ..Civil::year_start(self.year)
        }
    }

    pub(super) fn month_end(self, month: i32) -> Civil {
        Civil {
            month,
            ..Civil::year_end(self.year)
        }
    }

    pub(super) fn day_start(self, day: i32) -> Civil {
        Civil {
            day,
            hour: 0,
            minute: 0,
            second: 0,
            ..self
        }
    }

    pub(super) fn day_end(self, day: i32) -> Civil {
        Civil {
            day,
            hour: 23,
            minute: 59,
            second: 59,
            ..self
        }
    }

    pub(super) fn hour_start(self, hour: i32) -> Civil {
        Civil {
            hour,
            minute: 0,
            second: 0,
            ..self
        }
    }

    pub(super) fn hour_end(self, hour: i32) -> Civil {
        Civil {
            hour,
            minute: 59,
            second: 59,
            ..self
        }
    }

    pub(super) fn minute_start(self, minute: i32) -> Civil {
        Civil {
            minute,
            second: 0,
            ..self
        }
    }

    pub(super) fn minute_end(self, minute: i32) -> Civil {
        Civil {
            minute,
            second: 59,
            ..self
        }
    }
}

// ---------------------------------------------------------------------------
// Bit sets and the calendar
// ---------------------------------------------------------------------------

/// The lowest set bit of `mask` at position `from` or above.
pub(super) fn next_bit(mask: u64, from: i32) -> Option<i32> {
    if from >= 64 {
        return None;
    }
    let rest = mask & (u64::MAX << from.max(0));
    (rest != 0).then(|| rest.trailing_zeros() as i32)
}

/// The first matching time of day (seconds since midnight) at or after
/// `hour:minute:second` on a day that matches, if any that day.
#[inline]
pub(super) fn next_time_of_day(f: &Fields, hour: i32, minute: i32, second: i32) -> Option<u32> {
    let (mut hour, mut minute, mut second) = (hour, minute, second);
    loop {
        let h = next_bit(f.hours.into(), hour)?;
        if h != hour {
            (hour, minute, second) = (h, 0, 0);
        }
        let Some(m) = next_bit(f.minutes, minute) else {
            (hour, minute, second) = (hour + 1, 0, 0);
            continue;
        };
        if m != minute {
            (minute, second) = (m, 0);
        }
        let Some(s) = next_bit(f.seconds, second) else {
            (minute, second) = (minute + 1, 0);
            continue;
        };
        return Some((hour * 3600 + minute * 60 + s) as u32);
    }
}

/// The highest set bit of `mask` at position `from` or below.
pub(super) fn prev_bit(mask: u64, from: i32) -> Option<i32> {
    if from < 0 {
        return None;
    }
    let rest = if from >= 63 {
        mask
    } else {
        mask & ((2 << from) - 1)
    };
    (rest != 0).then(|| 63 - rest.leading_zeros() as i32)
}

pub(super) fn has_bit(mask: u64, bit: u32) -> bool {
    bit < 64 && (mask >> bit) & 1 == 1
}

/// The positions of the set bits of `mask`, lowest first.
pub(super) fn bit_values(mut mask: u64) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        let bit = (mask != 0).then(|| mask.trailing_zeros())?;
        mask &= mask - 1;
        Some(bit)
    })
}

/// Bits 1..=len set.
pub(super) fn days_up_to(len: u32) -> u32 {
    ((1u64 << (len + 1)) - 2) as u32
}
