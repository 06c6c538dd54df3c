//! Optimizer findings as warnings: each with a stable code and the spans of the clauses
//! involved. `tminus lint` shows them after the parser's own diagnostics.

use super::{analyze, Finding, FindingKind};
use crate::diag::{codes, Diagnostic, Label, Severity};
use crate::ir::{Cond, CondKind};
use crate::Statement;

impl FindingKind {
    /// The stable code, e.g. `tminus::never-true`.
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::NeverTrue => codes::NEVER_TRUE,
            FindingKind::NeverTrueClause => codes::NEVER_TRUE_CLAUSE,
            FindingKind::AlwaysTrue => codes::ALWAYS_TRUE,
            FindingKind::Redundant => codes::REDUNDANT_CLAUSE,
            FindingKind::EmptyBetween => codes::EMPTY_BETWEEN,
            FindingKind::CronNever => codes::CRON_NEVER,
        }
    }

    fn message(self) -> &'static str {
        match self {
            FindingKind::NeverTrue => "this statement is never true",
            FindingKind::NeverTrueClause => "this alternative is never true",
            FindingKind::AlwaysTrue => "this statement is always true",
            FindingKind::Redundant => "this clause is redundant",
            FindingKind::EmptyBetween => {
                "`between` with the same start and end covers the whole cycle"
            }
            FindingKind::CronNever => "this cron expression never fires",
        }
    }

    fn help(self) -> &'static str {
        match self {
            FindingKind::NeverTrue | FindingKind::NeverTrueClause => {
                "check the time conditions: they exclude each other"
            }
            FindingKind::AlwaysTrue => {
                "a time condition was probably meant to restrict it; if not, write `true`"
            }
            FindingKind::Redundant => "remove it; the statement means the same without it",
            FindingKind::EmptyBetween => {
                "write the end you meant, or drop the range if the whole cycle was meant"
            }
            FindingKind::CronNever => "check the day of month against the months",
        }
    }
}

/// The warnings of a parsed statement: the parser's own, then the optimizer's.
///
/// ```
/// let s = tminus::Statement::parse("time of day before 10:00 & time of day after 11:00")?;
/// let warnings = tminus::opt::lint(&s);
/// assert_eq!(warnings[0].code, "tminus::never-true");
/// assert_eq!(warnings[0].severity, tminus::Severity::Error); // the whole statement
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lint(statement: &Statement) -> Vec<Diagnostic> {
    let mut out = statement.warnings().to_vec();
    let mut seen = Vec::new();
    let analysis = analyze(statement.cond());
    // A statement that can never be true is always a mistake (a task that never starts); a
    // clause of `|` that never is may be a leftover, and stays a warning.
    let never = analysis.cond.as_const() == Some(false) && statement.cond().as_const().is_none();
    for f in analysis.findings {
        if seen.contains(&(f.kind, f.spans.clone())) {
            continue;
        }
        seen.push((f.kind, f.spans.clone()));
        let mut d = diagnostic(&f);
        if never && matches!(f.kind, FindingKind::NeverTrue | FindingKind::CronNever) {
            d.severity = Severity::Error;
        }
        out.push(d);
    }
    out.extend(folded(statement));
    out
}

/// A statement whose constants fold it to `true` or `false` (`~true & daily`): the parser's
/// smart constructors leave a constant, which is literal only when written alone.
fn folded(statement: &Statement) -> Option<Diagnostic> {
    let value = statement.cond().as_const()?;
    let source = statement.source();
    if !source.contains(['~', '&', '|']) {
        return None;
    }
    let span = Label {
        start: 0,
        end: source.len(),
        message: format!("its constant parts make it `{value}`"),
    };
    let (kind, severity) = if value {
        (FindingKind::AlwaysTrue, Severity::Warning)
    } else {
        (FindingKind::NeverTrue, Severity::Error)
    };
    Some(Diagnostic {
        code: kind.code().to_owned(),
        severity,
        message: kind.message().to_owned(),
        labels: vec![span],
        help: Some(format!(
            "remove the constant parts, or write `{value}` if that is meant"
        )),
    })
}

fn diagnostic(f: &Finding) -> Diagnostic {
    let labels = f
        .spans
        .iter()
        .enumerate()
        .map(|(i, s)| Label {
            start: s.start,
            end: s.end,
            message: if i == 0 {
                f.detail.clone()
            } else {
                "involved".into()
            },
        })
        .collect();
    Diagnostic {
        code: f.kind.code().to_owned(),
        severity: Severity::Warning,
        message: f.kind.message().to_owned(),
        labels,
        help: Some(f.kind.help().to_owned()),
    }
}

/// Findings about the statement as a whole: never true although not written `false`, or
/// always true although it has time conditions.
pub(super) fn statement_findings(original: &Cond, optimized: &Cond, findings: &mut Vec<Finding>) {
    let literal = original.as_const().is_some();
    let (kind, detail) = match optimized.as_const() {
        Some(false) if !literal && !findings.iter().any(|f| covers_all(f, original)) => {
            (FindingKind::NeverTrue, "no instant satisfies it")
        }
        Some(true) if !literal && has_time(original) => (
            FindingKind::AlwaysTrue,
            "its time conditions cover every instant",
        ),
        _ => return,
    };
    findings.push(Finding {
        kind,
        spans: vec![original.span()],
        detail: detail.into(),
    });
}

/// Whether a never-true proof already speaks for the whole statement.
fn covers_all(f: &Finding, original: &Cond) -> bool {
    matches!(f.kind, FindingKind::NeverTrue | FindingKind::CronNever)
        && (f.kind == FindingKind::NeverTrue || f.spans.first() == Some(&original.span()))
}

fn has_time(cond: &Cond) -> bool {
    matches!(cond.kind(), CondKind::TimeOf(_)) || cond.children().iter().any(has_time)
}
