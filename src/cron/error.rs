//! [`CronError`]: one problem found while parsing, with its byte range and kind.

use crate::diag::codes;
use std::fmt;
use std::ops::Range;

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
            CronErrorKind::FieldCount => codes::CRON_FIELD_COUNT,
            CronErrorKind::OutOfRange => codes::CRON_OUT_OF_RANGE,
            CronErrorKind::BadRange => codes::CRON_BAD_RANGE,
            CronErrorKind::BadStep => codes::CRON_BAD_STEP,
            CronErrorKind::UnknownName => codes::CRON_UNKNOWN_NAME,
            CronErrorKind::Syntax => codes::CRON_SYNTAX,
            CronErrorKind::Unsupported => codes::CRON_UNSUPPORTED,
        }
    }
}

impl CronError {
    pub(super) fn new(
        kind: CronErrorKind,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> CronError {
        CronError {
            range,
            kind,
            message: message.into(),
            help: None,
        }
    }

    pub(super) fn with_help(mut self, help: impl Into<String>) -> CronError {
        self.help = Some(help.into());
        self
    }

    pub(super) fn syntax(range: Range<usize>, message: impl Into<String>) -> CronError {
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
