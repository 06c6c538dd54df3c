//! `tminus lint`: checks statements given with `-e`, in text files (one per line, `#`
//! comments), or as JSON Lines on stdin (`--jsonl`), and reports every diagnostic.

use super::{parse_options, use_color, Format, FINDINGS, OK, USAGE};
use serde_json::{json, Value};
use std::io::{self, BufRead, Read, Write};
use tminus::{render, Diagnostic, ParseOptions, RenderOptions, Severity, Statement};

/// Arguments of `tminus lint`.
#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Text files with one statement per line (`#` comments and blank lines are skipped);
    /// `-` reads stdin.
    files: Vec<String>,
    /// A statement to check; repeatable.
    #[arg(short = 'e', long = "expr", value_name = "STATEMENT")]
    statements: Vec<String>,
    /// Output format: `text` (for people) or `json` (one document).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Read JSON Lines from stdin (objects with "cond") and write one JSON object per line.
    #[arg(long, conflicts_with_all = ["files", "statements"])]
    jsonl: bool,
    /// `--deny warnings` makes warnings fail the exit code too.
    #[arg(long, value_name = "LEVEL", value_parser = ["warnings"])]
    deny: Option<String>,
    /// Register a custom condition (a phrase or a function name); repeatable.
    #[arg(long = "cond", value_name = "NAME")]
    conds: Vec<String>,
}

/// One statement to check and where it came from.
struct Source {
    /// File name, or `<expr N>` for `-e`.
    file: String,
    /// 1-based line in the file.
    line: usize,
    /// The statement's bytes (a file may hold invalid UTF-8).
    bytes: Vec<u8>,
    /// The whole file's text, for rendering with real line numbers.
    context: Option<std::rc::Rc<String>>,
    /// Byte offset of the statement in `context`.
    offset: usize,
}

/// A diagnostic with the statement it is about.
struct Finding {
    source_index: usize,
    diagnostic: Diagnostic,
}

/// Runs `tminus lint`.
pub fn run(args: &LintArgs) -> u8 {
    let options = parse_options(&args.conds);
    if args.jsonl {
        return run_jsonl(&options, args.deny.is_some());
    }
    if args.files.is_empty() && args.statements.is_empty() {
        eprintln!(
            "error: give statements with -e, files, or `-` for stdin (see `tminus lint --help`)"
        );
        return USAGE;
    }
    let sources = match collect_sources(args) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("error: {message}");
            return USAGE;
        }
    };
    let findings = check_all(&sources, &options);
    let written = match args.format {
        Format::Text => write_text(&sources, &findings),
        Format::Json => write_json(&sources, &findings),
    };
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: {e}");
            return USAGE;
        }
    }
    exit_code(
        findings.iter().map(|f| f.diagnostic.severity),
        args.deny.is_some(),
    )
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

fn collect_sources(args: &LintArgs) -> Result<Vec<Source>, String> {
    let mut sources: Vec<Source> = args
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| Source {
            file: format!("<expr {}>", i + 1),
            line: 1,
            bytes: s.as_bytes().to_vec(),
            context: None,
            offset: 0,
        })
        .collect();
    for file in &args.files {
        let bytes = read_file(file).map_err(|e| format!("cannot read {file}: {e}"))?;
        sources.extend(statements_in(file, &bytes));
    }
    Ok(sources)
}

fn read_file(file: &str) -> io::Result<Vec<u8>> {
    if file == "-" {
        let mut bytes = Vec::new();
        io::stdin().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(file)
    }
}

/// The statements of a text file: every line that is neither blank nor a `#` comment.
fn statements_in(file: &str, bytes: &[u8]) -> Vec<Source> {
    let context = std::rc::Rc::new(String::from_utf8_lossy(bytes).into_owned());
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let trimmed = String::from_utf8_lossy(line);
        let trimmed = trimmed.trim();
        let lossless = context.len() == bytes.len();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push(Source {
                file: if file == "-" {
                    "<stdin>".into()
                } else {
                    file.to_owned()
                },
                line: i + 1,
                bytes: line.to_vec(),
                context: lossless.then(|| context.clone()),
                offset,
            });
        }
        offset += raw.len() + 1;
    }
    out
}

fn check_all(sources: &[Source], options: &ParseOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        for diagnostic in check(&source.bytes, options) {
            findings.push(Finding {
                source_index: i,
                diagnostic,
            });
        }
    }
    findings
}

/// Every diagnostic of one statement: its errors, or its warnings.
pub fn check(bytes: &[u8], options: &ParseOptions) -> Vec<Diagnostic> {
    match Statement::parse_bytes(bytes, options) {
        Ok(s) => tminus::opt::lint(&s),
        Err(errors) => errors.errors().iter().map(Diagnostic::from).collect(),
    }
}

fn write_text(sources: &[Source], findings: &[Finding]) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let options = RenderOptions { color: use_color() };
    for f in findings {
        let source = &sources[f.source_index];
        match &source.context {
            Some(context) => {
                let shifted = shift(&f.diagnostic, source.offset);
                render(&shifted, context, &source.file, options, &mut out)?;
            }
            None => {
                let text = String::from_utf8_lossy(&source.bytes);
                render(&f.diagnostic, &text, &source.file, options, &mut out)?;
            }
        }
    }
    let errors = findings
        .iter()
        .filter(|f| f.diagnostic.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    writeln!(
        out,
        "{} statements checked: {errors} errors, {warnings} warnings",
        sources.len()
    )
}

/// The diagnostic with its labels moved `by` bytes to the right.
fn shift(d: &Diagnostic, by: usize) -> Diagnostic {
    let mut d = d.clone();
    for l in &mut d.labels {
        l.start += by;
        l.end += by;
    }
    d
}

fn write_json(sources: &[Source], findings: &[Finding]) -> io::Result<()> {
    let files: std::collections::BTreeSet<&str> = sources.iter().map(|s| s.file.as_str()).collect();
    let diagnostics: Vec<Value> = findings
        .iter()
        .map(|f| {
            let source = &sources[f.source_index];
            let start = f.diagnostic.labels.first().map_or(0, |l| l.start);
            let prefix = String::from_utf8_lossy(&source.bytes[..start.min(source.bytes.len())])
                .chars()
                .count();
            let mut v = serde_json::to_value(&f.diagnostic).unwrap_or(Value::Null);
            v["file"] = json!(source.file);
            v["line"] = json!(source.line);
            v["column"] = json!(prefix + 1);
            v["statement"] = json!(String::from_utf8_lossy(&source.bytes));
            v
        })
        .collect();
    let doc =
        json!({"files": files.len(), "statements": sources.len(), "diagnostics": diagnostics});
    let stdout = io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, &doc)?;
    writeln!(out)
}

/// `--jsonl`: one output object per non-blank input line, in order.
fn run_jsonl(options: &ParseOptions, deny_warnings: bool) -> u8 {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut severities = Vec::new();
    for line in stdin.lock().split(b'\n') {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                return USAGE;
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let result = jsonl_line(&line, options);
        severities.extend(
            result["diagnostics"]
                .as_array()
                .into_iter()
                .flatten()
                .map(severity_of),
        );
        if writeln!(out, "{result}").is_err() {
            return OK;
        }
    }
    let _ = out.flush();
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
