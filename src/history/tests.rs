//! Unit tests of the task-log readers and the memory log.

use super::load::Format;
use super::*;

use chrono_tz::Europe::Helsinki;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or(DateTime::UNIX_EPOCH)
}

fn iso(text: &str, zone: Tz) -> Result<DateTime<Utc>, &'static str> {
    super::instant::from_iso(text, zone)
}

fn jsonl(text: &str) -> Result<MemoryHistory, HistoryError> {
    MemoryHistory::from_jsonl(text.as_bytes(), Helsinki)
}

fn csv(text: &str) -> Result<MemoryHistory, HistoryError> {
    MemoryHistory::from_rocketry_csv(text.as_bytes())
}

fn actions(history: &MemoryHistory, task: &str) -> Vec<Action> {
    history.events(task).iter().map(|e| e.action).collect()
}

#[test]
fn actions_round_trip_through_their_names() {
    for action in Action::ALL {
        assert_eq!(Action::parse(action.as_str()), Some(action));
        assert_eq!(action.as_str().parse::<Action>().ok(), Some(action));
        assert_eq!(action.to_string(), action.as_str());
        let json = serde_json::to_string(&action).unwrap_or_default();
        assert_eq!(json, format!("\"{}\"", action.as_str()));
    }
    assert_eq!(Action::parse("RUN"), None);
    assert_eq!(Action::parse(" run"), None);
    let error = "sucess".parse::<Action>().err();
    assert_eq!(
        error.map(|e| e.kind()),
        Some(HistoryErrorKind::UnknownAction)
    );
}

#[test]
fn record_keeps_log_order_for_equal_instants() {
    let t0 = utc("2024-03-11T10:00:00Z");
    let t1 = utc("2024-03-11T10:01:00Z");
    let mut history = MemoryHistory::new();
    history
        .record("t", Action::Success, t1)
        .record("t", Action::Run, t0)
        .record("t", Action::Fail, t1)
        .record("t", Action::Crash, t0);
    let expected = [Action::Run, Action::Crash, Action::Success, Action::Fail];
    assert_eq!(actions(&history, "t"), expected);
    assert_eq!(history.len(), 4);
    assert_eq!(history.tasks(), ["t"]);
    assert!(history.events("unknown").is_empty());
}

#[test]
fn record_truncates_to_microseconds() {
    let at = utc("2024-03-11T10:00:00.123456789Z");
    let mut history = MemoryHistory::new();
    history.record("t", Action::Run, at);
    let stored = history.events("t").first().map(|e| e.at);
    assert_eq!(stored, Some(utc("2024-03-11T10:00:00.123456Z")));
}

#[test]
fn setters_and_removal() {
    let at = utc("2024-03-11T10:00:00Z");
    let state = SchedulerState {
        started: at,
        cycles: 3,
    };
    let mut history = MemoryHistory::new();
    history
        .record("a", Action::Run, at)
        .set_running("a", true)
        .set_scheduler(Some(state))
        .set_param("env", "prod");
    let by_ref: &dyn History = &history;
    assert!(by_ref.is_running("a"));
    fn generic(history: impl History) -> (Option<SchedulerState>, Option<String>) {
        (history.scheduler(), history.param("env").map(str::to_owned))
    }
    let seen = generic(&history);
    assert_eq!(seen, (Some(state), Some("prod".to_owned())));
    history.remove_task("a").remove_param("env");
    assert!(history.is_empty() && !history.is_running("a"));
    assert_eq!(history.param("env"), None);
    history.clear();
    assert_eq!(history, MemoryHistory::new());
}

#[test]
fn open_runs_match_rocketry() {
    let t = |m: u32| utc(&format!("2024-03-11T10:{m:02}:00Z"));
    let event = |action, m| Event::new(action, t(m));
    use Action::*;
    // A finish before any run answers nothing.
    let early = [event(Success, 0), event(Run, 1)];
    assert_eq!(Event::open_runs(&early), [t(1)]);
    // A finish at the same instant as the run answers it.
    assert!(Event::open_runs(&[event(Run, 1), event(Inaction, 1)]).is_empty());
    // Two runs, one finish: the first run takes it.
    let overlap = [event(Run, 1), event(Run, 2), event(Fail, 3)];
    assert_eq!(Event::open_runs(&overlap), [t(2)]);
    // Crash closes a run.
    assert!(Event::open_runs(&[event(Run, 1), event(Crash, 5)]).is_empty());
    let mixed = [
        event(Run, 1),
        event(Success, 2),
        event(Run, 3),
        event(Run, 4),
        event(Terminate, 6),
    ];
    assert_eq!(Event::open_runs(&mixed), [t(4)]);
}

