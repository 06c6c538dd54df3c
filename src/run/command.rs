//! Commands in child processes: spawning, what they print, and stopping them.

use super::task::CommandSpec;
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};

/// The most of standard output kept as a command's return value.
pub const RETURN_CAP: usize = 64 * 1024;
/// How many of the last lines of standard error a failure keeps.
const STDERR_LINES: usize = 20;

/// How a command ended.
#[derive(Debug)]
pub(crate) struct Exit {
    /// Its standard output (trimmed, at most [`RETURN_CAP`] bytes), or why it failed.
    pub result: Result<Option<String>, String>,
    /// The last lines of its standard error.
    pub stderr: Option<String>,
}

/// A command that runs; its process group is its own, so stopping it stops its children.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Child {
    group: i32,
}

impl Child {
    /// Asks the command to stop (SIGTERM to its process group).
    pub fn terminate(self) {
        let _ = killpg(Pid::from_raw(self.group), Signal::SIGTERM);
    }

    /// Stops it for good (SIGKILL to its process group).
    pub fn kill(self) {
        let _ = killpg(Pid::from_raw(self.group), Signal::SIGKILL);
    }
}

/// Starts `spec` with `env` added; `done` gets the exit, on a thread of its own, when the
/// command has ended and closed its output. An `Err` is a command that could not start.
pub(crate) fn spawn(
    spec: &CommandSpec,
    env: &[(String, String)],
    done: impl FnOnce(Exit) + Send + 'static,
) -> Result<Child, String> {
    let Some((program, args)) = spec.argv.split_first() else {
        return Err("the command is empty".into());
    };
    let mut command = Command::new(program);
    command
        .args(args)
        .envs(spec.env.iter())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    if let Some(cwd) = &spec.cwd {
        command.current_dir(cwd);
    }
    let mut child = command.spawn().map_err(|e| match &spec.cwd {
        Some(cwd) if !cwd.is_dir() => {
            format!("cannot run `{program}`: no directory {}", cwd.display())
        }
        _ => format!("cannot run `{program}`: {e}"),
    })?;
    let group = child.id() as i32;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    std::thread::Builder::new()
        .name(format!("tminus-wait-{group}"))
        .spawn(move || {
            let tail = stderr.map(|stderr| std::thread::spawn(move || last_lines(stderr)));
            let output = stdout.map(read_capped).unwrap_or_default();
            let status = child.wait();
            let stderr = tail.and_then(|t| t.join().ok()).filter(|s| !s.is_empty());
            let result = match status {
                Ok(status) if status.success() => Ok(Some(output.trim().to_owned())),
                Ok(status) => Err(match (status.code(), status.signal()) {
                    (Some(code), _) => format!("exit status {code}"),
                    (None, Some(signal)) => format!("killed by signal {signal}"),
                    _ => status.to_string(),
                }),
                Err(e) => Err(format!("waiting for the command failed: {e}")),
            };
            done(Exit { result, stderr });
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    Ok(Child { group })
}

/// Everything `reader` gives, keeping the first [`RETURN_CAP`] bytes (cut at a character).
fn read_capped(mut reader: impl Read) -> String {
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = RETURN_CAP.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
    }
    let mut text = String::from_utf8_lossy(&kept).into_owned();
    while text.len() > RETURN_CAP {
        text.pop();
    }
    text
}

/// The last [`STDERR_LINES`] lines `reader` gives.
fn last_lines(reader: impl Read) -> String {
    let mut lines = VecDeque::new();
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
        if lines.len() == STDERR_LINES {
            lines.pop_front();
        }
        let mut text = String::from_utf8_lossy(&line).trim_end().to_owned();
        text.truncate(text.floor_char_boundary(1000));
        lines.push_back(text);
        line.clear();
    }
    Vec::from(lines).join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn run(spec: CommandSpec) -> Exit {
        let (tx, rx) = mpsc::channel();
        spawn(&spec, &[("TMINUS_X".into(), "x".into())], move |exit| {
            tx.send(exit).unwrap()
        })
        .unwrap();
        rx.recv().unwrap()
    }

    #[test]
    fn output_is_the_return_value_and_stderr_the_detail() {
        let exit = run(CommandSpec::shell("echo \"  $TMINUS_X \"; echo oops >&2"));
        assert_eq!(exit.result, Ok(Some("x".into())));
        let exit = run(CommandSpec::shell("echo one >&2; echo two >&2; exit 3"));
        assert_eq!(exit.result, Err("exit status 3".into()));
        assert_eq!(exit.stderr.as_deref(), Some("one\ntwo"));
    }

    #[test]
    fn a_missing_program_does_not_start() {
        let error = spawn(&CommandSpec::new(["tminus-no-such-program"]), &[], |_| {}).unwrap_err();
        assert!(
            error.starts_with("cannot run `tminus-no-such-program`"),
            "{error}"
        );
    }

    #[test]
    fn return_values_are_capped() {
        let exit = run(CommandSpec::shell("head -c 100000 /dev/zero | tr '\\0' a"));
        assert_eq!(exit.result.unwrap().unwrap().len(), RETURN_CAP);
    }
}
