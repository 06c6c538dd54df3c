//! `explain` snapshots: the tree, readings, values, reasons and next changes, as text and
//! JSON, at fixed instants with a fixed history.

use chrono::{TimeDelta, TimeZone, Utc};
use tminus::explain::{explain, Context};
use tminus::{Action, MemoryHistory, Statement};

fn history() -> MemoryHistory {
    let mut h = MemoryHistory::new();
    let at = |h, m| Utc.with_ymd_and_hms(2024, 3, 11, h, m, 0).unwrap();
    h.record("t", Action::Run, at(10, 0));
    h.record("t", Action::Success, at(10, 5));
    h.record("extract", Action::Run, at(8, 0));
    h.record("extract", Action::Success, at(9, 0));
    h.set_running("report", true);
    h
}

fn explained(text: &str, hour: u32) -> tminus::explain::Explanation {
    let h = history();
    let at = Utc.with_ymd_and_hms(2024, 3, 11, hour, 30, 0).unwrap();
    let cx = Context {
        at,
        zone: chrono_tz::Europe::Helsinki,
        task: "t",
        history: &h,
        horizon: TimeDelta::days(40),
        dst: tminus::DstPolicy::default(),
    };
    explain(&Statement::parse(text).unwrap(), &cx)
}

#[test]
fn tree_as_text() {
    let cases = [
        ("combined", "daily between 10:00 and 14:00 & (after task 'extract' succeeded | ~time of week on Sun)"),
        ("every", "every 2 hours & ~task 'report' is running"),
        ("status", "task 'extract' has succeeded today & cron 0 */2 * * *"),
        ("never", "time of day before 10:00 & time of day after 12:00"),
    ];
    for (name, text) in cases {
        insta::assert_snapshot!(name, explained(text, 9).to_string(), text);
    }
}

#[test]
fn tree_as_json() {
    let e = explained("weekly on Monday & time of day after 09:00", 9);
    insta::assert_json_snapshot!("json", e);
    assert_eq!(e.children.len(), 2);
}
