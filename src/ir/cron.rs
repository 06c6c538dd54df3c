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

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike};

/// How many years past its start a slot search scans before giving up.
///
/// The Gregorian calendar repeats every 400 years, so an expression that
/// matches at all matches within any window of that length.
pub const MAX_SEARCH_YEARS: i32 = 400;

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

/// One problem found while parsing a cron expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CronError {
    /// Byte range of the faulty piece inside the text given to `CronExpr::parse`.
    pub range: Range<usize>,
    /// What kind of problem this is; see [`CronErrorKind::code`].
    pub kind: CronErrorKind,
    /// Short, lower-case, no final period, says what is allowed, e.g.
    /// "minute 61 is out of range, minutes run from 0 to 59".
    pub message: String,
    /// Optional help, e.g. "did you mean `MON`?" or "write `0 0 * * *` for daily at midnight".
    pub help: Option<String>,
}

/// The kinds of [`CronError`], each with a stable diagnostic code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CronErrorKind {
    /// Not 5 or 6 fields (or a macro followed by more text is reported as `Syntax`).
    FieldCount,
    /// A value outside its field's range: `61 * * * *`.
    OutOfRange,
    /// A range whose start is after its end: `0 0 * * 5-1`.
    BadRange,
    /// A step that is missing, zero, too large or not a number: `*/0 * * * *`.
    BadStep,
    /// A word that is not a month, weekday or macro name: `0 0 * * MNO`.
    UnknownName,
    /// Text that cannot be read: `0 0 1- * *`, a double space, a stray character.
    Syntax,
    /// A feature used where it cannot be: `L * * * *`, `?` in the hour field, `@reboot`.
    Unsupported,
}

impl CronErrorKind {
    /// The stable diagnostic code of this kind, e.g. `"tminus::cron-out-of-range"`.
    pub fn code(self) -> &'static str {
        match self {
            CronErrorKind::FieldCount => "tminus::cron-field-count",
            CronErrorKind::OutOfRange => "tminus::cron-out-of-range",
            CronErrorKind::BadRange => "tminus::cron-bad-range",
            CronErrorKind::BadStep => "tminus::cron-bad-step",
            CronErrorKind::UnknownName => "tminus::cron-unknown-name",
            CronErrorKind::Syntax => "tminus::cron-syntax",
            CronErrorKind::Unsupported => "tminus::cron-unsupported",
        }
    }
}