#[test]
fn running_from_log_lists_tasks_with_open_runs() {
    let at = utc("2024-03-11T10:00:00Z");
    let mut history = MemoryHistory::new();
    history
        .record("b", Action::Run, at)
        .record("a", Action::Run, at)
        .record("c", Action::Run, at)
        .record("c", Action::Success, at)
        .set_running("c", true);
    assert_eq!(history.running_from_log(), ["a", "b"]);
    history.set_running_from_log();
    assert!(history.is_running("a") && history.is_running("b") && !history.is_running("c"));
}

#[test]
fn posix_seconds_round_like_python() {
    let at = |s: f64| instant::from_posix_seconds(s).map(|t| t.timestamp_micros());
    assert_eq!(at(1710151500.0), Some(1_710_151_500_000_000));
    assert_eq!(at(0.5), Some(500_000));
    assert_eq!(at(0.0000005), Some(0)); // tie to even
    assert_eq!(at(0.0000015), Some(2));
    assert_eq!(at(-0.5), Some(-500_000));
    assert_eq!(at(-1.25), Some(-1_250_000));
    assert_eq!(at(0.9999996), Some(1_000_000));
    assert_eq!(at(1795618736.4565208), Some(1_795_618_736_456_521));
    assert_eq!(at(f64::NAN), None);
    assert_eq!(at(f64::INFINITY), None);
    assert_eq!(at(1e300), None);
}

#[test]
fn iso_with_offsets_is_absolute() {
    let expected = Ok(utc("2024-03-11T08:05:00Z"));
    assert_eq!(iso("2024-03-11T10:05:00+02:00", Helsinki), expected);
    assert_eq!(iso("2024-03-11T10:05:00+0200", Helsinki), expected);
    assert_eq!(iso("2024-03-11T10:05+02", Helsinki), expected);
    assert_eq!(iso("2024-03-11 08:05:00Z", Helsinki), expected);
    assert_eq!(iso("2024-03-11t08:05:00z", Helsinki), expected);
    assert_eq!(iso("  2024-03-11T08:05:00Z ", Helsinki), expected);
    assert_eq!(iso("2024-03-11T03:05:00-05:00", Helsinki), expected);
}

#[test]
fn iso_fractions_truncate_to_microseconds() {
    let expected = Ok(utc("2024-03-11T10:05:00.123456Z"));
    assert_eq!(iso("2024-03-11T10:05:00.123456789Z", Helsinki), expected);
    assert_eq!(iso("2024-03-11T10:05:00,1234569Z", Helsinki), expected);
    let short = Ok(utc("2024-03-11T10:05:00.5Z"));
    assert_eq!(iso("2024-03-11T10:05:00.5Z", chrono_tz::UTC), short);
    assert!(iso("2024-03-11T10:05:00.1234567890Z", Helsinki).is_err());
    assert!(iso("2024-03-11T10:05:00.Z", Helsinki).is_err());
}

#[test]
fn naive_iso_is_civil_time_in_the_zone() {
    assert_eq!(
        iso("2024-03-11T10:05:00", Helsinki),
        Ok(utc("2024-03-11T08:05:00Z"))
    );
    assert_eq!(
        iso("2024-07-01T10:05:00", Helsinki),
        Ok(utc("2024-07-01T07:05:00Z"))
    );
    assert_eq!(iso("2024-03-11", Helsinki), Ok(utc("2024-03-10T22:00:00Z")));
    assert_eq!(
        iso("2024-03-11T10:05", chrono_tz::UTC),
        Ok(utc("2024-03-11T10:05:00Z"))
    );
}

