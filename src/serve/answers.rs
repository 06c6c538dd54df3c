//! The API's answers, computed from checked requests: pure functions from a statement, a
//! zone and instants to JSON, run on the blocking pool by [`super::api`].

use super::request::Subject;
use crate::eval::waiting::windows_if_events;
use crate::explain::{explain, Context};
use crate::{DstPolicy, MemoryHistory, Next, Window};
use chrono::{DateTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

/// The owner task of statements asked about through the API (`daily` counts its runs).
const TASK: &str = "t";

/// An instant as the page shows it: `YYYY-MM-DD HH:MM` in its zone, with `:SS` (and the
/// fraction) only when they are not zero.
///
/// ```
/// use chrono::TimeZone;
/// let at = chrono_tz::Europe::Helsinki.with_ymd_and_hms(2024, 3, 31, 4, 0, 0).unwrap();
/// assert_eq!(tminus::serve::civil_text(&at), "2024-03-31 04:00");
/// let at = at + chrono::TimeDelta::microseconds(30_000_001);
/// assert_eq!(tminus::serve::civil_text(&at), "2024-03-31 04:00:30.000001");
/// ```
pub fn civil_text(at: &DateTime<Tz>) -> String {
    if at.second() == 0 && at.nanosecond() == 0 {
        at.format("%Y-%m-%d %H:%M").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M:%S%.f").to_string()
    }
}

fn instant_json(at: &DateTime<Tz>) -> Value {
    json!(at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

fn window_json(w: &Window) -> Value {
    json!({
        "start": instant_json(&w.start),
        "end": w.end.as_ref().map(instant_json),
        "start_text": civil_text(&w.start),
        "end_text": w.end.as_ref().map(civil_text),
    })
}

/// `POST /api/lint`: the diagnostics of a statement (errors, or the parser's and the
/// optimizer's warnings) and its canonical form when it parses.
pub fn lint(text: &str, options: &crate::ParseOptions) -> Value {
    let (statement, diagnostics) = crate::check(text.as_bytes(), options);
    let canonical = statement.map(|s| s.canonical());
    json!({
        "valid": canonical.is_some(),
        "canonical": canonical,
        "diagnostics": diagnostics,
    })
}

/// `POST /api/parse`: the canonical form and the IR.
pub fn parse(subject: &Subject) -> Value {
    json!({
        "canonical": subject.statement.canonical(),
        "ir": crate::ir::json::to_json(subject.statement.cond()),
    })
}

/// What `POST /api/next` searches.
#[derive(Debug, Clone, Copy)]
pub struct Search {
    /// The zone of civil times.
    pub zone: Tz,
    /// The first instant searched.
    pub after: DateTime<Utc>,
    /// At most this many windows.
    pub count: usize,
    /// Only windows opening before this instant.
    pub until: Option<DateTime<Utc>>,
    /// How far to search.
    pub horizon: TimeDelta,
}

/// `POST /api/next`: the next windows, or why there are none.
pub fn next(subject: &Subject, search: &Search) -> Value {
    let schedule = subject.schedule().with_task(TASK);
    let history = MemoryHistory::new();
    // Windows before `until` are searched with the horizon ending there.
    let horizon = match search.until {
        Some(until) => (until - search.after).clamp(TimeDelta::zero(), search.horizon),
        None => search.horizon,
    };
    let first = schedule.next_window(search.after, horizon, search.zone, &history);
    let mut windows: Vec<Window> = match first {
        Next::Window(_) => schedule
            .windows(search.after, horizon, search.zone, &history)
            .take(search.count + 1)
            .collect(),
        _ => Vec::new(),
    };
    let truncated = windows.len() > search.count;
    windows.truncate(search.count);
    let if_events = match first {
        Next::WaitsOn(_) => windows_if_events(
            subject.statement.cond(),
            TASK,
            search.after,
            horizon,
            search.zone,
            &history,
            search.count,
        ),
        _ => Vec::new(),
    };
    let mut v = serde_json::to_value(&first).unwrap_or_else(|_| json!({}));
    v["zone"] = json!(search.zone.name());
    v["after"] = instant_json(&search.after.with_timezone(&search.zone));
    v["windows"] = windows.iter().map(window_json).collect();
    v["truncated"] = json!(truncated);
    v["waits_on_windows"] = if_events.iter().map(window_json).collect();
    v
}

/// `POST /api/truth`: whether the statement is true at the instant.
pub fn truth(subject: &Subject, zone: Tz, at: DateTime<Utc>) -> Value {
    let value = subject
        .schedule()
        .with_task(TASK)
        .is_true(at, zone, &MemoryHistory::new());
    let at = at.with_timezone(&zone);
    json!({
        "value": value,
        "zone": zone.name(),
        "at": instant_json(&at),
        "at_text": civil_text(&at),
    })
}

/// `POST /api/explain`: the statement as a tree of readings, values and next changes.
pub fn explanation(subject: &Subject, zone: Tz, at: DateTime<Utc>, horizon: TimeDelta) -> Value {
    let history = MemoryHistory::new();
    let cx = Context {
        at,
        zone,
        task: TASK,
        history: &history,
        horizon,
        dst: DstPolicy::default(),
    };
    let e = explain(&subject.statement, &cx);
    json!({
        "zone": zone.name(),
        "at": instant_json(&at.with_timezone(&zone)),
        "explanation": e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::request;
    use chrono::TimeZone;

    fn subject(text: &str) -> Subject {
        request::subject(text, &[]).unwrap()
    }

    #[test]
    fn windows_carry_their_civil_text() {
        let s = subject("time of day between 10:00 and 12:00");
        let search = Search {
            zone: chrono_tz::America::New_York,
            after: Utc.with_ymd_and_hms(2024, 3, 9, 0, 0, 0).unwrap(),
            count: 3,
            until: None,
            horizon: TimeDelta::days(30),
        };
        let v = next(&s, &search);
        let texts: Vec<&str> = v["windows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["start_text"].as_str().unwrap())
            .collect();
        assert_eq!(
            texts,
            ["2024-03-09 10:00", "2024-03-10 10:00", "2024-03-11 10:00"]
        );
        assert_eq!(v["windows"][1]["start"], "2024-03-10T10:00:00-04:00");
        assert_eq!(v["truncated"], true);
    }

    #[test]
    fn until_ends_the_list() {
        let s = subject("time of day between 10:00 and 12:00");
        let after = Utc.with_ymd_and_hms(2024, 3, 9, 0, 0, 0).unwrap();
        let search = Search {
            zone: Tz::UTC,
            after,
            count: 100,
            until: Some(after + TimeDelta::days(7)),
            horizon: TimeDelta::days(3660),
        };
        let v = next(&s, &search);
        assert_eq!(v["windows"].as_array().unwrap().len(), 7);
        assert_eq!(v["truncated"], false);
    }

    #[test]
    fn waiting_statements_say_on_what() {
        let s = subject("after task 'extract'");
        let search = Search {
            zone: Tz::UTC,
            after: Utc::now(),
            count: 2,
            until: None,
            horizon: TimeDelta::days(10),
        };
        let v = next(&s, &search);
        assert_eq!(v["waits_on"][0]["task"], "extract");
        assert_eq!(v["windows"], json!([]));
    }

    #[test]
    fn lint_reports_errors_and_warnings() {
        let options = crate::ParseOptions::new();
        let bad = lint("dialy", &options);
        assert_eq!(bad["valid"], false);
        assert_eq!(bad["diagnostics"][0]["help"], "did you mean `daily`?");
        let never = lint(
            "time of day before 10:00 & time of day after 11:00",
            &options,
        );
        assert_eq!(never["valid"], true);
        assert_eq!(never["diagnostics"][0]["code"], "tminus::never-true");
    }

    #[test]
    fn truth_in_the_zone() {
        let s = subject("time of day after 17:00");
        let at = Utc.with_ymd_and_hms(2024, 3, 15, 16, 0, 0).unwrap();
        assert_eq!(truth(&s, chrono_tz::Europe::Helsinki, at)["value"], true);
        assert_eq!(truth(&s, Tz::UTC, at)["value"], false);
        assert_eq!(truth(&s, Tz::UTC, at)["at_text"], "2024-03-15 16:00");
    }
}
