//! A small but real scheduler built on [`tminus::Planner`].
//!
//! It runs the tasks of Rocketry's introductory tutorial as closures on threads, records
//! what they do, and sleeps until the planner's next wake instead of polling:
//!
//! | task        | statement                                      |
//! |-------------|------------------------------------------------|
//! | `backup`    | `daily`                                        |
//! | `report`    | `daily between 10:00 and 12:00`                |
//! | `sync`      | `every 2 hours`                                |
//! | `extract`   | `hourly`                                       |
//! | `transform` | `after task 'extract' succeeded`               |
//! | `ingest`    | `every 10 minutes & file_exists('data.csv')`   |
//!
//! `file_exists` is a custom predicate, asked again every minute.
//!
//! ```text
//! cargo run --example scheduler                          # for real, log in tminus-scheduler.db
//! cargo run --example scheduler -- --simulate 7          # a week on a virtual clock
//! cargo run --example scheduler -- --simulate 7 --start 2024-03-11T00:00:00Z --db week.db
//! ```
//!
//! Options:
//!
//! * `--simulate DAYS`: drive the planner on a virtual clock from `--start` (default: now)
//!   for DAYS days. Tasks finish at once and succeed; each launch prints
//!   `<ISO instant> launch <task>`. The closures are not run; `file_exists` still looks at
//!   the real file system.
//! * `--db PATH`: the task log (SQLite). Every event is appended as it happens, in the
//!   layout of Rocketry's `SQLRepo` with `MinimalRecord` (see [`Log`]); on start the
//!   planner is rebuilt from it, so a restarted scheduler resumes where it stopped. The
//!   default is `tminus-scheduler.db` when running for real, no log when simulating.
//!   A simulation resumes at the instant after the last record of its log.
//! * `--zone NAME`: the IANA zone of the statements' wall clock (default `UTC`).
//! * `--stop-after N`: exit abruptly after the cycle in which the N-th launch happened,
//!   as a kill would (for the restart test).
//! * `--pace MS`: sleep MS milliseconds after each simulated cycle (so that a test can
//!   kill a simulation in the middle).

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;
use tminus::{Action, History, MemoryHistory, Planner, PredicateCall};

/// What a task runs: `Err` is a failure (a panic too).
type Job = fn() -> std::result::Result<(), String>;

/// The tutorial's tasks, their start conditions and what they run (stand-ins that take a
/// moment).
const TASKS: [(&str, &str, Job); 6] = [
    ("backup", "daily", || pause(3)),
    ("report", "daily between 10:00 and 12:00", || pause(1)),
    ("sync", "every 2 hours", || pause(2)),
    ("extract", "hourly", || pause(2)),
    ("transform", "after task 'extract' succeeded", || pause(1)),
    (
        "ingest",
        "every 10 minutes & file_exists('data.csv')",
        || pause(1),
    ),
];

/// The table the log is written to.
const TABLE: &str = "tasks";

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&*error) => ExitCode::SUCCESS, // `| head`
        Err(error) => {
            eprintln!("scheduler: {error}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &(dyn Error + 'static)) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

fn run() -> Result<()> {
    let settings = Settings::from_args(std::env::args().skip(1))?;
    let log = settings.db.as_deref().map(Log::open).transpose()?;
    let history = match &log {
        Some(log) => log.history()?,
        None => MemoryHistory::new(),
    };
    let start = match settings.simulate {
        Some(_) => resume_at(&history, settings.start.unwrap_or_else(whole_second_now)),
        None => now_micros(),
    };
    let mut scheduler = Scheduler::new(settings.zone, start, history, log)?;
    match settings.simulate {
        Some(days) => scheduler.simulate(&settings, settings.start.unwrap_or(start) + days),
        None => scheduler.serve(),
    }
}

// ------------------------------------------------------------------------------ settings

/// The command line, checked.
struct Settings {
    db: Option<PathBuf>,
    simulate: Option<TimeDelta>,
    start: Option<DateTime<Utc>>,
    zone: Tz,
    stop_after: Option<u64>,
    pace: Option<Duration>,
}

impl Settings {
    fn from_args(mut args: impl Iterator<Item = String>) -> Result<Settings> {
        let (mut db, mut simulate, mut start, mut zone) = (None, None, None, "UTC".to_owned());
        let (mut stop_after, mut pace) = (None, None);
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--db" => db = Some(PathBuf::from(value()?)),
                "--simulate" => simulate = Some(TimeDelta::days(value()?.parse()?)),
                "--start" => start = Some(value()?),
                "--zone" => zone = value()?,
                "--stop-after" => stop_after = Some(value()?.parse()?),
                "--pace" => pace = Some(Duration::from_millis(value()?.parse()?)),
                _ => return Err(format!("unknown option `{flag}` (see the example's docs)").into()),
            }
        }
        let zone: Tz = zone.parse().map_err(|_| format!("unknown zone `{zone}`"))?;
        let start = start
            .map(|s| tminus::history::parse_instant(&s, zone))
            .transpose()?;
        if simulate.is_none() && db.is_none() {
            db = Some(PathBuf::from("tminus-scheduler.db"));
        }
        Ok(Settings {
            db,
            simulate,
            start,
            zone,
            stop_after,
            pace,
        })
    }
}

