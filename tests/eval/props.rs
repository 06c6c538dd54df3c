//! Property test: `next_window` against a brute-force scan of `is_true`.
//!
//! For random statements, zones, query instants and histories, the window found must be
//! false everywhere between the query and its start, true inside, and false at its end;
//! "not within the horizon" and "never" must be false everywhere in the horizon. The scan
//! samples every minute plus every instant where a boundary can fall (records ±1 µs,
//! record + duration + 1 µs), and the window edges ±1 µs.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use tminus::{Action, MemoryHistory, Next, Schedule, Statement};

const DURATIONS: [i64; 3] = [10, 30, 120]; // minutes, used by `every` and `past`

fn piece() -> impl Strategy<Value = String> {
    let hm = || {
        (0u32..24, prop::sample::select(vec![0u32, 15, 30, 45]))
            .prop_map(|(h, m)| format!("{h:02}:{m:02}"))
    };
    let minutes = || prop::sample::select(DURATIONS.to_vec());
    let day = prop::sample::select(vec!["Mon", "Tue", "Wed", "Fri", "Sun"]);
    prop_oneof![
        (hm(), hm()).prop_map(|(a, b)| format!("time of day between {a} and {b}")),
        hm().prop_map(|a| format!("time of day after {a}")),
        (day.clone(), day.clone()).prop_map(|(a, b)| format!("time of week between {a} and {b}")),
        Just("time of hour before 20:00".to_owned()),
        Just("daily".to_owned()),
        (hm(), hm()).prop_map(|(a, b)| format!("daily between {a} and {b}")),
        hm().prop_map(|a| format!("daily starting {a}")),
        Just("hourly".to_owned()),
        day.prop_map(|d| format!("weekly on {d}")),
        minutes().prop_map(|m| format!("every {m} minutes")),
        (0u32..60, 0u32..24).prop_map(|(m, h)| format!("cron {m} {h} * * *")),
        (1u32..30).prop_map(|n| format!("cron */{n} * * * *")),
        Just("cron 30 9 * * 1-5".to_owned()),
        Just("has succeeded today".to_owned()),
        minutes().prop_map(|m| format!("task 'a' has succeeded in past {m} minutes")),
        Just("has failed today between 10:00 and 14:00".to_owned()),
        Just("after task 'a'".to_owned()),
    ]
}

fn leaf() -> impl Strategy<Value = String> {
    (piece(), any::<bool>()).prop_map(|(p, not)| if not { format!("~{p}") } else { p })
}

fn statement() -> impl Strategy<Value = String> {
    (
        leaf(),
        prop::option::of((prop::sample::select(vec!["&", "|"]), leaf())),
    )
        .prop_map(|(a, rest)| match rest {
            Some((op, b)) => format!("{a} {op} {b}"),
            None => a,
        })
}

fn zone() -> impl Strategy<Value = Tz> {
    prop::sample::select(vec![
        chrono_tz::UTC,
        chrono_tz::America::New_York,
        chrono_tz::Europe::Helsinki,
        chrono_tz::Australia::Lord_Howe,
    ])
}

/// Query instants around 2024's DST transitions and ordinary days, in seconds.
fn from() -> impl Strategy<Value = i64> {
    let days = prop::sample::select(vec![
        (2024, 3, 9),
        (2024, 3, 30),
        (2024, 4, 6),
        (2024, 10, 5),
        (2024, 10, 26),
        (2024, 11, 2),
        (2024, 6, 12),
    ]);
    (days, 0i64..86_400)
        .prop_map(|((y, m, d), s)| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap().timestamp() + s)
}

fn history() -> impl Strategy<Value = Vec<(bool, u8, i64)>> {
    prop::collection::vec((any::<bool>(), 0u8..4, -86_400i64..2 * 86_400), 0..5)
}

