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
mod tree;

use crate::diag::codes;
use crate::lint::placed::{LineIndex, Placed, Related};
use crate::{Diagnostic, Label, ParseOptions, Severity, Span};
use extract::{Condition, Module};
use std::collections::BTreeSet;
use std::ops::Range;
use std::rc::Rc;
use trace::{Traced, Use};

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

/// Lints the Python files `files` (name and contents) as one program: constants imported
/// from one into another are resolved, tasks and custom conditions defined in any of them
/// count in all. Only files that import `rocketry` (or a linted module that does) are
/// checked for conditions. One [`Linted`] per file, in the order given.
pub fn lint_tree(files: &[(&str, &[u8])], options: &ParseOptions) -> Vec<Linted> {
    let mut out: Vec<Linted> = files.iter().map(|_| Linted::default()).collect();
    let mut parsed = Vec::new();
    for (i, (file, bytes)) in files.iter().enumerate() {
        match parse(file, bytes) {
            Ok((text, module)) => parsed.push((i, Rc::<str>::from(*file), text, module)),
            Err(linted) => out[i] = linted,
        }
    }
    let tree = tree::Tree::new(parsed.iter().map(|(_, f, _, _)| &**f));
    let sources: Vec<extract::Source> = parsed
        .iter()
        .map(|(_, file, text, module)| extract::Source {
            file: file.clone(),
            text,
            body: &module.syntax().body,
        })
        .collect();
    let modules = extract::modules(&sources, &|i, m, level| tree.find(i, m, level));
    let rocketry = rocketry_modules(&modules);
    let places: Vec<Placer> = parsed
        .iter()
        .map(|(_, file, text, _)| Placer {
            file: file.clone(),
            text,
            index: LineIndex::new(text),
        })
        .collect();
    let program = Program::of(&modules, &rocketry);
    for (k, (i, ..)) in parsed.iter().enumerate() {
        if !rocketry[k] {
            continue;
        }
        let (defs, notes) = definitions(&program, &modules[k], options, &places[k]);
        let mut linted = check_module(&modules[k], &defs, &places[k], &places);
        linted.findings.extend(notes);
        linted.findings.sort_by_key(|f| (f.start, f.end));
        out[*i] = linted;
    }
    out
}

/// The file's text and Python syntax tree, or what to report when it has none.
fn parse(
    file: &str,
    bytes: &[u8],
) -> Result<
    (
        Rc<str>,
        ruff_python_parser::Parsed<ruff_python_ast::ModModule>,
    ),
    Linted,
> {
    let text: Rc<str> = match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(e) => return Err(not_utf8(file, bytes, e.valid_up_to())),
    };
    match ruff_python_parser::parse_module(&text) {
        Ok(parsed) => Ok((text, parsed)),
        Err(e) => {
            let place = Placer {
                file: file.into(),
                text: &text,
                index: LineIndex::new(&text),
            };
            let at = usize::from(e.location.start())..usize::from(e.location.end());
            let message = format!("the python file does not parse: {}", e.error);
            let note = place.note(PYTHON_SYNTAX, Severity::Error, message, at, "here");
            Err(Linted {
                statements: 0,
                findings: vec![note],
            })
        }
    }
}

/// Which modules are Rocketry's: those that import `rocketry`, and those that import a
/// linted module that is (`from app import app`).
fn rocketry_modules(modules: &[Module]) -> Vec<bool> {
    let mut rocketry: Vec<bool> = modules.iter().map(|m| m.imports_rocketry).collect();
    loop {
        let mut changed = false;
        for (i, m) in modules.iter().enumerate() {
            if !rocketry[i] && m.imported.iter().any(|&j| rocketry[j]) {
                rocketry[i] = true;
                changed = true;
            }
        }
        if !changed {
            return rocketry;
        }
    }
}

/// What the Rocketry modules of a lint run define together: Rocketry keeps one registry
/// of custom conditions and one of tasks for the whole program.
#[derive(Debug, Default)]
struct Program {
    phrases: BTreeSet<String>,
    tasks: BTreeSet<String>,
    task_prefixes: BTreeSet<String>,
    task_patterns: Vec<String>,
    patterns: Vec<extract::Pattern>,
    has_unknown_phrases: bool,
    has_unnamed_tasks: bool,
}