#[test]
fn dst_gap_and_fold_follow_python() {
    // Spring forward 03:00 EET -> 04:00 EEST: 03:30 is read as 03:30+02:00.
    assert_eq!(
        iso("2024-03-31T03:30:00", Helsinki),
        Ok(utc("2024-03-31T01:30:00Z"))
    );
    assert_eq!(
        iso("2024-03-31T03:00:00", Helsinki),
        Ok(utc("2024-03-31T01:00:00Z"))
    );
    assert_eq!(
        iso("2024-03-31T04:00:00", Helsinki),
        Ok(utc("2024-03-31T01:00:00Z"))
    );
    // Fall back 04:00 EEST -> 03:00 EET: 03:30 happens twice, take the first.
    assert_eq!(
        iso("2024-10-27T03:30:00", Helsinki),
        Ok(utc("2024-10-27T00:30:00Z"))
    );
    assert_eq!(
        iso("2024-10-27T04:00:00", Helsinki),
        Ok(utc("2024-10-27T02:00:00Z"))
    );
}

#[test]
fn malformed_iso_is_rejected() {
    for text in [
        "",
        "2024",
        "2024-3-11",
        "2024-03-11T",
        "2024-03-11T10",
        "2024-03-11T1:05",
        "2024-02-30T10:00",
        "2024-03-11T24:00",
        "2024-03-11T10:60",
        "2024-03-11T10:05:60",
        "2024-03-11T10:05:00+2",
        "2024-03-11T10:05:00+24:00",
        "2024-03-11T10:05:00+02:",
        "2024-03-11T10:05:00 UTC",
        "2024-03-11X10:05",
        "20240311T1005",
        "tomorrow",
        "2024-03-11T10:05:00Zjunk",
        "２０２４-03-11",
        "2024-03-11T10:05:00.",
    ] {
        assert!(iso(text, Helsinki).is_err(), "{text:?} should be rejected");
    }
}

#[test]
fn jsonl_reads_all_instant_forms() -> Result<(), HistoryError> {
    let log = "\n# comment\n  # indented comment\n\
        {\"task\": \"a\", \"action\": \"run\", \"at\": \"2024-03-11T10:05:00\", \"extra\": 1}\r\n\
        {\"task\": \"a\", \"action\": \"success\", \"at\": \"2024-03-11T08:06:00Z\"}\n\
        {\"task\": \"b\", \"action\": \"fail\", \"at\": 1710151500}\n\
        {\"task\": \"b\", \"action\": \"run\", \"at\": 1710151499.9999996}";
    let history = jsonl(log)?;
    assert_eq!(history.tasks(), ["a", "b"]);
    let a: Vec<_> = history.events("a").iter().map(|e| e.at).collect();
    assert_eq!(
        a,
        [utc("2024-03-11T08:05:00Z"), utc("2024-03-11T08:06:00Z")]
    );
    // 1710151499.9999996 rounds up to 1710151500.0 and keeps file order after `fail`.
    assert_eq!(actions(&history, "b"), [Action::Fail, Action::Run]);
    Ok(())
}

fn jsonl_error(text: &str) -> (HistoryErrorKind, Option<usize>, String) {
    match jsonl(text) {
        Ok(_) => (HistoryErrorKind::Io, None, "no error".to_owned()),
        Err(e) => (e.kind(), e.line(), e.to_string()),
    }
}

#[test]
fn jsonl_errors_name_line_and_problem() {
    let ok = "{\"task\": \"t\", \"action\": \"run\", \"at\": 0}\n";
    let (kind, line, text) = jsonl_error(&format!(
        "{ok}\n{{\"task\": \"t\", \"action\": \"sucess\", \"at\": 0}}"
    ));
    assert_eq!((kind, line), (HistoryErrorKind::UnknownAction, Some(3)));
    assert!(
        text.starts_with("line 3: unknown action `sucess`, expected one of run,"),
        "{text}"
    );
    let (kind, line, text) = jsonl_error(&format!(
        "{ok}{{\"task\": \"t\", \"action\": \"run\", \"at\": \"yesterday\"}}"
    ));
    assert_eq!((kind, line), (HistoryErrorKind::BadInstant, Some(2)));
    assert!(text.contains("bad instant `yesterday` in `at`"), "{text}");
    let (kind, line, text) = jsonl_error("{\"action\": \"run\", \"at\": 0}");
    assert_eq!(
        (kind, line, text.as_str()),
        (
            HistoryErrorKind::MissingField,
            Some(1),
            "line 1: missing field `task`"
        )
    );
    let (kind, line, text) =
        jsonl_error(&format!("{ok}{ok}{{\"task\": \"t\", \"action\": \"run\""));
    assert_eq!((kind, line), (HistoryErrorKind::Json, Some(3)));
    assert!(
        text.starts_with("line 3: malformed JSON at column "),
        "{text}"
    );
}

