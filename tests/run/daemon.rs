//! The daemon on real files: launches, failures, timeouts, signals, reload, kill -9.

use super::logs::{postgres_url, temp_dir};
use crate::support::cli::{stdout, tminus};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tminus::{Action, History, MemoryHistory};

/// Generous: the machine is shared.
const PATIENCE: Duration = Duration::from_secs(30);

/// `tminus run tasks.toml --format json` in a folder, its events read as they come.
struct Daemon {
    child: Child,
    events: mpsc::Receiver<Value>,
    dir: PathBuf,
}

impl Daemon {
    fn start(dir: &Path, extra: &[&str]) -> Daemon {
        let stderr = std::fs::File::create(dir.join("stderr.txt")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tminus"))
            .current_dir(dir)
            .args(["run", "tasks.toml", "--format", "json"])
            .args(extra)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let (tx, events) = mpsc::channel();
        let out = BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                let value: Value =
                    serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Daemon {
            child,
            events,
            dir: dir.to_owned(),
        }
    }

    /// The events up to and including the first that matches `task` and `action`.
    fn until(&self, task: &str, action: &str) -> Vec<Value> {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) => {
                    let done = event["task"] == task && event["action"] == action;
                    seen.push(event);
                    if done {
                        return seen;
                    }
                }
                Err(_) => panic!(
                    "no `{task} {action}` in time; saw {seen:#?}\nstderr: {}",
                    self.stderr()
                ),
            }
        }
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.join("stderr.txt")).unwrap_or_default()
    }

    fn signal(&self, signal: &str) {
        crate::support::signal::send(&self.child, signal);
    }

    /// The events up to the point where each of `wanted` (task, action) has been seen.
    fn until_all(&self, wanted: &[(&str, &str)]) -> Vec<Value> {
        let mut seen: Vec<Value> = Vec::new();
        for (task, action) in wanted {
            if !seen
                .iter()
                .any(|e| e["task"] == *task && e["action"] == *action)
            {
                seen.extend(self.until(task, action));
            }
        }
        seen
    }

    /// Waits for the exit; the events printed meanwhile.
    fn wait(mut self) -> (ExitStatus, Vec<Value>) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(50));
                let rest = self.events.try_iter().collect();
                return (status, rest);
            }
            assert!(Instant::now() < deadline, "the daemon did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn folder(name: &str, tasks: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("tasks.toml"), tasks).unwrap();
    dir
}

fn actions(history: &MemoryHistory, task: &str) -> Vec<Action> {
    history.events(task).iter().map(|e| e.action).collect()
}

fn is_alive(pid: &str) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
    // A zombie (state Z) has ended.
    !stat.is_empty()
        && stat
            .split(") ")
            .nth(1)
            .is_some_and(|rest| !rest.starts_with('Z'))
}

#[test]
fn a_pipeline_runs_in_order_and_passes_return_values() {
    let dir = folder(
        "pipeline",
        r#"
[scheduler]
shut_cond = "task 'load' has succeeded"

[params]
env = "prod"
"batch size" = "10"

[tasks.extract]
command = "echo '  42 rows  '"
start_cond = "every 1 minute"

[tasks.transform]
command = ["sh", "-c", "echo \"$TMINUS_RETURN_EXTRACT for $TMINUS_PARAM_ENV/$TMINUS_PARAM_BATCH_SIZE\" > seen.txt"]
start_cond = "after task 'extract' succeeded"

[tasks.load]
command = "test -f seen.txt"
start_cond = "after task 'transform' succeeded"
"#,
    );
    let daemon = Daemon::start(&dir, &[]);
    let (status, events) = daemon.wait();
    assert!(status.success());
    let order: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["task"].as_str().unwrap(),
                e["action"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            "extract run",
            "extract success",
            "transform run",
            "transform success",
            "load run",
            "load success"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("seen.txt")).unwrap(),
        "42 rows for prod/10\n"
    );
    // The default log: tasks.db beside the file, in Rocketry's layout.
    let history = MemoryHistory::from_rocketry_sqlite(&dir.join("tasks.db"), "tasks").unwrap();
    assert_eq!(actions(&history, "extract"), [Action::Run, Action::Success]);
    assert_eq!(history.len(), 6);
}

