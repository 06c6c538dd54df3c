//! Diagnostics as data: a code, a severity, a message, labelled byte spans and a help
//! line, built from errors and warnings and rendered by [`render`] (ariadne, for people)
//! or serde (JSON, for machines).

pub mod codes;
pub mod render;
pub mod suggest;

use crate::span::Span;
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information only, e.g. a string that was skipped.
    Note,
    /// The statement works but is probably not what was meant.
    Warning,
    /// The statement is rejected.
    Error,
}

impl Severity {
    /// `error`, `warning` or `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A span of the statement with a message about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What is wrong there (may be empty).
    pub message: String,
}

/// One finding about a statement, ready to be rendered.
///
/// ```
/// let errors = tminus::Statement::parse("every 10 minuts").unwrap_err();
/// let d = tminus::Diagnostic::from(&errors.errors()[0]);
/// assert_eq!(d.code, "tminus::unknown-unit");
/// assert_eq!(d.help.as_deref(), Some("did you mean `minutes`?"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `tminus::unknown-unit` (see `docs/diagnostics.md`).
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// Short, lower case, no final period.
    pub message: String,
    /// The spans it is about; the first is the primary one.
    pub labels: Vec<Label>,
    /// How to fix it, when known.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with one primary label.
    pub fn new(
        code: &str,
        severity: Severity,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code: code.to_owned(),
            severity,
            message: message.into(),
            labels: vec![Label {
                start: span.start,
                end: span.end,
                message: label.into(),
            }],
            help: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The primary span, if any.
    pub fn span(&self) -> Option<Span> {
        self.labels.first().map(|l| Span::new(l.start, l.end))
    }
}
