//! The output formats of `tminus lint`: the same [`LintRun`] for people (`text`, ariadne
//! drawn against the file's own lines), for programs (`json`), for code scanning
//! (`sarif`, in [`sarif`]) and for GitHub Actions annotations (`github`, in [`github`]).

mod github;
mod sarif;

use crate::lint::placed::{LintRun, Placed};
use crate::{render, RenderOptions, Severity};
use serde_json::{json, Value};
use std::io::{self, Write};

/// Output format of `tminus lint`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LintFormat {
    /// For people: each diagnostic drawn under the lines it is about.
    #[default]
    Text,
    /// One JSON document: `{"files", "statements", "diagnostics": [...]}`.
    Json,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...`), shown as annotations.
    Github,
}

/// Writes `run` in `format`; `color` applies to `text` only, `docs` (the URL of the
/// `docs/` folder, see [`docs_url`]) to `sarif` only.
pub fn write(
    format: LintFormat,
    run: &LintRun,
    color: bool,
    docs: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        LintFormat::Text => write_text(run, color, out),
        LintFormat::Json => write_document(&json_document(run), out),
        LintFormat::Sarif => write_document(&sarif::document(run, docs), out),
        LintFormat::Github => github::write(run, out),
    }
}

/// Reads `--docs-url`: an absolute `http` or `https` URL (SARIF's `informationUri` and
/// `helpUri` must be absolute), kept without its trailing `/`.
pub fn docs_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') && !url.contains(char::is_whitespace) => {
            Ok(url.trim_end_matches('/').to_owned())
        }
        _ => Err(format!(
            "`{url}` is not an http or https URL (the docs/ folder of this tminus version, e.g. https://example.org/tminus/docs)"
        )),
    }
}

fn write_document(doc: &Value, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc)?;
    writeln!(out)
}

fn write_text(run: &LintRun, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let options = RenderOptions { color };
    for f in &run.findings {
        render(&f.placed(), &f.text, &f.file, options, out)?;
        for r in f.elsewhere() {
            let (line, column) = (r.start.line, r.start.column);
            writeln!(out, "  = note: {}:{line}:{column}: {}", r.file, r.message)?;
        }
    }
    let count = |s: Severity| run.findings.iter().filter(|f| f.severity() == s).count();
    let (errors, warnings, notes) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
    );
    let statements = run.statements;
    write!(
        out,
        "{} checked: {}, {}",
        counted(statements, "statement"),
        counted(errors, "error"),
        counted(warnings, "warning")
    )?;
    if notes > 0 {
        write!(out, ", {}", counted(notes, "note"))?;
    }
    writeln!(out)
}

/// `1 error`, `2 errors`.
fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// The `--format json` document. Each diagnostic has the library's fields (`labels` are
/// byte offsets into `statement`) plus the 1-based position of its primary label in the
/// file.
pub fn json_document(run: &LintRun) -> Value {
    let diagnostics: Vec<Value> = run.findings.iter().map(json_diagnostic).collect();
    json!({"files": run.files, "statements": run.statements, "diagnostics": diagnostics})
}

fn json_diagnostic(f: &Placed) -> Value {
    let mut v = serde_json::to_value(&f.diagnostic).unwrap_or(Value::Null);
    v["file"] = json!(&*f.file);
    v["line"] = json!(f.start.line);
    v["column"] = json!(f.start.column);
    v["end_line"] = json!(f.end.line);
    v["end_column"] = json!(f.end.column);
    v["statement"] = json!(f.statement);
    let related: Vec<Value> = f
        .related
        .iter()
        .map(|r| {
            json!({
                "file": &*r.file,
                "line": r.start.line,
                "column": r.start.column,
                "end_line": r.end.line,
                "end_column": r.end.column,
                "message": r.message,
            })
        })
        .collect();
    v["related"] = json!(related);
    v
}
