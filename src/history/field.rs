//! Reading one field of a record, shared by the three readers.

use super::event::unknown_action;
use super::*;

/// A record field read as text: present, not null, a non-empty string.
pub(super) fn task_name(value: Option<&str>, field: &str) -> Result<String, HistoryError> {
    match value {
        None => Err(missing(field)),
        Some("") => Err(HistoryError::new(
            HistoryErrorKind::BadValue,
            format!("empty task name in `{field}`"),
        )
        .in_column(field)),
        Some(name) => Ok(name.to_owned()),
    }
}

pub(super) fn action_named(value: Option<&str>, field: &str) -> Result<Action, HistoryError> {
    let word = value.ok_or_else(|| missing(field))?;
    Action::parse(word).ok_or_else(|| unknown_action(word).in_column(field))
}

/// `created` given as text (CSV cell, SQLite text): POSIX seconds as Python prints a float.
pub(super) fn instant_from_text(text: &str, field: &str) -> Result<DateTime<Utc>, HistoryError> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| bad_instant(text, field, "expected POSIX seconds such as 1710151500.25"))?;
    instant_from_seconds(seconds, text, field)
}

pub(super) fn instant_from_seconds(
    seconds: f64,
    shown: &str,
    field: &str,
) -> Result<DateTime<Utc>, HistoryError> {
    instant::from_posix_seconds(seconds)
        .ok_or_else(|| bad_instant(shown, field, "not a representable instant"))
}

pub(super) fn missing(field: &str) -> HistoryError {
    HistoryError::new(
        HistoryErrorKind::MissingField,
        format!("missing field `{field}`"),
    )
    .in_column(field)
}

pub(super) fn bad_instant(text: &str, field: &str, why: &str) -> HistoryError {
    HistoryError::new(
        HistoryErrorKind::BadInstant,
        format!("bad instant `{text}` in `{field}`: {why}"),
    )
    .in_column(field)
}

pub(super) fn io_error(error: std::io::Error) -> HistoryError {
    HistoryError::new(HistoryErrorKind::Io, error.to_string()).with_source(error)
}
