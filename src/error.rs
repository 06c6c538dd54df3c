//! Errors as values: what went wrong, where (a [`Span`]), and how to fix it.
//!
//! Every error of parsing and lowering is an [`Error`]; [`Errors`] carries all those found
//! in one statement. [`crate::Diagnostic`] is the form shown to people and machines.

use crate::cron::CronErrorKind;
use crate::diag::{codes, Diagnostic, Label, Severity};
use crate::span::Span;
use std::fmt;

/// What kind of fault. Each variant's doc names a statement that triggers it; the stable
/// code (see [`ErrorKind::code`]) is listed in `docs/diagnostics.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text does not fit the grammar: `daily betwen 10:00 and 12:00`.
    Syntax,
    /// Nothing to parse: `` (empty) or `   `.
    Empty,
    /// A parenthesis without its partner: `(true`.
    UnbalancedParen,
    /// Parentheses or `~` nested deeper than the limit: 100 `(` in a row.
    NestingLimit,
    /// The statement is longer than the limit (64 KiB).
    TooLong,
    /// A control character such as NUL: `true\0`.
    InvalidChar,
    /// The bytes are not UTF-8 (only from byte input).
    InvalidUtf8,
    /// A phrase that no family matches and that was not registered: `is business day`.
    UnknownPhrase,
    /// A time that does not exist or cannot be read: `daily between 25:00 and 26:00`.
    BadTime,
    /// A bare number where a time of day is needed: `daily after 10` (Rocketry reads a day of the month).
    BareNumber,
    /// A value outside its cycle: `hourly between 60:00 and 61:00`, `monthly on 32nd`.
    OutOfRange,
    /// A weekday name that is not one: `weekly on Funday`.
    UnknownWeekday,
    /// A literal of the wrong kind for the unit: `weekly between 1 and 5`.
    WrongLiteral,
    /// A range that the phrase does not take: `time of day on 10:00`.
    RangeNotAllowed,
    /// A duration unit that Rocketry does not know: `every 10 minuts`.
    UnknownUnit,
    /// A duration that is zero or negative: `every 0 seconds`.
    BadDuration,
    /// A name that is empty or holds a character Rocketry splits on: `after task 'a&b'`.
    BadName,
    /// A number too large: `scheduler has 99999999999999999999 cycles`.
    BadNumber,
    /// A cron expression that cannot be read; the [`CronErrorKind`] says how:
    /// `cron 61 * * * *` ([`CronErrorKind::OutOfRange`]), `cron * * *`
    /// ([`CronErrorKind::FieldCount`]).
    Cron(CronErrorKind),
}

impl ErrorKind {
    /// The stable code, e.g. `tminus::unknown-unit`.
    pub fn code(self) -> &'static str {
        use ErrorKind::*;
        match self {
            Syntax => codes::SYNTAX,
            Empty => codes::EMPTY,
            UnbalancedParen => codes::UNBALANCED_PAREN,
            NestingLimit => codes::NESTING_LIMIT,
            TooLong => codes::TOO_LONG,
            InvalidChar => codes::INVALID_CHAR,
            InvalidUtf8 => codes::INVALID_UTF8,
            UnknownPhrase => codes::UNKNOWN_PHRASE,
            BadTime => codes::BAD_TIME,
            BareNumber => codes::BARE_NUMBER,
            OutOfRange => codes::OUT_OF_RANGE,
            UnknownWeekday => codes::UNKNOWN_WEEKDAY,
            WrongLiteral => codes::WRONG_LITERAL,
            RangeNotAllowed => codes::RANGE_NOT_ALLOWED,
            UnknownUnit => codes::UNKNOWN_UNIT,
            BadDuration => codes::BAD_DURATION,
            BadName => codes::BAD_NAME,
            BadNumber => codes::BAD_NUMBER,
            Cron(kind) => kind.code(),
        }
    }
}

/// One fault in a statement: its kind, the smallest span that is wrong, a message, and
/// optionally more labelled spans and a help line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    span: Span,
    message: String,
    labels: Vec<(Span, String)>,
    help: Option<String>,
}

impl Error {
    /// A new error pointing at `span`.
    pub fn new(kind: ErrorKind, span: Span, message: impl Into<String>) -> Error {
        Error {
            kind,
            span,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    /// Adds a help line, e.g. "did you mean `minutes`?".
    pub fn with_help(mut self, help: impl Into<String>) -> Error {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary labelled span.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Error {
        self.labels.push((span, message.into()));
        self
    }

    /// Moves every span `by` bytes to the right (for errors found in a piece of the text).
    pub(crate) fn shifted(mut self, by: usize) -> Error {
        self.span = self.span.shift(by);
        for (span, _) in &mut self.labels {
            *span = span.shift(by);
        }
        self
    }

    /// What kind of fault.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The smallest span that is wrong.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The message: short, lower case, no final period.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Secondary labelled spans.
    pub fn labels(&self) -> &[(Span, String)] {
        &self.labels
    }

    /// How to fix it, when known.
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}..{}: {}",
            self.kind.code(),
            self.span.start,
            self.span.end,
            self.message
        )
    }
}

impl std::error::Error for Error {}

/// Every error found in one statement, in source order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Errors(pub(crate) Vec<Error>);

impl Errors {
    /// The errors, in source order.
    pub fn errors(&self) -> &[Error] {
        &self.0
    }

    /// The first error.
    pub fn first(&self) -> Option<&Error> {
        self.0.first()
    }
}

impl From<Error> for Errors {
    fn from(e: Error) -> Errors {
        Errors(vec![e])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// The form shown to people and machines: the primary span first, a secondary label on it
/// as its message.
impl From<&Error> for Diagnostic {
    fn from(e: &Error) -> Diagnostic {
        let (same, other): (Vec<_>, Vec<_>) = e.labels().iter().partition(|(s, _)| *s == e.span());
        let mut labels = vec![Label {
            start: e.span().start,
            end: e.span().end,
            message: same.first().map(|(_, m)| m.clone()).unwrap_or_default(),
        }];
        labels.extend(other.iter().map(|(s, m)| Label {
            start: s.start,
            end: s.end,
            message: m.clone(),
        }));
        Diagnostic {
            code: e.kind().code().to_owned(),
            severity: Severity::Error,
            message: e.message().to_owned(),
            labels,
            help: e.help().map(str::to_owned),
        }
    }
}