#[test]
fn jsonl_rejects_wrong_types() {
    let cases = [
        (
            "{\"task\": 5, \"action\": \"run\", \"at\": 0}",
            HistoryErrorKind::BadValue,
        ),
        (
            "{\"task\": \"\", \"action\": \"run\", \"at\": 0}",
            HistoryErrorKind::BadValue,
        ),
        (
            "{\"task\": null, \"action\": \"run\", \"at\": 0}",
            HistoryErrorKind::MissingField,
        ),
        (
            "{\"task\": \"t\", \"action\": [], \"at\": 0}",
            HistoryErrorKind::BadValue,
        ),
        (
            "{\"task\": \"t\", \"action\": \"run\"}",
            HistoryErrorKind::MissingField,
        ),
        (
            "{\"task\": \"t\", \"action\": \"run\", \"at\": true}",
            HistoryErrorKind::BadInstant,
        ),
        (
            "{\"task\": \"t\", \"action\": \"run\", \"at\": 1e300}",
            HistoryErrorKind::BadInstant,
        ),
        ("[\"t\", \"run\", 0]", HistoryErrorKind::Json),
        ("\"just text\"", HistoryErrorKind::Json),
    ];
    for (line, kind) in cases {
        assert_eq!(jsonl_error(line).0, kind, "{line}");
    }
    let not_utf8: &[u8] = b"{\"task\": \"\xff\", \"action\": \"run\", \"at\": 0}";
    let error = MemoryHistory::from_jsonl(not_utf8, Helsinki).err();
    assert_eq!(
        error.map(|e| (e.kind(), e.line())),
        Some((HistoryErrorKind::Json, Some(1)))
    );
}

#[test]
fn csv_reads_by_header_name_and_ignores_extra_columns() -> Result<(), HistoryError> {
    let text = "msg,created,action,task_name,exc_text\r\n\
        \"hello, \"\"world\"\"\",1710151500.25,run,fetch,\r\n\
        x,1710151501,fail,fetch,\"Traceback:\r\n  boom\"\r\n";
    let history = csv(text)?;
    assert_eq!(actions(&history, "fetch"), [Action::Run, Action::Fail]);
    let at = history.events("fetch").first().map(|e| e.at);
    assert_eq!(at, Some(utc("2024-03-11T10:05:00.25Z")));
    assert!(csv("task_name,action,created\r\n")?.is_empty());
    assert!(csv("\u{feff}task_name,action,created\nt,run,0\n")?.len() == 1);
    Ok(())
}

fn csv_error(text: &str) -> (HistoryErrorKind, Option<usize>, String) {
    match csv(text) {
        Ok(_) => (HistoryErrorKind::Io, None, "no error".to_owned()),
        Err(e) => (e.kind(), e.line(), e.to_string()),
    }
}

