//! `tminus lint`: checks statements given with `-e`, in text files (one per line, `#`
//! comments), in Python sources (the condition strings of a Rocketry app, see
//! [`super::python`]), in the Python files of directories, or as JSON Lines on stdin
//! (`--jsonl`), and reports every diagnostic as text, JSON, SARIF or GitHub annotations.

use super::output::{self, LintFormat};
use super::placed::{LineIndex, LintRun, Placed};
use super::sources::{self, Input, Kind, Selection};
use super::{parse_options, python, use_color, FINDINGS, OK, USAGE};
use serde_json::{json, Value};
use std::io::{self, Read};
use std::rc::Rc;
use tminus::diag::codes;
use tminus::{Diagnostic, Label, ParseOptions, Severity};

/// Arguments of `tminus lint`.
#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Files and directories. A `.py` file is read as Python (the conditions given to
    /// Rocketry); any other file has one statement per line (`#` comments and blank lines
    /// are skipped); a directory is walked for `.py` files, respecting `.gitignore`; `-`
    /// reads statements from stdin.
    files: Vec<String>,
    /// A statement to check; repeatable.
    #[arg(short = 'e', long = "expr", value_name = "STATEMENT")]
    statements: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    format: LintFormat,
    /// Read JSON Lines from stdin (objects with "cond") and write one JSON object per line.
    #[arg(long, conflicts_with_all = ["files", "statements"])]
    jsonl: bool,
    /// `--deny warnings` makes warnings fail the exit code too.
    #[arg(long, value_name = "LEVEL", value_parser = ["warnings"])]
    deny: Option<String>,
    /// Register a custom condition (a phrase or a function name); repeatable.
    #[arg(long = "cond", value_name = "NAME")]
    conds: Vec<String>,
    /// Lint only files matching this glob (gitignore syntax, matched against the path and
    /// its trailing parts); repeatable.
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Skip files and directories matching this glob; repeatable.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
}

/// Runs `tminus lint`.
pub fn run(args: &LintArgs) -> u8 {
    let options = parse_options(&args.conds);
    if args.jsonl {
        return run_jsonl(&options, args.deny.is_some());
    }
    if args.files.is_empty() && args.statements.is_empty() {
        eprintln!("error: give statements with -e, files, directories, or `-` for stdin (see `tminus lint --help`)");
        return USAGE;
    }
    let lint_run = match inputs(args).and_then(|inputs| lint_inputs(&inputs, &options)) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return USAGE;
        }
    };
    let stdout = io::stdout();
    let written = output::write(args.format, &lint_run, use_color(), &mut stdout.lock());
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: {e}");
            return USAGE;
        }
    }
    exit_code(
        lint_run.findings.iter().map(Placed::severity),
        args.deny.is_some(),
    )
}

fn inputs(args: &LintArgs) -> Result<Vec<Input>, String> {
    let selection = Selection::new(&args.include, &args.exclude)?;
    sources::collect(&args.statements, &args.files, &selection)
}

fn exit_code(severities: impl Iterator<Item = Severity>, deny_warnings: bool) -> u8 {
    let floor = if deny_warnings {
        Severity::Warning
    } else {
        Severity::Error
    };
    if severities.into_iter().any(|s| s >= floor) {
        FINDINGS
    } else {
        OK
    }
}

/// Reads and checks every input; an unreadable file stops the run before any output.
/// The Python files are linted together, as the modules of one program.
fn lint_inputs(inputs: &[Input], options: &ParseOptions) -> Result<LintRun, String> {
    let mut run = LintRun {
        files: inputs.len(),
        ..LintRun::default()
    };
    let read = |path: &str| std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"));
    let mut python_files = Vec::new();
    for input in inputs {
        if let Input::File(path, Kind::Python) = input {
            python_files.push((path.as_str(), read(path)?));
        }
    }
    let files: Vec<(&str, &[u8])> = python_files.iter().map(|(p, b)| (*p, &b[..])).collect();
    let mut python = python::lint_tree(&files, options).into_iter();
    for input in inputs {
        let (statements, findings) = match input {
            Input::Expr(i, text) => lint_expr(*i, text, options),
            Input::Stdin => lint_text(
                "<stdin>",
                &read_stdin().map_err(|e| format!("cannot read stdin: {e}"))?,
                options,
            ),
            Input::File(path, Kind::Text) => lint_text(path, &read(path)?, options),
            Input::File(_, Kind::Python) => {
                let linted = python.next().unwrap_or_default();
                (linted.statements, linted.findings)
            }
        };
        run.statements += statements;
        run.findings.extend(findings);
    }
    Ok(run)
}

