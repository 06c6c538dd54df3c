//! Several schedulers on one PostgreSQL log: claims, takeover of a frozen or killed
//! instance, wake-ups from other instances, and three `tminus run` processes killed and
//! restarted at random for a minute. Each test has a schema of its own.

use super::logs::{postgres_url, temp_dir};
use chrono::{DateTime, TimeDelta, Timelike, Utc};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tminus::run::{ClusterLog, ClusterOptions, LogRecord, LogUrl, TaskLog};
use tminus::{Action, Event, History};

/// Generous: the machine is shared.
const PATIENCE: Duration = Duration::from_secs(30);

/// A fresh schema for `name`: its log URL, and a client on the server.
fn fresh(name: &str) -> (String, postgres::Client, String) {
    let text = postgres_url(name);
    let url: LogUrl = text.parse().unwrap();
    let LogUrl::Postgres { url, schema, .. } = url else {
        panic!()
    };
    let schema = schema.unwrap();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
    (text, client, schema)
}

fn options(name: &str, lease: i64) -> ClusterOptions {
    ClusterOptions {
        lease: TimeDelta::seconds(lease),
        instance: Some(name.into()),
    }
}

fn run_record(task: &str) -> LogRecord {
    let now = Utc::now();
    LogRecord {
        start: Some(now),
        ..LogRecord::new(task, Action::Run, now)
    }
}

/// The log's records, in id order.
fn records(url: &str) -> Vec<LogRecord> {
    tminus::run::open_log(&url.parse().unwrap())
        .unwrap()
        .read()
        .unwrap()
}

fn history(records: &[LogRecord]) -> tminus::MemoryHistory {
    let mut history = tminus::MemoryHistory::new();
    for r in records {
        history.record(&r.task_name, r.action, r.created);
    }
    history
}