#[test]
fn csv_errors_name_the_physical_line() {
    let head = "task_name,action,created,exc_text\n";
    let multi = "t,fail,1,\"two\nlines\"\n";
    let (kind, line, text) = csv_error(&format!("{head}{multi}t,sucess,2,\n"));
    assert_eq!((kind, line), (HistoryErrorKind::UnknownAction, Some(4)));
    assert!(
        text.starts_with("line 4: unknown action `sucess`"),
        "{text}"
    );
    let (kind, line, _) = csv_error(&format!("{head}t,run,soon,\n"));
    assert_eq!((kind, line), (HistoryErrorKind::BadInstant, Some(2)));
    let (kind, line, _) = csv_error(&format!("{head}t,run,inf,\n"));
    assert_eq!((kind, line), (HistoryErrorKind::BadInstant, Some(2)));
    let (kind, line, _) = csv_error(&format!("{head}t,run,,\n"));
    assert_eq!((kind, line), (HistoryErrorKind::MissingField, Some(2)));
    let (kind, line, _) = csv_error(&format!("{head}t,run\n"));
    assert_eq!((kind, line), (HistoryErrorKind::MissingField, Some(2)));
    let (kind, line, _) = csv_error(&format!("{head},run,1,\n"));
    assert_eq!((kind, line), (HistoryErrorKind::MissingField, Some(2)));
    let (kind, line, text) = csv_error("task,action,created\nt,run,1\n");
    assert_eq!((kind, line), (HistoryErrorKind::MissingField, Some(1)));
    assert!(text.contains("no column `task_name`"), "{text}");
    let bad_utf8: &[u8] = b"task_name,action,created\r\n\r\nt\xff,run,1\r\n";
    let error = MemoryHistory::from_rocketry_csv(bad_utf8).err();
    assert_eq!(
        error.map(|e| (e.kind(), e.line())),
        Some((HistoryErrorKind::Csv, Some(3)))
    );
}

#[test]
fn csv_line_numbers_survive_crlf_blank_lines_and_multiline_fields() {
    let bad = "t,sucess,2";
    for (text, line) in [
        (
            format!("task_name,action,created\r\nt,run,1\r\n{bad}\r\n"),
            3,
        ),
        (
            format!("task_name,action,created\r\nt,fail,1,\"a\r\nb\"\r\n\r\n\r\n{bad}\r\n"),
            6,
        ),
        (
            format!("task_name,action,created\nt,fail,1,\"a\nb\"\n\n\n{bad}\n"),
            6,
        ),
        (format!("task_name,action,created\n\n\n{bad}"), 4),
        (format!("task_name,action,created\rt,run,1\r{bad}\r"), 3),
        (format!("\n\ntask_name,action,created\nt,run,1\n{bad}\n"), 5),
    ] {
        let (kind, found, _) = csv_error(&text);
        assert_eq!(
            (kind, found),
            (HistoryErrorKind::UnknownAction, Some(line)),
            "{text:?}"
        );
    }
}

#[test]
fn load_picks_the_reader_by_extension() {
    let error = MemoryHistory::load(Path::new("history.txt"), None, Helsinki).err();
    assert_eq!(
        error.as_ref().map(|e| e.kind()),
        Some(HistoryErrorKind::UnknownFormat)
    );
    let shown = error.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        shown.starts_with("history.txt: cannot tell the history format"),
        "{shown}"
    );
    let missing = MemoryHistory::load(Path::new("/nonexistent/h.JSONL"), None, Helsinki).err();
    assert_eq!(missing.map(|e| e.kind()), Some(HistoryErrorKind::Io));
    assert_eq!(
        Format::of(Path::new("a.Sqlite3")).ok(),
        Some(Format::Sqlite)
    );
    assert_eq!(Format::of(Path::new("a.ndjson")).ok(), Some(Format::Jsonl));
    assert!(Format::of(Path::new("csv")).is_err());
}

#[test]
fn a_byte_order_mark_starts_a_jsonl_or_csv_history_harmlessly() -> Result<(), HistoryError> {
    let bom = "\u{feff}{\"task\": \"t\", \"action\": \"run\", \"at\": 0}\n";
    assert_eq!(actions(&jsonl(bom)?, "t"), [Action::Run]);
    let bom = "\u{feff}task_name,action,created\nt,run,0\n";
    assert_eq!(actions(&csv(bom)?, "t"), [Action::Run]);
    Ok(())
}

/// A CSV log without even a header is not Rocketry's (its repository writes the header when
/// it creates the file): most likely the wrong file, so it is not read as "never ran".
#[test]
fn an_empty_csv_is_an_error() {
    for text in ["", "\n", "\u{feff}"] {
        let error = csv(text).err();
        assert_eq!(
            error.as_ref().map(|e| e.kind()),
            Some(HistoryErrorKind::MissingField),
            "{text:?}"
        );
        let shown = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(shown.contains("no header"), "{shown}");
    }
}