fn build(records: &[(bool, u8, i64)], from: i64) -> (MemoryHistory, Vec<i64>) {
    let mut h = MemoryHistory::new();
    let mut instants = Vec::new();
    for &(owner, action, offset) in records {
        let action = [Action::Run, Action::Success, Action::Fail, Action::Run][action as usize];
        let at = (from + offset) * 1_000_000;
        h.record(if owner { "t" } else { "a" }, action, micros(at));
        instants.push(at);
    }
    (h, instants)
}

fn micros(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t).unwrap()
}

/// Sample instants in `[a, b)`: every minute, and around every possible boundary.
fn samples(a: i64, b: i64, records: &[i64]) -> Vec<i64> {
    let mut out: Vec<i64> = (0..)
        .map(|i| a - a.rem_euclid(60_000_000) + i * 60_000_000)
        .take_while(|t| *t < b)
        .collect();
    for &r in records {
        out.extend([r - 1, r, r + 1]);
        for m in DURATIONS {
            out.extend([r + m * 60_000_000, r + m * 60_000_000 + 1]);
        }
    }
    out.retain(|t| (a..b).contains(t));
    out
}

fn check(
    s: &Schedule,
    text: &str,
    zone: Tz,
    from: i64,
    h: &MemoryHistory,
    records: &[i64],
) -> Result<(), TestCaseError> {
    let horizon = 3 * 86_400_000_000i64;
    let truth = |t: i64| s.is_true(micros(t), zone, h);
    let next = s.next_window(micros(from), TimeDelta::microseconds(horizon), zone, h);
    let (start, end) = match &next {
        Next::Window(w) => (
            w.start.timestamp_micros(),
            w.end.map(|e| e.timestamp_micros()),
        ),
        _ => (from + horizon, Some(from + horizon)),
    };
    for t in samples(from, start, records) {
        prop_assert!(
            !truth(t),
            "{text} in {zone}: true at {} before {next:?}",
            micros(t)
        );
    }
    if let Next::Window(_) = next {
        prop_assert!(truth(start), "{text} in {zone}: false at start of {next:?}");
        let stop = end.unwrap_or(start + horizon);
        for t in samples(start, stop, records).into_iter().chain([stop - 1]) {
            prop_assert!(
                truth(t),
                "{text} in {zone}: false at {} inside {next:?}",
                micros(t)
            );
        }
        if let Some(end) = end {
            prop_assert!(!truth(end), "{text} in {zone}: true at the end of {next:?}");
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

proptest! {
    // 64 cases by default; `PROPTEST_CASES=5000 cargo test --test eval props` for more.
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn next_window_agrees_with_a_scan(text in statement(), zone in zone(), from in from(), records in history()) {
        let s = Statement::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?.schedule();
        let (h, instants) = build(&records, from);
        check(&s, &text, zone, from * 1_000_000, &h, &instants)?;
    }

    #[test]
    fn windows_increase_and_do_not_overlap(text in statement(), zone in zone(), from in from(), records in history()) {
        let s = Statement::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?.schedule();
        let (h, _) = build(&records, from);
        let mut last = from * 1_000_000 - 1;
        for w in s.windows(micros(from * 1_000_000), TimeDelta::days(3), zone, &h).take(50) {
            let start = w.start.timestamp_micros();
            prop_assert!(start > last, "{text} in {zone}: {w:?} starts before {}", micros(last));
            last = w.end.map_or(i64::MAX, |e| e.timestamp_micros());
            prop_assert!(last > start);
        }
    }
}

/// Found by `fuzz/fuzz_targets/next_window.rs`: a query after the supported range (year
/// 9999) was clamped, and the window started before the query.
#[test]
fn queries_after_year_9999_find_nothing() {
    let s = Statement::parse("time of day after 07:00")
        .expect("parses")
        .schedule();
    let far = DateTime::from_timestamp(375_000_000_000, 0).expect("year 13853");
    let h = MemoryHistory::new();
    let zone = chrono_tz::America::New_York;
    assert_eq!(
        s.next_window(far, TimeDelta::days(1), zone, &h),
        Next::NotWithinHorizon
    );
    assert_eq!(s.windows(far, TimeDelta::days(1), zone, &h).count(), 0);
}
