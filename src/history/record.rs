//! One record of a task log, with Rocketry's field names.

use crate::Action;
use chrono::{DateTime, TimeDelta, Utc};

/// What happened to a task, when, and why.
///
/// The fields are those of Rocketry's log records: `task_name`, `action` and `created`
/// (`MinimalRecord`), then `start`, `end`, `runtime` (`TaskLogRecord`), `message` and
/// `exc_text` (`LogRecord`). A `run` has `start`; a finish has `start` (of its run), `end`
/// and `runtime`; a `fail` or `terminate` has a `message` (the error, the panic, the exit
/// status, or why the scheduler stopped it) and, for commands, the last lines of standard
/// error in `exc_text`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tminus::{history::LogRecord, Action};
///
/// let at = Utc.with_ymd_and_hms(2024, 3, 11, 10, 0, 0).unwrap();
/// let record = LogRecord::new("fetch", Action::Run, at);
/// assert_eq!(record.created_seconds(), 1710151200.0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRecord {
    /// The task.
    pub task_name: String,
    /// What happened.
    pub action: Action,
    /// When (microsecond resolution).
    pub created: DateTime<Utc>,
    /// When the run this record is about started.
    pub start: Option<DateTime<Utc>>,
    /// When it ended (finishes only).
    pub end: Option<DateTime<Utc>>,
    /// How long it ran (finishes only).
    pub runtime: Option<TimeDelta>,
    /// Why it failed or was terminated.
    pub message: Option<String>,
    /// Details: the last lines of a command's standard error, a panic's payload.
    pub exc_text: Option<String>,
}

impl LogRecord {
    /// A record with only `task_name`, `action` and `created` (truncated to microseconds).
    pub fn new(task: &str, action: Action, created: DateTime<Utc>) -> LogRecord {
        LogRecord {
            task_name: task.to_owned(),
            action,
            created: crate::Event::new(action, created).at,
            start: None,
            end: None,
            runtime: None,
            message: None,
            exc_text: None,
        }
    }

    /// The finish of a run that started at `start`: `end` and `runtime` filled in.
    pub fn finish(task: &str, action: Action, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        let mut record = LogRecord::new(task, action, end);
        record.start = Some(crate::Event::new(action, start).at);
        record.end = Some(record.created);
        record.runtime = Some(record.created - record.start.unwrap_or(record.created));
        record
    }

    /// Sets the message.
    pub fn with_message(mut self, message: impl Into<String>) -> LogRecord {
        self.message = Some(message.into());
        self
    }

    /// `created` as POSIX seconds, the way Rocketry stores it.
    pub fn created_seconds(&self) -> f64 {
        seconds(self.created)
    }

    /// The record as `{"at", "task", "action", "message"}`, `at` in RFC 3339 in `zone`.
    pub fn to_json(&self, zone: chrono_tz::Tz) -> serde_json::Value {
        serde_json::json!({
            "at": rfc3339(self.created, zone),
            "task": self.task_name,
            "action": self.action.as_str(),
            "message": self.message,
        })
    }

    /// The record as one line for people: `<RFC 3339 instant> <task> <action>` and, for a
    /// finish with a message, the message.
    pub fn to_line(&self, zone: chrono_tz::Tz) -> String {
        let mut line = format!(
            "{} {} {}",
            rfc3339(self.created, zone),
            self.task_name,
            self.action
        );
        if let Some(message) = &self.message {
            line.push(' ');
            line.push_str(&message.replace('\n', " "));
        }
        line
    }
}

/// An instant in RFC 3339 on the wall clock of `zone`, with microseconds when it has some.
pub(crate) fn rfc3339(at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    at.with_timezone(&zone)
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// POSIX seconds as a float, as Rocketry stamps records.
pub(crate) fn seconds(at: DateTime<Utc>) -> f64 {
    at.timestamp() as f64 + f64::from(at.timestamp_subsec_micros()) / 1e6
}

/// A float as Python's `repr` writes it (the shortest text that reads back the same, with
/// `.0` on whole numbers), which is how Rocketry's records store floats in CSV.
pub(crate) fn python_float(value: f64) -> String {
    let text = value.to_string();
    match text.contains(['.', 'e', 'i', 'N']) {
        true => text,
        false => text + ".0",
    }
}

/// A duration in seconds as a float.
pub(crate) fn duration_seconds(d: TimeDelta) -> f64 {
    d.num_microseconds().map_or(f64::MAX, |m| m as f64 / 1e6)
}

/// POSIX seconds (a float) to an instant, rounded to the microsecond as Python's
/// `datetime.fromtimestamp` rounds.
pub(crate) fn from_seconds(seconds: f64) -> Option<DateTime<Utc>> {
    super::instant::from_posix_seconds(seconds)
}

/// Seconds (a float) to a duration.
pub(crate) fn duration_from_seconds(seconds: f64) -> Option<TimeDelta> {
    seconds
        .is_finite()
        .then(|| TimeDelta::microseconds((seconds * 1e6).round() as i64))
}

/// Whether `name` can be written into SQL as a table or schema name without quoting
/// trouble: ASCII letters, digits and `_`, not starting with a digit.
pub(crate) fn is_sql_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63
}

/// The columns every backend writes, in order.
pub(crate) const COLUMNS: [&str; 8] = [
    "task_name",
    "action",
    "created",
    "start",
    "end",
    "runtime",
    "message",
    "exc_text",
];

#[cfg(any(feature = "sqlite", feature = "postgres"))]
/// Which of [`COLUMNS`] a table with the columns `names` has, by index; `None` when it
/// lacks one of `task_name`, `action` and `created`.
pub(crate) fn table_columns(names: &[String]) -> Option<Vec<usize>> {
    let columns: Vec<usize> = (0..COLUMNS.len())
        .filter(|i| names.iter().any(|n| n == COLUMNS[*i]))
        .collect();
    (0..3).all(|i| columns.contains(&i)).then_some(columns)
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
/// `"a", "b"`: the quoted names of `columns`.
pub(crate) fn column_list(columns: &[usize]) -> String {
    let quoted: Vec<String> = columns
        .iter()
        .map(|&i| format!("\"{}\"", COLUMNS[i]))
        .collect();
    quoted.join(", ")
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
/// `INSERT INTO table ("a", "b") VALUES (?1, ?2)`, placeholders with the prefix `mark`.
pub(crate) fn insert_sql(table: &str, columns: &[usize], mark: char) -> String {
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("{mark}{i}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        column_list(columns),
        marks.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn seconds_round_trip_at_microseconds() {
        let at = Utc.timestamp_opt(1_710_151_500, 456_521_000).unwrap();
        assert_eq!(from_seconds(seconds(at)), Some(at));
        assert_eq!(python_float(seconds(at)), "1710151500.456521");
        assert_eq!(python_float(1710151500.0), "1710151500.0");
    }

    #[test]
    fn sql_names() {
        assert!(is_sql_name("tasks_2"));
        assert!(!is_sql_name("2tasks"));
        assert!(!is_sql_name("t; drop table x"));
        assert!(!is_sql_name(""));
    }
}
