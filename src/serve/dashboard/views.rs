//! The dashboard's JSON: task rows, a task's runs paired from its records, log records and
//! future windows, every instant both as RFC 3339 in the scheduler's zone and as the civil
//! text the page shows.

use super::super::answers::civil_text;
use crate::run::{LogRecord, NextRun, TaskStatus};
use crate::{Action, MemoryHistory, Statement};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

fn instant(at: DateTime<Utc>, zone: Tz) -> Value {
    json!(at
        .with_timezone(&zone)
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

/// A recorded instant as the dashboard shows it: `YYYY-MM-DD HH:MM:SS` in the zone
/// (records are stamped to the microsecond; people read seconds).
pub fn text(at: DateTime<Utc>, zone: Tz) -> Value {
    json!(at
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string())
}

/// What the next-run column says: `now`, a civil time, `not before …`, `waits on …`.
fn next_text(next: &NextRun, zone: Tz) -> Value {
    match next {
        NextRun::At { at } => text(*at, zone),
        NextRun::NotBefore { at } => json!(format!(
            "not before {}",
            text(*at, zone).as_str().unwrap_or("")
        )),
        other => json!(other.describe(zone)),
    }
}

/// One row of the task table: the status as `tminus status --format json` writes it, the
/// start statement, and civil texts.
pub fn task_row(status: &TaskStatus, statement: Option<&Statement>, zone: Tz) -> Value {
    let mut v = status.to_json(zone);
    v["statement"] = json!(statement.map(Statement::canonical));
    v["next_text"] = next_text(&status.next, zone);
    if let Some(last) = &status.last {
        v["last"]["at_text"] = text(last.at, zone);
    }
    v
}

/// A log record with its number: `{seq, at, at_text, task, action, message, exc_text}`.
pub fn record(seq: Option<u64>, r: &LogRecord, zone: Tz) -> Value {
    let mut v = r.to_json(zone);
    v["at_text"] = text(r.created, zone);
    v["exc_text"] = json!(r.exc_text);
    if let Some(seq) = seq {
        v["seq"] = json!(seq);
    }
    v
}

/// A task's runs, newest first, at most `limit`: each `run` record paired with the finish
/// that names its start (or the next finish), `{start, end, outcome, message, exc_text}`;
/// a run without a finish is still running (`outcome` null).
pub fn runs(records: &[LogRecord], zone: Tz, limit: usize) -> Vec<Value> {
    let mut runs: Vec<(Option<DateTime<Utc>>, Option<&LogRecord>)> = Vec::new();
    for r in records {
        if r.action == Action::Run {
            runs.push((Some(r.created), None));
            continue;
        }
        let open = runs
            .iter_mut()
            .rev()
            .find(|(start, end)| end.is_none() && (r.start.is_none() || *start == r.start));
        match open {
            Some(run) => run.1 = Some(r),
            None => runs.push((r.start, Some(r))),
        }
    }
    runs.iter()
        .rev()
        .take(limit)
        .map(|(start, end)| {
            json!({
                "start": start.map(|s| instant(s, zone)),
                "start_text": start.map(|s| text(s, zone)),
                "end": end.map(|e| instant(e.created, zone)),
                "end_text": end.map(|e| text(e.created, zone)),
                "outcome": end.map(|e| e.action.as_str()),
                "message": end.and_then(|e| e.message.clone()),
                "exc_text": end.and_then(|e| e.exc_text.clone()),
            })
        })
        .collect()
}

/// The task's next windows from `now` within `days`, with its own records as history.
pub fn windows(
    task: &str,
    statement: &Statement,
    records: &[LogRecord],
    zone: Tz,
    now: DateTime<Utc>,
    days: i64,
) -> Vec<Value> {
    let mut history = MemoryHistory::new();
    for r in records {
        history.record(&r.task_name, r.action, r.created);
    }
    let schedule = statement.schedule().with_task(task);
    schedule
        .windows(now, TimeDelta::days(days), zone, &history)
        .take(200)
        .map(|w| {
            json!({
                "start": instant(w.start.with_timezone(&Utc), zone),
                "start_text": civil_text(&w.start),
                "end": w.end.map(|e| instant(e.with_timezone(&Utc), zone)),
                "end_text": w.end.as_ref().map(civil_text),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 11, 10, minute, 0).unwrap()
    }

    #[test]
    fn runs_pair_starts_with_finishes() {
        let records = vec![
            LogRecord::new("t", Action::Run, at(0)),
            LogRecord::finish("t", Action::Fail, at(0), at(1)).with_message("exit status 3"),
            LogRecord::new("t", Action::Run, at(5)),
            LogRecord::finish("t", Action::Success, at(5), at(6)),
            LogRecord::new("t", Action::Run, at(9)),
        ];
        let runs = runs(&records, Tz::UTC, 10);
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0]["outcome"], Value::Null);
        assert_eq!(runs[1]["outcome"], "success");
        assert_eq!(runs[1]["start_text"], "2024-03-11 10:05:00");
        assert_eq!(runs[2]["message"], "exit status 3");
        assert_eq!(super::runs(&records, Tz::UTC, 1).len(), 1);
    }

    #[test]
    fn a_crash_without_its_run_is_a_run_too() {
        let mut crash = LogRecord::new("t", Action::Crash, at(3));
        crash.start = Some(at(0));
        let runs = runs(&[crash], Tz::UTC, 10);
        assert_eq!(runs[0]["start_text"], "2024-03-11 10:00:00");
        assert_eq!(runs[0]["outcome"], "crash");
    }

    #[test]
    fn windows_use_the_tasks_history() {
        let s = Statement::parse("daily between 10:00 and 12:00").unwrap();
        let done = vec![
            LogRecord::new("t", Action::Run, at(1)),
            LogRecord::finish("t", Action::Success, at(1), at(2)),
        ];
        let w = windows("t", &s, &done, Tz::UTC, at(30), 2);
        assert_eq!(w[0]["start_text"], "2024-03-12 10:00");
        let w = windows("t", &s, &[], Tz::UTC, at(30), 2);
        assert_eq!(w[0]["start_text"], "2024-03-11 10:30");
    }
}
