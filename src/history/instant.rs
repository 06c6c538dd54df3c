//! Instants in task logs and inputs: ISO 8601 (absolute, or civil in a zone) and POSIX
//! seconds as Python rounds them.

use super::*;
use crate::zone::{to_instant, CivilPolicy};

/// Reads an instant the way the history readers do: ISO 8601 with an offset or `Z` is
/// absolute; without one it is a civil time in `zone` (in a fold the earlier instant, in a
/// gap the offset in force before it, as Python's `fold=0`). For command lines and inputs
/// that give `now` next to a history.
///
/// ```
/// let at = tminus::history::parse_instant("2024-03-11T10:00:00", chrono_tz::Europe::Helsinki)?;
/// assert_eq!(at.to_rfc3339(), "2024-03-11T08:00:00+00:00");
///
/// let error = tminus::history::parse_instant("2024-03-11 25:00", chrono_tz::UTC).unwrap_err();
/// assert_eq!(error.to_string(), "`2024-03-11 25:00` is not an instant: no such time of day");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_instant(text: &str, zone: Tz) -> Result<DateTime<Utc>, InstantError> {
    from_iso(text, zone).map_err(|reason| InstantError {
        text: text.to_owned(),
        reason,
    })
}

/// Why a text is not an instant ([`parse_instant`]): the text and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstantError {
    text: String,
    reason: &'static str,
}

impl InstantError {
    /// The text that was read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What is wrong with it, e.g. `hour out of range`.
    pub fn reason(&self) -> &str {
        self.reason
    }
}

impl fmt::Display for InstantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an instant: {}", self.text, self.reason)
    }
}

impl std::error::Error for InstantError {}

/// For callers whose errors are messages (command lines, the REPL).
impl From<InstantError> for String {
    fn from(error: InstantError) -> String {
        error.to_string()
    }
}

/// POSIX seconds to an instant, the way Python's `datetime.fromtimestamp` does it:
/// split off the fraction, scale it to microseconds, round half to even.
pub(super) fn from_posix_seconds(seconds: f64) -> Option<DateTime<Utc>> {
    if !seconds.is_finite() || seconds.abs() > 1e15 {
        return None;
    }
    let mut whole = seconds.trunc();
    let mut micros = ((seconds - whole) * 1e6).round_ties_even();
    if micros >= 1e6 {
        micros -= 1e6;
        whole += 1.0;
    } else if micros < 0.0 {
        micros += 1e6;
        whole -= 1.0;
    }
    // Both casts are in range: |whole| <= 1e15 + 1 and 0 <= micros < 1e6.
    DateTime::from_timestamp(whole as i64, (micros as u32) * 1000)
}