#[test]
fn launches_follow_the_statements() {
    let dir = folder(
        "count",
        r#"
[scheduler]
log = "csv:log.csv"
shut_cond = "scheduler has run over 4 seconds"

[tasks.often]
command = "true"
start_cond = "every 1 second"

[tasks.never]
command = "true"
start_cond = "false"

[tasks.off]
command = "true"
start_cond = "every 1 second"
disabled = true
"#,
    );
    let (status, _) = Daemon::start(&dir, &[]).wait();
    assert!(status.success());
    let history =
        MemoryHistory::from_rocketry_csv(std::fs::File::open(dir.join("log.csv")).unwrap())
            .unwrap();
    let runs = history
        .events("often")
        .iter()
        .filter(|e| e.action == Action::Run)
        .count();
    // Every second (true 1 s + 1 µs after the last run) for 4 seconds.
    assert!((3..=5).contains(&runs), "{runs} runs");
    assert!(history.events("never").is_empty());
    assert!(history.events("off").is_empty());
}

#[test]
fn failures_missing_commands_timeouts_and_end_conds_are_recorded() {
    let dir = folder(
        "outcomes",
        r#"
[scheduler]
log = "sqlite:outcomes.db"
shut_cond = "task 'ended' has terminated & task 'slow' has terminated & task 'broken' has failed & task 'missing' has failed"

[tasks.broken]
command = "echo first >&2; echo 'no connection' >&2; exit 3"
start_cond = "daily"

[tasks.missing]
command = ["tminus-no-such-command", "--flag"]
start_cond = "daily"

[tasks.slow]
command = "sleep 60"
start_cond = "daily"
timeout = "1 second"

[tasks.ended]
command = "sleep 60"
start_cond = "daily"
end_cond = "task 'slow' has terminated"
"#,
    );
    let (status, events) = Daemon::start(&dir, &[]).wait();
    assert!(status.success());
    let message = |task: &str, action: &str| {
        events
            .iter()
            .find(|e| e["task"] == task && e["action"] == action)
            .unwrap_or_else(|| panic!("no {task} {action} in {events:#?}"))["message"]
            .clone()
    };
    assert_eq!(message("broken", "fail"), "exit status 3");
    assert!(message("missing", "fail")
        .as_str()
        .unwrap()
        .starts_with("cannot run `tminus-no-such-command`"));
    assert_eq!(message("slow", "terminate"), "timeout after 1 second");
    assert_eq!(message("ended", "terminate"), "end_cond became true");
    let mut log = tminus::run::open_log(
        &"sqlite:outcomes.db"
            .parse::<tminus::run::LogUrl>()
            .unwrap()
            .relative_to(&dir),
    )
    .unwrap();
    let records = log.read().unwrap();
    let broken = records
        .iter()
        .find(|r| r.task_name == "broken" && r.action == Action::Fail)
        .unwrap();
    assert_eq!(broken.exc_text.as_deref(), Some("first\nno connection"));
}