/// Now, to the microsecond (the precision of the log and of the planner).
fn now_micros() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

fn whole_second_now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

/// Where a simulation starts: at `start`, or just after the last record of the log (the
/// virtual clock of the previous run had reached it).
fn resume_at(history: &MemoryHistory, start: DateTime<Utc>) -> DateTime<Utc> {
    let last = history
        .tasks()
        .iter()
        .filter_map(|task| history.events(task).last().map(|e| e.at))
        .max();
    match last {
        Some(last) => start.max(last + TimeDelta::seconds(1)),
        None => start,
    }
}

// ----------------------------------------------------------------------------------- log

/// The task log: one SQLite table with the columns of Rocketry's `MinimalRecord`
/// (`task_name`, `action`, `created` as POSIX seconds), which Rocketry reads and writes
/// with `SQLRepo(engine=..., table="tasks", model=MinimalRecord, id_field="id")` and
/// [`MemoryHistory::from_rocketry_sqlite`] reads.
///
/// DIFFERENCE: Rocketry's logging handbook makes `created` the primary key
/// (`id_field="created"`); here an integer `id` is the key, as in Rocketry's "robust
/// applications" cookbook, because two records can share an instant (two tasks launched
/// in one cycle, or a simulated task that finishes the instant it starts).
struct Log {
    conn: Connection,
    path: PathBuf,
}

impl Log {
    fn open(path: &Path) -> Result<Log> {
        let conn = Connection::open(path)?;
        // WAL with `synchronous=NORMAL`: each record is committed before the scheduler goes
        // on, so a killed process loses nothing; only a power cut may lose the last ones.
        conn.execute_batch(&format!(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY, \
             task_name VARCHAR NOT NULL, action VARCHAR NOT NULL, created FLOAT NOT NULL);"
        ))?;
        Ok(Log {
            conn,
            path: path.to_owned(),
        })
    }

    /// Appends one record; it is committed before this returns.
    fn append(&self, task: &str, action: Action, at: DateTime<Utc>) -> Result<()> {
        let created = at.timestamp_micros() as f64 / 1e6;
        self.conn.execute(
            &format!("INSERT INTO {TABLE} (task_name, action, created) VALUES (?1, ?2, ?3)"),
            rusqlite::params![task, action.as_str(), created],
        )?;
        Ok(())
    }

    fn history(&self) -> Result<MemoryHistory> {
        Ok(MemoryHistory::from_rocketry_sqlite(&self.path, TABLE)?)
    }
}

// ----------------------------------------------------------------------------- scheduler

/// A task run that has ended, sent by its thread.
struct Done {
    task: String,
    action: Action,
    at: DateTime<Utc>,
}

struct Scheduler {
    planner: Planner,
    log: Option<Log>,
    zone: Tz,
}

