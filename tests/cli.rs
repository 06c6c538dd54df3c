//! Command-line tests, one binary: the `tminus` binary run as a user runs it. Each module's
//! first line says what it covers; golden outputs live in `tests/cli/snapshots/`.

/// Running the binary, and statement generators.
mod support;

/// What every command that reads a statement shares: errors, `--cond`, `--dst`, exit codes.
#[path = "cli/commands.rs"]
mod commands;
/// The evaluation commands (`eval`, `next`, `explain`) and `fmt`.
#[path = "cli/evaluation.rs"]
mod evaluation;
/// `explain` snapshots: tree, readings, values, reasons and next changes.
#[path = "cli/explain.rs"]
mod explain;
/// `tminus lint` on Python sources: every output format, directories and globs.
#[path = "cli/lint_python.rs"]
mod lint_python;
/// `tminus lint` on a Rocketry app of several modules written with `rocketry.conds`, with
/// planted mistakes: every format, related locations, modules that are not Rocketry's.
#[path = "cli/lint_rocketry.rs"]
mod lint_rocketry;
/// Bad input through every command (the reliability defects of issue 15).
#[path = "cli/reliability.rs"]
mod reliability;
/// `tminus repl` and `tminus timeline`: pipes, snapshots and a pseudo-terminal.
#[path = "cli/repl.rs"]
mod repl;
/// The zone of civil times: `--tz`, `TZ`, the system's; did-you-mean for unknown names.
#[path = "cli/zones.rs"]
mod zones;
