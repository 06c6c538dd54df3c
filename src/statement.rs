//! The compiled statement: parse once, then ask it questions.

use crate::diag::Diagnostic;
use crate::error::{Error, ErrorKind, Errors};
use crate::eval::Schedule;
use crate::ir::{self, Cond};
use crate::syntax::{self, Span};
use std::collections::BTreeSet;

/// How to parse: the custom predicates the embedding program registered.
///
/// ```
/// let options = tminus::ParseOptions::new().register("is business day").register("file_exists");
/// let s = tminus::Statement::parse_with("daily & is business day & file_exists('data.csv')", &options)?;
/// assert_eq!(s.to_string(), "daily & is business day & file_exists('data.csv')");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    custom: BTreeSet<String>,
}

impl ParseOptions {
    /// No custom predicates.
    pub fn new() -> ParseOptions {
        ParseOptions::default()
    }

    /// Registers a custom predicate: a phrase (`is business day`, as Rocketry's
    /// `@app.cond("is business day")`) or a function name (`file_exists`, called as
    /// `file_exists('data.csv')`).
    pub fn register(mut self, name: impl Into<String>) -> ParseOptions {
        self.custom.insert(name.into().trim().to_owned());
        self
    }

    /// Whether `name` was registered.
    pub fn is_registered(&self, name: &str) -> bool {
        self.custom.contains(name)
    }

    /// The registered names, sorted.
    pub fn registered(&self) -> impl Iterator<Item = &str> {
        self.custom.iter().map(String::as_str)
    }
}

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
