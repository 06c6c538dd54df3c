//! Command-line interface: argument parsing and the commands, each in its own module.
//! Every command uses only the public `tminus::` API.

mod case;
mod check;
mod eval;
mod explain;
mod fmt;
mod human;
mod jsonl;
mod log;
mod next;
mod parse;
mod repl;
mod run;
#[cfg(feature = "serve")]
mod serve;
mod settings;
mod status;
mod tasks;
mod timeline;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit codes: 0 nothing wrong, 1 findings (or a false statement), 2 usage or I/O error;
/// the linter's, shared by every command.
pub use tminus::lint::{FINDINGS, OK, USAGE};

/// The exit codes of every command, shown under each `--help` (and in docs/cli.md).
const EXIT_CODES: &str = "\
Exit codes (every command):
  0  done; `eval`: the statement is true
  1  a statement or file has errors (drawn on stderr), or warnings with --deny warnings;
     `eval`: the statement is false
  2  bad usage, or an unreadable file, zone, instant or history";

#[derive(Parser, Debug)]
#[command(
    name = "tminus",
    version,
    about = "Compile Rocketry-style scheduling statements and tell when they next hold",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check statements for errors and warnings.
    #[command(after_help = EXIT_CODES)]
    Lint(tminus::lint::LintArgs),
    /// Print a statement's meaning, as canonical text or JSON.
    #[command(after_help = EXIT_CODES)]
    Parse(parse::ParseArgs),
    /// Print statements in canonical form (as written; `--sort` sorts operands, `--simplify` optimizes).
    #[command(after_help = EXIT_CODES)]
    Fmt(fmt::FmtArgs),
    /// Whether a statement is true at an instant (exit 0 when true, 1 when false).
    #[command(after_help = EXIT_CODES)]
    Eval(eval::EvalCommand),
    /// The next windows in which a statement is true.
    #[command(after_help = EXIT_CODES)]
    Next(next::NextCommand),
    /// A statement as a tree: each part's meaning, truth at an instant, why, and next change.
    #[command(after_help = EXIT_CODES)]
    Explain(explain::ExplainCommand),
    /// Try statements interactively: truth now, next windows, `:` commands (reads a pipe too).
    ///
    /// Type `:help` inside for the commands. Typed lines are kept in $TMINUS_HISTORY, else
    /// in tminus/history.txt in the user's data directory (an empty TMINUS_HISTORY keeps none).
    #[command(after_help = EXIT_CODES)]
    Repl(repl::ReplCommand),
    /// Draw when a statement is true over the coming days, one row per day.
    ///
    /// Each row is a civil day of the zone in 48 half-hour cells; a cell is filled (█) when
    /// the statement is true during any part of it, computed from its windows, not by
    /// sampling. Cells before --after are blank.
    #[command(after_help = EXIT_CODES)]
    Timeline(timeline::TimelineCommand),
    /// Run the tasks of a TOML file: launch each when its statement holds, log what happens.
    ///
    /// Each event prints `<instant> <task> <action> [reason]`. SIGTERM and SIGINT stop
    /// gracefully (running commands get SIGTERM, then SIGKILL after 5 s); SIGHUP or a change
    /// of the file reloads it. See docs/running.md.
    #[command(after_help = EXIT_CODES)]
    Run(run::RunArgs),
    /// Check a tasks file without running it (exit 1 when it has errors).
    #[command(after_help = EXIT_CODES)]
    Check(check::CheckArgs),
    /// Each task of a tasks file: state, last outcome and when, next window.
    #[command(after_help = EXIT_CODES)]
    Status(status::StatusArgs),
    /// A task log's records, oldest first.
    #[command(after_help = EXIT_CODES)]
    Log(log::LogArgs),
    /// Serve the web playground and its JSON API (http://127.0.0.1:8080/ by default).
    #[cfg(feature = "serve")]
    #[command(after_help = EXIT_CODES)]
    Serve(serve::ServeArgs),
}

/// Parses the arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { USAGE } else { OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Lint(args) => lint(&args),
        Command::Parse(args) => parse::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Next(args) => next::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Repl(args) => repl::run(&args),
        Command::Timeline(args) => timeline::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Status(args) => status::run(&args),
        Command::Log(args) => log::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&args),
    };
    ExitCode::from(code)
}

/// Output format of commands that print diagnostics or results.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// One JSON document.
    Json,
}

/// Reports a usage or I/O error and gives its exit code.
pub fn usage(message: &str) -> u8 {
    eprintln!("error: {message}");
    USAGE
}

/// `tminus lint`: the library's linter on the process's standard streams.
fn lint(args: &tminus::lint::LintArgs) -> u8 {
    let (stdin, stdout, stderr) = (std::io::stdin(), std::io::stdout(), std::io::stderr());
    let io = tminus::lint::Io {
        stdin: &mut stdin.lock(),
        out: &mut stdout.lock(),
        err: &mut stderr.lock(),
        color: use_color(),
    };
    tminus::lint::run(args, io)
}

/// Whether to colour output written to stdout: only on a terminal, and never with `NO_COLOR`.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Parses a statement given on the command line. On errors each diagnostic is drawn on
/// stderr, as `tminus parse` draws it, and the answer is the exit code [`FINDINGS`].
pub fn statement(text: &str, options: &tminus::ParseOptions) -> Result<tminus::Statement, u8> {
    tminus::Statement::parse_with(text, options).map_err(|errors| {
        let options = tminus::RenderOptions {
            color: use_stderr_color(),
        };
        for e in errors.errors() {
            let d = for_command_line(tminus::Diagnostic::from(e), text.as_bytes());
            let _ = tminus::render(&d, text, "<statement>", options, &mut std::io::stderr());
        }
        FINDINGS
    })
}

pub use tminus::lint::for_command_line;

/// Whether to colour output written to stderr: only on a terminal, and never with `NO_COLOR`.
fn use_stderr_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// The custom predicates named with `--cond`.
pub fn parse_options(conds: &[String]) -> tminus::ParseOptions {
    conds
        .iter()
        .fold(tminus::ParseOptions::new(), |o, c| o.register(c.as_str()))
}
