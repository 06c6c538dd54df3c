//! `tminus lint` on Python sources: every condition string a Rocketry app gives, checked
//! where it is written.
//!
//! The file is parsed with a real Python parser ([`ruff_python_parser`]); [`extract`] finds
//! the conditions and what the file defines, [`trace`] keeps the way back from each
//! statement byte to the file, and [`check`] parses each statement with the file's own
//! custom conditions registered and cross-checks task and condition names. The result is
//! a list of [`Placed`]s whose lines and columns are those of the `.py` file.

pub(super) mod check;
mod extract;
mod trace;

use crate::diag::codes;
use crate::lint::placed::{LineIndex, Placed};
use crate::{Diagnostic, Label, ParseOptions, Severity, Span};
use extract::{Condition, Module};
use std::ops::Range;
use std::rc::Rc;
use trace::Traced;

/// Stable code: a condition built at run time, which tminus cannot check (a note).
pub const SKIPPED: &str = codes::SKIPPED;
/// Stable code: the Python file itself does not parse.
pub const PYTHON_SYNTAX: &str = codes::PYTHON_SYNTAX;

/// What linting one Python file found.
#[derive(Debug, Default)]
pub struct Linted {
    /// Statements checked (skipped strings not counted).
    pub statements: usize,
    /// Findings in source order.
    pub findings: Vec<Placed>,
}

/// Lints the Python file `file` with contents `bytes`; `options` holds the `--cond`
/// registrations.
pub fn lint(file: &str, bytes: &[u8], options: &ParseOptions) -> Linted {
    let text: Rc<str> = match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(e) => return not_utf8(file, bytes, e.valid_up_to()),
    };
    let place = Placer {
        file: file.into(),
        text: &text,
        index: LineIndex::new(&text),
    };
    let parsed = match ruff_python_parser::parse_module(&text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let at = usize::from(e.location.start())..usize::from(e.location.end());
            let message = format!("the python file does not parse: {}", e.error);
            let note = place.note(PYTHON_SYNTAX, Severity::Error, message, at, "here");
            return Linted {
                statements: 0,
                findings: vec![note],
            };
        }
    };
    let module = extract::module(&parsed.syntax().body, &text);
    let mut linted = check_module(&module, options, &place);
    linted.findings.sort_by_key(|f| (f.start, f.end));
    linted
}

fn check_module(module: &Module, options: &ParseOptions, place: &Placer) -> Linted {
    let (defs, mut findings) = definitions(module, options, place);
    let mut statements = 0;
    for condition in &module.conditions {
        match condition {
            Condition::Statement { text, range } => {
                statements += 1;
                let diagnostics = check::statement(text.text(), &defs);
                findings.extend(
                    diagnostics
                        .into_iter()
                        .map(|d| place.statement(d, text, range)),
                );
            }
            Condition::Skipped { range, reason } => {
                let message = format!("condition not checked: {reason}");
                let note = place.note(
                    SKIPPED,
                    Severity::Note,
                    message,
                    range.clone(),
                    "built at run time",
                );
                findings.push(note.with_help(
                    "tminus checks string literals and module-level string or integer constants",
                ));
            }
        }
    }
    Linted {
        statements,
        findings,
    }
}

/// The file's definitions, and a note for each pattern that cannot be read.
fn definitions<'m>(
    module: &'m Module,
    options: &ParseOptions,
    place: &Placer,
) -> (check::Definitions<'m>, Vec<Placed>) {
    let mut notes = Vec::new();
    let mut patterns = Vec::new();
    for p in &module.patterns {
        match regex::Regex::new(&format!("^(?:{})$", p.regex)) {
            Ok(r) => patterns.push(r),
            Err(_) => notes.push(place.note(
                SKIPPED,
                Severity::Note,
                "pattern not checked: tminus cannot read this regular expression",
                p.range.clone(),
                "phrases it matches may be reported as undefined",
            )),
        }
    }
    let phrases_complete = !module.has_unknown_phrases && notes.is_empty();
    let options = module
        .phrases
        .iter()
        .fold(options.clone(), |o, p| o.register(p.as_str()));
    let defs = check::Definitions {
        options,
        phrases: &module.phrases,
        phrases_complete,
        patterns,
        tasks: (!module.tasks.is_empty()).then_some(&module.tasks),
        tasks_complete: !module.has_unnamed_tasks,
        scope: check::Scope::File,
        task_prefixes: &module.task_prefixes,
    };
    (defs, notes)
}

fn not_utf8(file: &str, bytes: &[u8], at: usize) -> Linted {
    let text: Rc<str> = String::from_utf8_lossy(bytes).into();
    let place = Placer {
        file: file.into(),
        text: &text,
        index: LineIndex::new(&text),
    };
    // The lossy text has a replacement character where the bad byte was: find its offset.
    let at = String::from_utf8_lossy(&bytes[..at]).len();
    let bad = at..at + char::REPLACEMENT_CHARACTER.len_utf8();
    let note = place
        .note(
            codes::INVALID_UTF8,
            Severity::Error,
            "the python file is not valid UTF-8",
            bad,
            "here",
        )
        .with_help("save the file as UTF-8");
    Linted {
        statements: 0,
        findings: vec![note],
    }
}

/// Places diagnostics in one file.
struct Placer<'t> {
    file: Rc<str>,
    text: &'t Rc<str>,
    index: LineIndex<'t>,
}

impl Placer<'_> {
    /// A diagnostic about `statement`, written as the expression at `expr` in the file.
    fn statement(&self, diagnostic: Diagnostic, statement: &Traced, expr: &Range<usize>) -> Placed {
        let mut labels: Vec<Label> = diagnostic
            .labels
            .iter()
            .map(|l| {
                let r = if statement.text().is_empty() {
                    expr.clone()
                } else {
                    statement.file_range(l.start, l.end)
                };
                Label {
                    start: r.start,
                    end: r.end,
                    message: l.message.clone(),
                }
            })
            .collect();
        if labels.is_empty() {
            labels.push(Label {
                start: expr.start,
                end: expr.end,
                message: String::new(),
            });
        }
        let primary = diagnostic.span().and_then(|s| statement.origin(s.start));
        if let Some(used) = primary.and_then(|o| o.via.as_ref()) {
            let message = format!("`{}` is used here", used.name);
            labels.push(Label {
                start: used.range.start,
                end: used.range.end,
                message,
            });
        }
        self.finding(diagnostic, Some(statement.text().to_owned()), labels)
    }

    /// A finding about the file itself rather than a statement.
    fn note(
        &self,
        code: &str,
        severity: Severity,
        message: impl Into<String>,
        at: Range<usize>,
        label: &str,
    ) -> Placed {
        let mut diagnostic =
            Diagnostic::new(code, severity, message, Span::new(at.start, at.end), label);
        let labels = std::mem::take(&mut diagnostic.labels);
        self.finding(diagnostic, None, labels)
    }

    fn finding(
        &self,
        diagnostic: Diagnostic,
        statement: Option<String>,
        labels: Vec<Label>,
    ) -> Placed {
        let (start, end) = labels.first().map_or((0, 0), |l| (l.start, l.end));
        Placed {
            file: self.file.clone(),
            text: self.text.clone(),
            diagnostic,
            statement,
            labels,
            start: self.index.position(start),
            end: self.index.position(end),
        }
    }
}
