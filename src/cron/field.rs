//! The six positions of a cron expression: their ranges, names and how messages call them.

// ---------------------------------------------------------------------------
// Field kinds and names
// ---------------------------------------------------------------------------

pub(super) const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
pub(super) const WEEKDAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
pub(super) const MONTH_FULL_NAMES: [&str; 12] = [
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
pub(super) enum Field {
    Second,
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
}

impl Field {
    pub(super) const FIVE: [Field; 5] = [
        Field::Minute,
        Field::Hour,
        Field::DayOfMonth,
        Field::Month,
        Field::DayOfWeek,
    ];
    pub(super) const SIX: [Field; 6] = [
        Field::Second,
        Field::Minute,
        Field::Hour,
        Field::DayOfMonth,
        Field::Month,
        Field::DayOfWeek,
    ];

    /// How one value is called in messages: "minute 61 is out of range".
    pub(super) fn noun(self) -> &'static str {
        match self {
            Field::Second => "second",
            Field::Minute => "minute",
            Field::Hour => "hour",
            Field::DayOfMonth => "day of month",
            Field::Month => "month",
            Field::DayOfWeek => "day of week",
        }
    }

    pub(super) fn plural(self) -> &'static str {
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
    pub(super) fn label(self) -> &'static str {
        match self {
            Field::DayOfMonth => "day-of-month",
            Field::DayOfWeek => "day-of-week",
            other => other.noun(),
        }
    }

    pub(super) fn min(self) -> u32 {
        match self {
            Field::DayOfMonth | Field::Month => 1,
            _ => 0,
        }
    }

    /// The highest value that may be written (7 = Sunday for day-of-week).
    pub(super) fn max(self) -> u32 {
        match self {
            Field::Second | Field::Minute => 59,
            Field::Hour => 23,
            Field::DayOfMonth => 31,
            Field::Month => 12,
            Field::DayOfWeek => 7,
        }
    }

    /// The highest value `*` and `a/n` reach (6 for day-of-week, so `1/2` skips Sunday).
    pub(super) fn star_max(self) -> u32 {
        match self {
            Field::DayOfWeek => 6,
            other => other.max(),
        }
    }

    /// How many distinct values `*` covers; also the largest step allowed.
    pub(super) fn span(self) -> u32 {
        self.star_max() - self.min() + 1
    }

    pub(super) fn names(self) -> &'static [&'static str] {
        match self {
            Field::Month => &MONTH_NAMES,
            Field::DayOfWeek => &WEEKDAY_NAMES,
            _ => &[],
        }
    }

    /// The value of a name: months count from 1, weekdays from 0.
    pub(super) fn name_value(self, upper: &str) -> Option<u32> {
        let index = self.names().iter().position(|n| *n == upper)? as u32;
        Some(index + self.min())
    }

    /// "hours are numbers from 0 to 23".
    pub(super) fn number_list(self) -> String {
        format!(
            "{} are numbers from {} to {}",
            self.plural(),
            self.min(),
            self.max()
        )
    }

    /// "months are JAN to DEC or 1 to 12" (for fields with names).
    pub(super) fn name_list(self) -> String {
        let names = self.names();
        let (first, last) = (names.first().unwrap_or(&""), names.last().unwrap_or(&""));
        format!(
            "{} are {first} to {last} or {} to {}",
            self.plural(),
            self.min(),
            self.max()
        )
    }

    pub(super) fn allowed_values(self) -> String {
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