#[test]
fn a_directory_is_named_as_one() {
    let dir = std::env::temp_dir().join(format!("tminus-history-dir-{}", std::process::id()));
    for name in ["h.jsonl", "h.csv", "h.db"] {
        let path = dir.join(name);
        let _ = std::fs::create_dir_all(&path);
        let error = MemoryHistory::load(&path, None, Helsinki).err();
        assert_eq!(error.as_ref().map(|e| e.kind()), Some(HistoryErrorKind::Io));
        let shown = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(shown.contains("is a directory"), "{shown}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn error_display_and_source() {
    let error = HistoryError::new(HistoryErrorKind::Sqlite, "boom")
        .with_path(Path::new("a.db"))
        .at_row(4)
        .with_source(std::fmt::Error);
    assert_eq!(error.to_string(), "a.db: row 4: boom");
    assert_eq!(error.row(), Some(4));
    assert_eq!(error.message(), "boom");
    assert!(std::error::Error::source(&error).is_some());
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A SQLite file built from `sql`, removed on drop.
    struct TempDb(PathBuf);

    impl TempDb {
        fn new(sql: &str) -> TempDb {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let name = format!("tminus-history-{}-{n}.db", std::process::id());
            let path = std::env::temp_dir().join(name);
            let _ = std::fs::remove_file(&path);
            if let Ok(conn) = rusqlite::Connection::open(&path) {
                let _ = conn.execute_batch(sql);
            }
            TempDb(path)
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    const SCHEMA: &str = "CREATE TABLE tasks (id INTEGER PRIMARY KEY, task_name TEXT, \
                          action TEXT, created FLOAT, run_id TEXT);";

    fn read(db: &TempDb, table: &str) -> Result<MemoryHistory, HistoryError> {
        MemoryHistory::from_rocketry_sqlite(&db.0, table)
    }

    #[test]
    fn reads_rows_and_ignores_extra_columns() -> Result<(), HistoryError> {
        let db = TempDb::new(&format!(
            "{SCHEMA} INSERT INTO tasks (task_name, action, created, run_id) VALUES \
             ('t', 'success', 1710151500.5, 'x'), ('t', 'run', 1710151500, NULL), \
             ('u', 'run', '1710151502.25', NULL);"
        ));
        let history = read(&db, "tasks")?;
        assert_eq!(actions(&history, "t"), [Action::Run, Action::Success]);
        assert_eq!(history.tasks(), ["t", "u"]);
        let loaded = MemoryHistory::load(&db.0, None, Helsinki)?;
        assert_eq!(loaded, history);
        Ok(())
    }

    fn failure(db: &TempDb, table: &str) -> (HistoryErrorKind, Option<usize>, String) {
        match read(db, table) {
            Ok(_) => (HistoryErrorKind::Io, None, "no error".to_owned()),
            Err(e) => (e.kind(), e.row(), e.to_string()),
        }
    }

    #[test]
    fn nulls_and_wrong_types_name_the_row() {
        let insert = |values: &str| {
            TempDb::new(&format!(
                "{SCHEMA} INSERT INTO tasks (task_name, action, created) VALUES \
                 ('t', 'run', 1), {values};"
            ))
        };
        let cases = [
            ("(NULL, 'run', 2)", HistoryErrorKind::MissingField),
            ("('t', NULL, 2)", HistoryErrorKind::MissingField),
            ("('t', 'run', NULL)", HistoryErrorKind::MissingField),
            ("(X'74', 'run', 2)", HistoryErrorKind::BadValue),
            ("('t', 'run', X'00')", HistoryErrorKind::BadValue),
            ("('t', X'00', 2)", HistoryErrorKind::BadValue),
            ("('t', 'run', X'00')", HistoryErrorKind::BadValue),
            ("('t', 'run', 'soon')", HistoryErrorKind::BadInstant),
            ("('t', 'run', 1e300)", HistoryErrorKind::BadInstant),
            ("('t', 'sucess', 2)", HistoryErrorKind::UnknownAction),
        ];
        for (values, kind) in cases {
            let db = insert(values);
            let (found, row, text) = failure(&db, "tasks");
            assert_eq!((found, row), (kind, Some(2)), "{values}: {text}");
            assert!(text.contains("row 2: "), "{text}");
        }
    }

    #[test]
    fn missing_tables_and_columns_are_errors() {
        let db = TempDb::new(SCHEMA);
        let (kind, _, text) = failure(&db, "log");
        assert_eq!(kind, HistoryErrorKind::Sqlite);
        assert!(text.contains("no table `log` (tables: tasks)"), "{text}");
        let partial = TempDb::new("CREATE TABLE log (task_name TEXT, created REAL);");
        let (kind, _, text) = failure(&partial, "log");
        assert_eq!(kind, HistoryErrorKind::MissingField);
        assert!(text.contains("no column `action`"), "{text}");
        let none = MemoryHistory::load(&partial.0, None, Helsinki).err();
        assert_eq!(none.map(|e| e.kind()), Some(HistoryErrorKind::MissingField));
        let two = TempDb::new(&format!(
            "{SCHEMA} CREATE TABLE log AS SELECT * FROM tasks;"
        ));
        let ambiguous = MemoryHistory::load(&two.0, None, Helsinki).err();
        let text = ambiguous.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("several log tables (log, tasks)"), "{text}");
        let quoted = TempDb::new("CREATE TABLE \"we\"\"ird\" (task_name, action, created);");
        assert!(read(&quoted, "we\"ird").is_ok_and(|h| h.is_empty()));
    }

    /// Only tables are read: a view may compute anything, without end (a recursive one).
    #[test]
    fn views_are_not_read() {
        let db = TempDb::new(
            "CREATE VIEW log AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) \
             SELECT 't' AS task_name, 'run' AS action, i AS created FROM n;",
        );
        let (kind, _, text) = failure(&db, "log");
        assert_eq!(kind, HistoryErrorKind::Sqlite);
        assert!(text.contains("`log` is a view"), "{text}");
        let none = MemoryHistory::load(&db.0, None, Helsinki).err();
        assert_eq!(none.map(|e| e.kind()), Some(HistoryErrorKind::MissingField));
    }

    /// Nor are virtual tables: an FTS5 table with external content reads its rows from
    /// another table or a view when it is read (here a view of 20 rows; a recursive view
    /// without end grows memory until the process aborts).
    #[test]
    fn virtual_tables_are_not_read() {
        let db = TempDb::new(
            "CREATE VIEW numbers AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL \
             SELECT i + 1 FROM n LIMIT 20) \
             SELECT i AS rowid, 't' AS task_name, 'run' AS action, i AS created FROM n; \
             CREATE VIRTUAL TABLE log USING fts5(task_name, action, created, content='numbers');",
        );
        let (kind, _, text) = failure(&db, "log");
        assert_eq!(kind, HistoryErrorKind::Sqlite);
        assert!(text.contains("`log` is a virtual table"), "{text}");
        let none = MemoryHistory::load(&db.0, None, Helsinki).err();
        assert_eq!(none.map(|e| e.kind()), Some(HistoryErrorKind::MissingField));
    }

    #[test]
    fn too_many_rows_are_an_error() {
        let db = TempDb::new(&format!(
            "{SCHEMA} INSERT INTO tasks (task_name, action, created) VALUES \
             ('t', 'run', 1), ('t', 'success', 2), ('t', 'run', 3);"
        ));
        let error = super::rocketry_sqlite::read_at_most(&db.0, Some("tasks"), 2).err();
        assert_eq!(
            error.as_ref().map(|e| e.kind()),
            Some(HistoryErrorKind::TooLarge)
        );
        let shown = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(shown.contains("more than 2 records"), "{shown}");
        assert!(super::rocketry_sqlite::read_at_most(&db.0, Some("tasks"), 3).is_ok());
    }

    #[test]
    fn non_databases_are_errors() {
        let path = std::env::temp_dir().join(format!("tminus-notdb-{}.db", std::process::id()));
        let _ = std::fs::write(&path, "task_name,action,created\n");
        let error = MemoryHistory::from_rocketry_sqlite(&path, "tasks").err();
        let _ = std::fs::remove_file(&path);
        assert_eq!(error.map(|e| e.kind()), Some(HistoryErrorKind::Sqlite));
        let absent = MemoryHistory::from_rocketry_sqlite(Path::new("/nonexistent.db"), "t").err();
        assert_eq!(absent.map(|e| e.kind()), Some(HistoryErrorKind::Io));
    }
}