#[test]
fn one_view_one_launch_and_a_stale_view_is_refused() {
    let (url, mut client, schema) = fresh("claims");
    let parsed: LogUrl = url.parse().unwrap();
    let mut logs: Vec<ClusterLog> = (0..3)
        .map(|i| ClusterLog::join(&parsed, &options(&format!("n{i}"), 10)).unwrap())
        .collect();
    for log in &mut logs {
        assert!(log.read().unwrap().is_empty());
    }
    // Three schedulers decide on the same (empty) view: one launch.
    let won: Vec<bool> = logs
        .iter_mut()
        .map(|log| log.claim_run(&mut run_record("t")).unwrap())
        .collect();
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{won:?}");
    let winner = won.iter().position(|w| *w).unwrap();
    // A loser asks again without fetching: still stale, still refused.
    let loser = (winner + 1) % 3;
    assert!(!logs[loser].claim_run(&mut run_record("t")).unwrap());
    // Once it has fetched the winner's run, its view is fresh and its claim is taken.
    let fetched = logs[loser].fetch_new().unwrap();
    assert_eq!(fetched.len(), 1, "{fetched:?}");
    assert!(logs[loser].claim_run(&mut run_record("t")).unwrap());
    // Another task is claimed independently.
    assert!(logs[winner].claim_run(&mut run_record("u")).unwrap());
    let runs: i64 = client
        .query_one(
            &format!("SELECT count(*) FROM {schema}.log_claims WHERE run IS NOT NULL"),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(runs, 3);
    // An instance whose lease is gone (its row deleted, as a takeover does) is fenced.
    client
        .execute(
            &format!("DELETE FROM {schema}.log_instances WHERE id = 'n{loser}'"),
            &[],
        )
        .unwrap();
    logs[loser].fetch_new().unwrap();
    assert!(!logs[loser].claim_run(&mut run_record("u")).unwrap());
    drop(logs);
    let left: i64 = client
        .query_one(&format!("SELECT count(*) FROM {schema}.log_instances"), &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "instances leave when their log is dropped");
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}

#[test]
fn a_lost_connection_is_opened_again() {
    let (url, mut client, schema) = fresh("reconnect");
    let parsed: LogUrl = url.parse().unwrap();
    let name = format!("r{}", std::process::id());
    let mut log = ClusterLog::join(&parsed, &options(&name, 10)).unwrap();
    log.read().unwrap();
    assert!(log.claim_run(&mut run_record("t")).unwrap());
    // The server drops every connection of the instance (a restart, a cut link).
    let cut: i64 = client
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = $1",
            &[&format!("tminus {name}")],
        )
        .unwrap()
        .get(0);
    assert!(cut >= 1, "{cut}");
    // The next writes connect again: the finish is written, and so is a new claim.
    let mut finish = LogRecord::finish("t", Action::Success, Utc::now(), Utc::now());
    finish.start = records(&url)[0].start;
    assert!(log.close_run(&mut finish).unwrap());
    assert!(log.claim_run(&mut run_record("u")).unwrap());
    let actions: Vec<Action> = records(&url).iter().map(|r| r.action).collect();
    assert_eq!(actions, [Action::Run, Action::Success, Action::Run]);
    let states: Vec<String> = client
        .query(
            &format!("SELECT state FROM {schema}.log_claims ORDER BY task_name"),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(states, ["closed", "open"]);
    drop(log);
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}

/// `tminus run` on a tasks file, output in files of `dir`.
struct Instance {
    child: Child,
    name: String,
}

impl Instance {
    fn start(dir: &Path, file: &str, name: &str) -> Instance {
        let out = std::fs::File::create(dir.join(format!("{name}.out"))).unwrap();
        let err = std::fs::File::create(dir.join(format!("{name}.err"))).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_tminus"))
            .current_dir(dir)
            .args(["run", file, "--instance", name])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap();
        Instance {
            child,
            name: name.into(),
        }
    }

    fn signal(&self, signal: &str) {
        crate::support::signal::send(&self.child, signal);
    }

    /// SIGTERM, then the exit.
    fn stop(mut self) {
        self.signal("-TERM");
        let deadline = Instant::now() + PATIENCE;
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "{} did not exit", self.name);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `f` holds, or panics saying `what`.
fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_frozen_instance_is_taken_over_and_its_late_success_is_no_second_run() {
    let (url, mut client, schema) = fresh("frozen");
    let dir = temp_dir("cluster-frozen");
    let file = format!(
        "[scheduler]\ntimezone = 'UTC'\nlog = '{url}'\n[cluster]\nlease = '2 seconds'\n\
         [tasks.long]\ncommand = 'sleep 3'\nstart_cond = 'every 1 hour'\n"
    );
    write(&dir, "tasks.toml", &file);
    let a = Instance::start(&dir, "tasks.toml", "a");
    wait_for("a's run", || {
        records(&url).iter().any(|r| r.action == Action::Run)
    });
    let b = Instance::start(&dir, "tasks.toml", "b");
    // `tminus status` shows who runs what, and both instances with their lease.
    wait_for("b to join", || {
        let out = Command::new(env!("CARGO_BIN_EXE_tminus"))
            .current_dir(&dir)
            .args(["status", "tasks.toml", "--format", "json"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let task = lines.iter().find(|l| l["task"] == "long");
        let instances: Vec<&str> = lines
            .iter()
            .filter_map(|l| l["instance"].as_str())
            .collect();
        task.is_some_and(|t| t["state"] == "running" && t["instances"][0] == "a")
            && instances == ["a", "b"]
    });
    // Frozen past its lease (the command it started goes on and ends meanwhile).
    a.signal("-STOP");
    let frozen = Instant::now();
    wait_for("b's takeover", || {
        records(&url).iter().any(|r| r.action == Action::Crash)
    });
    let failover = frozen.elapsed();
    std::thread::sleep(Duration::from_secs(2)); // the command ends while a is frozen
    a.signal("-CONT");
    wait_for("a's late outcome", || {
        client
            .query_one(
                &format!("SELECT late_action FROM {schema}.log_claims WHERE task_name = 'long'"),
                &[],
            )
            .unwrap()
            .get::<_, Option<String>>(0)
            .is_some()
    });
    a.stop();
    b.stop();
    let log = records(&url);
    let actions: Vec<Action> = log.iter().map(|r| r.action).collect();
    assert_eq!(actions, [Action::Run, Action::Crash], "{log:#?}");
    let crash = log[1].message.clone().unwrap();
    assert!(
        crash.contains("instance a stopped renewing its lease") && crash.contains("by b"),
        "{crash}"
    );
    let late: (String, String) = client
        .query_one(
            &format!("SELECT late_action, state FROM {schema}.log_claims"),
            &[],
        )
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert_eq!(late, ("success".into(), "crashed".into()));
    // a said so on its own output.
    let out = std::fs::read_to_string(dir.join("a.out")).unwrap();
    assert!(out.contains("long success late:"), "{out}");
    // The lease is 2 seconds, renewed every 2/3 s: the takeover comes after the lease
    // ran out, within a generous bound.
    assert!(failover > Duration::from_millis(1300), "{failover:?}");
    assert!(failover < Duration::from_secs(15), "{failover:?}");
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}

#[test]
fn a_success_on_one_instance_wakes_the_dependent_on_another() {
    let (url, mut client, schema) = fresh("wake");
    let dir = temp_dir("cluster-wake");
    // Same log, two files: `extract` can only run on the first instance, `transform` only
    // on the second. The default lease (10 s) re-reads every 3.3 s: only a notification
    // wakes the second instance within a second.
    let file = |extract: bool| {
        format!(
            "[scheduler]\ntimezone = 'UTC'\nlog = '{url}'\n\
             [tasks.extract]\ncommand = 'sleep 0.2'\nstart_cond = 'every 4 seconds'\n\
             disabled = {}\n\
             [tasks.transform]\ncommand = 'true'\nstart_cond = \"after task 'extract' succeeded\"\n\
             disabled = {}\n",
            !extract, extract
        )
    };
    write(&dir, "first.toml", &file(true));
    write(&dir, "second.toml", &file(false));
    let second = Instance::start(&dir, "second.toml", "second");
    std::thread::sleep(Duration::from_millis(500));
    let first = Instance::start(&dir, "first.toml", "first");
    wait_for("three transforms", || {
        records(&url)
            .iter()
            .filter(|r| r.task_name == "transform" && r.action == Action::Success)
            .count()
            >= 3
    });
    first.stop();
    second.stop();
    let log = records(&url);
    let mut latencies = Vec::new();
    for (i, r) in log.iter().enumerate() {
        if r.task_name == "transform" && r.action == Action::Run {
            let success = log[..i]
                .iter()
                .rev()
                .find(|e| e.task_name == "extract" && e.action == Action::Success)
                .expect("transform ran after extract succeeded");
            latencies.push(r.created - success.created);
        }
    }
    assert!(latencies.len() >= 3, "{log:#?}");
    assert!(
        latencies.iter().all(|l| *l < TimeDelta::seconds(1)),
        "{latencies:?}"
    );
    let _ = client.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
}

/// A tiny deterministic generator (xorshift), seeded from the clock and printed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Consecutive launches of `task`, each pair at least `gap` apart (minus a little for
/// rounding), and never more than `most` apart.
fn check_spacing(log: &[LogRecord], task: &str, gap: TimeDelta, most: TimeDelta) {
    let runs: Vec<DateTime<Utc>> = log
        .iter()
        .filter(|r| r.task_name == task && r.action == Action::Run)
        .map(|r| r.created)
        .collect();
    assert!(runs.len() >= 2, "{task}: {runs:?}");
    for pair in runs.windows(2) {
        let between = pair[1] - pair[0];
        assert!(
            between >= gap - TimeDelta::milliseconds(50),
            "{task} launched twice in one window: {pair:?}"
        );
        assert!(
            between <= most,
            "{task} missed beyond the lease: {pair:?} ({between})"
        );
    }
}

/// Each run of `task` comes after a success of `dependency` that no earlier run of `task`
/// already followed.
fn check_after(log: &[LogRecord], task: &str, dependency: &str) {
    let mut fresh_success = false;
    let mut runs = 0;
    for r in log {
        if r.task_name == dependency && r.action == Action::Success {
            fresh_success = true;
        }
        if r.task_name == task && r.action == Action::Run {
            assert!(
                fresh_success,
                "{task} ran at {} without a new success of {dependency}",
                r.created
            );
            fresh_success = false;
            runs += 1;
        }
    }
    assert!(runs > 0, "{task} never ran");
}

#[test]
fn three_instances_killed_and_restarted_at_random_launch_each_window_once() {
    let (url, mut client, schema) = fresh("chaos");
    let dir = temp_dir("cluster-chaos");
    let lease = 3;
    let run_for = Duration::from_secs(60);
    // A `daily` window that opens 20 s from now and lasts 30 s (on one day).
    let mut now = Utc::now();
    if now.time() > chrono::NaiveTime::from_hms_opt(23, 58, 0).unwrap() {
        std::thread::sleep(Duration::from_secs(150));
        now = Utc::now();
    }
    let (open, close) = (now + TimeDelta::seconds(20), now + TimeDelta::seconds(50));
    let file = format!(
        "[scheduler]\ntimezone = 'UTC'\nlog = '{url}'\n[cluster]\nlease = '{lease} seconds'\n\
         [tasks.tick]\ncommand = 'true'\nstart_cond = 'every 2 seconds'\n\
         [tasks.report]\ncommand = 'sleep 1'\nstart_cond = 'daily between {} and {}'\n\
         [tasks.extract]\ncommand = 'sleep 0.5'\nstart_cond = 'every 5 seconds'\n\
         [tasks.transform]\ncommand = 'sleep 0.3'\nstart_cond = \"after task 'extract' succeeded\"\n\
         [tasks.load]\ncommand = 'true'\nstart_cond = \"after task 'transform' succeeded\"\n\
         [tasks.long]\ncommand = 'sleep 6'\nstart_cond = 'every 15 seconds'\n",
        open.format("%H:%M:%S"),
        close.format("%H:%M:%S"),
    );
    write(&dir, "tasks.toml", &file);
    let seed = Utc::now().timestamp_micros() as u64 | 1;
    eprintln!("chaos seed {seed}");
    let mut dice = Dice(seed);
    let mut started = 0;
    let mut next_name = |slot: usize| {
        started += 1;
        format!("n{slot}-{started}")
    };
    let mut slots: Vec<Option<Instance>> = (0..3)
        .map(|slot| Some(Instance::start(&dir, "tasks.toml", &next_name(slot))))
        .collect();
    let mut killed: Vec<String> = Vec::new();
    let mut restart_at: Vec<Option<Instant>> = vec![None; 3];
    let begin = Instant::now();
    let mut next_kill = begin + Duration::from_millis(2000 + dice.below(3000));
    while begin.elapsed() < run_for {
        let now = Instant::now();
        for slot in 0..3 {
            if restart_at[slot].is_some_and(|at| now >= at) {
                restart_at[slot] = None;
                slots[slot] = Some(Instance::start(&dir, "tasks.toml", &next_name(slot)));
            }
        }
        let alive = slots.iter().filter(|s| s.is_some()).count();
        if now >= next_kill && alive >= 2 {
            let slot = dice.below(3) as usize;
            if let Some(instance) = slots[slot].take() {
                instance.signal("-KILL");
                killed.push(instance.name.clone());
                restart_at[slot] = Some(now + Duration::from_millis(500 + dice.below(4000)));
            }
            next_kill = now + Duration::from_millis(1500 + dice.below(4500));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // Everyone back, and time for the last takeovers; then a clean stop.
    for (slot, at) in restart_at.iter_mut().enumerate() {
        if at.take().is_some() {
            slots[slot] = Some(Instance::start(&dir, "tasks.toml", &next_name(slot)));
        }
    }
    std::thread::sleep(Duration::from_secs(lease as u64 * 2 + 2));
    for instance in slots.into_iter().flatten() {
        instance.stop();
    }
    eprintln!("killed: {killed:?}");
    assert!(killed.len() >= 5, "{killed:?}");

    let log = records(&url);
    let dump = || {
        log.iter()
            .map(|r| r.to_line(chrono_tz::UTC))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let history = history(&log);
    // Nothing left open: every run of a killed instance was closed (by crash).
    for task in ["tick", "report", "extract", "transform", "load", "long"] {
        assert!(
            Event::open_runs(history.events(task)).is_empty(),
            "{task} left open:\n{}",
            dump()
        );
    }
    // Every run has exactly one claim; every crashed claim was a killed instance's, and
    // the log has exactly one crash per crashed claim.
    let claims: Vec<(String, String, Option<i64>)> = client
        .query(
            &format!("SELECT instance, state, run FROM {schema}.log_claims"),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let runs = log.iter().filter(|r| r.action == Action::Run).count();
    assert_eq!(claims.len(), runs);
    assert!(claims
        .iter()
        .all(|(_, state, run)| state != "open" && run.is_some()));
    let crashed: Vec<&String> = claims
        .iter()
        .filter(|(_, state, _)| state == "crashed")
        .map(|(instance, _, _)| instance)
        .collect();
    assert!(
        crashed.iter().all(|i| killed.contains(i)),
        "{crashed:?} {killed:?}"
    );
    let crashes = log.iter().filter(|r| r.action == Action::Crash).count();
    assert_eq!(crashes, crashed.len(), "\n{}", dump());
    let instances: i64 = client
        .query_one(&format!("SELECT count(*) FROM {schema}.log_instances"), &[])
        .unwrap()
        .get(0);
    assert_eq!(instances, 0, "every instance left or was taken over");

    // No window launched twice, none missed beyond the lease (plus a heartbeat and a
    // generous margin for a loaded machine).
    let beyond = TimeDelta::seconds(lease + 1 + 3);
    check_spacing(
        &log,
        "tick",
        TimeDelta::seconds(2),
        TimeDelta::seconds(2) + beyond,
    );
    check_spacing(
        &log,
        "extract",
        TimeDelta::seconds(5),
        TimeDelta::seconds(5) + beyond,
    );
    check_spacing(
        &log,
        "long",
        TimeDelta::seconds(15),
        TimeDelta::seconds(15 + 6) + beyond,
    );
    // The daily window: launched inside it, and again only after a crash.
    let reports: Vec<&LogRecord> = log.iter().filter(|r| r.task_name == "report").collect();
    let report_runs: Vec<DateTime<Utc>> = reports
        .iter()
        .filter(|r| r.action == Action::Run)
        .map(|r| r.created)
        .collect();
    assert!(!report_runs.is_empty(), "report missed:\n{}", dump());
    let first = report_runs[0];
    assert!(
        first >= open.with_nanosecond(0).unwrap() && first < close,
        "{first}"
    );
    assert!(
        first - open.with_nanosecond(0).unwrap() <= beyond,
        "{first}"
    );
    let report_crashes = reports.iter().filter(|r| r.action == Action::Crash).count();
    assert!(report_runs.len() <= 1 + report_crashes, "\n{}", dump());
    // Dependents after their dependencies.
    check_after(&log, "transform", "extract");
    check_after(&log, "load", "transform");
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}