impl Scheduler {
    /// The planner, rebuilt from the log; runs the previous process left open are
    /// recorded as crashed first, as Rocketry does at startup.
    fn new(zone: Tz, now: DateTime<Utc>, history: MemoryHistory, log: Option<Log>) -> Result<Self> {
        let dangling = history.running_from_log();
        let planner =
            Planner::with_history(zone, now, history).with_resolution(TimeDelta::seconds(1));
        let mut scheduler = Scheduler { planner, log, zone };
        for task in dangling {
            scheduler.record(&task, Action::Crash, now)?;
        }
        scheduler.planner.register_predicate_every(
            "file_exists",
            TimeDelta::minutes(1),
            file_exists,
        );
        for (task, statement, _) in TASKS {
            scheduler.planner.insert_text(task, statement)?;
        }
        Ok(scheduler)
    }

    /// Appends an event to the log, then tells the planner.
    fn record(&mut self, task: &str, action: Action, at: DateTime<Utc>) -> Result<()> {
        if let Some(log) = &self.log {
            log.append(task, action, at)?;
        }
        self.planner.record(task, action, at);
        Ok(())
    }

    fn iso(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone)
            .to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }

    /// Runs on a virtual clock until `end`: one cycle per second at most, each at the
    /// planner's next wake; tasks finish at once and succeed.
    fn simulate(&mut self, settings: &Settings, end: DateTime<Utc>) -> Result<()> {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let (mut now, mut launched) = (self.planner.now(), 0);
        while now < end {
            let due = self.planner.due(now);
            for task in &due {
                self.record(task, Action::Run, now)?;
                writeln!(out, "{} launch {task}", self.iso(now))?;
                self.record(task, Action::Success, now)?;
                launched += 1;
            }
            if !due.is_empty() && settings.stop_after.is_some_and(|n| launched >= n) {
                out.flush()?;
                std::process::exit(3); // abrupt, as a kill: nothing is cleaned up
            }
            out.flush()?;
            if let Some(pace) = settings.pace {
                std::thread::sleep(pace);
            }
            let Some(wake) = self.planner.next_wake() else {
                break;
            };
            now = wake.max(now + TimeDelta::seconds(1));
        }
        Ok(())
    }

    /// Runs for real: launches due tasks on threads, records their outcomes as they come,
    /// and otherwise sleeps until the next wake.
    fn serve(&mut self) -> Result<()> {
        let (sender, outcomes) = mpsc::channel();
        loop {
            let now = now_micros();
            for task in self.planner.due(now) {
                self.record(&task, Action::Run, now)?;
                writeln!(std::io::stdout(), "{} launch {task}", self.iso(now))?;
                spawn(task, sender.clone());
            }
            let wait = self.planner.next_wake().map(|wake| wake - Utc::now());
            let done = match wait.map(|w| w.to_std().unwrap_or(Duration::ZERO)) {
                Some(wait) => outcomes.recv_timeout(wait).ok(),
                None => outcomes.recv().ok(),
            };
            if let Some(done) = done {
                let line = format!("{} {} {}", self.iso(done.at), done.action, done.task);
                writeln!(std::io::stdout(), "{line}")?;
                self.planner.advance(done.at);
                self.record(&done.task, done.action, done.at)?;
            }
        }
    }
}

// --------------------------------------------------------------------------------- tasks

/// Runs the job of `task` on a thread; its outcome comes back through `done`.
fn spawn(task: String, done: mpsc::Sender<Done>) {
    let Some(&(_, _, job)) = TASKS.iter().find(|(name, _, _)| *name == task) else {
        return;
    };
    std::thread::spawn(move || {
        let action = match std::panic::catch_unwind(job) {
            Ok(Ok(())) => Action::Success,
            Ok(Err(_)) | Err(_) => Action::Fail,
        };
        let at = now_micros();
        let _ = done.send(Done { task, action, at });
    });
}

fn pause(seconds: u64) -> std::result::Result<(), String> {
    std::thread::sleep(Duration::from_secs(seconds));
    Ok(())
}

/// `file_exists('data.csv')`: whether the file exists (relative to the working directory).
fn file_exists(call: &PredicateCall<'_>) -> bool {
    call.args.iter().all(|path| Path::new(path).exists())
}
