//! A duration alone, read as `every` reads it: for settings such as a task's
//! `timeout = "30 minutes"`, a command line's `--horizon 9d`, or a REPL command.

use crate::error::Errors;
use crate::{ir, syntax};
use chrono::TimeDelta;

/// Reads a duration in any spelling `every` takes (`10 minutes`, `1h 30min`, `1 hour, 30
/// minutes`, `1.5 hours`, `00:10:00`), with the same checks and diagnostics: an unknown
/// unit gets a did-you-mean, zero, negative and over-long (100 years) durations are
/// errors. Spans point into `text`.
///
/// ```
/// assert_eq!(tminus::parse_duration("1h 30min")?, chrono::TimeDelta::minutes(90));
/// assert_eq!(tminus::parse_duration("00:10:00")?, chrono::TimeDelta::minutes(10));
///
/// let errors = tminus::parse_duration("30 minuts").unwrap_err();
/// assert_eq!(errors.errors()[0].help(), Some("did you mean `minutes`?"));
/// assert_eq!(errors.errors()[0].span(), tminus::Span::new(3, 9));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_duration(text: &str) -> Result<TimeDelta, Errors> {
    let literal = syntax::parse_duration(text)?;
    ir::lower::lower_duration(&literal, text).map_err(Errors)
}
