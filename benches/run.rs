//! The scheduler (`tminus::run`, `tminus run`): events appended per second by each task log
//! backend, launches per second of the library scheduler with 10,000 tasks, memory per
//! task, and the daemon's idleness and launch latency. Prints its figures (the ones in
//! `docs/performance.md`, section "Scheduler"); no criterion, since each figure is one
//! long measurement rather than a tight loop.
//!
//! ```sh
//! cargo bench --bench run                        # appends, launches, memory (~1 min)
//! cargo bench --bench run -- idle latency        # the daemon: an idle minute, 30 launches
//! cargo bench --bench run -- appends             # one part only
//! ```
//!
//! The PostgreSQL figure needs the server of the tests (127.0.0.1:5432, user postgres,
//! database test); without it that line says so.

use chrono::Utc;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tminus::run::{Execution, LogRecord, LogUrl, MemoryLog, Scheduler, Task, TaskLog};
use tminus::Action;

/// The system allocator, counting live bytes, to measure memory per task. (The library
/// forbids `unsafe`; a global allocator cannot be written without it, and this one only
/// forwards to `System`.)
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const TASKS: usize = 10_000;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |part: &str| {
        args.iter().any(|a| a == part)
            || (args.is_empty() && ["appends", "launches", "memory"].contains(&part))
    };
    let dir = std::env::temp_dir().join(format!("tminus-bench-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    if wants("appends") {
        appends(&dir);
    }
    if wants("launches") {
        launches();
    }
    if wants("memory") {
        memory();
    }
    if wants("idle") {
        idle(&dir);
    }
    if wants("latency") {
        latency(&dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ------------------------------------------------------------------------------ appends

/// Records appended one at a time, each stored before the next (as the scheduler does).
fn appends(dir: &Path) {
    let schema = format!("bench_{}", std::process::id());
    let urls = [
        ("memory", "memory".to_owned(), 200_000),
        (
            "csv",
            format!("csv:{}", dir.join("log.csv").display()),
            50_000,
        ),
        (
            "sqlite",
            format!("sqlite:{}", dir.join("log.db").display()),
            20_000,
        ),
        (
            "postgres",
            format!("postgres://postgres@127.0.0.1:5432/test?schema={schema}"),
            5_000,
        ),
    ];
    for (name, url, count) in urls {
        let url: LogUrl = url.parse().unwrap();
        let mut log = match tminus::run::open_log(&url) {
            Ok(log) => log,
            Err(e) => {
                println!("appends/{name}: skipped ({e})");
                continue;
            }
        };
        let now = Utc::now();
        let records: Vec<LogRecord> = (0..count)
            .map(|i| {
                let action = if i % 2 == 0 {
                    Action::Run
                } else {
                    Action::Success
                };
                LogRecord::finish(&format!("task{}", i % 100), action, now, now)
            })
            .collect();
        let started = Instant::now();
        for record in &records {
            log.append(record).unwrap();
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "appends/{name}: {count} records in {seconds:.2} s: {:.0} records/s",
            count as f64 / seconds
        );
        let read = Instant::now();
        let n = log.read().unwrap().len();
        println!(
            "appends/{name}: read back {n} records in {:.3} s",
            read.elapsed().as_secs_f64()
        );
        if name == "postgres" {
            let mut client = postgres::Client::connect(
                "postgres://postgres@127.0.0.1:5432/test",
                postgres::NoTls,
            )
            .unwrap();
            client
                .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
                .unwrap();
        }
    }
}

// ----------------------------------------------------------------------------- launches

/// 10,000 tasks, all due at once: the time until each has run once and finished. Main
/// execution (functions in the loop) measures the scheduler itself: planner, log, records;
/// thread execution adds a thread per run.
fn launches() {
    for execution in [Execution::Main, Execution::Thread] {
        for log in ["memory", "sqlite"] {
            let dir =
                std::env::temp_dir().join(format!("tminus-bench-launch-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let log: Box<dyn TaskLog> = match log {
                "memory" => Box::new(MemoryLog::new()),
                _ => tminus::run::open_log(
                    &format!("sqlite:{}", dir.join("l.db").display())
                        .parse()
                        .unwrap(),
                )
                .unwrap(),
            };
            let finished = Arc::new(AtomicUsize::new(0));
            let counter = finished.clone();
            let done_at = Arc::new(Mutex::new(None));
            let done = done_at.clone();
            let mut scheduler = Scheduler::new(chrono_tz::UTC).log(log);
            let handle = scheduler.handle();
            let stop = handle.clone();
            scheduler = scheduler.on_record(move |record| {
                if record.action == Action::Success
                    && counter.fetch_add(1, Ordering::Relaxed) + 1 == TASKS
                {
                    *done.lock().unwrap() = Some(Instant::now());
                    stop.shutdown();
                }
            });
            for i in 0..TASKS {
                let task = Task::function(&format!("task{i}"), "every 1 hour", |_| Ok(None))
                    .unwrap()
                    .execution(execution);
                scheduler.add(task).unwrap();
            }
            let started = Instant::now();
            let (_, thread) = scheduler.spawn();
            thread.join().unwrap().unwrap();
            let took = done_at.lock().unwrap().unwrap() - started;
            println!(
                "launches/{}/{}: {TASKS} tasks launched and finished in {:.2} s: {:.0} launches/s",
                execution.as_str(),
                if dir.join("l.db").exists() {
                    "sqlite"
                } else {
                    "memory"
                },
                took.as_secs_f64(),
                TASKS as f64 / took.as_secs_f64()
            );
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

// ------------------------------------------------------------------------------- memory

/// Bytes allocated per task by a running scheduler with 10,000 tasks of a mix of
/// statements (each with `& env 'on'`, a parameter never set, so that none launches):
/// the task, its statement, its planner entry and its slot in the loop.
fn memory() {
    let before = LIVE.load(Ordering::Relaxed);
    let mut scheduler = Scheduler::new(chrono_tz::UTC);
    for i in 0..TASKS {
        let statement = match i % 4 {
            0 => "daily between 10:00 and 12:00".to_owned(),
            1 => format!("every {} minutes", 5 + i % 50),
            2 => format!("cron {} */2 * * *", i % 60),
            _ => format!("after task 'task{}' succeeded", i - 1),
        };
        let statement = format!("{statement} & env 'on'");
        let task = Task::command(&format!("task{i}"), &statement, ["true"]).unwrap();
        scheduler.add(task).unwrap();
    }
    let handle = scheduler.handle();
    let (_, thread) = scheduler.spawn();
    let statuses = handle.status().unwrap(); // the loop has started and planned everything
    assert!(statuses
        .iter()
        .all(|s| s.state == tminus::run::TaskState::Idle));
    drop(statuses);
    let running = LIVE.load(Ordering::Relaxed);
    println!(
        "memory: {:.0} bytes per task in a running scheduler ({TASKS} tasks of a mix)",
        running.saturating_sub(before) as f64 / TASKS as f64
    );
    handle.shutdown();
    thread.join().unwrap().unwrap();
}

// --------------------------------------------------------------------- the daemon, idle

fn tminus() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tminus"))
}

/// CPU time (ticks) and voluntary context switches of process `pid`.
fn usage(pid: u32) -> (u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat.rsplit(") ").next().unwrap().split(' ').collect();
    let ticks = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    let mut switches = 0;
    // Every thread's switches: /proc/PID/status counts the main thread only.
    for entry in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        let path = entry.unwrap().path().join("status");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        switches += text
            .lines()
            .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
            .map_or(0, |v| v.trim().parse::<u64>().unwrap_or(0));
    }
    (ticks, switches)
}

/// `tminus run` with 100 tasks none of which is due for the next minute: CPU time and
/// wake-ups (voluntary context switches of all its threads) over that minute.
fn idle(dir: &Path) {
    let mut file = String::from("[scheduler]\nlog = \"sqlite:idle.db\"\ntimezone = \"UTC\"\n");
    let hour = (Utc::now() + chrono::TimeDelta::hours(3)).format("%H");
    for i in 0..100 {
        file.push_str(&format!(
            "[tasks.t{i}]\ncommand = \"true\"\nstart_cond = \"daily between {hour}:00 and {hour}:30\"\n"
        ));
    }
    std::fs::write(dir.join("idle.toml"), file).unwrap();
    let mut child = std::process::Command::new(tminus())
        .current_dir(dir)
        .args(["run", "idle.toml"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3)); // started, planned
    let (ticks0, switches0) = usage(child.id());
    std::thread::sleep(Duration::from_secs(60));
    let (ticks1, switches1) = usage(child.id());
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let hz = 100.0; // USER_HZ on Linux
    println!(
        "idle: 100 tasks, 60 s with nothing due: {:.2} s CPU, {} wake-ups (voluntary context switches, all threads)",
        (ticks1 - ticks0) as f64 / hz,
        switches1 - switches0
    );
}

// ------------------------------------------------------------------ the daemon, latency

/// `tminus run` with a task `every 1 second` whose command writes the time it starts:
/// the delay from the start of each window (the previous run + 1 s + 1 µs) to the
/// record of the launch, and to the command's first instruction.
fn latency(dir: &Path) {
    let file = "[scheduler]\nlog = \"csv:latency.csv\"\nshut_cond = \"scheduler has run over 31 seconds\"\n\
                [tasks.tick]\ncommand = [\"date\", \"+%s.%N\"]\nstart_cond = \"every 1 second\"\n";
    std::fs::write(dir.join("latency.toml"), file).unwrap();
    let _ = std::fs::remove_file(dir.join("latency.csv"));
    let status = std::process::Command::new(tminus())
        .current_dir(dir)
        .args(["run", "latency.toml"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mut log = tminus::run::open_log(
        &format!("csv:{}", dir.join("latency.csv").display())
            .parse()
            .unwrap(),
    )
    .unwrap();
    let records = log.read().unwrap();
    let runs: Vec<&LogRecord> = records.iter().filter(|r| r.action == Action::Run).collect();
    let mut to_record = Vec::new();
    for pair in runs.windows(2) {
        let window =
            pair[0].created + chrono::TimeDelta::seconds(1) + chrono::TimeDelta::microseconds(1);
        to_record.push((pair[1].created - window).num_microseconds().unwrap());
    }
    to_record.sort_unstable();
    let median = to_record[to_record.len() / 2];
    let max = to_record[to_record.len() - 1];
    println!(
        "latency: {} windows of `every 1 second`: window start to launch record, median {} µs, max {} µs",
        to_record.len(),
        median,
        max
    );
    // The command's own start: its stdout, the return value, is not logged; measure the
    // spawn separately from the library.
    let samples: Vec<i64> = (0..30)
        .map(|_| {
            let before = Utc::now();
            let out = std::process::Command::new("date")
                .arg("+%s.%N")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let started: f64 = text.trim().parse().unwrap();
            ((started - before.timestamp_micros() as f64 / 1e6) * 1e6) as i64
        })
        .collect();
    let mut samples = samples;
    samples.sort_unstable();
    println!(
        "latency: fork and exec of a command to its first instruction, median {} µs",
        samples[samples.len() / 2]
    );
}
