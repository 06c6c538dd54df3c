//! A file linted as `tminus lint FILE --format F` lints it, once per output format, and
//! what must hold of the outputs whatever the bytes:
//!
//! * every run ends with exit code 0 or 1 (1 exactly when there is an error) and writes
//!   nothing to standard error, and every format agrees on it;
//! * `json` and `sarif` are JSON; SARIF has one result per JSON diagnostic, with the same
//!   rule, level and region; `github` has one workflow command per finding and related
//!   place; `text` ends with the summary line the JSON counts give;
//! * every line and column lies inside the file as the linter shows it, and a finding
//!   ends at or after its start; labels are ranges of characters of their statement.

use serde_json::Value;
use tminus::lint::{Io, FINDINGS, OK};

/// How the linter reads the file: chosen by its extension, as `tminus lint` does.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// One statement per line (`statements.txt`).
    Text,
    /// A Rocketry app (`app.py`).
    Python,
}

const FORMATS: [&str; 4] = ["text", "json", "sarif", "github"];

/// Lints `bytes` as a file of `source` in every format and checks the outputs.
pub fn check(bytes: &[u8], source: Source) {
    let name = match source {
        Source::Text => "statements.txt",
        Source::Python => "app.py",
    };
    let path = crate::scratch_file(name, bytes);
    let path = path.to_str().expect("the scratch path is UTF-8");
    let outputs: Vec<(u8, Vec<u8>)> = FORMATS
        .iter()
        .map(|format| {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let mut stdin = std::io::empty();
            let code = tminus::lint::main(
                [path, "--format", format],
                Io::new(&mut stdin, &mut out, &mut err),
            );
            let err = String::from_utf8_lossy(&err);
            assert!(
                code == OK || code == FINDINGS,
                "--format {format}: exit {code}: {err}"
            );
            assert!(err.is_empty(), "--format {format} wrote to stderr: {err}");
            (code, out)
        })
        .collect();
    let code = outputs[0].0;
    assert!(
        outputs.iter().all(|(c, _)| *c == code),
        "exit codes differ by format"
    );
    let text = String::from_utf8(outputs[0].1.clone()).expect("text output is UTF-8");
    let json: Value = serde_json::from_slice(&outputs[1].1).expect("json output is JSON");
    let sarif: Value = serde_json::from_slice(&outputs[2].1).expect("sarif output is JSON");
    let github = String::from_utf8(outputs[3].1.clone()).expect("github output is UTF-8");

    let diagnostics = json["diagnostics"]
        .as_array()
        .expect("json has diagnostics");
    assert_eq!(json["files"], 1);
    let count = |severity: &str| {
        diagnostics
            .iter()
            .filter(|d| d["severity"] == severity)
            .count()
    };
    let (errors, warnings, notes) = (count("error"), count("warning"), count("note"));
    assert_eq!(
        errors + warnings + notes,
        diagnostics.len(),
        "unknown severity"
    );
    assert_eq!(
        code == FINDINGS,
        errors > 0,
        "exit {code} with {errors} errors"
    );

    let statements = json["statements"].as_u64().expect("json counts statements");
    let mut summary = format!(
        "{} checked: {}, {}",
        counted(statements as usize, "statement"),
        counted(errors, "error"),
        counted(warnings, "warning")
    );
    if notes > 0 {
        summary.push_str(&format!(", {}", counted(notes, "note")));
    }
    assert_eq!(text.lines().last(), Some(summary.as_str()), "text summary");

    let results = sarif["runs"][0]["results"]
        .as_array()
        .expect("sarif has results");
    assert_eq!(results.len(), diagnostics.len(), "sarif results");
    for (d, r) in diagnostics.iter().zip(results) {
        assert_eq!(r["ruleId"], d["code"]);
        assert_eq!(r["level"], d["severity"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endLine"], d["end_line"]);
        assert_eq!(region["endColumn"], d["end_column"]);
        let related = d["related"].as_array().map_or(0, Vec::len);
        let sarif_related = r["relatedLocations"].as_array().map_or(0, Vec::len);
        assert_eq!(related, sarif_related, "related locations");
    }

    let commands: usize = diagnostics
        .iter()
        .map(|d| 1 + d["related"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        github.lines().count(),
        commands,
        "github commands: {github}"
    );
    for line in github.lines() {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|c| line.starts_with(c)),
            "not a workflow command: {line:?}"
        );
    }

    let lines = line_lengths(&shown(bytes, source));
    for d in diagnostics {
        let start = inside(&lines, &d["line"], &d["column"]);
        let end = inside(&lines, &d["end_line"], &d["end_column"]);
        assert!(start <= end, "ends before it starts: {d}");
        for r in d["related"].as_array().into_iter().flatten() {
            let start = inside(&lines, &r["line"], &r["column"]);
            let end = inside(&lines, &r["end_line"], &r["end_column"]);
            assert!(start <= end, "related place ends before it starts: {r}");
        }
        if let Some(statement) = d["statement"].as_str() {
            for label in d["labels"].as_array().into_iter().flatten() {
                let at = |key: &str| label[key].as_u64().expect("label offsets") as usize;
                let (start, end) = (at("start"), at("end"));
                assert!(
                    start <= end
                        && end <= statement.len()
                        && statement.is_char_boundary(start)
                        && statement.is_char_boundary(end),
                    "label {start}..{end} in {statement:?}"
                );
            }
        }
    }
}

/// `1 error`, `2 errors`, as the text summary words it.
fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// The file as the linter shows it: bytes that are not UTF-8 as U+FFFD, and for a text
/// file without its byte-order mark.
fn shown(bytes: &[u8], source: Source) -> String {
    let bytes = match source {
        Source::Text => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
        Source::Python => bytes,
    };
    String::from_utf8_lossy(bytes).into_owned()
}

/// The length in characters of each line of `text`, without its end: `\r\n`, `\r`, `\n`,
/// VT, FF, NEL, LS and PS each end a line (as the text renderer counts them).
fn line_lengths(text: &str) -> Vec<usize> {
    let mut lengths = vec![0];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' | '\x0B' | '\x0C' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lengths.push(0);
            }
            _ => *lengths.last_mut().expect("one line at least") += 1,
        }
    }
    lengths
}

/// The 1-based `(line, column)`, asserted to lie in the file: at one of a line's
/// characters or just after its last.
fn inside(lines: &[usize], line: &Value, column: &Value) -> (usize, usize) {
    let (line, column) = (
        line.as_u64().expect("a line number") as usize,
        column.as_u64().expect("a column number") as usize,
    );
    assert!(
        (1..=lines.len()).contains(&line) && (1..=lines[line - 1] + 1).contains(&column),
        "{line}:{column} is outside the file (line lengths {lines:?})"
    );
    (line, column)
}
