//! Checks one statement of a Python file against what that file defines.
//!
//! Rocketry looks custom conditions up in a registry filled by `@app.cond(...)` anywhere
//! in the program, and tasks by name in the whole session. One file cannot see the rest of
//! the program, so a phrase or a task name the file does not define is a warning
//! (`tminus::unknown-condition`, `tminus::unknown-task`), with a did-you-mean among the
//! file's own definitions, not an error. The optimizer's warnings (never-true clauses and
//! the like) apply as everywhere.

use crate::diag::codes;
use crate::diag::suggest::{closest, words, WordClass};
use crate::{Cond, CondKind, Diagnostic, ParseOptions, Severity, Span, Statement};
use regex::Regex;
use std::collections::BTreeSet;

/// Stable code: a task name that the file does not define.
pub const UNKNOWN_TASK: &str = codes::UNKNOWN_TASK;
/// Stable code: a custom condition that the file does not define.
pub const UNKNOWN_CONDITION: &str = codes::UNKNOWN_CONDITION;

/// Parsing an unknown phrase fails; registering it and parsing again finds the errors
/// behind it. Lowering reports every unknown phrase of a statement at once, so the second
/// round is the last in practice; the bound only guards against a loop.
const ROUNDS: usize = 4;

/// What the file defines, for checking its statements.
#[derive(Debug)]
pub struct Definitions<'m> {
    /// Options with `--cond` and the file's own phrases registered.
    pub options: ParseOptions,
    /// The file's phrases (for did-you-mean).
    pub phrases: &'m BTreeSet<String>,
    /// Whether every phrase and pattern of the file is known. When one is computed at run
    /// time (or is a pattern tminus cannot read), only phrases close to a known one are
    /// reported.
    pub phrases_complete: bool,
    /// The file's patterns, anchored at both ends as Rocketry's `fullmatch`.
    pub patterns: Vec<Regex>,
    /// The file's task names; `None` when the file defines no task (it is not where the
    /// app lives), and then task names are not checked.
    pub tasks: Option<&'m BTreeSet<String>>,
    /// Prefixes of the file's task groups, which may stand in front of a task name.
    pub task_prefixes: &'m BTreeSet<String>,
    /// Task names computed at run time from f-strings (`f"sync-{region}"`), anchored.
    pub task_patterns: Vec<Regex>,
    /// Whether every task of the file has a known name. When some name is computed at run
    /// time (`name=f"sync-{region}"`), only names close to a known one are reported: those
    /// are typos, the others may be the computed ones.
    pub tasks_complete: bool,
    /// What the definitions are those of, for the messages.
    pub scope: Scope,
}

/// Where the definitions a statement is checked against come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The Python files of a lint run (`tminus lint src/`): modules not linted may define
    /// more.
    File,
    /// A whole program whose tasks and conditions are all known (a live Rocketry app).
    App,
}

impl Scope {
    /// `the linted files` or `this app`.
    fn noun(self) -> &'static str {
        match self {
            Scope::File => "the linted files",
            Scope::App => "this app",
        }
    }
}

/// Every diagnostic of `text` in the file's context: its errors, or its warnings and
/// cross-checks.
pub fn statement(text: &str, defs: &Definitions) -> Vec<Diagnostic> {
    let mut options = defs.options.clone();
    let mut undefined = Vec::new();
    for _ in 0..ROUNDS {
        let errors = match crate::check(text.as_bytes(), &options) {
            (Some(s), warnings) => return with_warnings(&s, warnings, text, defs, undefined),
            (None, errors) => errors,
        };
        let custom: Vec<Span> = errors.iter().filter_map(|e| custom_span(e, text)).collect();
        if custom.is_empty() {
            undefined.extend(errors);
            return sorted(undefined);
        }
        for span in custom {
            let phrase = &text[span.start..span.end];
            let near = closest(phrase, defs.phrases.iter().map(String::as_str));
            let matched = defs.patterns.iter().any(|p| p.is_match(phrase));
            if !matched && (defs.phrases_complete || near.is_some()) {
                undefined.push(unknown_condition(span, phrase, near, defs.scope));
            }
            options = options.register(phrase);
        }
    }
    sorted(undefined)
}

fn with_warnings(
    s: &Statement,
    warnings: Vec<Diagnostic>,
    text: &str,
    defs: &Definitions,
    mut out: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    out.extend(warnings);
    if let Some(tasks) = defs.tasks {
        out.extend(unknown_tasks(s.cond(), text, defs, tasks));
    }
    sorted(out)
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by_key(|d| d.span().map_or(0, |s| s.start));
    diagnostics
}

/// An unknown phrase that is a custom condition rather than a misspelled keyword
/// (`dialy` is a typo of `daily`; `is holiday` is a condition defined somewhere).
fn custom_span(d: &Diagnostic, text: &str) -> Option<Span> {
    let span = d.span().filter(|_| d.code == codes::UNKNOWN_PHRASE)?;
    let phrase = text.get(span.start..span.end)?;
    let first = phrase
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    closest(first, words(WordClass::Start))
        .is_none()
        .then_some(span)
}

fn unknown_condition(span: Span, phrase: &str, near: Option<&str>, scope: Scope) -> Diagnostic {
    let message = format!("condition `{phrase}` is not defined in {}", scope.noun());
    let help = match (near, scope) {
        (Some(near), _) => format!("did you mean `{near}`?"),
        (None, Scope::File) => format!(
            "define it with `@app.cond(\"{phrase}\")`, or ignore this if a module not linted does"
        ),
        (None, Scope::App) => format!("define it with `@app.cond(\"{phrase}\")`"),
    };
    Diagnostic::new(
        UNKNOWN_CONDITION,
        Severity::Warning,
        message,
        span,
        "no `@app.cond` here defines it",
    )
    .with_help(help)
}

