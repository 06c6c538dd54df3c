//! A history file of any bytes, read as `tminus … --history FILE` reads it, by each reader
//! its extension picks: JSON Lines (`.jsonl`, civil times in Helsinki, so DST gaps and
//! repeats are met), Rocketry's CSV (`.csv`) and Rocketry's SQLite (`.db`, the only log
//! table and the table `tasks`). Whatever the bytes:
//!
//! * no panic, and (with the run's `-rss_limit_mb` and `-timeout`) bounded memory and time;
//! * an error names the file, and its line (JSON Lines, CSV) lies within the file;
//! * a history read is well formed: its tasks sorted, unique and named, each with events
//!   sorted by instant, at whole microseconds, matching `event_micros`;
//! * the SQLite file is read, never written.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tminus::{History, HistoryError, MemoryHistory};
use tminus_fuzz::scratch_file;

fuzz_target!(|data: &[u8]| {
    let zone = chrono_tz::Europe::Helsinki;
    // Lines as JSON Lines counts them (`\n` ends one), and as CSV does (`\r\n`, `\r`, `\n`).
    let jsonl_lines = data.split(|&b| b == b'\n').count();
    let csv_lines = jsonl_lines + data.iter().filter(|&&b| b == b'\r').count();
    for (name, lines) in [("log.jsonl", jsonl_lines), ("log.csv", csv_lines)] {
        let path = scratch_file(name, data);
        match MemoryHistory::load(&path, None, zone) {
            Ok(history) => well_formed(&history),
            Err(e) => {
                named(&e, &path);
                let line = e.line().unwrap_or(1);
                assert!(
                    (1..=lines).contains(&line),
                    "{name}: line {line} of {lines}: {e}"
                );
            }
        }
    }
    let path = scratch_file("log.db", data);
    for table in [None, Some("tasks")] {
        match MemoryHistory::load(&path, table, zone) {
            Ok(history) => well_formed(&history),
            Err(e) => {
                named(&e, &path);
                assert!(e.line().is_none() && e.row() != Some(0), "{e}");
            }
        }
        let after = std::fs::read(&path).expect("the database is still there");
        assert!(after == data, "reading the SQLite log changed it");
    }
});

fn named(error: &HistoryError, path: &Path) {
    assert_eq!(error.path(), Some(path), "{error}");
    assert!(error.to_string().starts_with(&path.display().to_string()));
}

fn well_formed(history: &MemoryHistory) {
    let tasks = history.tasks();
    assert!(
        tasks.windows(2).all(|w| w[0] < w[1]),
        "tasks sorted and unique"
    );
    let mut total = 0;
    for task in tasks {
        assert!(!task.is_empty(), "a task without a name");
        let events = history.events(task);
        total += events.len();
        assert!(!events.is_empty());
        assert!(
            events.windows(2).all(|w| w[0].at <= w[1].at),
            "{task}: events out of order"
        );
        assert!(events
            .iter()
            .all(|e| e.at.timestamp_subsec_nanos() % 1000 == 0));
        let micros: Vec<i64> = events.iter().map(|e| e.at.timestamp_micros()).collect();
        assert_eq!(history.event_micros(task), Some(&micros[..]));
    }
    assert_eq!(history.len(), total);
}