#[test]
fn sigterm_terminates_running_commands_and_exits_zero() {
    let dir = folder(
        "sigterm",
        r#"
[tasks.long]
command = "echo $$ > pid; exec sleep 60"
start_cond = "daily"

[tasks.stubborn]
command = "trap '' TERM; echo $$ > stubborn.pid; while true; do sleep 0.1; done"
start_cond = "daily"
"#,
    );
    let daemon = Daemon::start(&dir, &[]);
    daemon.until_all(&[("long", "run"), ("stubborn", "run")]);
    let wait_for = |name: &str| {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match std::fs::read_to_string(dir.join(name)) {
                Ok(pid) if !pid.trim().is_empty() => return pid,
                _ if Instant::now() > deadline => panic!("no {name}"),
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    };
    let (pid, stubborn) = (wait_for("pid"), wait_for("stubborn.pid"));
    assert!(is_alive(&pid));
    daemon.signal("-TERM");
    let started = Instant::now();
    let (status, events) = daemon.wait();
    assert!(status.success(), "{status:?}");
    // The stubborn one ignores SIGTERM: killed after the grace period (5 s).
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    for task in ["long", "stubborn"] {
        let event = events.iter().find(|e| e["task"] == task).unwrap();
        assert_eq!(event["action"], "terminate");
        assert_eq!(event["message"], "the scheduler is shutting down");
    }
    assert!(!is_alive(&pid) && !is_alive(&stubborn));
}

#[test]
fn sighup_and_file_changes_reload_and_a_broken_file_keeps_the_running_one() {
    let first = r#"
[tasks.a]
command = "true"
start_cond = "daily"
"#;
    let dir = folder("reload", first);
    let daemon = Daemon::start(&dir, &[]);
    daemon.until("a", "success");
    // A broken file: reported at its line and column, nothing changes.
    std::fs::write(
        dir.join("tasks.toml"),
        format!("{first}\n[tasks.b]\ncommand = 'true'\nstart_cond = 'dialy'\n"),
    )
    .unwrap();
    daemon.signal("-HUP");
    let deadline = Instant::now() + PATIENCE;
    while !daemon.stderr().contains("not reloaded") {
        assert!(Instant::now() < deadline, "{}", daemon.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        daemon.stderr().contains("tasks.toml:8:15"),
        "{}",
        daemon.stderr()
    );
    assert!(
        daemon.stderr().contains("did you mean `daily`?"),
        "{}",
        daemon.stderr()
    );
    // Fixed, and written: the file watch reloads it, no signal needed.
    std::fs::write(
        dir.join("tasks.toml"),
        format!("{first}\n[tasks.b]\ncommand = 'true'\nstart_cond = 'daily'\n"),
    )
    .unwrap();
    let events = daemon.until("b", "success");
    assert!(events.iter().all(|e| e["task"] != "a"), "{events:#?}"); // `a` ran today already
    daemon.signal("-INT");
    let (status, _) = daemon.wait();
    assert!(status.success());
}

#[test]
fn kill_9_then_restart_records_the_crash_and_runs_only_what_rocketry_would() {
    let dir = folder(
        "restart",
        r#"
[tasks.long]
command = "echo $$ > long.pid; exec sleep 60"
start_cond = "daily"

[tasks.quick]
command = "true"
start_cond = "daily"

[tasks.hourly]
command = "true"
start_cond = "every 1 hour"
"#,
    );
    let daemon = Daemon::start(&dir, &[]);
    daemon.until_all(&[("quick", "success"), ("long", "run"), ("hourly", "success")]);
    daemon.signal("-9");
    let (status, _) = daemon.wait();
    assert!(!status.success());
    // The orphan `sleep` keeps its process group; clean it up as an operator would.
    if let Ok(pid) = std::fs::read_to_string(dir.join("long.pid")) {
        let _ = Command::new("kill").args(["-9", pid.trim()]).status();
    }
    let daemon = Daemon::start(&dir, &[]);
    let events = daemon.until("long", "run");
    assert_eq!(events[0]["task"], "long");
    assert_eq!(events[0]["action"], "crash");
    std::thread::sleep(Duration::from_millis(1500));
    daemon.signal("-TERM");
    let (status, rest) = daemon.wait();
    assert!(status.success());
    let all: Vec<&Value> = events.iter().chain(&rest).collect();
    assert!(
        all.iter()
            .all(|e| e["task"] != "quick" && e["task"] != "hourly"),
        "{all:#?}"
    );
    let history = MemoryHistory::from_rocketry_sqlite(&dir.join("tasks.db"), "tasks").unwrap();
    assert_eq!(
        actions(&history, "long"),
        [Action::Run, Action::Crash, Action::Run, Action::Terminate]
    );
    assert_eq!(actions(&history, "quick"), [Action::Run, Action::Success]);
}

#[test]
fn a_postgres_log_is_written_and_resumed() {
    let url = postgres_url("daemon");
    let dir = folder(
        "postgres",
        &format!(
            r#"
[scheduler]
log = "{url}"
shut_cond = "task 'once' has succeeded"

[tasks.once]
command = "true"
start_cond = "daily"
"#
        ),
    );
    let (status, events) = Daemon::start(&dir, &[]).wait();
    assert!(status.success(), "{events:#?}");
    // Again: `daily` has run today, so nothing runs; the log says so.
    let out = tminus(
        &[
            "log",
            dir.join("tasks.toml").to_str().unwrap(),
            "--format",
            "json",
        ],
        b"",
    );
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines[1]["action"], "success");
    let status = tminus(
        &[
            "status",
            dir.join("tasks.toml").to_str().unwrap(),
            "--format",
            "json",
        ],
        b"",
    );
    let status: Value = serde_json::from_str(stdout(&status).trim()).unwrap();
    assert_eq!(status["task"], "once");
    assert_eq!(status["state"], "idle");
    assert_eq!(status["last"]["action"], "success");
    assert_eq!(status["next"]["kind"], "at"); // tomorrow
    let schema = url
        .split("schema=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let mut client =
        postgres::Client::connect("postgres://postgres@127.0.0.1:5432/test", postgres::NoTls)
            .unwrap();
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}

#[test]
fn bad_files_and_bad_logs_are_refused_before_anything_runs() {
    let dir = folder(
        "refused",
        "[scheduler]\ntimezone = 'Europe/Helsinki'\n\n[tasks.a]\ncommand = 'touch ran'\nstart_cond = \"after task 'b'\"\n",
    );
    let file = dir.join("tasks.toml");
    let out = tminus(&["run", file.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no task `b` in this file"), "{err}");
    assert!(err.contains("tasks.toml:6:26"), "{err}");
    let check = tminus(&["check", file.to_str().unwrap()], b"");
    assert_eq!(check.status.code(), Some(1));
    assert!(!dir.join("ran").exists() && !dir.join("tasks.db").exists());

    std::fs::write(
        &file,
        "[tasks.a]\ncommand = 'touch ran'\nstart_cond = 'daily'\n",
    )
    .unwrap();
    assert_eq!(
        tminus(&["check", file.to_str().unwrap()], b"")
            .status
            .code(),
        Some(0)
    );
    let out = tminus(
        &[
            "run",
            file.to_str().unwrap(),
            "--log",
            "sqlite:/nonexistent/dir/x.db",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open the task log"));
    std::fs::write(
        dir.join("bad.csv"),
        "task_name,action,created\r\na,sucess,1\r\n",
    )
    .unwrap();
    let out = tminus(
        &[
            "run",
            file.to_str().unwrap(),
            "--log",
            &format!("csv:{}", dir.join("bad.csv").display()),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`sucess`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.join("ran").exists());
}

#[test]
fn the_readmes_example_runs_and_stops_by_itself() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tasks.toml");
    let dir = folder("example", &std::fs::read_to_string(example).unwrap());
    let started = Instant::now();
    let (status, events) = Daemon::start(&dir, &[]).wait();
    assert!(status.success());
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "{:?}",
        started.elapsed()
    );
    let has = |task: &str, action: &str| {
        events
            .iter()
            .any(|e| e["task"] == task && e["action"] == action)
    };
    assert!(
        has("transform", "success")
            && has("flaky", "fail")
            && has("slow", "terminate")
            && has("report", "success")
    );
    assert!(dir.join("tasks.db").exists());
}
