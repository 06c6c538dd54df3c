//! The cluster on a real PostgreSQL (127.0.0.1:5432, user postgres, database `test`):
//!
//! * claims per second: three instances (each its own connection, on a thread) all see
//!   10,000 tasks due at once and claim them in the same order, as schedulers woken by
//!   one window do; a refused instance fetches the others' runs and skips the tasks it
//!   learns were launched, as the scheduler's planner does;
//! * failover: an instance in a child process claims a run and is killed with SIGKILL;
//!   the time until another instance has recorded `crash` for that run.
//!
//! `cargo bench --bench cluster` (figures in docs/performance.md). Not a criterion
//! bench: each figure is one real, stateful scenario on a server, not a loop of calls.

use chrono::{TimeDelta, Utc};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tminus::run::{ClusterLog, ClusterOptions, LogRecord, LogUrl, TaskLog};
use tminus::Action;

const SERVER: &str = "postgres://postgres@127.0.0.1:5432/test";
const TASKS: usize = 10_000;
const INSTANCES: usize = 3;

fn url(schema: &str) -> LogUrl {
    format!("{SERVER}?schema={schema}&table=log")
        .parse()
        .unwrap()
}

fn drop_schema(schema: &str) {
    let mut client = postgres::Client::connect(SERVER, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
}

fn run_record(task: &str) -> LogRecord {
    let now = Utc::now();
    LogRecord {
        start: Some(now),
        ..LogRecord::new(task, Action::Run, now)
    }
}

fn options(name: String, lease: i64) -> ClusterOptions {
    ClusterOptions {
        lease: TimeDelta::seconds(lease),
        instance: Some(name),
    }
}

fn claims() {
    let schema = "bench_claims";
    drop_schema(schema);
    let tasks: Vec<String> = (0..TASKS).map(|i| format!("task{i:05}")).collect();
    let mut logs: Vec<ClusterLog> = (0..INSTANCES)
        .map(|i| ClusterLog::join(&url(schema), &options(format!("bench{i}"), 30)).unwrap())
        .collect();
    for log in &mut logs {
        log.read().unwrap();
    }
    let start = Instant::now();
    let results: Vec<(usize, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = logs
            .iter_mut()
            .map(|log| {
                let tasks = &tasks;
                scope.spawn(move || {
                    let (mut won, mut refused) = (0, 0);
                    // What the planner knows: a task another instance has launched is
                    // no longer due (as `every 10 minutes` after a run).
                    let mut launched = std::collections::HashSet::new();
                    for task in tasks {
                        if launched.contains(task.as_str()) {
                            continue;
                        }
                        if log.claim_run(&mut run_record(task)).unwrap() {
                            won += 1;
                        } else {
                            refused += 1;
                            for record in log.fetch_new().unwrap() {
                                launched.insert(record.task_name);
                            }
                        }
                    }
                    (won, refused)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = start.elapsed();
    let won: usize = results.iter().map(|r| r.0).sum();
    let refused: usize = results.iter().map(|r| r.1).sum();
    assert_eq!(won, TASKS, "every task launched exactly once");
    println!(
        "claims: {INSTANCES} instances, {TASKS} tasks due at once: {won} launches in {:.2} s \
         = {:.0} launches/s ({refused} refused claims; per instance {:?})",
        elapsed.as_secs_f64(),
        won as f64 / elapsed.as_secs_f64(),
        results,
    );
    drop(logs);
    drop_schema(schema);
}

/// The child: joins, claims a run of `long`, says so, and waits to be killed.
fn member(schema: &str, lease: i64) {
    let mut log = ClusterLog::join(&url(schema), &options("doomed".into(), lease)).unwrap();
    log.read().unwrap();
    assert!(log.claim_run(&mut run_record("long")).unwrap());
    println!("ready");
    std::io::stdout().flush().unwrap();
    loop {
        std::thread::sleep(Duration::from_secs(60));
    }
}

fn failover(lease: i64, samples: usize) {
    let schema = "bench_failover";
    let mut times = Vec::new();
    for _ in 0..samples {
        drop_schema(schema);
        let mut survivor =
            ClusterLog::join(&url(schema), &options("survivor".into(), lease)).unwrap();
        survivor.read().unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env("TMINUS_BENCH_MEMBER", format!("{schema} {lease}"))
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready");
        // Somewhere in the child's heartbeat cycle, as a real crash would be.
        std::thread::sleep(Duration::from_millis(
            (Utc::now().timestamp_subsec_millis() % 1000).into(),
        ));
        let killed = Instant::now();
        child.kill().unwrap();
        child.wait().unwrap();
        loop {
            let new = survivor.fetch_new().unwrap();
            if new.iter().any(|r| r.action == Action::Crash) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        times.push(killed.elapsed().as_secs_f64());
        drop(survivor);
    }
    drop_schema(schema);
    times.sort_by(f64::total_cmp);
    println!(
        "failover: lease {lease} s (heartbeat {:.2} s), kill -9 to crash recorded by another \
         instance over {samples} kills: min {:.2} s, median {:.2} s, max {:.2} s",
        lease as f64 / 3.0,
        times[0],
        times[times.len() / 2],
        times[times.len() - 1],
    );
}

fn main() {
    if let Ok(args) = std::env::var("TMINUS_BENCH_MEMBER") {
        let (schema, lease) = args.split_once(' ').unwrap();
        return member(schema, lease.parse().unwrap());
    }
    // `cargo bench` passes `--bench`; a name filter is not supported.
    claims();
    failover(3, 5);
    failover(10, 3);
}