/// A warning for each task name in `cond` that `tasks` does not hold (when the file's
/// task names are not all known, only for names close to one it holds).
fn unknown_tasks(
    cond: &Cond,
    text: &str,
    defs: &Definitions,
    tasks: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let task = match cond.kind() {
        CondKind::Status(s) => s.task.as_deref(),
        CondKind::Depend(d) => Some(d.task.as_str()),
        CondKind::Running(t) => Some(t.as_str()),
        _ => None,
    };
    let defined = |n: &&str| {
        is_defined(n, tasks, defs.task_prefixes) || defs.task_patterns.iter().any(|p| p.is_match(n))
    };
    if let Some(name) = task.filter(|n| !defined(n)) {
        let near = closest(name, tasks.iter().map(String::as_str));
        if defs.tasks_complete || near.is_some() {
            out.push(unknown_task(
                name,
                name_span(name, cond.span(), text),
                near,
                defs.scope,
            ));
        }
    }
    for child in cond.children() {
        out.extend(unknown_tasks(child, text, defs, tasks));
    }
    out
}

/// Whether `name` is a task of the file, also when one side is written `module:function`
/// (Rocketry's default name for a function task outside `__main__`) or `name` has a task
/// group's prefix.
fn is_defined(name: &str, tasks: &BTreeSet<String>, prefixes: &BTreeSet<String>) -> bool {
    let short = |n: &str| n.rsplit(':').next().unwrap_or(n).to_owned();
    let unprefixed = prefixes
        .iter()
        .filter_map(|p| name.strip_prefix(p.as_str()));
    std::iter::once(name)
        .chain(unprefixed)
        .any(|n| tasks.contains(n) || tasks.iter().any(|t| short(t) == short(n)))
}

/// The span of the quoted `name` inside the phrase at `phrase` (the phrase itself if the
/// name cannot be found).
fn name_span(name: &str, phrase: Span, text: &str) -> Span {
    let written = &text[phrase.start..phrase.end];
    ["'", "\""]
        .iter()
        .find_map(|q| written.find(&format!("{q}{name}{q}")))
        .map_or(phrase, |at| Span::at(phrase.start + at + 1, name.len()))
}

fn unknown_task(name: &str, span: Span, near: Option<&str>, scope: Scope) -> Diagnostic {
    let message = format!("task `{name}` is not defined in {}", scope.noun());
    let help = match (near, scope) {
        (Some(near), _) => format!("did you mean `{near}`?"),
        (None, Scope::File) => "name a task of the linted files (`@app.task` or `name=`), or ignore this if a module not linted defines it".into(),
        (None, Scope::App) => "name one of the app's tasks".into(),
    };
    Diagnostic::new(
        UNKNOWN_TASK,
        Severity::Warning,
        message,
        span,
        "no task of this name here",
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, phrases: &[&str], tasks: &[&str]) -> Vec<(String, String)> {
        let phrases: BTreeSet<String> = phrases.iter().map(|p| p.to_string()).collect();
        let tasks: BTreeSet<String> = tasks.iter().map(|t| t.to_string()).collect();
        let options = phrases
            .iter()
            .fold(ParseOptions::new(), |o, p| o.register(p.as_str()));
        let defs = Definitions {
            options,
            phrases: &phrases,
            phrases_complete: true,
            patterns: Vec::new(),
            tasks: Some(&tasks),
            tasks_complete: true,
            scope: Scope::File,
            task_prefixes: &BTreeSet::new(),
            task_patterns: Vec::new(),
        };
        statement(text, &defs)
            .into_iter()
            .map(|d| {
                let s = d.span().unwrap_or(Span::new(0, 0));
                (d.code, text[s.start..s.end].to_owned())
            })
            .collect()
    }

    #[test]
    fn defined_names_pass() {
        assert_eq!(
            check("daily & after task 'a' & is ready", &["is ready"], &["a"]),
            []
        );
    }

    #[test]
    fn an_unknown_task_points_at_its_name() {
        let found = check("daily & after task 'extarct'", &[], &["extract"]);
        assert_eq!(found, [(UNKNOWN_TASK.to_owned(), "extarct".to_owned())]);
    }

    #[test]
    fn an_undefined_condition_is_a_warning_and_the_rest_is_still_checked() {
        let found = check("is holliday & every 10 minuts", &["is holiday"], &[]);
        assert_eq!(
            found,
            [
                (UNKNOWN_CONDITION.to_owned(), "is holliday".to_owned()),
                ("tminus::unknown-unit".to_owned(), "minuts".to_owned()),
            ]
        );
    }

    #[test]
    fn a_group_prefix_and_a_module_name_still_name_the_task() {
        let tasks: BTreeSet<String> = ["jobs:extract".to_owned()].into();
        let prefixes: BTreeSet<String> = ["etl.".to_owned()].into();
        let defs = Definitions {
            options: ParseOptions::new(),
            phrases: &BTreeSet::new(),
            phrases_complete: true,
            patterns: Vec::new(),
            tasks: Some(&tasks),
            tasks_complete: true,
            scope: Scope::File,
            task_prefixes: &prefixes,
            task_patterns: Vec::new(),
        };
        assert_eq!(
            statement("after task 'etl.extract' & after task 'extract'", &defs),
            []
        );
    }

    #[test]
    fn a_misspelled_keyword_stays_an_error() {
        let found = check("dialy", &[], &[]);
        assert_eq!(
            found,
            [("tminus::unknown-phrase".to_owned(), "dialy".to_owned())]
        );
    }
}
