//! The REPL on a pseudo-terminal, as a person types into it (rexpect drives the pty): start
//! it, type keys, wait for its prompt.

use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Each expectation fails after this long.
const TIMEOUT_MS: u64 = 5_000;

/// The main prompt, without its trailing space (styling may sit between them).
pub const PROMPT: &str = "tminus>";

/// A fresh line-history file for one test.
pub fn history_file(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// `tminus repl --tz UTC --at 2024-03-11T10:30` on a terminal, at its first prompt; with
/// `color` false, `NO_COLOR` is set and escape codes are stripped from what is read.
pub fn repl(history: &Path, color: bool) -> PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tminus"));
    command
        .args(["repl", "--tz", "UTC", "--at", "2024-03-11T10:30"])
        .env("TERM", "xterm-256color")
        .env("TMINUS_HISTORY", history);
    if color {
        command.env_remove("NO_COLOR");
    } else {
        command.env("NO_COLOR", "1");
    }
    let options = Options::new()
        .timeout_ms(Some(TIMEOUT_MS))
        .strip_ansi_escape_codes(!color);
    let mut session = spawn_with_options(command, options).expect("tminus repl starts");
    session.exp_string(PROMPT).expect("a prompt");
    session
}

/// Types `keys` without Enter (rexpect buffers them until a flush).
pub fn press(session: &mut PtySession, keys: &str) {
    session.send(keys).unwrap();
    session.flush().unwrap();
}

/// Waits for the next main prompt: keys sent while the editor is between two lines may be
/// discarded when it switches the terminal back to raw mode.
pub fn next_prompt(session: &mut PtySession) {
    session.exp_string(PROMPT).unwrap();
}
