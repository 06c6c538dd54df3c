//! The linter behind `tminus lint` (feature `lint`): statements given one by one, text
//! files of statements, the Python sources of Rocketry apps and the `.py` files of
//! directories, checked and reported as text, JSON, SARIF or GitHub annotations.
//!
//! The command line and the Python package (`python -m tminus lint`, `tminus.lint_file`)
//! are thin layers over this module, so they report the same findings in the same formats
//! with the same exit codes. Nothing here prints: a run writes into the [`Io`] it is given.
//!
//! * [`LintArgs`] are the command's arguments (clap); [`run`] runs them, [`main`] parses
//!   an argument list first, as the binary does.
//! * [`file`] lints one file, chosen by extension (`.py` as Python, else one statement a
//!   line), and returns the [`Placed`] findings.
//! * [`app_statement`] checks one statement of a live app whose task names and condition
//!   phrases are all known (the Rocketry integration of the Python package).
//!
//! Modules: `sources` (what to read), `text` (`-e` statements and text files), `python`
//! (Python sources), `jsonl` (`--jsonl`), `placed` (findings with lines and columns),
//! `output` (the formats).
//!
//! ```
//! let mut out = Vec::new();
//! let mut err = Vec::new();
//! let code = tminus::lint::main(
//!     ["-e", "every 10 minuts", "--format", "json"],
//!     tminus::lint::Io::new(&mut std::io::empty(), &mut out, &mut err),
//! );
//! assert_eq!(code, tminus::lint::FINDINGS);
//! let doc: serde_json::Value = serde_json::from_slice(&out)?;
//! assert_eq!(doc["diagnostics"][0]["code"], "tminus::unknown-unit");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod jsonl;
mod output;
mod placed;
mod python;
mod sources;
mod text;

pub use output::LintFormat;
pub use placed::{LineIndex, LintRun, Placed, Position};
pub use python::check::Scope;

use crate::{Diagnostic, ParseOptions, Severity};
use clap::{Args, FromArgMatches};
use sources::{Input, Kind, Selection};
use std::collections::BTreeSet;
use std::io::{self, BufRead, Write};
use std::path::Path;

/// Exit code: nothing wrong was found.
pub const OK: u8 = 0;
/// Exit code: a statement has an error (or a warning, with `--deny warnings`).
pub const FINDINGS: u8 = 1;
/// Exit code: bad usage or an I/O error.
pub const USAGE: u8 = 2;

/// Arguments of `tminus lint`.
#[derive(clap::Args, Debug, Clone, Default)]
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
    /// `--format sarif`: the URL of the `docs/` folder of this tminus version (http or
    /// https). The log then links the tool to it and each rule to its section of
    /// `diagnostics.md`; without it the rules carry their description only.
    #[arg(long, value_name = "URL", env = "TMINUS_DOCS_URL", value_parser = output::docs_url)]
    docs_url: Option<String>,
}

impl LintArgs {
    /// Whether the run reads standard input (`--jsonl`, or `-` among the files).
    pub fn reads_stdin(&self) -> bool {
        self.jsonl || self.files.iter().any(|f| f == "-")
    }
}

/// Where a lint run reads and writes: standard input (read only when the arguments ask
/// for it), standard output and error, and whether the text format may use colour.
pub struct Io<'a> {
    /// Standard input.
    pub stdin: &'a mut dyn BufRead,
    /// Where the report goes.
    pub out: &'a mut dyn Write,
    /// Where usage and I/O errors go.
    pub err: &'a mut dyn Write,
    /// Colour the text format (for a terminal).
    pub color: bool,
}

impl std::fmt::Debug for Io<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Io")
            .field("color", &self.color)
            .finish_non_exhaustive()
    }
}

impl<'a> Io<'a> {
    /// Plain (uncoloured) output into `out` and `err`, standard input from `stdin`.
    pub fn new(
        stdin: &'a mut dyn BufRead,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> Io<'a> {
        Io {
            stdin,
            out,
            err,
            color: false,
        }
    }
}

/// Parses `args` (the words after `tminus lint`) and runs them: help and version go to
/// `io.out` with [`OK`], argument errors to `io.err` with [`USAGE`], as the binary does.
pub fn main<I, T>(args: I, io: Io<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let command = LintArgs::augment_args(clap::Command::new("tminus lint").no_binary_name(true));
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|m| LintArgs::from_arg_matches(&m));
    match parsed {
        Ok(args) => run(&args, io),
        Err(e) => {
            let (sink, code) = if e.use_stderr() {
                (io.err, USAGE)
            } else {
                (io.out, OK)
            };
            let _ = write!(sink, "{}", e.render());
            code
        }
    }
}

