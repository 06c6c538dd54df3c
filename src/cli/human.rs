//! Instants as people read them, the one way every command's human (non-JSON) output writes
//! them: RFC 3339 on the zone's wall clock, to the second. A fraction of a second is written
//! only when the instant has one that means something — a window boundary inside a second
//! (`every 1.5 seconds`), a time typed with a fraction. Clock readings and recorded events
//! have a fraction only by the clock's chance: the command line reads the clock to the
//! second ([`now`], rounded up, so that every record already written lies at or before it) and
//! writes records to the second ([`observed`]). JSON output keeps every digit.

use chrono::{DateTime, DurationRound, SecondsFormat, TimeDelta, TimeZone, Utc};

/// The clock, to the second: the instant that `--at`, `--after` and the REPL's clock mean
/// when none is given, so that answers about "now" print without clock noise. Rounded up,
/// never down: a record written a moment ago (a run that just finished, within this second)
/// must count as past, or `status` right after a run would still call the task due.
pub fn now() -> DateTime<Utc> {
    up_to_the_second(Utc::now())
}

/// The instant, or the next whole second when it has a fraction (never earlier than `at`).
fn up_to_the_second(at: DateTime<Utc>) -> DateTime<Utc> {
    let down = to_the_second(at);
    if down == at {
        at
    } else {
        down + TimeDelta::seconds(1)
    }
}

/// An instant for people: to the second, with the fraction only when it has one.
pub fn instant<Z: TimeZone>(at: &DateTime<Z>) -> String
where
    Z::Offset: std::fmt::Display,
{
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A clock reading or a recorded event (a task log's record, a run's start), to the second.
pub fn observed<Z: TimeZone>(at: &DateTime<Z>) -> String
where
    Z::Offset: std::fmt::Display,
{
    instant(&to_the_second(at.clone()))
}

/// The instant with its fraction of a second dropped (never later than `at`).
fn to_the_second<Z: TimeZone>(at: DateTime<Z>) -> DateTime<Z> {
    at.clone()
        .duration_trunc(TimeDelta::seconds(1))
        .unwrap_or(at)
}

/// A task log's record as one line: `<instant> <task> <action>`, then the message of a
/// finish that has one (on one line).
pub fn record_line(record: &tminus::run::LogRecord, zone: chrono_tz::Tz) -> String {
    let mut line = format!(
        "{} {} {}",
        observed(&record.created.with_timezone(&zone)),
        record.task_name,
        record.action
    );
    if let Some(message) = &record.message {
        line.push(' ');
        line.push_str(&message.replace('\n', " "));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_only_when_there_is_one() {
        let whole = Utc.with_ymd_and_hms(2024, 3, 11, 10, 0, 0).unwrap();
        assert_eq!(instant(&whole), "2024-03-11T10:00:00Z");
        let half = whole + TimeDelta::milliseconds(1500);
        assert_eq!(instant(&half), "2024-03-11T10:00:01.500Z");
        let noise = whole + TimeDelta::nanoseconds(123_456_789);
        assert_eq!(observed(&noise), "2024-03-11T10:00:00Z");
        let helsinki = noise.with_timezone(&chrono_tz::Europe::Helsinki);
        assert_eq!(observed(&helsinki), "2024-03-11T12:00:00+02:00");
    }

    #[test]
    fn the_clock_rounds_up_so_that_what_was_written_is_past() {
        let whole = Utc.with_ymd_and_hms(2024, 3, 11, 10, 0, 0).unwrap();
        assert_eq!(up_to_the_second(whole), whole);
        let later = whole + TimeDelta::nanoseconds(400_000_000);
        assert_eq!(up_to_the_second(later), whole + TimeDelta::seconds(1));
        let before = Utc::now();
        let clock = now();
        assert!(clock >= before);
        assert_eq!(clock.timestamp_subsec_nanos(), 0);
    }
}
