//! Time predicates of the IR: the cycle a range lives in ([`Scope`]), points within it,
//! and [`Period`], a part of the cycle as Rocketry reads it (start and end offsets, with
//! wrapping and the "full cycle" rule).

use chrono::TimeDelta;

/// Microseconds in one second.
pub const SECOND: i64 = 1_000_000;
/// Microseconds in one minute.
pub const MINUTE: i64 = 60 * SECOND;
/// Microseconds in one hour.
pub const HOUR: i64 = 60 * MINUTE;
/// Microseconds in one day.
pub const DAY: i64 = 24 * HOUR;

/// The cycle a time range lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// One second (`secondly`); points are milliseconds.
    Second,
    /// One minute (`minutely`, `time of minute`, `this minute`); points are seconds, `30`.
    Minute,
    /// One hour; points are `MM:SS`, `45:00`.
    Hour,
    /// One day; points are times of day, `10:00`.
    Day,
    /// One week from Monday 00:00; points are weekdays with an optional time, `Mon 10:00`.
    Week,
    /// One month from the 1st 00:00; points are days with an optional time, `15th 10:00`.
    /// Offsets are absolute day numbers, so the cycle is 31 days long on paper.
    Month,
}

impl Scope {
    /// All scopes, shortest first.
    pub const ALL: [Scope; 6] = [
        Scope::Second,
        Scope::Minute,
        Scope::Hour,
        Scope::Day,
        Scope::Week,
        Scope::Month,
    ];

    /// The largest offset in microseconds: the length of the cycle (31 days for a month).
    pub const fn max(self) -> i64 {
        match self {
            Scope::Second => SECOND,
            Scope::Minute => MINUTE,
            Scope::Hour => HOUR,
            Scope::Day => DAY,
            Scope::Week => 7 * DAY,
            Scope::Month => 31 * DAY,
        }
    }

    /// How long `on X` lasts: one unit of the point (a millisecond for `secondly`, a
    /// second for minutes, a minute for hours, an hour for days, a day for weeks and months).
    pub const fn on_length(self) -> i64 {
        match self {
            Scope::Second => 1_000,
            Scope::Minute => SECOND,
            Scope::Hour => MINUTE,
            Scope::Day => HOUR,
            Scope::Week | Scope::Month => DAY,
        }
    }

    /// The periodic keyword: `secondly`, `minutely`, `hourly`, `daily`, `weekly`, `monthly`.
    pub const fn cycle_word(self) -> &'static str {
        match self {
            Scope::Second => "secondly",
            Scope::Minute => "minutely",
            Scope::Hour => "hourly",
            Scope::Day => "daily",
            Scope::Week => "weekly",
            Scope::Month => "monthly",
        }
    }

    /// The unit word of `time of ...` and `this ...`: `second`, `minute`, `hour`, `day`, ...
    pub const fn unit_word(self) -> &'static str {
        match self {
            Scope::Second => "second",
            Scope::Minute => "minute",
            Scope::Hour => "hour",
            Scope::Day => "day",
            Scope::Week => "week",
            Scope::Month => "month",
        }
    }

    /// The scope of a periodic keyword (`daily` gives [`Scope::Day`]).
    pub fn from_cycle_word(word: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.cycle_word() == word)
    }

    /// The scope of a unit word (`day` gives [`Scope::Day`]; `today` too).
    pub fn from_unit_word(word: &str) -> Option<Scope> {
        if word == "today" {
            return Some(Scope::Day);
        }
        Scope::ALL.into_iter().find(|s| s.unit_word() == word)
    }
}

/// A point within a cycle: an offset in microseconds from the cycle's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Point {
    /// Microseconds from the start of the cycle (Monday 00:00 for weeks, the 1st 00:00 for months).
    pub offset: i64,
    /// Written as a day without a time (`Fri`, `5th`): as an end it means the end of that day.
    pub whole_day: bool,
}

impl Point {
    /// A point at `offset` microseconds, with an explicit time.
    pub const fn at(offset: i64) -> Point {
        Point {
            offset,
            whole_day: false,
        }
    }

    /// A whole day (`Fri`, `5th`) starting at `offset`.
    pub const fn day(offset: i64) -> Point {
        Point {
            offset,
            whole_day: true,
        }
    }

    /// The offset this point stands for as the end of a range: a whole day ends when the day ends.
    pub const fn end_offset(self) -> i64 {
        if self.whole_day {
            self.offset + DAY
        } else {
            self.offset
        }
    }
}

/// Which part of the cycle a [`Period`] covers, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bound {
    /// The whole cycle, from its start: `daily`, `today`.
    Full,
    /// `between X and Y`: `[X, Y)`, wrapping when `Y < X`.
    Between(Point, Point),
    /// `after X`: `[X, end of cycle)`.
    After(Point),
    /// `before Y`: `[start of cycle, Y)`.
    Before(Point),
    /// `on X`: one unit from X (see [`Scope::on_length`]).
    On(Point),
    /// `starting X`: the whole cycle, anchored at X.
    Starting(Point),
}

/// A part of a cycle, e.g. 10:00 to 12:00 of every day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    /// The cycle.
    pub scope: Scope,
    /// The part of it.
    pub bound: Bound,
}