fn read_stdin() -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    io::stdin().read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A `-e` statement: drawn on its own, as `<expr N>`.
fn lint_expr(index: usize, statement: &str, options: &ParseOptions) -> (usize, Vec<Placed>) {
    let file: Rc<str> = format!("<expr {index}>").into();
    let text: Rc<str> = statement.into();
    let lines = LineIndex::new(statement);
    let findings = check(statement.as_bytes(), options)
        .into_iter()
        .map(|d| {
            let (start, end) = primary(&d);
            let (start, end) = (lines.position(start), lines.position(end));
            let labels = d.labels.clone();
            Placed {
                file: file.clone(),
                text: text.clone(),
                diagnostic: d,
                statement: Some(statement.to_owned()),
                labels,
                start,
                end,
                related: Vec::new(),
            }
        })
        .collect();
    (1, findings)
}

fn primary(d: &Diagnostic) -> (usize, usize) {
    d.labels.first().map_or((0, 0), |l| (l.start, l.end))
}

/// The UTF-8 byte-order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A text file: every line that is neither blank nor a `#` comment is a statement.
///
/// A leading byte-order mark is skipped, and a line ends at `\n`, `\r\n` or a lone `\r`.
/// Findings are drawn against the whole file; bytes that are not UTF-8 are shown as
/// U+FFFD, with the labels moved to match.
fn lint_text(file: &str, bytes: &[u8], options: &ParseOptions) -> (usize, Vec<Placed>) {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut shown = String::with_capacity(bytes.len());
    let mut lines = Vec::new();
    for (line, end) in text_lines(bytes) {
        let text = String::from_utf8_lossy(line);
        lines.push((line, shown.len(), text.len()));
        shown.push_str(&text);
        shown.push_str(&String::from_utf8_lossy(end));
    }
    let (file, shown): (Rc<str>, Rc<str>) = (file.into(), shown.into());
    let index = LineIndex::new(&shown);
    let (mut statements, mut findings) = (0, Vec::new());
    for (raw, at, len) in lines {
        let line = &shown[at..at + len];
        if line.trim().is_empty() || line.trim().starts_with('#') {
            continue;
        }
        statements += 1;
        for mut d in check(raw, options) {
            for l in &mut d.labels {
                l.start = shown_offset(raw, line, l.start);
                l.end = shown_offset(raw, line, l.end).max(l.start);
            }
            let labels: Vec<Label> = d
                .labels
                .iter()
                .map(|l| Label {
                    start: l.start + at,
                    end: l.end + at,
                    message: l.message.clone(),
                })
                .collect();
            let (start, end) = primary(&d);
            findings.push(Placed {
                file: file.clone(),
                text: shown.clone(),
                statement: Some(line.to_owned()),
                start: index.position(start + at),
                end: index.position(end + at),
                diagnostic: d,
                labels,
                related: Vec::new(),
            });
        }
    }
    (statements, findings)
}

/// The lines of `bytes` with their line ends (`\n`, `\r\n`, a lone `\r`, or none at the end).
fn text_lines(bytes: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let end_len = match &rest[cut..] {
            [b'\r', b'\n', ..] => 2,
            [] => 0,
            _ => 1,
        };
        let (line, after) = rest.split_at(cut);
        let (end, after) = after.split_at(end_len);
        rest = after;
        Some((line, end))
    })
}

/// Where byte `at` of the raw line `raw` falls in `shown`, the line with its bytes that
/// are not UTF-8 replaced: on a character boundary, never past the end.
fn shown_offset(raw: &[u8], shown: &str, at: usize) -> usize {
    let mut at = String::from_utf8_lossy(&raw[..at.min(raw.len())])
        .len()
        .min(shown.len());
    while !shown.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Every diagnostic of one statement: its errors, or its warnings.
pub fn check(bytes: &[u8], options: &ParseOptions) -> Vec<Diagnostic> {
    let diagnostics = tminus::check(bytes, options).1;
    diagnostics
        .into_iter()
        .map(|d| super::for_command_line(d, bytes))
        .collect()
}

/// `--jsonl`: one output object per non-blank input line, in order.
fn run_jsonl(options: &ParseOptions, deny_warnings: bool) -> u8 {
    let mut severities = Vec::new();
    let code = super::jsonl::each_line(|line| {
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
        let (statement, diagnostics) = tminus::check(cond.as_bytes(), options);
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