/// An ISO 8601 instant; without an offset it is a civil time in `zone`.
pub(super) fn from_iso(text: &str, zone: Tz) -> Result<DateTime<Utc>, &'static str> {
    let (civil, offset) = parse_iso(text.trim())?;
    match offset {
        Some(offset) => civil
            .checked_sub_offset(offset)
            .map(|utc| utc.and_utc())
            .ok_or("out of range"),
        None => to_instant(civil, zone, CivilPolicy::Fold0).ok_or("out of range"),
    }
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][Z|±HH[:MM]]`.
fn parse_iso(text: &str) -> Result<(NaiveDateTime, Option<FixedOffset>), &'static str> {
    let mut cursor = Cursor::new(text);
    let date = date(&mut cursor)?;
    if cursor.is_done() {
        return Ok((date.and_time(NaiveTime::MIN), None));
    }
    if !(cursor.eat(b'T') || cursor.eat(b't') || cursor.eat(b' ')) {
        return Err("expected `T` between date and time");
    }
    let time = time(&mut cursor)?;
    let offset = offset(&mut cursor)?;
    if !cursor.is_done() {
        return Err("unexpected text after the time");
    }
    Ok((date.and_time(time), offset))
}

fn date(cursor: &mut Cursor<'_>) -> Result<NaiveDate, &'static str> {
    const SHAPE: &str = "expected a date like 2024-03-11";
    let year = cursor.digits(4).ok_or(SHAPE)?;
    let month = cursor.after(b'-').and_then(|c| c.digits(2)).ok_or(SHAPE)?;
    let day = cursor.after(b'-').and_then(|c| c.digits(2)).ok_or(SHAPE)?;
    let year = i32::try_from(year).map_err(|_| SHAPE)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or("no such date")
}

fn time(cursor: &mut Cursor<'_>) -> Result<NaiveTime, &'static str> {
    const SHAPE: &str = "expected a time like 10:05, 10:05:00 or 10:05:00.123456";
    let hour = cursor.digits(2).ok_or(SHAPE)?;
    let minute = cursor.after(b':').and_then(|c| c.digits(2)).ok_or(SHAPE)?;
    let mut second = 0;
    let mut micros = 0;
    if cursor.eat(b':') {
        second = cursor.digits(2).ok_or(SHAPE)?;
        if cursor.eat(b'.') || cursor.eat(b',') {
            micros = fraction_micros(cursor)?;
        }
    }
    NaiveTime::from_hms_micro_opt(hour, minute, second, micros).ok_or("no such time of day")
}

/// 1 to 9 digits after the decimal mark, truncated to microseconds.
fn fraction_micros(cursor: &mut Cursor<'_>) -> Result<u32, &'static str> {
    let digits = cursor.take_digits();
    if digits.is_empty() || digits.len() > 9 {
        return Err("expected 1 to 9 digits of fractional seconds");
    }
    let padded = format!("{digits:0<6}");
    padded
        .get(..6)
        .and_then(|six| six.parse().ok())
        .ok_or("bad fractional seconds")
}

fn offset(cursor: &mut Cursor<'_>) -> Result<Option<FixedOffset>, &'static str> {
    const SHAPE: &str = "expected a UTC offset like Z, +02:00, +0200 or +02";
    if cursor.eat(b'Z') || cursor.eat(b'z') {
        return Ok(FixedOffset::east_opt(0));
    }
    let sign = if cursor.eat(b'+') {
        1
    } else if cursor.eat(b'-') {
        -1
    } else {
        return Ok(None);
    };
    let hours = cursor.fixed_digits(2).ok_or(SHAPE)?;
    let colon = cursor.eat(b':');
    let minutes = match cursor.fixed_digits(2) {
        Some(minutes) => minutes,
        None if colon => return Err(SHAPE),
        None => 0,
    };
    if hours > 23 || minutes > 59 {
        return Err(SHAPE);
    }
    let seconds = sign * i32::try_from(hours * 3600 + minutes * 60).map_err(|_| SHAPE)?;
    FixedOffset::east_opt(seconds).map(Some).ok_or(SHAPE)
}

/// A position in an ASCII-structured string.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor { text, at: 0 }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.at..).unwrap_or("")
    }

    fn is_done(&self) -> bool {
        self.rest().is_empty()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.rest().as_bytes().first() == Some(&byte);
        if hit {
            self.at += 1;
        }
        hit
    }

    /// Itself after eating `byte`, if that comes next.
    fn after(&mut self, byte: u8) -> Option<&mut Self> {
        if self.eat(byte) {
            Some(self)
        } else {
            None
        }
    }

    fn take_digits(&mut self) -> &'a str {
        let rest = self.rest();
        let count = rest.bytes().take_while(u8::is_ascii_digit).count();
        self.at += count;
        rest.get(..count).unwrap_or("")
    }

    /// The next `count` ASCII digits, as a number (more digits may follow).
    fn fixed_digits(&mut self, count: usize) -> Option<u32> {
        let digits = self.rest().get(..count)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.at += count;
        digits.parse().ok()
    }

    /// Exactly `count` ASCII digits (no more follow), as a number.
    fn digits(&mut self, count: usize) -> Option<u32> {
        let start = self.at;
        let digits = self.take_digits();
        if digits.len() != count {
            self.at = start;
            return None;
        }
        digits.parse().ok()
    }
}

/// Drops sub-microsecond digits.
pub(super) fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = at.timestamp_subsec_nanos();
    let excess = nanos % 1000;
    at.checked_sub_signed(TimeDelta::nanoseconds(i64::from(excess)))
        .unwrap_or(at)
}