impl CronError {
    fn new(kind: CronErrorKind, range: Range<usize>, message: impl Into<String>) -> CronError {
        CronError {
            range,
            kind,
            message: message.into(),
            help: None,
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> CronError {
        self.help = Some(help.into());
        self
    }

    fn syntax(range: Range<usize>, message: impl Into<String>) -> CronError {
        CronError::new(CronErrorKind::Syntax, range, message)
    }
}

impl fmt::Display for CronError {
    /// Writes the message only; the help is for renderers that show it apart.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CronError {}

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
    /// use tminus::ir::CronExpr;
    /// let e = CronExpr::parse("30 9 * * 1-5").map_err(|_| "cron")?;
    /// let monday_0930 = 1_710_149_400_000_000; // 2024-03-11T09:30:00
    /// assert!(e.matches_civil(monday_0930 + 59_999_999));
    /// assert!(!e.matches_civil(monday_0930 + 60_000_000));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches_civil(&self, civil: i64) -> bool {
        // The time of day first: it needs no calendar, and most non-matching times fail it.
        let days = civil.div_euclid(DAY_MICROS);
        let seconds = (civil.rem_euclid(DAY_MICROS) / 1_000_000) as u32;
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
    /// use tminus::ir::CronExpr;
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
        let (c, fraction) = Civil::of_micros(civil);
        let start = self.round_up(c, fraction != 0);
        let found = self
            .fields
            .search_forward(start, self.last_year(civil, limit, start))?;
        let found = if (found.year, found.month, found.day) == (c.year, c.month, c.day) {
            // Same day (the common case): no calendar arithmetic back to microseconds.
            let midnight = civil.checked_sub(civil.rem_euclid(DAY_MICROS))?;
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
    fn last_year(&self, civil: i64, limit: i64, start: Civil) -> i32 {
        if limit.saturating_sub(civil) < 365 * DAY_MICROS {
            return start.year.saturating_add(1);
        }
        let (limit_year, _, _) = date_of_days(limit.div_euclid(DAY_MICROS));
        limit_year.min(start.year.saturating_add(MAX_SEARCH_YEARS))
    }

    /// [`CronExpr::prev_slot_at_or_before`] on civil microseconds since
    /// 1970-01-01T00:00:00: the latest matching slot start `<= civil` and `>= limit`.
    ///
    /// ```
    /// use tminus::ir::CronExpr;
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
        let (limit_year, _, _) = date_of_days(limit.div_euclid(DAY_MICROS));
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

// ---------------------------------------------------------------------------
// Compiled fields and the day rule
// ---------------------------------------------------------------------------

/// Every weekday, Sunday = bit 0.
const ALL_WEEKDAYS: u8 = 0x7F;

/// The compiled fields: one bit per allowed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Fields {
    /// Bits 0..=59; only bit 0 for a 5-field expression.
    seconds: u64,
    /// Bits 0..=59.
    minutes: u64,
    /// Bits 0..=23.
    hours: u32,
    /// Bits 1..=31 (plain numbers only; extensions live in `day_extras`).
    days: u32,
    /// Bits 1..=12.
    months: u16,
    /// Bits 0..=6, Sunday = 0 (7 is folded into 0).
    weekdays: u8,
    day_extras: DayExtras,
    weekday_extras: WeekdayExtras,
    /// Both day fields are restricted: a day matches when either field matches.
    either_day: bool,
}

/// Day-of-month extensions: `L`, `LW` and `nW`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
struct DayExtras {
    last: bool,
    last_weekday: bool,
    /// Bit n set for `nW`: the weekday nearest day n, not crossing the month.
    nearest: u32,
}

/// Day-of-week extensions: `nL` and `n#k`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
struct WeekdayExtras {
    /// Bit d set for `dL`: the last weekday d of the month.
    last: u8,
    /// `nth[k - 1]` has bit d set for `d#k`: the k-th weekday d of the month.
    nth: [u8; 5],
}

impl DayExtras {
    fn is_empty(&self) -> bool {
        !self.last && !self.last_weekday && self.nearest == 0
    }

    /// The days these extensions select in a month of `len` days whose 1st is weekday `first`.
    fn mask(&self, first: u32, len: u32) -> u32 {
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
    fn is_empty(&self) -> bool {
        self.last == 0 && self.nth.iter().all(|&w| w == 0)
    }

    /// The days these extensions select in a month of `len` days whose 1st is weekday `first`.
    fn mask(&self, first: u32, len: u32) -> u32 {
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
fn nearest_weekday(day: u32, first: u32, len: u32) -> u32 {
    match (first + day - 1) % 7 {
        6 if day == 1 => 3,
        6 => day - 1,
        0 if day == len => day - 2,
        0 => day + 1,
        _ => day,
    }
}

/// Days of the month whose weekday is in `weekdays`, for a month whose 1st is weekday `first`.
fn weekly_mask(weekdays: u8, first: u32) -> u32 {
    const FIVE_WEEKS: u64 = 1 | 1 << 7 | 1 << 14 | 1 << 21 | 1 << 28;
    let w = u64::from(weekdays);
    // Bit i of `week` is day i + 1 of the month.
    let week = ((w >> first) | (w << (7 - first))) & u64::from(ALL_WEEKDAYS);
    ((week * FIVE_WEEKS) << 1) as u32
}

impl Fields {
    /// The matching days (bits 1..=31) of one month.
    fn day_mask(&self, year: i32, month: u32) -> u32 {
        let len = month_len(year, month);
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
    fn day_matches(&self, year: i32, month: u32, day: u32, weekday: u32) -> bool {
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

    /// Whether days depend on the day-of-month numbers alone (no weekday arithmetic needed).
    fn plain_days(&self) -> bool {
        !self.either_day
            && self.weekdays == ALL_WEEKDAYS
            && self.weekday_extras.is_empty()
            && self.day_extras.is_empty()
    }

    /// Whether no date can ever match. The weekday side always matches somewhere (every
    /// weekday has a 5th occurrence in some 29-day February), so only a restricted
    /// day-of-month under the AND rule can make an expression impossible.
    fn is_never(&self) -> bool {
        if self.either_day || self.day_extras.last || self.day_extras.last_weekday {
            return false;
        }
        let days = self.days | self.day_extras.nearest;
        bit_values(self.months.into()).all(|m| days & days_up_to(longest_month(m)) == 0)
    }

    /// The earliest match at or after `c`, scanning no year after `last_year`.
    fn search_forward(&self, mut c: Civil, last_year: i32) -> Option<Civil> {
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
    fn search_backward(&self, mut c: Civil, first_year: i32) -> Option<Civil> {
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
struct MonthDays {
    /// `(year, month)` of `mask`; month 0 (no month) until the first lookup.
    of: (i32, i32),
    mask: u32,
}

impl MonthDays {
    fn get(&mut self, fields: &Fields, year: i32, month: i32) -> u32 {
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
struct Civil {
    year: i32,
    month: i32,
    day: i32,
    hour: i32,
    minute: i32,
    second: i32,
}

impl Civil {
    fn of(t: NaiveDateTime) -> Civil {
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
    fn of_micros(civil: i64) -> (Civil, i64) {
        let (days, micros) = (civil.div_euclid(DAY_MICROS), civil.rem_euclid(DAY_MICROS));
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
    fn to_micros(self) -> Option<i64> {
        let days = days_of_date(self.year, self.month, self.day);
        days.checked_mul(DAY_MICROS)?
            .checked_add(self.micros_of_day())
    }

    /// Microseconds since midnight of in-range time fields.
    fn micros_of_day(self) -> i64 {
        i64::from((self.hour * 60 + self.minute) * 60 + self.second) * 1_000_000
    }

    fn to_naive(self) -> Option<NaiveDateTime> {
        let unsigned = |v: i32| u32::try_from(v).ok();
        NaiveDate::from_ymd_opt(self.year, unsigned(self.month)?, unsigned(self.day)?)?.and_hms_opt(
            unsigned(self.hour)?,
            unsigned(self.minute)?,
            unsigned(self.second)?,
        )
    }

    fn year_start(year: i32) -> Civil {
        Civil {
            year,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
        }
    }

    fn year_end(year: i32) -> Civil {
        Civil {
            year,
            month: 12,
            day: 31,
            hour: 23,
            minute: 59,
            second: 59,
        }
    }

    fn month_start(self, month: i32) -> Civil {
        Civil {
            month,
            ..Civil::year_start(self.year)
        }
    }

    fn month_end(self, month: i32) -> Civil {
        Civil {
            month,
            ..Civil::year_end(self.year)
        }
    }

    fn day_start(self, day: i32) -> Civil {
        Civil {
            day,
            hour: 0,
            minute: 0,
            second: 0,
            ..self
        }
    }

    fn day_end(self, day: i32) -> Civil {
        Civil {
            day,
            hour: 23,
            minute: 59,
            second: 59,
            ..self
        }
    }

    fn hour_start(self, hour: i32) -> Civil {
        Civil {
            hour,
            minute: 0,
            second: 0,
            ..self
        }
    }

    fn hour_end(self, hour: i32) -> Civil {
        Civil {
            hour,
            minute: 59,
            second: 59,
            ..self
        }
    }

    fn minute_start(self, minute: i32) -> Civil {
        Civil {
            minute,
            second: 0,
            ..self
        }
    }

    fn minute_end(self, minute: i32) -> Civil {
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
fn next_bit(mask: u64, from: i32) -> Option<i32> {
    if from >= 64 {
        return None;
    }
    let rest = mask & (u64::MAX << from.max(0));
    (rest != 0).then(|| rest.trailing_zeros() as i32)
}

/// The highest set bit of `mask` at position `from` or below.
fn prev_bit(mask: u64, from: i32) -> Option<i32> {
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

fn has_bit(mask: u64, bit: u32) -> bool {
    bit < 64 && (mask >> bit) & 1 == 1
}

/// The positions of the set bits of `mask`, lowest first.
fn bit_values(mut mask: u64) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        let bit = (mask != 0).then(|| mask.trailing_zeros())?;
        mask &= mask - 1;
        Some(bit)
    })
}

/// Bits 1..=len set.
fn days_up_to(len: u32) -> u32 {
    ((1u64 << (len + 1)) - 2) as u32
}

fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn month_len(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The most days `month` ever has (29 for February).
fn longest_month(month: u32) -> u32 {
    month_len(2000, month)
}

/// Microseconds in one day.
const DAY_MICROS: i64 = 86_400_000_000;

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
fn weekday_of_days(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32
}

/// Day of the week of a proleptic Gregorian date, Sunday = 0.
fn weekday_of(year: i32, month: u32, day: u32) -> u32 {
    // Days from March 1st of the (March-based) year to the 1st of each month, modulo 7,
    // shifted so that the sum below lands on Sunday = 0.
    const MONTH_SHIFT: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    let leap_days = y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400);
    let sum = y + leap_days + MONTH_SHIFT[month as usize - 1] + day as i32;
    sum.rem_euclid(7) as u32
}

// ---------------------------------------------------------------------------
// Field kinds and names
// ---------------------------------------------------------------------------

const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTH_FULL_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// One position of a cron expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Second,
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
}

impl Field {
    const FIVE: [Field; 5] = [
        Field::Minute,
        Field::Hour,
        Field::DayOfMonth,
        Field::Month,
        Field::DayOfWeek,
    ];
    const SIX: [Field; 6] = [
        Field::Second,
        Field::Minute,
        Field::Hour,
        Field::DayOfMonth,
        Field::Month,
        Field::DayOfWeek,
    ];

    /// How one value is called in messages: "minute 61 is out of range".
    fn noun(self) -> &'static str {
        match self {
            Field::Second => "second",
            Field::Minute => "minute",
            Field::Hour => "hour",
            Field::DayOfMonth => "day of month",
            Field::Month => "month",
            Field::DayOfWeek => "day of week",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Field::Second => "seconds",
            Field::Minute => "minutes",
            Field::Hour => "hours",
            Field::DayOfMonth => "days of the month",
            Field::Month => "months",
            Field::DayOfWeek => "days of the week",
        }
    }

    /// The field's name: "the day-of-month field".
    fn label(self) -> &'static str {
        match self {
            Field::DayOfMonth => "day-of-month",
            Field::DayOfWeek => "day-of-week",
            other => other.noun(),
        }
    }

    fn min(self) -> u32 {
        match self {
            Field::DayOfMonth | Field::Month => 1,
            _ => 0,
        }
    }

    /// The highest value that may be written (7 = Sunday for day-of-week).
    fn max(self) -> u32 {
        match self {
            Field::Second | Field::Minute => 59,
            Field::Hour => 23,
            Field::DayOfMonth => 31,
            Field::Month => 12,
            Field::DayOfWeek => 7,
        }
    }

    /// The highest value `*` and `a/n` reach (6 for day-of-week, so `1/2` skips Sunday).
    fn star_max(self) -> u32 {
        match self {
            Field::DayOfWeek => 6,
            other => other.max(),
        }
    }

    /// How many distinct values `*` covers; also the largest step allowed.
    fn span(self) -> u32 {
        self.star_max() - self.min() + 1
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Field::Month => &MONTH_NAMES,
            Field::DayOfWeek => &WEEKDAY_NAMES,
            _ => &[],
        }
    }

    /// The value of a name: months count from 1, weekdays from 0.
    fn name_value(self, upper: &str) -> Option<u32> {
        let index = self.names().iter().position(|n| *n == upper)? as u32;
        Some(index + self.min())
    }

    /// "hours are numbers from 0 to 23".
    fn number_list(self) -> String {
        format!(
            "{} are numbers from {} to {}",
            self.plural(),
            self.min(),
            self.max()
        )
    }

    /// "months are JAN to DEC or 1 to 12" (for fields with names).
    fn name_list(self) -> String {
        let names = self.names();
        let (first, last) = (names.first().unwrap_or(&""), names.last().unwrap_or(&""));
        format!(
            "{} are {first} to {last} or {} to {}",
            self.plural(),
            self.min(),
            self.max()
        )
    }

    fn allowed_values(self) -> String {
        let sunday = if self == Field::DayOfWeek {
            " (0 and 7 are both Sunday)"
        } else {
            ""
        };
        format!(
            "{} run from {} to {}{sunday}",
            self.plural(),
            self.min(),
            self.max()
        )
    }
}

// ---------------------------------------------------------------------------
// Splitting the text into fields
// ---------------------------------------------------------------------------

/// Splits `text` into fields at ASCII whitespace, reporting every separator that is not
/// exactly one space between two fields.
fn split_fields(text: &str, errors: &mut Vec<CronError>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let blank = bytes[i].is_ascii_whitespace();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() == blank {
            i += 1;
        }
        if !blank {
            fields.push(start..i);
        } else if let Some(error) = separator_error(text, start..i) {
            errors.push(error);
        }
    }
    fields
}

fn separator_error(text: &str, run: Range<usize>) -> Option<CronError> {
    let blank = &text[run.clone()];
    let message = if run.start == 0 {
        "unexpected whitespace before the first field"
    } else if run.end == text.len() {
        "unexpected whitespace after the last field"
    } else if blank == " " {
        return None;
    } else if blank.bytes().all(|b| b == b' ') {
        return Some(
            CronError::syntax(run, "fields are separated by exactly one space")
                .with_help("remove the extra space"),
        );
    } else {
        "fields are separated by exactly one space, not tabs or line breaks"
    };
    let help = if blank == " " {
        "remove the space"
    } else {
        "replace it with one space"
    };
    Some(CronError::syntax(run, message).with_help(help))
}

fn field_count_error(text: &str, fields: &[Range<usize>]) -> CronError {
    const SHAPE: &str = "a cron expression has 5 fields \
        (minute hour day-of-month month day-of-week) or 6 (second first)";
    let count = fields.len();
    let (range, message) = match fields {
        [] => (
            0..text.len(),
            format!("the cron expression is empty, {SHAPE}"),
        ),
        [first, .., last] if count < 5 => (
            first.start..last.end,
            format!("found {count} fields, {SHAPE}"),
        ),
        [only] => (only.clone(), format!("found 1 field, {SHAPE}")),
        [.., last] => (
            fields[6].start..last.end,
            format!("found {count} fields, {SHAPE}"),
        ),
    };
    let help = match count {
        7 => "a seventh (year) field is not supported, remove it",
        8.. => "remove the extra fields",
        _ => "write `0 0 * * *` for daily at midnight, or `*/5 * * * *` for every five minutes",
    };
    CronError::new(CronErrorKind::FieldCount, range, message).with_help(help)
}

// ---------------------------------------------------------------------------
// Macros
// ---------------------------------------------------------------------------

/// Each macro and the 5-field expression it stands for.
const MACROS: [(&str, &str); 7] = [
    ("@yearly", "0 0 1 1 *"),
    ("@annually", "0 0 1 1 *"),
    ("@monthly", "0 0 1 * *"),
    ("@weekly", "0 0 * * 0"),
    ("@daily", "0 0 * * *"),
    ("@midnight", "0 0 * * *"),
    ("@hourly", "0 * * * *"),
];

const MACRO_LIST: &str = "@yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly";

fn parse_macro(
    text: &str,
    fields: &[Range<usize>],
    mut errors: Vec<CronError>,
) -> Result<CronExpr, Vec<CronError>> {
    let written = &text[fields[0].clone()];
    if let [_, second, ..] = fields {
        let rest = second.start..fields[fields.len() - 1].end;
        let message = format!("the macro `{written}` stands alone");
        errors.push(CronError::syntax(rest, message).with_help("remove what follows it"));
    }
    let name = written.to_ascii_lowercase();
    let Some((canonical, expansion)) = MACROS.iter().find(|(m, _)| *m == name) else {
        errors.push(unknown_macro(written, fields[0].clone()));
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let expanded = split_fields(expansion, &mut errors);
    match compile(expansion, &expanded, &mut errors) {
        Some(compiled) if errors.is_empty() => {
            Ok(CronExpr::new(canonical.to_string(), false, compiled))
        }
        _ => Err(errors),
    }
}

fn unknown_macro(written: &str, range: Range<usize>) -> CronError {
    let name = written.to_ascii_lowercase();
    if name == "@reboot" {
        let message =
            format!("`{written}` runs at startup, not at a time; macros here are {MACRO_LIST}");
        return CronError::new(CronErrorKind::Unsupported, range, message);
    }
    let message = format!("unknown macro `{written}`, macros are {MACRO_LIST}");
    let error = CronError::new(CronErrorKind::UnknownName, range, message);
    let closest = MACROS
        .iter()
        .map(|(m, _)| (edit_distance(name.as_bytes(), m.as_bytes()), *m))
        .min_by_key(|(distance, _)| *distance);
    match closest {
        Some((distance, m)) if distance <= 2 => error.with_help(format!("did you mean `{m}`?")),
        _ => error,
    }
}

// ---------------------------------------------------------------------------
// Compiling the fields
// ---------------------------------------------------------------------------

/// Compiles 5 or 6 field spans of `text`, pushing every error; `None` if any field failed.
fn compile(text: &str, spans: &[Range<usize>], errors: &mut Vec<CronError>) -> Option<Fields> {
    let kinds: &[Field] = if spans.len() == 6 {
        &Field::SIX
    } else {
        &Field::FIVE
    };
    let mut sets = [FieldSet::default(); 6];
    let mut ok = true;
    for (&field, span) in kinds.iter().zip(spans) {
        match (FieldParser { text, field }).parse(span.clone(), errors) {
            Some(set) => sets[field as usize] = set,
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if kinds.len() == 5 {
        sets[Field::Second as usize].bits = 1;
    }
    let restricted = |span: &Range<usize>| !matches!(&text[span.clone()], "*" | "?");
    let n = spans.len();
    let either_day = restricted(&spans[n - 3]) && restricted(&spans[n - 1]);
    Some(Fields::from_sets(&sets, either_day))
}

impl Fields {
    fn from_sets(sets: &[FieldSet; 6], either_day: bool) -> Fields {
        let get = |field: Field| &sets[field as usize];
        let weekday_bits = get(Field::DayOfWeek).bits;
        Fields {
            seconds: get(Field::Second).bits,
            minutes: get(Field::Minute).bits,
            hours: get(Field::Hour).bits as u32,
            days: get(Field::DayOfMonth).bits as u32,
            months: get(Field::Month).bits as u16,
            weekdays: ((weekday_bits | weekday_bits >> 7) & u64::from(ALL_WEEKDAYS)) as u8,
            day_extras: get(Field::DayOfMonth).day_extras,
            weekday_extras: get(Field::DayOfWeek).weekday_extras,
            either_day,
        }
    }
}

/// What one list item of a field selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    /// `start..=end` every `step`.
    Values {
        start: u32,
        end: u32,
        step: u32,
    },
    LastDay,
    LastWeekday,
    NearestWeekday(u32),
    LastOf(u32),
    Nth {
        weekday: u32,
        occurrence: u32,
    },
}

/// The union of a field's list items.
#[derive(Clone, Copy, Debug, Default)]
struct FieldSet {
    bits: u64,
    day_extras: DayExtras,
    weekday_extras: WeekdayExtras,
}

impl FieldSet {
    fn add(&mut self, piece: Piece) {
        match piece {
            Piece::Values { start, end, step } => {
                for value in (start..=end).step_by(step as usize) {
                    self.bits |= 1 << value;
                }
            }
            Piece::LastDay => self.day_extras.last = true,
            Piece::LastWeekday => self.day_extras.last_weekday = true,
            Piece::NearestWeekday(day) => self.day_extras.nearest |= 1 << day,
            Piece::LastOf(weekday) => self.weekday_extras.last |= 1 << (weekday % 7),
            Piece::Nth {
                weekday,
                occurrence,
            } => {
                self.weekday_extras.nth[occurrence as usize - 1] |= 1 << (weekday % 7);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Tokens of one list item
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokKind {
    /// Digits; saturates at `u32::MAX`.
    Num(u32),
    /// ASCII letters.
    Word,
    Star,
    Question,
    Dash,
    Slash,
    Hash,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Tok {
    kind: TokKind,
    /// Absolute byte range in the parsed text.
    span: Range<usize>,
}

/// Splits one list item into tokens; any other character is a syntax error.
fn lex(text: &str, item: Range<usize>) -> Result<Vec<Tok>, CronError> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = item.start;
    while i < item.end {
        let start = i;
        let b = bytes[i];
        let kind = if b.is_ascii_digit() {
            i = run_end(bytes, i, item.end, u8::is_ascii_digit);
            TokKind::Num(saturating_number(&text[start..i]))
        } else if b.is_ascii_alphabetic() {
            i = run_end(bytes, i, item.end, u8::is_ascii_alphabetic);
            TokKind::Word
        } else {
            i += 1;
            match b {
                b'*' => TokKind::Star,
                b'?' => TokKind::Question,
                b'-' => TokKind::Dash,
                b'/' => TokKind::Slash,
                b'#' => TokKind::Hash,
                _ => return Err(stray_character(text, start)),
            }
        };
        toks.push(Tok {
            kind,
            span: start..i,
        });
    }
    Ok(toks)
}

/// The end of the run of bytes from `start` (before `end`) that satisfy `keep`.
fn run_end(bytes: &[u8], mut start: usize, end: usize, keep: fn(&u8) -> bool) -> usize {
    while start < end && keep(&bytes[start]) {
        start += 1;
    }
    start
}

fn saturating_number(digits: &str) -> u32 {
    digits.bytes().fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    })
}

fn stray_character(text: &str, at: usize) -> CronError {
    let ch = text[at..].chars().next().unwrap_or(' ');
    let message = format!("unexpected character `{ch}`");
    let help = match ch {
        ',' | '-' | '/' | '*' | '?' | '#' => "this character cannot appear here",
        _ => {
            "fields hold numbers, names, and the characters `*` `,` `-` `/` \
             (and `?` `L` `W` `#` in the day fields)"
        }
    };
    CronError::syntax(at..at + ch.len_utf8(), message).with_help(help)
}

// ---------------------------------------------------------------------------
// Parsing one field
// ---------------------------------------------------------------------------

/// Parses the list items of one field of `text`.
struct FieldParser<'a> {
    text: &'a str,
    field: Field,
}

impl FieldParser<'_> {
    /// Parses the field at `span`, pushing an error for every bad list item.
    fn parse(&self, span: Range<usize>, errors: &mut Vec<CronError>) -> Option<FieldSet> {
        let before = errors.len();
        let mut set = FieldSet::default();
        let mut start = span.start;
        for piece in self.text[span.clone()].split(',') {
            let item = start..start + piece.len();
            start = item.end + 1;
            match self.parse_item(item, span.end) {
                Ok(piece) => set.add(piece),
                Err(error) => errors.push(error),
            }
        }
        (errors.len() == before).then_some(set)
    }

    fn parse_item(&self, item: Range<usize>, field_end: usize) -> Result<Piece, CronError> {
        if item.is_empty() {
            let comma = if item.end < field_end {
                item.end..item.end + 1
            } else {
                item.start - 1..item.start
            };
            return Err(CronError::syntax(
                comma,
                format!("empty item in the {} list", self.field.label()),
            )
            .with_help("remove the extra comma"));
        }
        let toks = lex(self.text, item.clone())?;
        match toks.iter().position(|t| t.kind == TokKind::Slash) {
            Some(i) => self.parse_stepped(&toks[..i], &toks[i], &toks[i + 1..]),
            None => self.parse_plain(&toks, item),
        }
    }

    fn written(&self, span: &Range<usize>) -> &str {
        &self.text[span.clone()]
    }

    fn upper(&self, tok: &Tok) -> String {
        self.written(&tok.span).to_ascii_uppercase()
    }

    fn parse_stepped(&self, base: &[Tok], slash: &Tok, step: &[Tok]) -> Result<Piece, CronError> {
        let (start, end) = match base {
            [] => {
                let message = "`/` needs `*`, a value or a range before it";
                return Err(
                    CronError::syntax(slash.span.clone(), message).with_help(self.step_example())
                );
            }
            [t] if t.kind == TokKind::Star => (self.field.min(), self.field.star_max()),
            [a, dash, b] if dash.kind == TokKind::Dash => self.range(a, b)?,
            [v] => {
                let v = self.value(v)?;
                (v, v.max(self.field.star_max()))
            }
            [first, .., last] => return Err(self.malformed(base, first.span.start..last.end())),
        };
        let step = self.step(slash, step)?;
        Ok(Piece::Values { start, end, step })
    }

    fn step_example(&self) -> String {
        let n = match self.field {
            Field::Second | Field::Minute => 15,
            Field::Hour | Field::DayOfMonth | Field::DayOfWeek => 2,
            Field::Month => 3,
        };
        format!("write `*/{n}` for every {n} {}", self.field.plural())
    }

    fn step(&self, slash: &Tok, toks: &[Tok]) -> Result<u32, CronError> {
        use CronErrorKind::BadStep;
        let span = self.field.span();
        match toks {
            [] => Err(CronError::new(
                BadStep,
                slash.span.clone(),
                "`/` must be followed by a step",
            )
            .with_help(self.step_example())),
            [t] => match t.kind {
                TokKind::Num(0) => Err(CronError::new(
                    BadStep,
                    t.span.clone(),
                    "step 0 never advances, steps start at 1",
                )),
                TokKind::Num(n) if n > span => {
                    let message = format!(
                        "step {} is too large, {} steps run from 1 to {span}",
                        self.written(&t.span),
                        self.field.noun()
                    );
                    Err(CronError::new(BadStep, t.span.clone(), message))
                }
                TokKind::Num(n) => Ok(n),
                _ => Err(self.step_not_a_number(t.span.clone())),
            },
            [first, .., last] => match toks.iter().find(|t| t.kind == TokKind::Slash) {
                Some(second) => Err(CronError::syntax(
                    second.span.clone(),
                    "only one `/` is allowed in a list item",
                )),
                None => Err(self.step_not_a_number(first.span.start..last.end())),
            },
        }
    }

    fn step_not_a_number(&self, span: Range<usize>) -> CronError {
        let message = format!("step `{}` is not a number", self.written(&span));
        CronError::new(CronErrorKind::BadStep, span, message).with_help(self.step_example())
    }

    fn parse_plain(&self, toks: &[Tok], item: Range<usize>) -> Result<Piece, CronError> {
        match toks {
            [t] if t.kind == TokKind::Star => Ok(self.everything()),
            [t] if t.kind == TokKind::Question => self.question(t),
            [t] => self.single(t),
            [a, dash, b] if dash.kind == TokKind::Dash => {
                let (start, end) = self.range(a, b)?;
                Ok(Piece::Values {
                    start,
                    end,
                    step: 1,
                })
            }
            [v, hash, n] if hash.kind == TokKind::Hash => self.nth(v, hash, n),
            [n, w] if matches!(n.kind, TokKind::Num(_)) && w.kind == TokKind::Word => {
                self.suffixed(n, w)
            }
            _ => Err(self.malformed(toks, item)),
        }
    }

    fn everything(&self) -> Piece {
        Piece::Values {
            start: self.field.min(),
            end: self.field.star_max(),
            step: 1,
        }
    }

    fn question(&self, t: &Tok) -> Result<Piece, CronError> {
        if matches!(self.field, Field::DayOfMonth | Field::DayOfWeek) {
            return Ok(self.everything());
        }
        let message = format!(
            "`?` is only allowed in the day-of-month and day-of-week fields, not the {} field",
            self.field.label()
        );
        Err(
            CronError::new(CronErrorKind::Unsupported, t.span.clone(), message)
                .with_help("write `*` instead"),
        )
    }

    /// One number or name, or a one-word extension (`L`, `LW`, `FRIL`).
    fn single(&self, t: &Tok) -> Result<Piece, CronError> {
        if t.kind == TokKind::Word {
            if let Some(piece) = self.extension_word(t)? {
                return Ok(piece);
            }
        }
        let value = self.value(t)?;
        Ok(Piece::Values {
            start: value,
            end: value,
            step: 1,
        })
    }

    /// Reads `L`, `LW` and `<weekday name>L`; `Ok(None)` for any other word.
    fn extension_word(&self, t: &Tok) -> Result<Option<Piece>, CronError> {
        let word = self.upper(t);
        match (self.field, word.as_str()) {
            (Field::DayOfMonth, "L") => Ok(Some(Piece::LastDay)),
            (Field::DayOfMonth, "LW") => Ok(Some(Piece::LastWeekday)),
            (Field::DayOfMonth, "W") => Err(CronError::syntax(
                t.span.clone(),
                "`W` needs a day before it",
            )
            .with_help("write `15W` for the weekday nearest the 15th")),
            (Field::DayOfWeek, "L") => Err(CronError::syntax(
                t.span.clone(),
                "`L` in the day-of-week field needs a weekday before it",
            )
            .with_help("write `5L` or `FRIL` for the last Friday of the month")),
            (Field::DayOfWeek, w) if w.len() > 1 && w.ends_with('L') => Ok(self
                .field
                .name_value(&w[..w.len() - 1])
                .map(|d| Piece::LastOf(d % 7))),
            (_, "L" | "W" | "LW") => Err(self.misplaced_extension(&word, t.span.clone())),
            _ => Ok(None),
        }
    }

    fn misplaced_extension(&self, word: &str, span: Range<usize>) -> CronError {
        let fields = if word == "L" {
            "day-of-month and day-of-week fields"
        } else {
            "day-of-month field"
        };
        let message = format!(
            "`{word}` is only allowed in the {fields}, not the {} field",
            self.field.label()
        );
        CronError::new(CronErrorKind::Unsupported, span, message)
    }

    /// `15W` in day-of-month, `5L` in day-of-week.
    fn suffixed(&self, n: &Tok, w: &Tok) -> Result<Piece, CronError> {
        let word = self.upper(w);
        match (self.field, word.as_str()) {
            (Field::DayOfMonth, "W") => Ok(Piece::NearestWeekday(self.value(n)?)),
            (Field::DayOfWeek, "L") => Ok(Piece::LastOf(self.value(n)? % 7)),
            (Field::DayOfMonth, "L") => Err(CronError::syntax(
                n.span.start..w.end(),
                "`L` in the day-of-month field stands alone",
            )
            .with_help("write `L` for the last day of the month")),
            (_, "L" | "W" | "LW") => Err(self.misplaced_extension(&word, w.span.clone())),
            _ => Err(self.malformed(&[n.clone(), w.clone()], n.span.start..w.end())),
        }
    }

    /// `5#3` or `FRI#3`: the third Friday.
    fn nth(&self, v: &Tok, hash: &Tok, n: &Tok) -> Result<Piece, CronError> {
        if self.field != Field::DayOfWeek {
            return Err(self.misplaced_hash(hash));
        }
        let weekday = self.value(v)? % 7;
        let TokKind::Num(occurrence) = n.kind else {
            return Err(CronError::syntax(
                n.span.clone(),
                "`#` must be followed by an occurrence from 1 to 5",
            )
            .with_help("write `FRI#3` for the third Friday of the month"));
        };
        if !(1..=5).contains(&occurrence) {
            let message = format!(
                "occurrence {} is out of range, occurrences run from 1 to 5",
                self.written(&n.span)
            );
            let error = CronError::new(CronErrorKind::OutOfRange, n.span.clone(), message);
            return Err(error.with_help(
                "a weekday occurs at most 5 times in a month; write `5L` for the last Friday",
            ));
        }
        Ok(Piece::Nth {
            weekday,
            occurrence,
        })
    }

    fn misplaced_hash(&self, hash: &Tok) -> CronError {
        let message = format!(
            "`#` is only allowed in the day-of-week field, not the {} field",
            self.field.label()
        );
        CronError::new(CronErrorKind::Unsupported, hash.span.clone(), message)
    }

    /// `a-b`, inclusive; in day-of-week a range from Monday or later to the name `SUN` ends
    /// at 7, so `FRI-SUN` is Friday to Sunday.
    fn range(&self, a: &Tok, b: &Tok) -> Result<(u32, u32), CronError> {
        let start = self.value(a)?;
        let mut end = self.value(b)?;
        if self.field == Field::DayOfWeek && start > 0 && end == 0 && b.kind == TokKind::Word {
            end = 7;
        }
        if start <= end {
            return Ok((start, end));
        }
        let span = a.span.start..b.end();
        let message = format!(
            "range `{}` starts after it ends, {} is after {}",
            self.written(&span),
            start,
            end
        );
        let error = CronError::new(CronErrorKind::BadRange, span, message);
        Err(error.with_help(self.wrap_help(a, start, b, end)))
    }

    /// Help for a backwards range: split it in two at the end of the field.
    fn wrap_help(&self, a: &Tok, start: u32, b: &Tok, end: u32) -> String {
        let names = self.field.names();
        let spell = |tok: &Tok, value: u32| match (
            tok.kind,
            names.get((value - self.field.min()) as usize),
        ) {
            (TokKind::Word, Some(name)) => name.to_string(),
            _ => value.to_string(),
        };
        let (first, last) = (spell(b, self.field.min()), spell(a, self.field.star_max()));
        let (a, b) = (self.upper(a), self.upper(b));
        let head = if start >= self.field.star_max() {
            a
        } else {
            format!("{a}-{last}")
        };
        let tail = if end == self.field.min() {
            b
        } else {
            format!("{first}-{b}")
        };
        format!("ranges do not wrap around, write `{head},{tail}`")
    }

    /// A number or name, checked against the field's range.
    fn value(&self, t: &Tok) -> Result<u32, CronError> {
        match t.kind {
            TokKind::Num(n) if (self.field.min()..=self.field.max()).contains(&n) => Ok(n),
            TokKind::Num(_) => Err(self.out_of_range(t)),
            TokKind::Word => self.name(t),
            TokKind::Hash => Err(self.misplaced_hash(t)),
            _ => {
                let message = format!(
                    "unexpected `{}` in the {} field",
                    self.written(&t.span),
                    self.field.label()
                );
                Err(CronError::syntax(t.span.clone(), message))
            }
        }
    }

    fn out_of_range(&self, t: &Tok) -> CronError {
        let written = self.written(&t.span);
        let message = format!(
            "{} {written} is out of range, {}",
            self.field.noun(),
            self.field.allowed_values()
        );
        let error = CronError::new(CronErrorKind::OutOfRange, t.span.clone(), message);
        match (self.field, t.kind) {
            (Field::Hour, TokKind::Num(24)) => error.with_help("write `0` for midnight"),
            (Field::DayOfMonth | Field::Month, TokKind::Num(0)) => {
                error.with_help(format!("{} start at 1", self.field.plural()))
            }
            _ => error,
        }
    }

    /// A month or weekday name (case-insensitive).
    fn name(&self, t: &Tok) -> Result<u32, CronError> {
        let word = self.upper(t);
        if let Some(value) = self.field.name_value(&word) {
            return Ok(value);
        }
        if matches!(word.as_str(), "L" | "W" | "LW") {
            return Err(match self.field {
                Field::DayOfMonth | Field::DayOfWeek => CronError::syntax(
                    t.span.clone(),
                    format!("`{word}` cannot be part of a range or a step"),
                ),
                _ => self.misplaced_extension(&word, t.span.clone()),
            });
        }
        Err(self.unknown_name(t, &word))
    }

    fn unknown_name(&self, t: &Tok, word: &str) -> CronError {
        let written = self.written(&t.span);
        let (noun, field) = (self.field.noun(), self.field);
        let other = if WEEKDAY_NAMES.contains(&word) {
            Some("day of the week")
        } else if MONTH_NAMES.contains(&word) {
            Some("month")
        } else {
            None
        };
        let message = match (field.names().is_empty(), other) {
            (true, Some(kind)) => format!("`{written}` is a {kind} name, {}", field.number_list()),
            (true, None) => format!("`{written}` is not a {noun}, {}", field.number_list()),
            (false, Some(kind)) => format!("`{written}` is a {kind}, not a {noun}"),
            (false, None) => format!("unknown {noun} name `{written}`, {}", field.name_list()),
        };
        let error = CronError::new(CronErrorKind::UnknownName, t.span.clone(), message);
        if field.names().is_empty() {
            return error;
        }
        match (other, closest_name(word, field.names())) {
            (Some(_), _) => error.with_help(field.name_list()),
            (None, Some(name)) => error.with_help(format!("did you mean `{name}`?")),
            (None, None) => error,
        }
    }

    /// The most specific error for tokens that fit no form.
    fn malformed(&self, toks: &[Tok], item: Range<usize>) -> CronError {
        if let Some(hash) = toks.iter().find(|t| t.kind == TokKind::Hash) {
            if self.field != Field::DayOfWeek {
                return self.misplaced_hash(hash);
            }
        }
        if let Some(word) = toks
            .iter()
            .find(|t| t.kind == TokKind::Word && matches!(self.upper(t).as_str(), "L" | "W" | "LW"))
        {
            if let Err(error) = self.name(word) {
                return error;
            }
        }
        let written = self.written(&item);
        let message = match (toks.first().map(|t| t.kind), toks.last().map(|t| t.kind)) {
            (Some(TokKind::Dash), _) => format!("range `{written}` has no start"),
            (_, Some(TokKind::Dash)) => format!("range `{written}` has no end"),
            _ => format!("`{written}` is not a valid {}", self.field.noun()),
        };
        CronError::syntax(item, message).with_help(self.forms_help())
    }

    fn forms_help(&self) -> String {
        let extra = match self.field {
            Field::DayOfMonth => ", `L`, `LW` or `15W`",
            Field::DayOfWeek => ", `5L` or `FRI#3`",
            _ => "",
        };
        format!("write a number, a range like `1-5`, a list like `1,5` or a step like `*/5`{extra}")
    }
}

impl Tok {
    fn end(&self) -> usize {
        self.span.end
    }
}

// ---------------------------------------------------------------------------
// Words: suggestions and lists
// ---------------------------------------------------------------------------

/// The name `word` most likely meant: a name it starts with (`JUNE`, `MONDAY`), or one at
/// most one edit away from the word or its first three letters (`MNO`, `WENSDAY`), where
/// swapping two neighbours counts as one edit.
fn closest_name<'a>(word: &str, names: &[&'a str]) -> Option<&'a str> {
    if let Some(name) = names
        .iter()
        .find(|n| word.len() > n.len() && word.starts_with(**n))
    {
        return Some(name);
    }
    let head = word.get(..3).unwrap_or(word);
    names
        .iter()
        .map(|n| {
            (
                edit_distance(word.as_bytes(), n.as_bytes())
                    .min(edit_distance(head.as_bytes(), n.as_bytes())),
                *n,
            )
        })
        .filter(|(distance, _)| *distance <= 1)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// `a`, `a and b`, `a, b and c` (with `or` instead of `and` if asked).
fn join_words(words: &[impl AsRef<str>], conjunction: &str) -> String {
    match words {
        [] => String::new(),
        [only] => only.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {conjunction} {}", init.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> CronExpr {
        CronExpr::parse(text).unwrap_or_else(|errors| panic!("{text:?} failed: {errors:#?}"))
    }

    fn dt(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
            .unwrap_or_else(|e| panic!("bad test time {text:?}: {e}"))
    }

    fn far() -> NaiveDateTime {
        dt("2200-01-01 00:00")
    }

    fn past() -> NaiveDateTime {
        dt("1800-01-01 00:00")
    }

    fn next(text: &str, from: &str) -> Option<NaiveDateTime> {
        expr(text).next_slot_from(dt(from), far())
    }

    fn prev(text: &str, at: &str) -> Option<NaiveDateTime> {
        expr(text).prev_slot_at_or_before(dt(at), past())
    }

    fn errors(text: &str) -> Vec<CronError> {
        match CronExpr::parse(text) {
            Ok(parsed) => panic!("{text:?} parsed as {parsed:?}"),
            Err(errors) => errors,
        }
    }

    fn one_error(text: &str) -> CronError {
        let errors = errors(text);
        assert_eq!(errors.len(), 1, "{text:?}: {errors:#?}");
        errors.into_iter().next().unwrap()
    }

    /// The matching days of March 2025 (1st = Saturday) at midnight.
    fn days_in_march_2025(text: &str) -> Vec<u32> {
        let e = expr(text);
        (1..=31)
            .filter(|d| e.matches(dt(&format!("2025-03-{d:02} 00:00"))))
            .collect()
    }

    // --- parsing and canonical text -------------------------------------------------

    #[test]
    fn five_fields_parse_with_minute_slots() {
        let e = expr("0 */2 * * *");
        assert_eq!(e.text(), "0 */2 * * *");
        assert!(!e.has_seconds());
        assert_eq!(e.slot(), TimeDelta::minutes(1));
        assert!(e.matches(dt("2025-01-01 02:00")));
        assert!(!e.matches(dt("2025-01-01 03:00")));
    }

    #[test]
    fn six_fields_parse_with_second_slots() {
        let e = expr("*/10 * * * * *");
        assert!(e.has_seconds());
        assert_eq!(e.slot(), TimeDelta::seconds(1));
        assert!(e.matches(dt("2025-01-01 02:03:20")));
        assert!(!e.matches(dt("2025-01-01 02:03:21")));
    }

    #[test]
    fn names_are_upper_cased_in_the_text() {
        assert_eq!(
            expr("0 9 * jan-Mar mon-fri").text(),
            "0 9 * JAN-MAR MON-FRI"
        );
        assert_eq!(expr("0 0 lw * fril").text(), "0 0 LW * FRIL");
        assert_eq!(expr("0 0 15w * *").text(), "0 0 15W * *");
    }

    #[test]
    fn text_round_trips_through_parse() {
        for text in [
            "0 */2 * * *",
            "*/10 5 * * * *",
            "0 9 * jan-mar mon-fri",
            "0 0 L * *",
            "0 0 1,15w,lw * ?",
            "0 0 ? * 5#3,fril",
            "@daily",
            "@ANNUALLY",
            "00 09 * * 07",
        ] {
            let e = expr(text);
            assert_eq!(expr(e.text()), e, "{text}");
        }
    }

    #[test]
    fn display_and_from_str_use_the_canonical_text() {
        let e: CronExpr = "30 9 * * mon".parse().unwrap();
        assert_eq!(e.to_string(), "30 9 * * MON");
        assert!("61 * * * *".parse::<CronExpr>().is_err());
    }

    #[test]
    fn values_lists_ranges_and_steps() {
        let e = expr("5-20/5,59 * * * *");
        let minutes: Vec<u32> = (0..60)
            .filter(|m| e.matches(dt(&format!("2025-01-01 00:{m:02}"))))
            .collect();
        assert_eq!(minutes, [5, 10, 15, 20, 59]);
    }

    #[test]
    fn a_value_with_a_step_runs_to_the_end_of_the_field() {
        let e = expr("10/15 * * * *");
        let minutes: Vec<u32> = (0..60)
            .filter(|m| e.matches(dt(&format!("2025-01-01 00:{m:02}"))))
            .collect();
        assert_eq!(minutes, [10, 25, 40, 55]);
    }

    #[test]
    fn steps_on_one_based_fields_start_at_one() {
        assert_eq!(days_in_march_2025("0 0 */10 * *"), [1, 11, 21, 31]);
        let e = expr("0 0 1 */3 *");
        let months: Vec<u32> = (1..=12)
            .filter(|m| e.matches(dt(&format!("2025-{m:02}-01 00:00"))))
            .collect();
        assert_eq!(months, [1, 4, 7, 10]);
    }

    #[test]
    fn a_step_as_wide_as_the_field_is_allowed() {
        assert!(expr("*/60 * * * *").same_schedule(&expr("0 * * * *")));
        assert!(expr("0 0 * * */7").same_schedule(&expr("0 0 * * 0")));
    }

    #[test]
    fn weekday_value_steps_skip_the_second_sunday() {
        assert!(expr("0 0 * * 1/2").same_schedule(&expr("0 0 * * 1,3,5")));
        assert!(expr("0 0 * * */2").same_schedule(&expr("0 0 * * 0,2,4,6")));
    }

    #[test]
    fn sunday_is_both_zero_and_seven() {
        let zero = expr("0 12 * * 0");
        assert!(zero.same_schedule(&expr("0 12 * * 7")));
        assert!(zero.same_schedule(&expr("0 12 * * sun")));
        assert!(zero.matches(dt("2025-03-02 12:00")));
        assert!(expr("0 12 * * 7").matches(dt("2025-03-02 12:00")));
        assert!(!zero.same_schedule(&expr("0 12 * * 1")));
    }

    #[test]
    fn weekday_names_in_ranges() {
        assert!(expr("0 0 * * MON-FRI").same_schedule(&expr("0 0 * * 1-5")));
        assert!(expr("0 0 * * fri-sun").same_schedule(&expr("0 0 * * 5,6,0")));
        assert!(expr("0 0 * * SUN-SUN").same_schedule(&expr("0 0 * * 0")));
        assert!(expr("0 0 * jan-mar *").same_schedule(&expr("0 0 * 1-3 *")));
    }

    #[test]
    fn question_mark_is_a_star_in_the_day_fields() {
        assert!(expr("0 0 ? * MON").same_schedule(&expr("0 0 * * 1")));
        assert!(expr("0 0 1 * ?").same_schedule(&expr("0 0 1 * *")));
        assert_eq!(days_in_march_2025("0 0 ? * MON"), [3, 10, 17, 24, 31]);
    }

    #[test]
    fn day_fields_combine_with_or_when_both_are_restricted() {
        assert_eq!(
            days_in_march_2025("0 0 1-7 * 1"),
            [1, 2, 3, 4, 5, 6, 7, 10, 17, 24, 31]
        );
        assert_eq!(days_in_march_2025("0 0 1-7 * *"), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(days_in_march_2025("0 0 * * 1"), [3, 10, 17, 24, 31]);
        assert_eq!(days_in_march_2025("0 0 15 * SUN"), [2, 9, 15, 16, 23, 30]);
    }

    #[test]
    fn macros_expand_and_keep_their_name() {
        let cases = [
            ("@yearly", "0 0 1 1 *"),
            ("@annually", "0 0 1 1 *"),
            ("@monthly", "0 0 1 * *"),
            ("@weekly", "0 0 * * 0"),
            ("@daily", "0 0 * * *"),
            ("@midnight", "0 0 * * *"),
            ("@hourly", "0 * * * *"),
        ];
        for (name, expansion) in cases {
            let e = expr(name);
            assert_eq!(e.text(), name);
            assert!(e.same_schedule(&expr(expansion)), "{name}");
            assert!(!e.has_seconds());
        }
        assert_eq!(expr("@Daily").text(), "@daily");
    }

    // --- matching and searching -----------------------------------------------------

    #[test]
    fn a_matching_minute_holds_for_the_whole_minute() {
        let e = expr("30 9 * * *");
        assert!(e.matches(dt("2025-03-03 09:30:00")));
        assert!(e.matches(dt("2025-03-03 09:30:59.999")));
        assert!(!e.matches(dt("2025-03-03 09:31:00")));
    }

    #[test]
    fn february_29_is_found_in_the_next_leap_year() {
        assert_eq!(
            next("0 0 29 2 *", "2025-03-01 00:00"),
            Some(dt("2028-02-29 00:00"))
        );
        assert_eq!(
            prev("0 0 29 2 *", "2027-06-01 00:00"),
            Some(dt("2024-02-29 00:00"))
        );
        assert!(!expr("0 0 29 2 *").is_never());
    }

    #[test]
    fn weekdays_from_a_saturday_go_to_monday() {
        assert_eq!(
            next("30 9 * * 1-5", "2025-03-01 10:00"),
            Some(dt("2025-03-03 09:30"))
        );
        assert_eq!(
            prev("30 9 * * 1-5", "2025-03-03 09:29:59"),
            Some(dt("2025-02-28 09:30"))
        );
    }

    #[test]
    fn next_starts_at_t_when_t_is_a_slot_start() {
        assert_eq!(
            next("*/5 * * * *", "2025-03-01 10:05"),
            Some(dt("2025-03-01 10:05"))
        );
        assert_eq!(
            next("*/5 * * * *", "2025-03-01 10:02:30"),
            Some(dt("2025-03-01 10:05"))
        );
    }

    #[test]
    fn next_from_inside_a_matching_slot_is_the_following_slot() {
        assert_eq!(
            next("*/5 * * * *", "2025-03-01 10:05:00.5"),
            Some(dt("2025-03-01 10:10"))
        );
        assert_eq!(
            next("* * * * * *", "2025-03-01 10:05:07.25"),
            Some(dt("2025-03-01 10:05:08"))
        );
    }

    #[test]
    fn prev_returns_the_slot_containing_t() {
        assert_eq!(
            prev("30 9 * * 1-5", "2025-03-03 09:30:30"),
            Some(dt("2025-03-03 09:30"))
        );
        assert_eq!(
            prev("*/10 * * * * *", "2025-03-03 09:30:39.9"),
            Some(dt("2025-03-03 09:30:30"))
        );
    }

    #[test]
    fn searches_carry_across_years() {
        assert_eq!(
            next("0 0 1 1 *", "2025-12-31 23:59:30"),
            Some(dt("2026-01-01 00:00"))
        );
        assert_eq!(
            prev("0 0 31 12 *", "2025-01-01 00:00"),
            Some(dt("2024-12-31 00:00"))
        );
        assert_eq!(
            next("59 23 31 12 *", "2025-01-01 00:00"),
            Some(dt("2025-12-31 23:59"))
        );
    }

    #[test]
    fn next_limit_is_exclusive() {
        let e = expr("0 0 1 1 *");
        let from = dt("2025-06-01 00:00");
        assert_eq!(e.next_slot_from(from, dt("2026-01-01 00:00")), None);
        let just_after = dt("2026-01-01 00:00:00.001");
        assert_eq!(
            e.next_slot_from(from, just_after),
            Some(dt("2026-01-01 00:00"))
        );
        assert_eq!(e.next_slot_from(from, from), None);
    }

    #[test]
    fn prev_limit_is_inclusive() {
        let e = expr("30 9 * * 1-5");
        let at = dt("2025-03-02 12:00");
        assert_eq!(
            e.prev_slot_at_or_before(at, dt("2025-02-28 09:30")),
            Some(dt("2025-02-28 09:30"))
        );
        assert_eq!(
            e.prev_slot_at_or_before(at, dt("2025-02-28 09:30:01")),
            None
        );
        assert_eq!(e.prev_slot_at_or_before(at, dt("2025-03-03 00:00")), None);
    }

    #[test]
    fn six_fields_search_by_seconds() {
        assert_eq!(
            next("*/15 * * * * *", "2025-03-01 10:00:07"),
            Some(dt("2025-03-01 10:00:15"))
        );
        assert_eq!(
            next("30 0 9 * * *", "2025-03-01 10:00"),
            Some(dt("2025-03-02 09:00:30"))
        );
        assert_eq!(
            prev("30 0 9 * * *", "2025-03-02 09:00:29"),
            Some(dt("2025-03-01 09:00:30"))
        );
        assert_eq!(
            next("59 59 23 31 12 *", "2025-12-31 23:59:59"),
            Some(dt("2025-12-31 23:59:59"))
        );
    }

    #[test]
    fn a_rare_weekday_occurrence_is_found_decades_ahead() {
        // A fifth Monday in February needs a leap year whose February starts on a Monday.
        let found = next("0 0 * 2 1#5", "2017-01-01 00:00").unwrap();
        assert_eq!(found, dt("2044-02-29 00:00"));
        assert_eq!(found.weekday(), chrono::Weekday::Mon);
        assert_eq!(
            prev("0 0 * 2 MON#5", "2043-12-31 00:00"),
            Some(dt("2016-02-29 00:00"))
        );
    }

    #[test]
    fn searches_stop_at_the_edges_of_the_calendar() {
        let e = expr("0 0 1 1 *");
        let max = NaiveDateTime::MAX;
        assert_eq!(
            e.next_slot_from(dt("2025-01-01 00:01"), max),
            Some(dt("2026-01-01 00:00"))
        );
        assert_eq!(e.next_slot_from(max - TimeDelta::days(2), max), None);
        assert_eq!(
            expr("* * * * *").next_slot_from(max - TimeDelta::seconds(1), max),
            None
        );
        let min = NaiveDateTime::MIN;
        assert_eq!(e.prev_slot_at_or_before(min, min), Some(min));
        assert_eq!(
            expr("0 0 2 1 *").prev_slot_at_or_before(min + TimeDelta::hours(1), min),
            None
        );
    }

    #[test]
    fn searches_never_pass_the_year_bound() {
        let e = expr("0 0 29 2 *");
        assert_eq!(
            e.next_slot_from(dt("2025-03-01 00:00"), dt("2028-02-29 00:00")),
            None
        );
        assert_eq!(
            e.prev_slot_at_or_before(dt("2027-01-01 00:00"), dt("2024-03-01 00:00")),
            None
        );
    }

    // --- extensions -----------------------------------------------------------------

    #[test]
    fn l_is_the_last_day_of_the_month() {
        assert_eq!(
            next("0 0 L * *", "2024-02-01 00:00"),
            Some(dt("2024-02-29 00:00"))
        );
        assert_eq!(
            next("0 0 L * *", "2025-02-01 00:00"),
            Some(dt("2025-02-28 00:00"))
        );
        assert_eq!(
            next("0 0 L * *", "2025-04-01 00:00"),
            Some(dt("2025-04-30 00:00"))
        );
        assert_eq!(
            prev("0 0 L * *", "2025-03-30 00:00"),
            Some(dt("2025-02-28 00:00"))
        );
    }

    #[test]
    fn lw_is_the_last_weekday_of_the_month() {
        // May 31st 2025 is a Saturday, August 31st 2025 a Sunday.
        assert_eq!(
            next("0 0 LW * *", "2025-05-01 00:00"),
            Some(dt("2025-05-30 00:00"))
        );
        assert_eq!(
            next("0 0 LW * *", "2025-08-01 00:00"),
            Some(dt("2025-08-29 00:00"))
        );
        assert_eq!(
            next("0 0 LW * *", "2025-07-01 00:00"),
            Some(dt("2025-07-31 00:00"))
        );
    }

    #[test]
    fn w_picks_the_nearest_weekday_within_the_month() {
        // March 15th 2025 is a Saturday, June 15th 2025 a Sunday.
        assert_eq!(
            next("0 0 15W * *", "2025-03-01 00:00"),
            Some(dt("2025-03-14 00:00"))
        );
        assert_eq!(
            next("0 0 15W * *", "2025-06-01 00:00"),
            Some(dt("2025-06-16 00:00"))
        );
        assert_eq!(
            next("0 0 15W * *", "2025-04-01 00:00"),
            Some(dt("2025-04-15 00:00"))
        );
    }

    #[test]
    fn w_does_not_cross_the_month() {
        // March 1st 2025 is a Saturday: Monday the 3rd, not Friday February 28th.
        assert_eq!(
            next("0 0 1W * *", "2025-02-15 00:00"),
            Some(dt("2025-03-03 00:00"))
        );
        // June 1st 2025 is a Sunday: Monday the 2nd.
        assert_eq!(
            next("0 0 1W * *", "2025-05-15 00:00"),
            Some(dt("2025-06-02 00:00"))
        );
        // August 31st 2025 is a Sunday: Friday the 29th, not Monday September 1st.
        assert_eq!(
            next("0 0 31W * *", "2025-08-15 00:00"),
            Some(dt("2025-08-29 00:00"))
        );
        // November 30th 2024 is a Saturday: Friday the 29th.
        assert_eq!(
            next("0 0 30W 11 *", "2024-11-01 00:00"),
            Some(dt("2024-11-29 00:00"))
        );
    }

    #[test]
    fn w_on_a_missing_day_does_not_match() {
        let e = expr("0 0 31W * *");
        assert_eq!(
            e.next_slot_from(dt("2025-04-01 00:00"), dt("2025-05-01 00:00")),
            None
        );
        assert_eq!(days_in_march_2025("0 0 31W * *"), [31]);
        assert!(expr("0 0 31W 4 *").is_never());
    }

    #[test]
    fn hash_picks_the_nth_weekday() {
        // Fridays of March 2025: 7, 14, 21, 28.
        assert_eq!(days_in_march_2025("0 0 * * 5#3"), [21]);
        assert_eq!(days_in_march_2025("0 0 * * FRI#3"), [21]);
        assert_eq!(days_in_march_2025("0 0 * * 5#1,6#1"), [1, 7]);
        assert_eq!(days_in_march_2025("0 0 * * 7#1"), [2]);
        assert_eq!(
            next("0 0 * * 5#5", "2025-03-01 00:00"),
            Some(dt("2025-05-30 00:00"))
        );
    }

    #[test]
    fn weekday_l_is_the_last_such_weekday() {
        assert_eq!(days_in_march_2025("0 0 * * 5L"), [28]);
        assert_eq!(days_in_march_2025("0 0 * * FRIL"), [28]);
        assert_eq!(days_in_march_2025("0 0 * * 1L"), [31]);
        assert_eq!(days_in_march_2025("0 0 * * 0L,7L"), [30]);
    }

    #[test]
    fn extensions_count_as_restricted_days() {
        assert_eq!(days_in_march_2025("0 0 L * MON"), [3, 10, 17, 24, 31]);
        assert_eq!(days_in_march_2025("0 0 L * TUE"), [4, 11, 18, 25, 31]);
        assert_eq!(days_in_march_2025("0 0 1 * 5L"), [1, 28]);
        assert_eq!(days_in_march_2025("0 0 * * 5L"), [28]);
    }

    // --- never ----------------------------------------------------------------------

    #[test]
    fn impossible_dates_are_never() {
        for text in [
            "0 0 30 2 *",
            "0 0 31 4 *",
            "0 0 31 4,6,9,11 *",
            "0 0 30,31 2 ?",
            "0 0 30W 2 *",
        ] {
            let e = expr(text);
            assert!(e.is_never(), "{text}");
            assert_eq!(
                e.next_slot_from(dt("2025-01-01 00:00"), NaiveDateTime::MAX),
                None
            );
            assert_eq!(
                e.prev_slot_at_or_before(dt("2025-01-01 00:00"), NaiveDateTime::MIN),
                None
            );
        }
    }

    #[test]
    fn possible_dates_are_not_never() {
        for text in [
            "0 0 29 2 *",
            "0 0 31 2-3 *",
            "0 0 30 2 MON",
            "0 0 L 2 *",
            "0 0 LW 2 *",
            "0 0 * 2 1#5",
            "0 0 29W 2 *",
        ] {
            let e = expr(text);
            assert!(!e.is_never(), "{text}");
            assert_eq!(e.never_reason(), None);
            assert!(
                e.next_slot_from(dt("2025-01-01 00:00"), far()).is_some(),
                "{text}"
            );
        }
    }

    #[test]
    fn never_reasons_name_the_days_and_months() {
        let reason = |text: &str| expr(text).never_reason();
        assert_eq!(
            reason("0 0 30 2 *").as_deref(),
            Some("day 30 never occurs in February")
        );
        assert_eq!(
            reason("0 0 31 4 *").as_deref(),
            Some("day 31 never occurs in April")
        );
        assert_eq!(
            reason("0 0 31 4,6,9,11 *").as_deref(),
            Some("day 31 never occurs in April, June, September or November")
        );
        assert_eq!(
            reason("0 0 30,31 FEB *").as_deref(),
            Some("days 30 and 31 never occur in February")
        );
    }

    // --- errors ---------------------------------------------------------------------

    #[test]
    fn error_codes_are_stable() {
        use CronErrorKind::*;
        let codes: Vec<&str> = [
            FieldCount,
            OutOfRange,
            BadRange,
            BadStep,
            UnknownName,
            Syntax,
            Unsupported,
        ]
        .map(CronErrorKind::code)
        .to_vec();
        assert_eq!(
            codes,
            [
                "tminus::cron-field-count",
                "tminus::cron-out-of-range",
                "tminus::cron-bad-range",
                "tminus::cron-bad-step",
                "tminus::cron-unknown-name",
                "tminus::cron-syntax",
                "tminus::cron-unsupported",
            ]
        );
    }

    #[test]
    fn out_of_range_minute() {
        let e = one_error("61 * * * *");
        assert_eq!((e.kind, e.range.clone()), (CronErrorKind::OutOfRange, 0..2));
        assert_eq!(
            e.message,
            "minute 61 is out of range, minutes run from 0 to 59"
        );
        assert_eq!(e.to_string(), e.message);
    }

    #[test]
    fn out_of_range_in_every_field() {
        let cases = [
            (
                "60 * * * * *",
                0..2,
                "second 60 is out of range, seconds run from 0 to 59",
            ),
            (
                "0 24 * * *",
                2..4,
                "hour 24 is out of range, hours run from 0 to 23",
            ),
            (
                "0 0 32 * *",
                4..6,
                "day of month 32 is out of range, days of the month run from 1 to 31",
            ),
            (
                "0 0 0 * *",
                4..5,
                "day of month 0 is out of range, days of the month run from 1 to 31",
            ),
            (
                "0 0 * 13 *",
                6..8,
                "month 13 is out of range, months run from 1 to 12",
            ),
            (
                "0 0 * * 8",
                8..9,
                "day of week 8 is out of range, days of the week run from 0 to 7 \
                 (0 and 7 are both Sunday)",
            ),
        ];
        for (text, range, message) in cases {
            let e = one_error(text);
            assert_eq!(
                (e.kind, e.range, e.message.as_str()),
                (CronErrorKind::OutOfRange, range, message),
                "{text}"
            );
        }
        assert_eq!(
            one_error("0 24 * * *").help.as_deref(),
            Some("write `0` for midnight")
        );
        assert_eq!(
            one_error("0 0 0 * *").help.as_deref(),
            Some("days of the month start at 1")
        );
    }

    #[test]
    fn out_of_range_inside_ranges_steps_and_extensions() {
        assert_eq!(one_error("0 0 * 1-13 *").range, 8..10);
        assert_eq!(one_error("0-60/5 * * * *").range, 2..4);
        assert_eq!(one_error("0 0 32W * *").range, 4..6);
        assert_eq!(one_error("0 0 * * 8L").range, 8..9);
        let e = one_error("99999999999 * * * *");
        assert_eq!((e.kind, e.range), (CronErrorKind::OutOfRange, 0..11));
    }

    #[test]
    fn occurrence_out_of_range() {
        let e = one_error("0 0 * * 5#6");
        assert_eq!((e.kind, e.range), (CronErrorKind::OutOfRange, 10..11));
        assert_eq!(
            e.message,
            "occurrence 6 is out of range, occurrences run from 1 to 5"
        );
        assert_eq!(one_error("0 0 * * FRI#0").range, 12..13);
    }

    #[test]
    fn double_space_points_at_the_spaces() {
        let e = one_error("0 0  * * *");
        assert_eq!((e.kind, e.range), (CronErrorKind::Syntax, 3..5));
        assert_eq!(e.message, "fields are separated by exactly one space");
        assert_eq!(e.help.as_deref(), Some("remove the extra space"));
    }

    #[test]
    fn tabs_and_stray_spaces_are_syntax_errors() {
        assert_eq!(one_error("0\t0 * * *").range, 1..2);
        assert_eq!(one_error(" 0 0 * * *").range, 0..1);
        assert_eq!(one_error("0 0 * * * ").range, 9..10);
        assert_eq!(one_error("0 0 * * *\n").kind, CronErrorKind::Syntax);
    }

    #[test]
    fn too_few_fields() {
        let e = one_error("0 0 * *");
        assert_eq!((e.kind, e.range), (CronErrorKind::FieldCount, 0..7));
        assert!(
            e.message
                .starts_with("found 4 fields, a cron expression has 5 fields"),
            "{}",
            e.message
        );
        assert_eq!(one_error("*").range, 0..1);
    }

    #[test]
    fn too_many_fields_points_at_the_extra_ones() {
        let e = one_error("0 0 * * * * 2025");
        assert_eq!((e.kind, e.range), (CronErrorKind::FieldCount, 12..16));
        assert_eq!(
            e.help.as_deref(),
            Some("a seventh (year) field is not supported, remove it")
        );
        assert_eq!(one_error("0 0 * * * * 1 2").range, 12..15);
    }

    #[test]
    fn empty_text_is_a_field_count_error() {
        let e = one_error("");
        assert_eq!((e.kind, e.range), (CronErrorKind::FieldCount, 0..0));
        assert!(e.message.starts_with("the cron expression is empty"));
        assert!(e.help.is_some());
    }

    #[test]
    fn backwards_range() {
        let e = one_error("0 5-2 * * *");
        assert_eq!((e.kind, e.range), (CronErrorKind::BadRange, 2..5));
        assert_eq!(e.message, "range `5-2` starts after it ends, 5 is after 2");
        assert_eq!(
            e.help.as_deref(),
            Some("ranges do not wrap around, write `5-23,0-2`")
        );
        let e = one_error("0 0 * * FRI-MON");
        assert_eq!(
            e.help.as_deref(),
            Some("ranges do not wrap around, write `FRI-SAT,SUN-MON`")
        );
        assert_eq!(
            one_error("0 0 * * 5-0").help.as_deref(),
            Some("ranges do not wrap around, write `5-6,0`")
        );
    }

    #[test]
    fn bad_steps() {
        let e = one_error("*/0 * * * *");
        assert_eq!((e.kind, e.range), (CronErrorKind::BadStep, 2..3));
        assert_eq!(e.message, "step 0 never advances, steps start at 1");
        let e = one_error("*/x * * * *");
        assert_eq!(
            (e.kind, e.range, e.message.as_str()),
            (CronErrorKind::BadStep, 2..3, "step `x` is not a number")
        );
        assert_eq!(one_error("*/ * * * *").range, 1..2);
        assert_eq!(one_error("*/1-2 * * * *").range, 2..5);
        let e = one_error("*/61 * * * *");
        assert_eq!(
            e.message,
            "step 61 is too large, minute steps run from 1 to 60"
        );
        assert_eq!(one_error("0 0 * * */8").kind, CronErrorKind::BadStep);
    }

    #[test]
    fn misspelled_names_get_suggestions() {
        let e = one_error("0 0 * * MNO");
        assert_eq!((e.kind, e.range), (CronErrorKind::UnknownName, 8..11));
        assert_eq!(
            e.message,
            "unknown day of week name `MNO`, days of the week are SUN to SAT or 0 to 7"
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `MON`?"));
        let e = one_error("0 0 1 JUNE *");
        assert_eq!((e.kind, e.range), (CronErrorKind::UnknownName, 6..10));
        assert_eq!(e.help.as_deref(), Some("did you mean `JUN`?"));
        assert_eq!(
            one_error("0 0 * * monday").help.as_deref(),
            Some("did you mean `MON`?")
        );
        assert_eq!(
            one_error("0 0 * * WENSDAY").help.as_deref(),
            Some("did you mean `WED`?")
        );
        assert_eq!(one_error("0 0 * * XYZ").help, None);
    }

    #[test]
    fn names_in_the_wrong_field() {
        let e = one_error("0 0 * MON *");
        assert_eq!(
            (e.kind, e.message.as_str()),
            (
                CronErrorKind::UnknownName,
                "`MON` is a day of the week, not a month"
            )
        );
        assert_eq!(e.help.as_deref(), Some("months are JAN to DEC or 1 to 12"));
        assert_eq!(
            one_error("0 0 * * JAN").message,
            "`JAN` is a month, not a day of week"
        );
        let e = one_error("0 MON * * *");
        assert_eq!(
            e.message,
            "`MON` is a day of the week name, hours are numbers from 0 to 23"
        );
        assert_eq!(
            one_error("abc * * * *").message,
            "`abc` is not a minute, minutes are numbers from 0 to 59"
        );
    }

    #[test]
    fn extensions_outside_their_fields_are_unsupported() {
        let e = one_error("L * * * *");
        assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 0..1));
        assert_eq!(
            e.message,
            "`L` is only allowed in the day-of-month and day-of-week fields, not the minute field"
        );
        let e = one_error("0 0 * 5#3 *");
        assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 7..8));
        let e = one_error("0 0 * * 5W");
        assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 9..10));
        assert_eq!(one_error("0 0 * 1W *").kind, CronErrorKind::Unsupported);
        assert_eq!(one_error("0 0 * * LW").kind, CronErrorKind::Unsupported);
    }

    #[test]
    fn question_mark_outside_day_fields_is_unsupported() {
        let e = one_error("0 ? * * *");
        assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 2..3));
        assert_eq!(e.help.as_deref(), Some("write `*` instead"));
    }

    #[test]
    fn misused_extensions_are_syntax_errors() {
        for (text, range) in [
            ("0 0 * * L", 8..9),
            ("0 0 W * *", 4..5),
            ("0 0 5L * *", 4..6),
            ("0 0 L-3 * *", 4..5),
            ("0 0 * * #3", 8..10),
        ] {
            let e = one_error(text);
            assert_eq!(
                (e.kind, e.range.clone()),
                (CronErrorKind::Syntax, range),
                "{text}: {e:?}"
            );
        }
        assert_eq!(
            one_error("0 0 * * L").help.as_deref(),
            Some("write `5L` or `FRIL` for the last Friday of the month")
        );
    }

    #[test]
    fn malformed_items_are_syntax_errors() {
        let cases = [
            ("1,,2 * * * *", 2..3),
            ("1, * * * *", 1..2),
            ("1- * * * *", 0..2),
            ("-1 * * * *", 0..2),
            ("0 0 1-* * *", 6..7),
            ("1-2-3 * * * *", 0..5),
            ("1-5/2/3 * * * *", 5..6),
            ("0 é * * *", 2..4),
            ("0 0 * * 1;2", 9..10),
        ];
        for (text, range) in cases {
            let e = one_error(text);
            assert_eq!(
                (e.kind, e.range.clone()),
                (CronErrorKind::Syntax, range),
                "{text}: {e:?}"
            );
        }
        assert_eq!(one_error("1- * * * *").message, "range `1-` has no end");
        assert_eq!(one_error("0 é * * *").message, "unexpected character `é`");
    }

    #[test]
    fn every_field_is_checked() {
        let found: Vec<(CronErrorKind, Range<usize>)> = errors("61 25 * 13 *")
            .into_iter()
            .map(|e| (e.kind, e.range))
            .collect();
        assert_eq!(
            found,
            [
                (CronErrorKind::OutOfRange, 0..2),
                (CronErrorKind::OutOfRange, 3..5),
                (CronErrorKind::OutOfRange, 8..10)
            ]
        );
        let kinds: Vec<CronErrorKind> =
            errors("61  */0 * * MNO,9").iter().map(|e| e.kind).collect();
        use CronErrorKind::*;
        assert_eq!(
            kinds,
            [Syntax, OutOfRange, BadStep, UnknownName, OutOfRange]
        );
    }

    #[test]
    fn macro_errors() {
        let e = one_error("@reboot");
        assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 0..7));
        let e = one_error("@dayly");
        assert_eq!((e.kind, e.range), (CronErrorKind::UnknownName, 0..6));
        assert_eq!(e.help.as_deref(), Some("did you mean `@daily`?"));
        let e = one_error("@daily 5");
        assert_eq!((e.kind, e.range), (CronErrorKind::Syntax, 7..8));
        assert_eq!(one_error("@daily 5 6").range, 7..10);
        assert_eq!(one_error("@").kind, CronErrorKind::UnknownName);
    }

    #[test]
    fn error_messages_are_lower_case_without_final_period() {
        for text in [
            "",
            "61 * * * *",
            "0 0  * * *",
            "0 5-2 * * *",
            "*/0 * * * *",
            "0 0 * * MNO",
            "L * * * *",
            "1- * * * *",
            "@reboot",
            "a * * * *",
        ] {
            for e in errors(text) {
                let first = e.message.chars().next().unwrap();
                assert!(!first.is_uppercase(), "{text}: {}", e.message);
                assert!(!e.message.ends_with('.'), "{text}: {}", e.message);
            }
        }
    }

    // --- calendar helpers -----------------------------------------------------------

    #[test]
    fn weekday_of_agrees_with_chrono() {
        let mut date = NaiveDate::from_ymd_opt(-1000, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(3000, 1, 1).unwrap();
        while date < end {
            let expected = date.weekday().num_days_from_sunday();
            assert_eq!(
                weekday_of(date.year(), date.month(), date.day()),
                expected,
                "{date}"
            );
            date += TimeDelta::days(13);
        }
    }

    #[test]
    fn bit_helpers() {
        assert_eq!(next_bit(0b1010, 0), Some(1));
        assert_eq!(next_bit(0b1010, 2), Some(3));
        assert_eq!(next_bit(0b1010, 4), None);
        assert_eq!(next_bit(1 << 63, 63), Some(63));
        assert_eq!(next_bit(u64::MAX, 64), None);
        assert_eq!(prev_bit(0b1010, 2), Some(1));
        assert_eq!(prev_bit(0b1010, 0), None);
        assert_eq!(prev_bit(1 << 63, 100), Some(63));
        assert_eq!(prev_bit(u64::MAX, -1), None);
        assert_eq!(bit_values(0b1011).collect::<Vec<_>>(), [0, 1, 3]);
        assert_eq!(days_up_to(31), 0xFFFF_FFFE);
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance(b"MNO", b"MON"), 1);
        assert_eq!(edit_distance(b"JUNE", b"JUN"), 1);
        assert_eq!(edit_distance(b"XYZ", b"MON"), 3);
        assert_eq!(edit_distance(b"", b"ABC"), 3);
    }

    // --- brute-force cross-checks ---------------------------------------------------

    /// A small deterministic xorshift generator, so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u32) -> u32 {
            (self.next() % u64::from(n)) as u32
        }

        fn between(&mut self, low: u32, high: u32) -> u32 {
            low + self.below(high - low + 1)
        }

        fn chance(&mut self, percent: u32) -> bool {
            self.below(100) < percent
        }
    }