impl Program {
    fn of(modules: &[Module], rocketry: &[bool]) -> Program {
        let mut program = Program::default();
        for (m, _) in modules.iter().zip(rocketry).filter(|(_, r)| **r) {
            program.phrases.extend(m.phrases.iter().cloned());
            program.tasks.extend(m.tasks.iter().cloned());
            program
                .task_prefixes
                .extend(m.task_prefixes.iter().cloned());
            program
                .task_patterns
                .extend(m.task_patterns.iter().cloned());
            program.patterns.extend(m.patterns.iter().cloned());
            program.has_unknown_phrases |= m.has_unknown_phrases || m.misses_relative;
            program.has_unnamed_tasks |= m.has_unnamed_tasks || m.misses_relative;
        }
        program
    }
}

fn check_module(
    module: &Module,
    defs: &check::Definitions,
    place: &Placer,
    places: &[Placer],
) -> Linted {
    let mut findings = Vec::new();
    let mut statements = 0;
    for condition in &module.conditions {
        match condition {
            Condition::Statement { text, range } => {
                statements += 1;
                let diagnostics = check::statement(text.text(), defs);
                findings.extend(
                    diagnostics
                        .into_iter()
                        .map(|d| place.statement(d, text, range, places)),
                );
            }
            Condition::Skipped { range, reason } => {
                let message = format!("condition not checked: {reason}");
                let note = place.note(
                    SKIPPED,
                    Severity::Note,
                    message,
                    range.clone(),
                    "not checked",
                );
                findings.push(note.with_help(
                    "tminus checks strings, `rocketry.conds` conditions with literal arguments, and constants of the linted files",
                ));
            }
        }
    }
    Linted {
        statements,
        findings,
    }
}

