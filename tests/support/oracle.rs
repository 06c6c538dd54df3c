//! Helpers shared by the evaluator tests: reading oracle cases (the input format of
//! `../shared/oracle/rocketry_oracle.py`) into a history, a zone and an instant.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;
use tminus::zone::{to_instant, CivilPolicy};
use tminus::{MemoryHistory, SchedulerState};

/// An instant from ISO 8601: with an offset it is absolute, without it is civil in `zone`
/// read as the oracle's inputs are ([`CivilPolicy::Fold0`]).
pub fn instant(text: &str, zone: Tz) -> DateTime<Utc> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return at.with_timezone(&Utc);
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .unwrap_or_else(|e| panic!("bad instant {text}: {e}"));
    civil(naive, zone)
}

/// A civil time in `zone` as an instant under Python's `fold=0` (first pass in a fold; in a
/// gap the offset in force before it), as the Rocketry oracle reads its inputs.
pub fn civil(naive: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    to_instant(naive, zone, CivilPolicy::Fold0).unwrap_or_else(|| panic!("{naive} out of range"))
}

/// The zone a case is evaluated in: `timezone` (Rocketry's aware mode) or `tz` or UTC.
pub fn zone_of(case: &Value) -> Tz {
    let name = case["timezone"]
        .as_str()
        .or(case["tz"].as_str())
        .unwrap_or("UTC");
    name.parse().unwrap_or_else(|e| panic!("zone {name}: {e}"))
}

/// The owner task of a case (`t` by default).
pub fn task_of(case: &Value) -> &str {
    case["task"].as_str().unwrap_or("t")
}

/// The history of a case: records, running tasks, scheduler and parameters.
pub fn history_of(case: &Value, zone: Tz) -> MemoryHistory {
    let task = task_of(case);
    let mut lines = String::new();
    for entry in case["history"].as_array().into_iter().flatten() {
        let mut entry = entry.clone();
        if entry.get("task").is_none() {
            entry["task"] = Value::from(task);
        }
        lines.push_str(&entry.to_string());
        lines.push('\n');
    }
    let mut history = MemoryHistory::from_jsonl(lines.as_bytes(), zone).expect("history");
    if case["from_logs"].as_bool() == Some(true) {
        history.set_running_from_log();
    }
    for name in case["running"].as_array().into_iter().flatten() {
        history.set_running(name.as_str().unwrap_or_default(), true);
    }
    if let Some(s) = case["scheduler"].as_object() {
        let started = instant(s["started"].as_str().unwrap_or_default(), zone);
        let cycles = s["cycles"].as_u64().unwrap_or(0);
        history.set_scheduler(Some(SchedulerState { started, cycles }));
    }
    for (key, value) in case["params"].as_object().into_iter().flatten() {
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        history.set_param(key, &text);
    }
    history
}

/// The cases of a JSON Lines file under `tests/data/oracle/`.
pub fn cases(name: &str) -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/oracle")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect()
}
