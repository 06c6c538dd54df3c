//! Against Rocketry's own scans (`tests/data/oracle/corpus-scan.jsonl`, made by
//! `tests/data/oracle/make_scan.py` with the real Rocketry 2.5.1): tminus must agree at
//! every sample, and its next window from `now` must open where Rocketry first turns
//! true (up to the sampling step).

use crate::support::oracle::{cases, history_of, instant, task_of, zone_of};
use chrono::{DateTime, TimeDelta, Utc};
use tminus::{Next, Statement};

#[test]
fn agrees_with_rocketry_scans() {
    let cases = cases("corpus-scan.jsonl");
    assert!(cases.len() >= 18);
    for case in &cases {
        let cond = case["cond"].as_str().expect("cond");
        let zone = zone_of(case);
        let history = history_of(case, zone);
        let schedule = Statement::parse(cond)
            .expect("parses")
            .schedule()
            .with_task(task_of(case));
        let scan = &case["scan"];
        let start = instant(scan["start"].as_str().expect("start"), zone);
        let end = instant(scan["end"].as_str().expect("end"), zone);
        let step =
            TimeDelta::milliseconds((scan["step_s"].as_f64().expect("step") * 1000.0) as i64);
        let intervals: Vec<(DateTime<Utc>, DateTime<Utc>)> = case["intervals"]
            .as_array()
            .expect("intervals")
            .iter()
            .map(|i| {
                (
                    instant(i[0].as_str().unwrap_or_default(), zone),
                    instant(i[1].as_str().unwrap_or_default(), zone),
                )
            })
            .collect();
        let rocketry = |t: DateTime<Utc>| intervals.iter().any(|(a, b)| *a <= t && t < *b);
        let mut t = start;
        while t < end {
            let ours = schedule.is_true(t, zone, &history);
            assert_eq!(ours, rocketry(t), "{cond} in {zone} at {t}: tminus {ours}");
            t += step;
        }
        let now = instant(case["now"].as_str().expect("now"), zone);
        let first = case["first_true_at_or_after_now"]
            .as_str()
            .map(|f| instant(f, zone));
        check_next(
            &schedule.next_window(now, end - now, zone, &history),
            first,
            start,
            step,
            cond,
        );
    }
}

/// The first sample at or after tminus's window start must be Rocketry's first true sample,
/// unless the window falls between two samples.
fn check_next(
    next: &Next,
    first: Option<DateTime<Utc>>,
    start: DateTime<Utc>,
    step: TimeDelta,
    cond: &str,
) {
    let Next::Window(w) = next else {
        assert_eq!(first, None, "{cond}: tminus {next:?}");
        return;
    };
    let s = w.start.to_utc();
    let steps = (s - start).num_microseconds().unwrap_or(0) as f64
        / step.num_microseconds().unwrap_or(1) as f64;
    let sample = start + step * (steps.ceil() as i32);
    let sampled = w.end.is_none_or(|e| sample < e.to_utc());
    if sampled {
        assert_eq!(Some(sample), first, "{cond}: tminus window {w:?}");
    } else {
        assert!(
            first.is_none_or(|f| f > s),
            "{cond}: tminus window {w:?}, Rocketry {first:?}"
        );
    }
}