/// The program's definitions for checking one module, and a note for each of the
/// module's patterns that cannot be read.
fn definitions<'p>(
    program: &'p Program,
    module: &Module,
    options: &ParseOptions,
    place: &Placer,
) -> (check::Definitions<'p>, Vec<Placed>) {
    let mut notes = Vec::new();
    let mut patterns = Vec::new();
    let mut unreadable = false;
    for p in &program.patterns {
        match regex::Regex::new(&format!("^(?:{})$", p.regex)) {
            Ok(r) => patterns.push(r),
            Err(_) => unreadable = true,
        }
    }
    for p in &module.patterns {
        if regex::Regex::new(&format!("^(?:{})$", p.regex)).is_err() {
            notes.push(place.note(
                SKIPPED,
                Severity::Note,
                "pattern not checked: tminus cannot read this regular expression",
                p.range.clone(),
                "phrases it matches may be reported as undefined",
            ));
        }
    }
    let task_patterns = program
        .task_patterns
        .iter()
        .filter_map(|p| regex::Regex::new(&format!("^(?:{p})$")).ok())
        .collect();
    let phrases_complete = !program.has_unknown_phrases && !unreadable;
    let options = program
        .phrases
        .iter()
        .fold(options.clone(), |o, p| o.register(p.as_str()));
    let defs = check::Definitions {
        options,
        phrases: &program.phrases,
        phrases_complete,
        patterns,
        tasks: (!program.tasks.is_empty()).then_some(&program.tasks),
        tasks_complete: !program.has_unnamed_tasks,
        scope: check::Scope::File,
        task_prefixes: &program.task_prefixes,
        task_patterns,
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

/// A constant's definition a finding is about: its file (`None`: the linted one), the
/// bytes the finding covers there, and the use that brought it in.
type Definition = (Option<Rc<str>>, Range<usize>, Rc<Use>);

/// Places diagnostics in one file.
struct Placer<'t> {
    file: Rc<str>,
    text: &'t Rc<str>,
    index: LineIndex<'t>,
}

impl Placer<'_> {
    /// A diagnostic about `statement`, written as the expression at `expr` in the file.
    ///
    /// A label on bytes that came from a constant is placed where the constant is used
    /// (that is the line a change touches), and the constant's definition becomes a
    /// related location, in whichever linted file it is.
    fn statement(
        &self,
        diagnostic: Diagnostic,
        statement: &Traced,
        expr: &Range<usize>,
        places: &[Placer],
    ) -> Placed {
        // One related location per constant used: two labels inside one definition
        // (both sides of a never-true proof) widen it, and meet again at the use.
        let mut definitions: Vec<Definition> = Vec::new();
        let mut labels: Vec<Label> = Vec::new();
        for l in &diagnostic.labels {
            let mut r = if statement.text().is_empty() {
                expr.clone()
            } else {
                statement.file_range(l.start, l.end)
            };
            if let Some(origin) = statement.origin(l.start) {
                if let Some(used) = &origin.via {
                    let file = origin.file.clone();
                    match definitions
                        .iter_mut()
                        .find(|(f, _, u)| *f == file && u == used)
                    {
                        Some((_, at, _)) => *at = at.start.min(r.start)..at.end.max(r.end),
                        None => definitions.push((file, r, used.clone())),
                    }
                    r = used.range.clone();
                }
            }
            if labels.iter().any(|x| x.start == r.start && x.end == r.end) {
                continue;
            }
            labels.push(Label {
                start: r.start,
                end: r.end,
                message: l.message.clone(),
            });
        }
        if labels.is_empty() {
            labels.push(Label {
                start: expr.start,
                end: expr.end,
                message: String::new(),
            });
        }
        let mut finding = self.finding(diagnostic, Some(statement.text().to_owned()), labels);
        finding.related = definitions
            .into_iter()
            .map(|(file, at, used)| self.related(file.as_ref(), at, &used, places))
            .collect();
        finding
    }

    /// The definition of the constant `used`: bytes `range` of `file` (this file when
    /// `None`).
    fn related(
        &self,
        file: Option<&Rc<str>>,
        range: Range<usize>,
        used: &Use,
        places: &[Placer],
    ) -> Related {
        let place = file
            .and_then(|f| places.iter().find(|p| p.file == *f))
            .unwrap_or(self);
        Related {
            file: place.file.clone(),
            start: place.index.position(range.start),
            end: place.index.position(range.end),
            range,
            message: format!(
                "`{}` is defined here; a fix here changes every use of it",
                used.name
            ),
        }
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
            related: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(line, column, code)` of each finding in `file`, and the related places of each as
    /// `(file, line)`.
    type Seen = Vec<((usize, usize, String), Vec<(String, usize)>)>;

    fn lint(files: &[(&str, &str)], file: &str) -> Seen {
        let bytes: Vec<(&str, &[u8])> = files.iter().map(|(f, t)| (*f, t.as_bytes())).collect();
        let at = files
            .iter()
            .position(|(f, _)| *f == file)
            .expect("the file");
        let linted = lint_tree(&bytes, &ParseOptions::new());
        linted[at]
            .findings
            .iter()
            .map(|p| {
                let related = p.related.iter().map(|r| (r.file.to_string(), r.start.line));
                (
                    (p.start.line, p.start.column, p.diagnostic.code.clone()),
                    related.collect(),
                )
            })
            .collect()
    }

    fn found(line: usize, column: usize, code: &str, related: &[(&str, usize)]) -> Seen {
        let related = related.iter().map(|(f, l)| (f.to_string(), *l)).collect();
        vec![((line, column, format!("tminus::{code}")), related)]
    }

    const SCHEDULES: &str = "from rocketry.conds import daily, every\nNIGHTLY = daily.between(\"22:00\", \"25:00\")\nGOOD = \"daily\"\n";
    const WINDOWS: &str = "from rocketry.conds import cron\nHOURLY = cron(\"61 * * * *\")\n";

    fn tree(main: &str) -> Vec<(&str, &str)> {
        vec![
            ("app/main.py", main),
            ("app/schedules.py", SCHEDULES),
            ("app/pkg/__init__.py", ""),
            ("app/pkg/windows.py", WINDOWS),
        ]
    }

    fn at_use(main: &str) -> Seen {
        lint(&tree(main), "app/main.py")
    }

    const HEAD: &str = "from rocketry import Rocketry\napp = Rocketry()\n";

    #[test]
    fn a_constant_of_an_imported_module_is_checked_where_its_attribute_is_used() {
        let main =
            format!("{HEAD}import schedules\n\n@app.task(schedules.NIGHTLY)\ndef a(): ...\n");
        assert_eq!(
            at_use(&main),
            found(5, 11, "bad-time", &[("app/schedules.py", 2)])
        );
        let main =
            format!("{HEAD}import schedules as s\n\n@app.task(s.GOOD & s.NIGHTLY)\ndef a(): ...\n");
        assert_eq!(
            at_use(&main),
            found(5, 20, "bad-time", &[("app/schedules.py", 2)])
        );
        let main =
            format!("{HEAD}from . import schedules\n\n@app.task(schedules.GOOD)\ndef a(): ...\n");
        assert_eq!(at_use(&main), []);
    }

    #[test]
    fn modules_of_a_package_are_reached_through_attributes() {
        let related = [("app/pkg/windows.py", 2)];
        let main =
            format!("{HEAD}import pkg.windows\n\n@app.task(pkg.windows.HOURLY)\ndef a(): ...\n");
        assert_eq!(at_use(&main), found(5, 11, "cron-out-of-range", &related));
        let main =
            format!("{HEAD}from pkg import windows\n\n@app.task(windows.HOURLY)\ndef a(): ...\n");
        assert_eq!(at_use(&main), found(5, 11, "cron-out-of-range", &related));
        let main = format!("{HEAD}import pkg\n\n@app.task(pkg.windows.HOURLY)\ndef a(): ...\n");
        assert_eq!(at_use(&main), found(5, 11, "cron-out-of-range", &related));
    }

    #[test]
    fn rocketry_names_of_an_imported_module_are_the_api() {
        let main = format!(
            "{HEAD}import schedules\n\n@app.task(schedules.daily.after(\"25:00\"))\ndef a(): ...\n"
        );
        assert_eq!(at_use(&main), found(5, 34, "bad-time", &[]));
    }

    #[test]
    fn attribute_chains_that_cannot_be_resolved_are_noted_with_the_reason() {
        let reasons = |main: &str| -> Vec<String> {
            let files = tree(main);
            let bytes: Vec<(&str, &[u8])> = files.iter().map(|(f, t)| (*f, t.as_bytes())).collect();
            lint_tree(&bytes, &ParseOptions::new())[0]
                .findings
                .iter()
                .map(|p| format!("{}: {}", p.diagnostic.code, p.diagnostic.message))
                .collect()
        };
        let main = format!("{HEAD}import schedules\n\n@app.task(schedules.NOPE)\ndef a(): ...\n");
        assert_eq!(
            reasons(&main),
            ["tminus::skipped: condition not checked: `schedules` has no module-level `NOPE`"]
        );
        let main = format!("{HEAD}import settings\n\n@app.task(settings.WINDOW)\ndef a(): ...\n");
        assert_eq!(
            reasons(&main),
            ["tminus::skipped: condition not checked: `settings.WINDOW` is imported from `settings`, which is not among the linted files"]
        );
        let deep = format!("schedules{}", ".x".repeat(40));
        let main = format!("{HEAD}import schedules\n\n@app.task({deep})\ndef a(): ...\n");
        assert_eq!(
            reasons(&main),
            [format!("tminus::skipped: condition not checked: `{deep}` is not a string, a `rocketry.conds` condition or a constant of the linted files")]
        );
        let main = format!("{HEAD}import schedules\n\n@app.task(schedules.every)\ndef a(): ...\n");
        assert_eq!(
            reasons(&main),
            ["tminus::skipped: condition not checked: `schedules.every` is not called"]
        );
    }

    #[test]
    fn constants_of_modules_that_import_each_other_are_noted_not_followed_forever() {
        let files = [
            (
                "a.py",
                "import rocketry\nimport b\nX = b.Y\n@app.task(X)\ndef t(): ...\n",
            ),
            ("b.py", "import a\nY = a.X\n"),
        ];
        let bytes: Vec<(&str, &[u8])> = files.iter().map(|(f, t)| (*f, t.as_bytes())).collect();
        let linted = lint_tree(&bytes, &ParseOptions::new());
        let messages: Vec<&str> = linted[0]
            .findings
            .iter()
            .map(|p| p.diagnostic.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["condition not checked: `X` is not a plain constant: `b.Y` is not a plain constant: `a` is imported in a circle"]
        );
    }

    #[test]
    fn a_proof_inside_one_constant_has_one_label_and_one_related_location() {
        let main = format!("{HEAD}from schedules import NEVER\n\n@app.task(NEVER)\ndef a(): ...\n");
        let files = [
            ("main.py", main.as_str()),
            ("schedules.py", "from rocketry.conds import cron, time_of_week\nNEVER = cron(\"0 0 * * 1\") & time_of_week.on(\"Tue\")\n"),
        ];
        let bytes: Vec<(&str, &[u8])> = files.iter().map(|(f, t)| (*f, t.as_bytes())).collect();
        let linted = lint_tree(&bytes, &ParseOptions::new());
        let [finding] = &linted[0].findings[..] else {
            panic!("one finding: {:#?}", linted[0].findings);
        };
        assert_eq!(finding.diagnostic.code, "tminus::never-true");
        assert_eq!(finding.labels.len(), 1, "{:?}", finding.labels);
        let [related] = &finding.related[..] else {
            panic!("one related location: {:#?}", finding.related);
        };
        assert_eq!(
            &files[1].1[related.range.clone()],
            "cron(\"0 0 * * 1\") & time_of_week.on(\"Tue"
        );
    }

    #[test]
    fn a_value_computed_at_run_time_is_noted_as_such() {
        let main = format!("{HEAD}import os\nfrom rocketry.conds import every\nimport schedules\nPOLL = os.environ.get(\"POLL\", \"5 minutes\")\n\n@app.task(every(POLL))\ndef a(): ...\n\n@app.task(schedules.COND)\ndef b(): ...\n");
        let files = [
            ("main.py", main.as_str()),
            (
                "schedules.py",
                "import json\nCOND = json.load(open(\"conds.json\"))[\"b\"]\n",
            ),
        ];
        let bytes: Vec<(&str, &[u8])> = files.iter().map(|(f, t)| (*f, t.as_bytes())).collect();
        let messages: Vec<String> = lint_tree(&bytes, &ParseOptions::new())[0]
            .findings
            .iter()
            .map(|p| p.diagnostic.message.clone())
            .collect();
        assert_eq!(
            messages,
            [
                "condition not checked: `POLL` is computed when the module runs, by `os.environ.get(...)`",
                "condition not checked: `schedules.COND` is computed when the module runs, by `json.load(open(\"conds.json\"))[\"b\"]`",
            ]
        );
    }

    #[test]
    fn a_custom_condition_of_another_module_is_its_phrase_through_the_module() {
        let main = format!("{HEAD}from rocketry.conds import daily\nimport conds\n\n@app.task(daily & conds.is_holiday)\ndef a(): ...\n\n@app.task(daily & ~conds.is_holliday)\ndef b(): ...\n");
        let files = [
            ("main.py", main.as_str()),
            ("conds.py", "import rocketry\napp = rocketry.Rocketry()\n\n@app.cond(\"is holiday\")\ndef is_holiday():\n    return False\n"),
        ];
        let bytes: Vec<(&str, &[u8])> = files.iter().map(|(f, t)| (*f, t.as_bytes())).collect();
        let linted = lint_tree(&bytes, &ParseOptions::new());
        let found: Vec<(usize, &str, &str)> = linted[0]
            .findings
            .iter()
            .map(|p| {
                (
                    p.start.line,
                    p.diagnostic.code.as_str(),
                    p.diagnostic.message.as_str(),
                )
            })
            .collect();
        assert_eq!(linted[0].statements, 2, "the second `daily` alone");
        assert_eq!(
            found,
            [(
                9,
                "tminus::skipped",
                "condition not checked: `conds` has no module-level `is_holliday`"
            )]
        );
    }
}