impl Period {
    /// The whole cycle of `scope`.
    pub const fn full(scope: Scope) -> Period {
        Period {
            scope,
            bound: Bound::Full,
        }
    }

    /// Start and end offsets as Rocketry computes them. `end < start` wraps around the end of
    /// the cycle; `on X` ends are reduced modulo the cycle.
    pub fn offsets(&self) -> (i64, i64) {
        let max = self.scope.max();
        match self.bound {
            Bound::Full => (0, max),
            Bound::Between(a, b) => (a.offset, b.end_offset()),
            Bound::After(a) => (a.offset, max),
            Bound::Before(b) => (0, b.end_offset()),
            Bound::On(a) => (a.offset, (a.offset + self.scope.on_length()) % max),
            Bound::Starting(a) => (a.offset, a.offset),
        }
    }

    /// Whether the period covers the whole cycle: start equals end, or it runs from the
    /// start to the end of the cycle. `daily between 10:00 and 10:00` is full.
    pub fn is_full(&self) -> bool {
        let (start, end) = self.offsets();
        start == end || (start == 0 && end == self.scope.max())
    }

    /// Whether an offset within the cycle lies in the period (half-open, wrapping).
    pub fn contains_offset(&self, offset: i64) -> bool {
        let (start, end) = self.offsets();
        if self.is_full() {
            true
        } else if start < end {
            start <= offset && offset < end
        } else {
            offset >= start || offset < end
        }
    }
}

/// Writes a duration in the canonical way, largest units first: `1 hour 30 minutes`,
/// `500 ms`, `1.5 ms` for sub-millisecond parts. Every spelling is one Rocketry accepts.
pub fn format_duration(d: TimeDelta) -> String {
    let mut us = d.num_microseconds().unwrap_or(i64::MAX);
    let mut parts = Vec::new();
    for (size, one, many) in [
        (DAY, "day", "days"),
        (HOUR, "hour", "hours"),
        (MINUTE, "minute", "minutes"),
        (SECOND, "second", "seconds"),
    ] {
        let n = us / size;
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
            us -= n * size;
        }
    }
    if us > 0 {
        parts.push(format!("{} ms", decimal(us, 1_000)));
    }
    if parts.is_empty() {
        parts.push("0 seconds".into());
    }
    parts.join(" ")
}

/// `value / scale` as a short decimal: `decimal(1500, 1000)` is `1.5`.
pub fn decimal(value: i64, scale: i64) -> String {
    let whole = value / scale;
    let frac = value % scale;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = scale.ilog10() as usize;
    let text = format!("{whole}.{frac:0digits$}");
    text.trim_end_matches('0').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::suggest::{words, WordClass};

    #[test]
    fn scope_words_are_the_vocabulary_s() {
        let cycles: Vec<_> = Scope::ALL.iter().map(|s| s.cycle_word()).collect();
        assert_eq!(cycles, words(WordClass::Cycle).collect::<Vec<_>>());
        let units: Vec<_> = Scope::ALL[2..].iter().map(|s| s.unit_word()).collect();
        assert_eq!(units, words(WordClass::Scope).collect::<Vec<_>>());
    }

    fn between(scope: Scope, a: Point, b: Point) -> Period {
        Period {
            scope,
            bound: Bound::Between(a, b),
        }
    }

    #[test]
    fn offsets_follow_rocketry() {
        let p = between(Scope::Week, Point::day(0), Point::day(4 * DAY));
        assert_eq!(p.offsets(), (0, 5 * DAY));
        let on_sun = Period {
            scope: Scope::Week,
            bound: Bound::On(Point::day(6 * DAY)),
        };
        assert_eq!(on_sun.offsets(), (6 * DAY, 0));
        assert!(on_sun.contains_offset(6 * DAY + HOUR));
        assert!(!on_sun.contains_offset(HOUR));
    }

    #[test]
    fn full_cycles() {
        assert!(between(Scope::Day, Point::at(10 * HOUR), Point::at(10 * HOUR)).is_full());
        assert!(Period {
            scope: Scope::Day,
            bound: Bound::Before(Point::at(0))
        }
        .is_full());
        assert!(between(Scope::Week, Point::day(0), Point::day(6 * DAY)).is_full());
        assert!(!between(Scope::Day, Point::at(0), Point::at(HOUR)).is_full());
    }

    #[test]
    fn wrapping_membership_is_half_open() {
        let p = between(Scope::Day, Point::at(22 * HOUR), Point::at(2 * HOUR));
        assert!(p.contains_offset(22 * HOUR));
        assert!(p.contains_offset(0));
        assert!(!p.contains_offset(2 * HOUR));
    }

    #[test]
    fn durations_print_largest_first() {
        assert_eq!(format_duration(TimeDelta::minutes(90)), "1 hour 30 minutes");
        assert_eq!(format_duration(TimeDelta::milliseconds(500)), "500 ms");
        assert_eq!(format_duration(TimeDelta::microseconds(1500)), "1.5 ms");
        assert_eq!(
            format_duration(TimeDelta::days(2) + TimeDelta::seconds(20)),
            "2 days 20 seconds"
        );
    }
}