    /// A value of `field`, sometimes written as a (randomly cased) name.
    fn random_value(rng: &mut Rng, field: Field, low: u32, high: u32) -> (u32, String) {
        let value = rng.between(low, high);
        let names = field.names();
        let index = (value - field.min()) as usize;
        if index < names.len() && rng.chance(30) {
            let name = names[index];
            return (
                value,
                if rng.chance(50) {
                    name.to_ascii_lowercase()
                } else {
                    name.to_string()
                },
            );
        }
        (value, value.to_string())
    }

    fn random_extension(rng: &mut Rng, field: Field) -> Option<String> {
        match field {
            Field::DayOfMonth => Some(match rng.below(3) {
                0 => "L".to_string(),
                1 => "LW".to_string(),
                _ => format!("{}W", rng.between(1, 31)),
            }),
            Field::DayOfWeek => {
                let (_, weekday) = random_value(rng, field, 0, 7);
                Some(if rng.chance(50) {
                    format!("{weekday}L")
                } else {
                    format!("{weekday}#{}", rng.between(1, 5))
                })
            }
            _ => None,
        }
    }

    fn random_item(rng: &mut Rng, field: Field) -> String {
        let (low, high) = (field.min(), field.max());
        let step = rng.between(1, field.span());
        match rng.below(7) {
            0 => format!("*/{step}"),
            1 | 2 => {
                let (a, a_text) = random_value(rng, field, low, high);
                let (_, b_text) = random_value(rng, field, a, high);
                let b_text = if field == Field::DayOfWeek && b_text.eq_ignore_ascii_case("SUN") {
                    "0".into()
                } else {
                    b_text
                };
                let b_text = if b_text == "0" && a > 0 {
                    "7".to_string()
                } else {
                    b_text
                };
                if rng.chance(50) {
                    format!("{a_text}-{b_text}/{step}")
                } else {
                    format!("{a_text}-{b_text}")
                }
            }
            3 => format!("{}/{step}", random_value(rng, field, low, high).1),
            4 => random_extension(rng, field)
                .unwrap_or_else(|| random_value(rng, field, low, high).1),
            _ => random_value(rng, field, low, high).1,
        }
    }

