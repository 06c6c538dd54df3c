//! The compiled statement: parse once, then ask it questions.

use crate::diag::Diagnostic;
use crate::error::{Error, ErrorKind, Errors};
use crate::eval::Schedule;
use crate::ir::{self, Cond};
use crate::options::ParseOptions;
use crate::syntax::{self, Span};

/// A parsed, checked statement: its source, its meaning ([`Cond`]) and any warnings.
///
/// ```
/// let s = tminus::Statement::parse("daily between 10am and 12pm & after task 'extract'")?;
/// assert_eq!(s.to_string(), "daily between 10:00 and 12:00 & after task 'extract' succeeded");
/// assert!(s.warnings().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Statement {
    source: String,
    cond: Cond,
    warnings: Vec<Diagnostic>,
}

impl Statement {
    /// Parses a statement with no custom predicates.
    pub fn parse(text: &str) -> Result<Statement, Errors> {
        Statement::parse_with(text, &ParseOptions::default())
    }

    /// Parses a statement; registered custom predicates are accepted.
    pub fn parse_with(text: &str, options: &ParseOptions) -> Result<Statement, Errors> {
        syntax::precheck(text)?;
        let expr = syntax::parse_expr(text)?;
        let (cond, warnings) = ir::lower::lower(&expr, text, options).map_err(Errors)?;
        Ok(Statement {
            source: text.to_owned(),
            cond,
            warnings,
        })
    }

    /// Parses raw bytes: invalid UTF-8 is an error that points at the first bad byte.
    pub fn parse_bytes(bytes: &[u8], options: &ParseOptions) -> Result<Statement, Errors> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Statement::parse_with(text, options),
            Err(e) => {
                let at = e.valid_up_to();
                let len = e.error_len().unwrap_or(bytes.len() - at);
                let span = Span::at(at, len);
                Err(Error::new(
                    ErrorKind::InvalidUtf8,
                    span,
                    "the statement is not valid UTF-8",
                )
                .with_help("save the text as UTF-8")
                .into())
            }
        }
    }

    /// A statement from an IR built elsewhere (e.g. by an optimizer); its source is the
    /// canonical text.
    pub fn from_cond(cond: Cond) -> Statement {
        Statement {
            source: ir::print::print(&cond),
            cond,
            warnings: Vec::new(),
        }
    }

    /// The text it was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// What it means.
    pub fn cond(&self) -> &Cond {
        &self.cond
    }

    /// Warnings found while parsing (the statement is valid).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The canonical text: `Statement::parse(&s.canonical())` has an equal [`Cond`].
    pub fn canonical(&self) -> String {
        ir::print::print(&self.cond)
    }

    /// Compiles the statement for evaluation as the start condition of task `t`.
    ///
    /// ```
    /// let s = tminus::Statement::parse("every 10 minutes")?.schedule().with_task("fetch");
    /// assert_eq!(s.task(), "fetch");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn schedule(&self) -> Schedule {
        Schedule::new(self.cond())
    }
}

impl std::fmt::Display for Statement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl std::str::FromStr for Statement {
    type Err = Errors;

    fn from_str(text: &str) -> Result<Statement, Errors> {
        Statement::parse(text)
    }
}
