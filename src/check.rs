//! Everything tminus has to say about one statement's text, as diagnostics: the entry point
//! that `tminus lint`, the REPL and the Python-source linter share, so that "parse, then
//! report the errors or the warnings" is written once.

use crate::diag::Diagnostic;
use crate::opt;
use crate::options::ParseOptions;
use crate::statement::Statement;

/// The diagnostics of one statement: every error when it does not parse; otherwise the
/// parser's warnings, then the optimizer's findings ([`crate::opt::lint`]). Empty for a
/// sound statement.
///
/// ```
/// let options = tminus::ParseOptions::new();
/// assert!(tminus::diagnostics("daily between 10:00 and 12:00", &options).is_empty());
///
/// let errors = tminus::diagnostics("every 10 minuts", &options);
/// assert_eq!(errors[0].code, "tminus::unknown-unit");
/// assert_eq!(errors[0].severity, tminus::Severity::Error);
///
/// let warnings = tminus::diagnostics("time of day before 10:00 & time of day after 11:00", &options);
/// assert_eq!(warnings[0].code, "tminus::never-true");
/// ```
pub fn diagnostics(text: &str, options: &ParseOptions) -> Vec<Diagnostic> {
    check(text.as_bytes(), options).1
}

/// [`diagnostics`] of raw bytes (text that is not UTF-8 is an error pointing at the first
/// bad byte), together with the statement when it parses.
///
/// ```
/// let (statement, diagnostics) = tminus::check(b"daily & daily", &tminus::ParseOptions::new());
/// assert_eq!(statement.map(|s| s.canonical()).as_deref(), Some("daily & daily"));
/// assert_eq!(diagnostics[0].code, "tminus::redundant-clause");
/// ```
pub fn check(bytes: &[u8], options: &ParseOptions) -> (Option<Statement>, Vec<Diagnostic>) {
    match Statement::parse_bytes(bytes, options) {
        Ok(statement) => {
            let warnings = opt::lint(&statement);
            (Some(statement), warnings)
        }
        Err(errors) => (None, errors.errors().iter().map(Diagnostic::from).collect()),
    }
}