    fn random_field(rng: &mut Rng, field: Field, star_percent: u32) -> String {
        if rng.chance(star_percent) {
            let day_field = matches!(field, Field::DayOfMonth | Field::DayOfWeek);
            return if day_field && rng.chance(20) {
                "?".into()
            } else {
                "*".into()
            };
        }
        let items: Vec<String> = (0..rng.between(1, 3))
            .map(|_| random_item(rng, field))
            .collect();
        items.join(",")
    }

    /// A random expression; `stars` gives the chance of `*` per field, seconds first.
    fn random_expression(rng: &mut Rng, stars: [u32; 6], seconds: bool) -> String {
        let fields: Vec<String> = Field::SIX
            .iter()
            .zip(stars)
            .skip(usize::from(!seconds))
            .map(|(&field, star)| random_field(rng, field, star))
            .collect();
        fields.join(" ")
    }

    fn random_time(rng: &mut Rng) -> NaiveDateTime {
        let year = rng.between(1990, 2040) as i32;
        let month = rng.between(1, 12);
        let day = if rng.chance(30) {
            rng.between(26, month_len(year, month))
        } else {
            rng.between(1, 28)
        };
        let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
        let nanos = if rng.chance(30) {
            rng.below(1_000_000_000)
        } else {
            0
        };
        let hour = if rng.chance(20) { 23 } else { rng.below(24) };
        let minute = if rng.chance(20) { 59 } else { rng.below(60) };
        date.and_hms_nano_opt(hour, minute, rng.below(60), nanos)
            .unwrap()
    }

