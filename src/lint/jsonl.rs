//! `tminus lint --jsonl`: one JSON object in, one answer out, per line; and the JSON Lines
//! loop that the other `--jsonl` modes of the command line share.

use super::{exit_code, OK, USAGE};
use crate::diag::codes;
use crate::{Diagnostic, ParseOptions, Severity};
use serde_json::{json, Value};
use std::io::{BufRead, Write};

/// Reads `input` line by line, skipping blank lines, and writes `answer(line)` for each
/// to `out`. Returns [`USAGE`] (after a message on `err`) when `input` cannot be read; a
/// closed `out` ends the run quietly.
pub fn each_line(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    mut answer: impl FnMut(&[u8]) -> Value,
) -> u8 {
    let mut line = Vec::new();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return USAGE;
            }
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if writeln!(out, "{}", answer(text)).is_err() {
            return OK;
        }
    }
    let _ = out.flush();
    OK
}

/// `--jsonl`: one output object per non-blank input line, in order.
pub(super) fn run(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: &ParseOptions,
    deny_warnings: bool,
) -> u8 {
    let mut severities = Vec::new();
    let code = each_line(input, out, err, |line| {
        let answer = LineAnswer::of(line, options);
        severities.extend(answer.diagnostics.iter().map(|d| d.severity));
        answer.to_json()
    });
    if code != OK {
        return code;
    }
    exit_code(severities.into_iter(), deny_warnings)
}

/// The answer for one input line of `--jsonl`, typed until it is written out.
#[derive(Debug)]
pub struct LineAnswer {
    /// The statement read from the line, if the line could be read.
    cond: Option<String>,
    /// Its canonical text, if it parsed.
    canonical: Option<String>,
    /// Its errors or warnings, or the error about the line itself.
    diagnostics: Vec<Diagnostic>,
}

impl LineAnswer {
    /// Reads and checks one input line.
    pub fn of(line: &[u8], options: &ParseOptions) -> LineAnswer {
        let cond = match input_cond(line) {
            Ok(c) => c,
            Err(message) => {
                let d = Diagnostic {
                    code: codes::INPUT.to_owned(),
                    severity: Severity::Error,
                    message,
                    labels: Vec::new(),
                    help: Some("each line must be a JSON object with a string \"cond\"".into()),
                };
                return LineAnswer {
                    cond: None,
                    canonical: None,
                    diagnostics: vec![d],
                };
            }
        };
        let (statement, diagnostics) = crate::check(cond.as_bytes(), options);
        LineAnswer {
            canonical: statement.map(|s| s.canonical()),
            cond: Some(cond),
            diagnostics,
        }
    }

    /// `{"cond", "parsed", "canonical", "diagnostics"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "cond": self.cond,
            "parsed": self.canonical.is_some(),
            "canonical": self.canonical,
            "diagnostics": self.diagnostics,
        })
    }
}

/// The `cond` of an input line: a string, or `true`/`false` as Rocketry also accepts.
fn input_cond(line: &[u8]) -> Result<String, String> {
    let value: Value =
        serde_json::from_slice(line).map_err(|e| format!("the line is not JSON: {e}"))?;
    match value.get("cond") {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Bool(b)) => Ok(b.to_string()),
        Some(_) => Err("\"cond\" must be a string".into()),
        None => Err("the object has no \"cond\"".into()),
    }
}
