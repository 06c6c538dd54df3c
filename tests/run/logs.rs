//! Task log backends: written, read back by the history readers, Rocketry's layouts.

use chrono::{DateTime, TimeDelta, Utc};
use std::path::{Path, PathBuf};
use tminus::run::{CsvLog, LogRecord, LogUrl, SqliteLog, TaskLog};
use tminus::{Action, History, MemoryHistory};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/history")
        .join(name)
}

/// A fresh temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tminus-run-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A scenario with every field: runs, a success with a return, a failure with a message
/// and a multi-line detail, a termination, a crash; two records at one instant.
fn scenario() -> Vec<LogRecord> {
    let t0: DateTime<Utc> = "2024-03-11T10:00:00.123456Z".parse().unwrap();
    let t = |ms: i64| t0 + TimeDelta::milliseconds(ms);
    let mut fail =
        LogRecord::finish("load", Action::Fail, t(10), t(2500)).with_message("exit status 3");
    fail.exc_text = Some("Traceback, \"quoted\"\n  second line".into());
    vec![
        LogRecord {
            start: Some(t(0)),
            ..LogRecord::new("extract", Action::Run, t(0))
        },
        LogRecord {
            start: Some(t(10)),
            ..LogRecord::new("load", Action::Run, t(10))
        },
        LogRecord::finish("extract", Action::Success, t(0), t(1000)),
        fail,
        LogRecord::finish("slow", Action::Terminate, t(10), t(2500))
            .with_message("timeout after 2 seconds"),
        LogRecord::new("old", Action::Crash, t(3000)).with_message("the scheduler stopped"),
    ]
}

fn events(history: &MemoryHistory) -> Vec<(String, Action, DateTime<Utc>)> {
    let mut all = Vec::new();
    for task in history.tasks() {
        for e in history.events(task) {
            all.push((task.to_owned(), e.action, e.at));
        }
    }
    all.sort();
    all
}

fn expected(records: &[LogRecord]) -> Vec<(String, Action, DateTime<Utc>)> {
    let mut all: Vec<_> = records
        .iter()
        .map(|r| (r.task_name.clone(), r.action, r.created))
        .collect();
    all.sort();
    all
}

fn write(log: &mut dyn TaskLog, records: &[LogRecord]) {
    for record in records {
        log.append(record).unwrap();
    }
}