    fn floor_to(t: NaiveDateTime, step: TimeDelta) -> NaiveDateTime {
        let t = t.with_nanosecond(0).unwrap();
        if step >= TimeDelta::minutes(1) {
            t.with_second(0).unwrap()
        } else {
            t
        }
    }

    /// Compares both searches with a scan of `matches` in steps of `step` around `t`.
    fn check_against_scan(e: &CronExpr, t: NaiveDateTime, window: TimeDelta, step: TimeDelta) {
        let (upper, lower) = (t + window, t - window);
        let mut s = floor_to(t, step);
        if s < t {
            s += step;
        }
        let mut expected = None;
        while s < upper {
            if e.matches(s) {
                expected = Some(s);
                break;
            }
            s += step;
        }
        assert_eq!(
            e.next_slot_from(t, upper),
            expected,
            "next of `{}` from {t}",
            e.text()
        );
        let mut s = floor_to(t, step);
        let mut expected = None;
        while s >= lower {
            if e.matches(s) {
                expected = Some(s);
                break;
            }
            s -= step;
        }
        assert_eq!(
            e.prev_slot_at_or_before(t, lower),
            expected,
            "prev of `{}` at {t}",
            e.text()
        );
    }

    #[test]
    fn searches_agree_with_a_minute_scan() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..400 {
            let text = random_expression(&mut rng, [0, 30, 40, 60, 75, 60], false);
            let e = expr(&text);
            check_against_scan(
                &e,
                random_time(&mut rng),
                TimeDelta::days(3),
                TimeDelta::minutes(1),
            );
        }
    }

    #[test]
    fn searches_agree_with_a_second_scan() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for _ in 0..150 {
            let text = random_expression(&mut rng, [20, 50, 70, 80, 90, 80], true);
            let e = expr(&text);
            check_against_scan(
                &e,
                random_time(&mut rng),
                TimeDelta::hours(2),
                TimeDelta::seconds(1),
            );
        }
    }

    #[test]
    fn searches_agree_with_a_day_scan() {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        for _ in 0..400 {
            let days = random_expression(&mut rng, [0, 0, 0, 30, 50, 40], false);
            let text = format!("0 0 {}", days.splitn(3, ' ').nth(2).unwrap());
            let e = expr(&text);
            let t = random_time(&mut rng);
            let window = TimeDelta::days(3 * 366);
            let next = e.next_slot_from(t, t + window);
            let prev = e.prev_slot_at_or_before(t, t - window);
            let mut day = t.date() + TimeDelta::days(i64::from(t.time() != chrono::NaiveTime::MIN));
            let scan_next = loop {
                let at = day.and_hms_opt(0, 0, 0).unwrap();
                if at >= t + window || e.matches(at) {
                    break (at < t + window).then_some(at);
                }
                day += TimeDelta::days(1);
            };
            assert_eq!(next, scan_next, "next of `{text}` from {t}");
            let mut day = t.date();
            let scan_prev = loop {
                let at = day.and_hms_opt(0, 0, 0).unwrap();
                if at < t - window || e.matches(at) {
                    break (at >= t - window).then_some(at);
                }
                day -= TimeDelta::days(1);
            };
            assert_eq!(prev, scan_prev, "prev of `{text}` at {t}");
            if e.is_never() {
                assert_eq!((next, prev), (None, None), "{text}");
            }
        }
    }

    /// Whether `date` matches the day fields, worked out with chrono alone.
    fn reference_day(f: &Fields, date: NaiveDate) -> bool {
        let (day, weekday) = (date.day(), date.weekday().num_days_from_sunday());
        let len = month_len(date.year(), date.month());
        let on = |d: u32| date.with_day(d).map(|x| x.weekday().num_days_from_sunday());
        let nearest = |n: u32| match on(n) {
            Some(6) => Some(if n == 1 { 3 } else { n - 1 }),
            Some(0) => Some(if n == len { n - 2 } else { n + 1 }),
            Some(_) => Some(n),
            None => None,
        };
        let last_weekday = (1..=len).rev().find(|&d| !matches!(on(d), Some(0 | 6)));
        let dom = has_bit(f.days.into(), day)
            || (f.day_extras.last && day == len)
            || (f.day_extras.last_weekday && last_weekday == Some(day))
            || bit_values(f.day_extras.nearest.into()).any(|n| nearest(n) == Some(day));
        let dow = has_bit(f.weekdays.into(), weekday)
            || (has_bit(f.weekday_extras.last.into(), weekday) && day + 7 > len)
            || has_bit(f.weekday_extras.nth[(day as usize - 1) / 7].into(), weekday);
        if f.either_day {
            dom || dow
        } else {
            dom && dow
        }
    }

    #[test]
    fn day_masks_agree_with_a_chrono_reference() {
        let mut rng = Rng(0xA076_1D64_78BD_642F);
        for _ in 0..300 {
            let text = random_expression(&mut rng, [0, 0, 0, 20, 100, 30], false);
            let e = expr(&text);
            for _ in 0..20 {
                let (year, month) = (rng.between(1890, 2110) as i32, rng.between(1, 12));
                let mask = e.fields.day_mask(year, month);
                for day in 1..=month_len(year, month) {
                    let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
                    assert_eq!(
                        has_bit(mask.into(), day),
                        reference_day(&e.fields, date),
                        "`{text}` on {date}"
                    );
                }
            }
        }
    }

    fn civil(t: NaiveDateTime) -> i64 {
        t.and_utc().timestamp_micros()
    }

    fn naive(civil: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp_micros(civil)
            .unwrap()
            .naive_utc()
    }

    #[test]
    fn civil_dates_agree_with_chrono() {
        let mut rng = Rng(0x5851_F42D_4C95_7F2D);
        let days = (0..5000).map(|_| i64::from(rng.below(8_000_000)) - 4_000_000);
        for days in days.chain([-719_468, -1, 0, 1, 11_016, 2_932_896]) {
            let date = naive(days * DAY_MICROS).date();
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
        let ends = [i64::MIN, i64::MAX].map(|t| t.div_euclid(DAY_MICROS));
        for days in ends.into_iter().flat_map(|d| [d - 400, d, d + 400]) {
            let (y, m, d) = date_of_days(days);
            assert_eq!(days_of_date(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    /// A random civil time: mostly near today, sometimes in a far year; whole minutes,
    /// whole seconds or any microsecond.
    fn random_civil(rng: &mut Rng) -> i64 {
        let t = civil(random_time(rng).with_nanosecond(0).unwrap());
        let t = if rng.chance(10) {
            t + (i64::from(rng.below(20_000)) - 10_000) * 366 * DAY_MICROS
        } else {
            t
        };
        match rng.below(3) {
            0 => t - t.rem_euclid(60_000_000),
            1 => t,
            _ => t + i64::from(rng.below(1_000_000)),
        }
    }

    #[test]
    fn civil_api_agrees_with_the_naive_one() {
        let mut rng = Rng(0x6A09_E667_F3BC_C908);
        let windows = [
            60_000_000,
            3 * 3_600_000_000,
            40 * DAY_MICROS,
            3 * 366 * DAY_MICROS,
        ];
        for _ in 0..1500 {
            let seconds = rng.chance(30);
            let text = random_expression(&mut rng, [30, 40, 50, 60, 75, 60], seconds);
            let e = expr(&text);
            let t = random_civil(&mut rng);
            let w = windows[rng.below(4) as usize];
            assert_eq!(e.matches_civil(t), e.matches(naive(t)), "`{text}` at {t}");
            let next = e.next_slot_from(naive(t), naive(t + w)).map(civil);
            assert_eq!(
                e.next_slot_from_civil(t, t + w),
                next,
                "next of `{text}` from {t}"
            );
            let prev = e.prev_slot_at_or_before(naive(t), naive(t - w)).map(civil);
            let civil_prev = e.prev_slot_at_or_before_civil(t, t - w);
            assert_eq!(civil_prev, prev, "prev of `{text}` at {t}");
        }
    }

    #[test]
    fn civil_api_handles_the_ends_of_the_time_line() {
        let every_minute = expr("* * * * *");
        assert_eq!(every_minute.next_slot_from_civil(i64::MIN, i64::MAX), None);
        let e = expr("0 0 29 2 *");
        assert_eq!(e.next_slot_from_civil(i64::MAX - 1, i64::MAX), None);
        assert_eq!(e.prev_slot_at_or_before_civil(i64::MIN + 1, i64::MIN), None);
        assert!(!e.matches_civil(i64::MIN));
        assert!(expr("* * * * *").matches_civil(i64::MAX));
    }

    #[test]
    fn random_expressions_round_trip() {
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        for _ in 0..300 {
            let seconds = rng.chance(30);
            let text = random_expression(&mut rng, [30; 6], seconds);
            let e = expr(&text);
            assert_eq!(expr(e.text()), e, "{text}");
            assert_eq!(e.text(), text.to_ascii_uppercase());
        }
    }
}