/// Runs `tminus lint` with `args`; returns the exit code ([`OK`], [`FINDINGS`], [`USAGE`]).
pub fn run(args: &LintArgs, io: Io<'_>) -> u8 {
    let options = args
        .conds
        .iter()
        .fold(ParseOptions::new(), |o, c| o.register(c.as_str()));
    let deny_warnings = args.deny.is_some();
    if args.jsonl {
        return jsonl::run(io.stdin, io.out, io.err, &options, deny_warnings);
    }
    if args.files.is_empty() && args.statements.is_empty() {
        let _ = writeln!(io.err, "error: give statements with -e, files, directories, or `-` for stdin (see `tminus lint --help`)");
        return USAGE;
    }
    let selection = Selection::new(&args.include, &args.exclude);
    let inputs = selection.and_then(|s| sources::collect(&args.statements, &args.files, &s));
    let lint_run = match inputs.and_then(|inputs| lint_inputs(&inputs, &options, io.stdin)) {
        Ok(r) => r,
        Err(message) => {
            let _ = writeln!(io.err, "error: {message}");
            return USAGE;
        }
    };
    let written = output::write(
        args.format,
        &lint_run,
        io.color,
        args.docs_url.as_deref(),
        io.out,
    );
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            let _ = writeln!(io.err, "error: {e}");
            return USAGE;
        }
    }
    exit_code(
        lint_run.findings.iter().map(Placed::severity),
        deny_warnings,
    )
}

/// [`FINDINGS`] when a severity reaches the floor (errors, or warnings when denied).
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
fn lint_inputs(
    inputs: &[Input],
    options: &ParseOptions,
    stdin: &mut dyn BufRead,
) -> Result<LintRun, String> {
    let mut run = LintRun {
        files: inputs.len(),
        ..LintRun::default()
    };
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
            Input::Expr(i, statement) => text::lint_expr(*i, statement, options),
            Input::Stdin => {
                let mut bytes = Vec::new();
                stdin
                    .read_to_end(&mut bytes)
                    .map_err(|e| format!("cannot read stdin: {e}"))?;
                text::lint_text("<stdin>", &bytes, options)
            }
            Input::File(path, Kind::Text) => text::lint_text(path, &read(path)?, options),
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

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

/// Lints one file as `tminus lint PATH` does: a `.py` file as Python, any other as one
/// statement per line; `options` holds the custom conditions (`--cond`). The error names
/// a file that cannot be read.
///
/// ```
/// let dir = std::env::temp_dir().join("tminus-lint-doc");
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("app.py");
/// let app = "from rocketry import Rocketry\napp = Rocketry()\n\n@app.task(\"every 10 minuts\")\ndef fetch(): ...\n";
/// std::fs::write(&path, app)?;
/// let run = tminus::lint::file(&path, &tminus::ParseOptions::new())?;
/// assert_eq!(run.statements, 1);
/// assert_eq!(run.findings[0].diagnostic.code, "tminus::unknown-unit");
/// assert_eq!((run.findings[0].start.line, run.findings[0].start.column), (4, 21));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn file(path: &Path, options: &ParseOptions) -> Result<LintRun, String> {
    let shown = path.to_string_lossy();
    let input = Input::File(shown.into_owned(), sources::kind_of(path));
    lint_inputs(&[input], options, &mut io::empty())
}

/// The diagnostic as the lint command says it (`tminus lint`, `python -m tminus lint`, the
/// REPL): an unknown phrase is registered with `--cond`, where the library's help names
/// its Rust API.
///
/// ```
/// let statement = "daily & is holiday";
/// let d = tminus::diagnostics(statement, &tminus::ParseOptions::new()).remove(0);
/// let d = tminus::lint::for_command_line(d, statement.as_bytes());
/// assert_eq!(d.help.as_deref(), Some("register it as a custom condition with `--cond 'is holiday'`"));
/// ```
pub fn for_command_line(mut d: Diagnostic, statement: &[u8]) -> Diagnostic {
    let phrase = d
        .labels
        .first()
        .and_then(|l| statement.get(l.start..l.end))
        .map(String::from_utf8_lossy);
    let names_api = d
        .help
        .as_deref()
        .is_some_and(|h| h.contains("ParseOptions::register"));
    if let (Some(phrase), true) = (phrase, names_api) {
        d.help = Some(format!(
            "register it as a custom condition with `--cond '{phrase}'`"
        ));
    }
    d
}

/// Every diagnostic of one statement of a program whose task names and custom condition
/// phrases are all known (a live Rocketry app): its errors, or its warnings, plus a
/// `tminus::unknown-task` / `tminus::unknown-condition` warning, with a did-you-mean, for
/// each name the program does not define. `options` registers the phrases; `scope` words
/// the messages.
///
/// ```
/// use std::collections::BTreeSet;
/// let tasks: BTreeSet<String> = ["report".to_owned()].into();
/// let found = tminus::lint::app_statement(
///     "daily & after task 'reprot'",
///     &tminus::ParseOptions::new(),
///     &BTreeSet::new(),
///     &tasks,
///     tminus::lint::Scope::App,
/// );
/// assert_eq!(found[0].code, "tminus::unknown-task");
/// assert_eq!(found[0].help.as_deref(), Some("did you mean `report`?"));
/// ```
pub fn app_statement(
    text: &str,
    options: &ParseOptions,
    phrases: &BTreeSet<String>,
    tasks: &BTreeSet<String>,
    scope: Scope,
) -> Vec<Diagnostic> {
    let no_prefixes = BTreeSet::new();
    let defs = python::check::Definitions {
        options: options.clone(),
        phrases,
        phrases_complete: true,
        patterns: Vec::new(),
        tasks: Some(tasks),
        task_prefixes: &no_prefixes,
        task_patterns: Vec::new(),
        tasks_complete: true,
        scope,
    };
    python::check::statement(text, &defs)
}
