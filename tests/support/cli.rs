//! Running the `tminus` binary as a user runs it: arguments, stdin, no colour, no REPL
//! history file.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `tminus ARGS` in `dir` (the current directory when `None`) with `stdin` piped in.
pub fn tminus_in(dir: Option<&Path>, args: &[&str], stdin: &[u8]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tminus"));
    // The golden SARIF files are written without a docs URL, whatever the shell has.
    command.env_remove("TMINUS_DOCS_URL");
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    run(command, args, stdin)
}

/// Runs `tminus ARGS` with the environment variables `vars` set.
pub fn tminus_env(vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tminus"));
    command.envs(vars.iter().copied());
    run(command, args, b"")
}

/// Runs `tminus ARGS` with the environment variable `TZ` set to `tz` (removed when `None`).
pub fn tminus_tz(tz: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tminus"));
    match tz {
        Some(tz) => command.env("TZ", tz),
        None => command.env_remove("TZ"),
    };
    run(command, args, b"")
}

fn run(mut command: Command, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = command
        .args(args)
        .env("NO_COLOR", "1")
        .env("TMINUS_HISTORY", "")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tminus runs");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("stdin");
    drop(input);
    child.wait_with_output().expect("tminus exits")
}

/// Runs `tminus ARGS` with `stdin` piped in.
pub fn tminus(args: &[&str], stdin: &[u8]) -> Output {
    tminus_in(None, args, stdin)
}

/// The output's stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
