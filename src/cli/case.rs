//! One JSON Lines input of `eval --jsonl` / `next --jsonl`, in the oracle's format: `cond`,
//! `now`, `task` (default `t`), `history` `[{task, action, at}]`, `running`, `tz`,
//! `scheduler` `{started, cycles}`, `params`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Map, Value};
use tminus::{MemoryHistory, SchedulerState, Statement};

/// A case read from one input line.
pub struct Case {
    /// The statement's text.
    pub cond: String,
    /// The evaluation instant.
    pub now: DateTime<Utc>,
    /// The task that owns the statement.
    pub task: String,
    /// The zone of civil times.
    pub zone: Tz,
    /// What happened.
    pub history: MemoryHistory,
}

/// The echo of an input line every answer starts with: its `cond` and `now`.
pub fn echo(input: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert(
        "cond".into(),
        input.get("cond").cloned().unwrap_or(Value::Null),
    );
    out.insert(
        "now".into(),
        input.get("now").cloned().unwrap_or(Value::Null),
    );
    out
}

/// Reads a case; `default_zone` applies when the line has no `tz`.
pub fn read(input: &Value, default_zone: Tz) -> Result<Case, String> {
    let cond = match input.get("cond") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => return Err("the line needs a string \"cond\"".into()),
    };
    let zone = match input.get("tz") {
        Some(Value::String(name)) => super::settings::zone(name)?,
        None | Some(Value::Null) => default_zone,
        Some(other) => {
            return Err(format!(
                "\"tz\" must be a zone name (a string), not {other}"
            ))
        }
    };
    let now = match input.get("now") {
        Some(Value::String(s)) => tminus::history::parse_instant(s, zone)?,
        Some(Value::Number(n)) => posix(n.as_f64().unwrap_or(f64::NAN))?,
        _ => return Err("the line needs \"now\"".into()),
    };
    let task = match input.get("task") {
        Some(Value::String(task)) => task.clone(),
        None | Some(Value::Null) => "t".to_owned(),
        Some(other) => {
            return Err(format!(
                "\"task\" must be a task name (a string), not {other}"
            ))
        }
    };
    let history = history(input, &task, zone)?;
    Ok(Case {
        cond,
        now,
        task,
        zone,
        history,
    })
}

fn posix(seconds: f64) -> Result<DateTime<Utc>, String> {
    let micros = (seconds * 1e6).round();
    if !micros.is_finite() || micros.abs() > 1e17 {
        return Err("\"now\" is not a representable instant".into());
    }
    DateTime::from_timestamp_micros(micros as i64).ok_or_else(|| "\"now\" is out of range".into())
}

/// The case's history: its records (read as the JSONL history reader reads them, so civil
/// times are resolved the same way), running tasks, scheduler and parameters.
fn history(input: &Value, task: &str, zone: Tz) -> Result<MemoryHistory, String> {
    let records = input
        .get("history")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let lines: Vec<String> = records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if r.get("task").is_none() {
                r["task"] = json!(task);
            }
            r.to_string()
        })
        .collect();
    let mut h =
        MemoryHistory::from_jsonl(lines.join("\n").as_bytes(), zone).map_err(|e| e.to_string())?;
    for name in input
        .get("running")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        h.set_running(name.as_str().unwrap_or_default(), true);
    }
    if let Some(s) = input.get("scheduler").filter(|s| s.is_object()) {
        let started = s
            .get("started")
            .and_then(Value::as_str)
            .ok_or("scheduler needs \"started\"")?;
        let started = tminus::history::parse_instant(started, zone)?;
        let cycles = s.get("cycles").and_then(Value::as_u64).unwrap_or(0);
        h.set_scheduler(Some(SchedulerState { started, cycles }));
    }
    for (k, v) in input
        .get("params")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        h.set_param(k, &v);
    }
    Ok(h)
}

/// Parses the case's statement with the `--cond` predicates, with the error as text.
pub fn statement(case: &Case, options: &tminus::ParseOptions) -> Result<Statement, String> {
    Statement::parse_with(&case.cond, options).map_err(|e| e.to_string())
}