#[test]
fn csv_round_trips_and_the_history_reader_reads_it() {
    let dir = temp_dir("csv");
    let path = dir.join("tasks.csv");
    write(&mut CsvLog::open(&path).unwrap(), &scenario());
    assert_eq!(CsvLog::open(&path).unwrap().read().unwrap(), scenario());
    let history = MemoryHistory::from_rocketry_csv(std::fs::File::open(&path).unwrap()).unwrap();
    assert_eq!(events(&history), expected(&scenario()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("task_name,action,created,start,end,runtime,message,exc_text\r\n"));
    assert!(
        text.contains(
            "extract,success,1710151201.123456,1710151200.123456,1710151201.123456,1.0,,\r\n"
        ),
        "{text}"
    );
}

#[test]
fn csv_appends_in_rocketrys_own_layout() {
    // A log written by Rocketry's CSVFileRepo (MinimalRecord): our reader reads it, and
    // rows we append to a file with its header have its layout, line for line.
    let fixture = std::fs::read_to_string(data("rocketry-log.csv")).unwrap();
    let dir = temp_dir("csv-rocketry");
    let copy = dir.join("rocketry.csv");
    std::fs::write(&copy, &fixture).unwrap();
    let records = CsvLog::open(&copy).unwrap().read().unwrap();
    let ours = dir.join("ours.csv");
    let header = fixture.split("\r\n").next().unwrap();
    std::fs::write(&ours, format!("{header}\r\n")).unwrap();
    write(&mut CsvLog::open(&ours).unwrap(), &records);
    let ours = std::fs::read_to_string(&ours).unwrap();
    assert_eq!(ours.lines().count(), fixture.lines().count());
    let rows = |text: &str| -> Vec<String> {
        text.split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    for (theirs, mine) in rows(&fixture).iter().zip(rows(&ours)).skip(1) {
        let (theirs, mine): (Vec<&str>, Vec<&str>) =
            (theirs.split(',').collect(), mine.split(',').collect());
        assert_eq!(theirs[..2], mine[..2]);
        let (a, b): (f64, f64) = (theirs[2].parse().unwrap(), mine[2].parse().unwrap());
        assert!((a - b).abs() < 1e-6, "{a} {b}"); // Rocketry keeps the float's every digit
    }
    let theirs = MemoryHistory::from_rocketry_csv(fixture.as_bytes()).unwrap();
    let mine = MemoryHistory::from_rocketry_csv(ours.as_bytes()).unwrap();
    assert_eq!(events(&theirs), events(&mine));
}

#[test]
fn sqlite_round_trips_and_writes_into_rocketrys_table() {
    let dir = temp_dir("sqlite");
    let path = dir.join("tasks.db");
    write(&mut SqliteLog::open(&path, "tasks").unwrap(), &scenario());
    assert_eq!(
        SqliteLog::open(&path, "tasks").unwrap().read().unwrap(),
        scenario()
    );
    let history = MemoryHistory::from_rocketry_sqlite(&path, "tasks").unwrap();
    assert_eq!(events(&history), expected(&scenario()));

    // Rocketry's SQLRepo table (`created` its primary key): read, and appended to.
    let copy = dir.join("rocketry.db");
    std::fs::copy(data("rocketry-log.db"), &copy).unwrap();
    let mut log = SqliteLog::open(&copy, "tasks").unwrap();
    let before = log.read().unwrap();
    let theirs = MemoryHistory::from_rocketry_sqlite(&data("rocketry-log.db"), "tasks").unwrap();
    assert_eq!(expected(&before), events(&theirs));
    let later = LogRecord::new("fetch", Action::Run, Utc::now());
    log.append(&later).unwrap();
    let after = MemoryHistory::from_rocketry_sqlite(&copy, "tasks").unwrap();
    assert_eq!(after.len(), theirs.len() + 1);
}

#[test]
fn a_corrupt_log_is_an_error_that_names_it() {
    let dir = temp_dir("corrupt");
    let path = dir.join("bad.csv");
    std::fs::write(&path, "task_name,action,created\r\nfetch,sucess,1\r\n").unwrap();
    let error = CsvLog::open(&path).unwrap().read().unwrap_err().to_string();
    assert!(
        error.contains("bad.csv:2") && error.contains("`sucess`"),
        "{error}"
    );
    std::fs::write(&path, "name,when\r\n").unwrap();
    let error = CsvLog::open(&path).unwrap_err().to_string();
    assert!(error.contains("not a task log"), "{error}");
    let db = dir.join("bad.db");
    std::fs::write(
        &db,
        "this is not a database, not even close to one............",
    )
    .unwrap();
    assert!(SqliteLog::open(&db, "tasks").is_err());
}

/// A log URL on the test server, in a schema of its own.
pub fn postgres_url(schema: &str) -> String {
    format!(
        "postgres://postgres@127.0.0.1:5432/test?schema={schema}_{}&table=log",
        std::process::id()
    )
}

#[test]
fn postgres_round_trips_and_merges_what_others_write() {
    let url: LogUrl = postgres_url("logs").parse().unwrap();
    let LogUrl::Postgres {
        url: base, schema, ..
    } = &url
    else {
        panic!()
    };
    let mut client = postgres::Client::connect(base, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {} CASCADE",
            schema.as_deref().unwrap()
        ))
        .unwrap();
    let mut first = tminus::run::open_log(&url).unwrap(); // creates schema and table
    let mut second = tminus::run::open_log(&url).unwrap();
    assert!(first.read().unwrap().is_empty());
    assert!(second.read().unwrap().is_empty());
    let records = scenario();
    write(&mut *first, &records[..3]);
    write(&mut *second, &records[3..]);
    assert_eq!(first.fetch_new().unwrap(), records[3..]);
    assert_eq!(second.fetch_new().unwrap(), records[..3]);
    assert!(first.fetch_new().unwrap().is_empty());
    let mut all = tminus::run::open_log(&url).unwrap().read().unwrap();
    all.sort_by_key(|r| r.created);
    let mut want = records.clone();
    want.sort_by_key(|r| r.created);
    assert_eq!(all, want);
    let columns: Vec<String> = client
        .query(
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = $1 \
             AND table_name = 'log' ORDER BY ordinal_position",
            &[&schema],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        columns,
        [
            "id",
            "task_name",
            "action",
            "created",
            "start",
            "end",
            "runtime",
            "message",
            "exc_text"
        ]
    );
    client
        .batch_execute(&format!(
            "DROP SCHEMA {} CASCADE",
            schema.as_deref().unwrap()
        ))
        .unwrap();
}

#[test]
fn postgres_refuses_a_server_that_is_not_there() {
    let url: LogUrl = "postgres://postgres@127.0.0.1:1/test".parse().unwrap();
    let error = tminus::run::open_log(&url).err().unwrap().to_string();
    assert!(error.contains("127.0.0.1:1"), "{error}");
}
