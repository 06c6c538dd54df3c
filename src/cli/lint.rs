//! `tminus lint`: checks statements given with `-e`, in text files (one per line, `#`
//! comments), in Python sources (the condition strings of a Rocketry app, see
//! [`super::python`]), in the Python files of directories, or as JSON Lines on stdin
//! (`--jsonl`), and reports every diagnostic as text, JSON, SARIF or GitHub annotations.

use super::finding::{Finding, LineIndex, LintRun, Position};
use super::output::{self, LintFormat};
use super::sources::{self, Input, Kind, Selection};
use super::{parse_options, python, use_color, FINDINGS, OK, USAGE};
use serde_json::{json, Value};
use std::io::{self, Read};
use std::rc::Rc;
use tminus::{Diagnostic, Label, ParseOptions, Severity, Statement};

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
        lint_run.findings.iter().map(Finding::severity),
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
fn lint_inputs(inputs: &[Input], options: &ParseOptions) -> Result<LintRun, String> {
    let mut run = LintRun {
        files: inputs.len(),
        ..LintRun::default()
    };
    for input in inputs {
        let (statements, findings) = match input {
            Input::Expr(i, text) => lint_expr(*i, text, options),
            Input::Stdin => lint_text(
                "<stdin>",
                &read_stdin().map_err(|e| format!("cannot read stdin: {e}"))?,
                options,
            ),
            Input::File(path, kind) => {
                let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
                match kind {
                    Kind::Text => lint_text(path, &bytes, options),
                    Kind::Python => {
                        let linted = python::lint(path, &bytes, options);
                        (linted.statements, linted.findings)
                    }
                }
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
fn lint_expr(index: usize, statement: &str, options: &ParseOptions) -> (usize, Vec<Finding>) {
    let file: Rc<str> = format!("<expr {index}>").into();
    let text: Rc<str> = statement.into();
    let lines = LineIndex::new(statement);
    let findings = check(statement.as_bytes(), options)
        .into_iter()
        .map(|d| {
            let (start, end) = primary(&d);
            let (start, end) = (lines.position(start), lines.position(end));
            let labels = d.labels.clone();
            Finding {
                file: file.clone(),
                text: text.clone(),
                diagnostic: d,
                statement: Some(statement.to_owned()),
                labels,
                start,
                end,
            }
        })
        .collect();
    (1, findings)
}

fn primary(d: &Diagnostic) -> (usize, usize) {
    d.labels.first().map_or((0, 0), |l| (l.start, l.end))
}

/// A text file: every line that is neither blank nor a `#` comment is a statement.
fn lint_text(file: &str, bytes: &[u8], options: &ParseOptions) -> (usize, Vec<Finding>) {
    let file: Rc<str> = file.into();
    let lossy = String::from_utf8_lossy(bytes);
    // Drawn against the whole file when it is UTF-8, so the lines shown are real ones.
    let whole: Option<Rc<str>> = (lossy.len() == bytes.len()).then(|| lossy.as_ref().into());
    let lines = whole.as_deref().map(LineIndex::new);
    let (mut statements, mut findings, mut offset) = (0, Vec::new(), 0);
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let trimmed = String::from_utf8_lossy(line);
        if !trimmed.trim().is_empty() && !trimmed.trim().starts_with('#') {
            statements += 1;
            let at = TextLine {
                file: &file,
                number: i + 1,
                bytes: line,
                offset,
            };
            for d in check(line, options) {
                findings.push(match (&whole, &lines) {
                    (Some(whole), Some(lines)) => at.in_file(d, whole, lines),
                    _ => at.alone(d),
                });
            }
        }
        offset += raw.len() + 1;
    }
    (statements, findings)
}

/// One statement line of a text file.
struct TextLine<'a> {
    file: &'a Rc<str>,
    /// 1-based line number.
    number: usize,
    bytes: &'a [u8],
    /// Byte offset of the line in the file.
    offset: usize,
}

impl TextLine<'_> {
    /// A diagnostic drawn against the whole file.
    fn in_file(&self, d: Diagnostic, whole: &Rc<str>, lines: &LineIndex) -> Finding {
        let labels: Vec<Label> = d
            .labels
            .iter()
            .map(|l| Label {
                start: l.start + self.offset,
                end: l.end + self.offset,
                message: l.message.clone(),
            })
            .collect();
        let (start, end) = primary(&d);
        let (start, end) = (
            lines.position(start + self.offset),
            lines.position(end + self.offset),
        );
        let statement = Some(String::from_utf8_lossy(self.bytes).into_owned());
        Finding {
            file: self.file.clone(),
            text: whole.clone(),
            diagnostic: d,
            statement,
            labels,
            start,
            end,
        }
    }

    /// A diagnostic drawn against the line alone (the file is not UTF-8).
    fn alone(&self, d: Diagnostic) -> Finding {
        let text: Rc<str> = String::from_utf8_lossy(self.bytes).as_ref().into();
        let column = |at: usize| {
            String::from_utf8_lossy(&self.bytes[..at.min(self.bytes.len())])
                .chars()
                .count()
                + 1
        };
        let (start, end) = primary(&d);
        let start = Position {
            line: self.number,
            column: column(start),
        };
        let end = Position {
            line: self.number,
            column: column(end),
        };
        let labels = d.labels.clone();
        Finding {
            file: self.file.clone(),
            statement: Some(text.to_string()),
            text,
            diagnostic: d,
            labels,
            start,
            end,
        }
    }
}

/// Every diagnostic of one statement: its errors, or its warnings.
pub fn check(bytes: &[u8], options: &ParseOptions) -> Vec<Diagnostic> {
    match Statement::parse_bytes(bytes, options) {
        Ok(s) => tminus::opt::lint(&s),
        Err(errors) => errors.errors().iter().map(Diagnostic::from).collect(),
    }
}

/// `--jsonl`: one output object per non-blank input line, in order.
fn run_jsonl(options: &ParseOptions, deny_warnings: bool) -> u8 {
    let mut severities = Vec::new();
    let code = super::jsonl::each_line(|line| {
        let result = jsonl_line(line, options);
        let diagnostics = result["diagnostics"].as_array().into_iter().flatten();
        severities.extend(diagnostics.map(severity_of));
        result
    });
    if code != OK {
        return code;
    }
    exit_code(severities.into_iter(), deny_warnings)
}

fn severity_of(d: &Value) -> Severity {
    match d["severity"].as_str() {
        Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        _ => Severity::Note,
    }
}

/// The answer for one input line of `--jsonl`.
pub fn jsonl_line(line: &[u8], options: &ParseOptions) -> Value {
    let cond = match input_cond(line) {
        Ok(c) => c,
        Err(message) => {
            let d = json!({"code": "tminus::input", "severity": "error", "message": message, "labels": [], "help": "each line must be a JSON object with a string \"cond\""});
            return json!({"cond": null, "parsed": false, "canonical": null, "diagnostics": [d]});
        }
    };
    let (canonical, diagnostics) = match Statement::parse_with(&cond, options) {
        Ok(s) => (Some(s.canonical()), tminus::opt::lint(&s)),
        Err(errors) => (None, errors.errors().iter().map(Diagnostic::from).collect()),
    };
    json!({"cond": cond, "parsed": canonical.is_some(), "canonical": canonical, "diagnostics": diagnostics})
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
