//! DST: gaps, folds, odd offsets and skipped days, zone by zone (2024 unless noted).
//!
//! New York springs forward 2024-03-10 02:00 -> 03:00 and falls back 2024-11-03
//! 02:00 -> 01:00; Helsinki on 2024-03-31 03:00 -> 04:00 and 2024-10-27 04:00 -> 03:00.
//! Times are judged on the wall clock, durations in real time, and with the default
//! `DstPolicy::Skip` a civil time the clock skips does not happen.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use chrono_tz::{America, Australia, Europe, Pacific};
use tminus::{Action, DstPolicy, MemoryHistory, Next, Schedule, Statement};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .to_utc()
}

fn schedule(text: &str) -> Schedule {
    Statement::parse(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .schedule()
}

/// The next window as `(start, end)` in RFC 3339 with the zone's offset.
fn window(s: &Schedule, from: &str, zone: Tz, h: &MemoryHistory) -> (String, Option<String>) {
    match s.next_window(at(from), TimeDelta::days(400), zone, h) {
        Next::Window(w) => (w.start.to_rfc3339(), w.end.map(|e| e.to_rfc3339())),
        other => panic!("no window from {from}: {other:?}. Compiled: {s:#?}"),
    }
}

fn starts(s: &Schedule, from: &str, days: i64, zone: Tz, h: &MemoryHistory) -> Vec<String> {
    s.windows(at(from), TimeDelta::days(days), zone, h)
        .map(|w| w.start.to_rfc3339())
        .collect()
}

fn history(records: &[(&str, Action, &str)]) -> MemoryHistory {
    let mut h = MemoryHistory::new();
    for (task, action, when) in records {
        h.record(task, *action, at(when));
    }
    h
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

// ------------------------------------------------------------------- a daily 02:30

#[test]
fn cron_in_the_spring_gap_is_skipped_by_default() {
    let s = schedule("cron 30 2 * * *");
    let (start, _) = window(
        &s,
        "2024-03-10T00:00:00-05:00",
        America::New_York,
        &MemoryHistory::new(),
    );
    assert_eq!(start, "2024-03-11T02:30:00-04:00");
}

#[test]
fn cron_in_the_spring_gap_runs_when_the_gap_ends_with_forward() {
    let s = schedule("cron 30 2 * * *").with_dst(DstPolicy::Forward);
    let w = window(
        &s,
        "2024-03-10T00:00:00-05:00",
        America::New_York,
        &MemoryHistory::new(),
    );
    assert_eq!(
        w,
        (
            "2024-03-10T03:00:00-04:00".into(),
            some("2024-03-10T03:01:00-04:00")
        )
    );
    let ran = history(&[("t", Action::Run, "2024-03-10T03:00:10-04:00")]);
    assert!(!s.is_true(at("2024-03-10T03:00:30-04:00"), America::New_York, &ran));
}

#[test]
fn daily_after_0230_opens_when_the_gap_ends() {
    let h = history(&[("t", Action::Success, "2024-03-09T12:00:00-05:00")]);
    let s = schedule("daily after 02:30");
    let w = window(&s, "2024-03-10T00:00:00-05:00", America::New_York, &h);
    assert_eq!(
        w,
        (
            "2024-03-10T03:00:00-04:00".into(),
            some("2024-03-11T00:00:00-04:00")
        )
    );
}

#[test]
fn daily_starting_0230_runs_once_on_the_spring_forward_day() {
    let h = history(&[("t", Action::Success, "2024-03-09T02:40:00-05:00")]);
    let s = schedule("daily starting 02:30");
    // The cycle that starts at the skipped 02:30 starts at 03:00; at that very instant
    // the window widens to the previous cycle (Rocketry's rule), so 1 µs later.
    let (start, end) = window(&s, "2024-03-10T01:00:00-05:00", America::New_York, &h);
    assert_eq!(
        (start.as_str(), end),
        ("2024-03-10T03:00:00.000001-04:00", None)
    );
}

#[test]
fn range_wholly_in_the_gap_does_not_happen_but_moves_with_forward() {
    let from = "2024-03-10T00:00:00-05:00";
    let h = MemoryHistory::new();
    let skip = schedule("time of day between 02:10 and 02:50");
    assert_eq!(
        window(&skip, from, America::New_York, &h).0,
        "2024-03-11T02:10:00-04:00"
    );
    let forward = skip.clone().with_dst(DstPolicy::Forward);
    let w = window(&forward, from, America::New_York, &h);
    assert_eq!(
        w,
        (
            "2024-03-10T03:00:00-04:00".into(),
            some("2024-03-10T03:40:00-04:00")
        )
    );
}

// ----------------------------------------------------------------- 01:30 at fall-back

#[test]
fn cron_in_the_fold_holds_in_both_passes_but_a_run_in_the_first_counts() {
    let s = schedule("cron 30 1 * * *");
    let none = MemoryHistory::new();
    let two = starts(&s, "2024-11-03T00:00:00-04:00", 1, America::New_York, &none);
    assert_eq!(
        two,
        ["2024-11-03T01:30:00-04:00", "2024-11-03T01:30:00-05:00"]
    );
    let ran = history(&[("t", Action::Run, "2024-11-03T01:30:05-04:00")]);
    assert!(!s.is_true(at("2024-11-03T01:30:30-05:00"), America::New_York, &ran));
    let (next, _) = window(&s, "2024-11-03T01:30:30-05:00", America::New_York, &ran);
    // At the exact start of a slot the window reaches back to the previous matching slot
    // (Rocketry's rule), which had the run: true 1 µs later.
    assert_eq!(next, "2024-11-04T01:30:00.000001-05:00");
}

#[test]
fn daily_between_in_the_fold_runs_once() {
    let s = schedule("daily between 01:15 and 01:45");
    let done = history(&[("t", Action::Success, "2024-11-03T01:20:00-04:00")]);
    assert!(!s.is_true(at("2024-11-03T01:20:00-05:00"), America::New_York, &done));
    let (next, _) = window(&s, "2024-11-03T01:20:00-05:00", America::New_York, &done);
    assert_eq!(next, "2024-11-04T01:15:00-05:00");
}

// ---------------------------------------------------------- every 30 minutes, real time

#[test]
fn every_counts_real_time_across_both_transitions() {
    let s = schedule("every 30 minutes");
    let spring = history(&[("t", Action::Run, "2024-03-10T01:50:00-05:00")]);
    let w = window(&s, "2024-03-10T01:55:00-05:00", America::New_York, &spring);
    assert_eq!(w, ("2024-03-10T03:20:00.000001-04:00".into(), None));
    let fall = history(&[("t", Action::Run, "2024-11-03T01:50:00-04:00")]);
    let w = window(&s, "2024-11-03T01:55:00-04:00", America::New_York, &fall);
    assert_eq!(w, ("2024-11-03T01:20:00.000001-05:00".into(), None));
    // DIFFERENCE: Rocketry is still false at 03:20 EET after a run at 03:10 EEST.
    let helsinki = history(&[("t", Action::Run, "2024-10-27T03:10:00+03:00")]);
    assert!(s.is_true(at("2024-10-27T03:20:00+02:00"), Europe::Helsinki, &helsinki));
}

// ------------------------------------------------------- time of day 01:00 to 03:00

#[test]
fn time_of_day_is_judged_on_the_wall_clock_on_both_days() {
    let s = schedule("time of day between 01:00 and 03:00");
    let h = MemoryHistory::new();
    let spring = window(&s, "2024-03-10T00:00:00-05:00", America::New_York, &h);
    assert_eq!(
        spring,
        (
            "2024-03-10T01:00:00-05:00".into(),
            some("2024-03-10T03:00:00-04:00")
        )
    );
    let fall = window(&s, "2024-11-03T00:00:00-04:00", America::New_York, &h);
    assert_eq!(
        fall,
        (
            "2024-11-03T01:00:00-04:00".into(),
            some("2024-11-03T03:00:00-05:00")
        )
    );
    let spring = window(&s, "2024-03-31T00:00:00+02:00", Europe::Helsinki, &h);
    // The window ends when the clock jumps from 03:00 EET to 04:00 EEST (one instant).
    assert_eq!(
        spring,
        (
            "2024-03-31T01:00:00+02:00".into(),
            some("2024-03-31T04:00:00+03:00")
        )
    );
    let fall = window(&s, "2024-10-27T00:00:00+03:00", Europe::Helsinki, &h);
    assert_eq!(
        fall,
        (
            "2024-10-27T01:00:00+03:00".into(),
            some("2024-10-27T03:00:00+03:00")
        )
    );
}

#[test]
fn helsinki_hour_that_does_not_exist_and_hour_that_repeats() {
    let s = schedule("time of day between 03:00 and 04:00");
    let h = MemoryHistory::new();
    // 03:xx does not exist on 2024-03-31 (agrees with Rocketry).
    assert_eq!(
        window(&s, "2024-03-31T00:00:00+02:00", Europe::Helsinki, &h).0,
        "2024-04-01T03:00:00+03:00"
    );
    // 03:00-04:00 happens twice in a row on 2024-10-27: one window of two real hours.
    let fall = window(&s, "2024-10-27T00:00:00+03:00", Europe::Helsinki, &h);
    assert_eq!(
        fall,
        (
            "2024-10-27T03:00:00+03:00".into(),
            some("2024-10-27T04:00:00+02:00")
        )
    );
}

// ------------------------------------------------------------------------ odd zones

#[test]
fn lord_howe_half_hour_shift() {
    // Lord Howe: 2024-10-06 02:00 -> 02:30 (+10:30 -> +11), 2024-04-07 02:00 -> 01:30.
    let h = MemoryHistory::new();
    let s = schedule("cron 15 2 * * *");
    assert_eq!(
        window(&s, "2024-10-06T00:00:00+10:30", Australia::Lord_Howe, &h).0,
        "2024-10-07T02:15:00+11:00"
    );
    let f = s.clone().with_dst(DstPolicy::Forward);
    assert_eq!(
        window(&f, "2024-10-06T00:00:00+10:30", Australia::Lord_Howe, &h).0,
        "2024-10-06T02:30:00+11:00"
    );
    let every = schedule("every 30 minutes");
    let ran = history(&[("t", Action::Run, "2024-04-07T01:45:00+11:00")]);
    let w = window(
        &every,
        "2024-04-07T01:50:00+11:00",
        Australia::Lord_Howe,
        &ran,
    );
    assert_eq!(w.0, "2024-04-07T01:45:00.000001+10:30");
    let hour = starts(
        &schedule("time of day between 01:40 and 01:50"),
        "2024-04-07T00:00:00+11:00",
        1,
        Australia::Lord_Howe,
        &h,
    );
    assert_eq!(
        hour,
        ["2024-04-07T01:40:00+11:00", "2024-04-07T01:40:00+10:30"]
    );
}

#[test]
fn chatham_quarter_hour_offsets() {
    // Chatham: 2024-09-29 02:45 -> 03:45 (+12:45 -> +13:45).
    let s = schedule("time of day between 03:00 and 04:00");
    let w = window(
        &s,
        "2024-09-29T00:00:00+12:45",
        Pacific::Chatham,
        &MemoryHistory::new(),
    );
    assert_eq!(
        w,
        (
            "2024-09-29T03:45:00+13:45".into(),
            some("2024-09-29T04:00:00+13:45")
        )
    );
    let hourly = starts(
        &schedule("cron 0 * * * *"),
        "2024-09-29T01:30:00+12:45",
        0,
        Pacific::Chatham,
        &MemoryHistory::new(),
    );
    assert!(hourly.is_empty());
    let hourly: Vec<String> = schedule("cron 0 * * * *")
        .windows(
            at("2024-09-29T01:30:00+12:45"),
            TimeDelta::hours(3),
            Pacific::Chatham,
            &MemoryHistory::new(),
        )
        .map(|w| w.start.to_rfc3339())
        .collect();
    // 03:00 does not exist; the clock jumps from 02:45 to 03:45.
    assert_eq!(
        hourly,
        [
            "2024-09-29T02:00:00+12:45",
            "2024-09-29T04:00:00+13:45",
            "2024-09-29T05:00:00+13:45"
        ]
    );
}

#[test]
fn sao_paulo_midnight_transitions() {
    // 2018-11-04 00:00 -> 01:00 (the day starts at 01:00); 2019-02-17 00:00 -> 2019-02-16 23:00.
    let zone = America::Sao_Paulo;
    let daily = schedule("daily");
    let done = history(&[("t", Action::Success, "2018-11-03T12:00:00-03:00")]);
    let w = window(&daily, "2018-11-03T13:00:00-03:00", zone, &done);
    assert_eq!(w, ("2018-11-04T01:00:00.000001-02:00".into(), None));
    let before_one = schedule("time of day before 01:00");
    assert_eq!(
        window(
            &before_one,
            "2018-11-04T00:30:00-03:00",
            zone,
            &MemoryHistory::new()
        )
        .0,
        "2018-11-05T00:00:00-02:00"
    );
    let late = history(&[("t", Action::Success, "2019-02-16T23:30:00-02:00")]);
    assert!(!daily.is_true(at("2019-02-16T23:30:00-03:00"), zone, &late)); // the same day, twice
    assert_eq!(
        window(&daily, "2019-02-16T23:30:00-03:00", zone, &late).0,
        "2019-02-17T00:00:00.000001-03:00"
    );
}

#[test]
fn apia_skipped_day() {
    // Pacific/Apia skipped 2011-12-30: 2011-12-29 24:00 (-10) was 2011-12-31 00:00 (+14).
    let zone = Pacific::Apia;
    let h = MemoryHistory::new();
    let tod = schedule("time of day between 10:00 and 12:00");
    assert_eq!(
        window(&tod, "2011-12-29T13:00:00-10:00", zone, &h).0,
        "2011-12-31T10:00:00+14:00"
    );
    let on_30th = schedule("cron 0 10 30 12 *");
    assert_eq!(
        window(&on_30th, "2011-12-29T13:00:00-10:00", zone, &h).0,
        "2012-12-30T10:00:00+14:00"
    );
    let forward = on_30th.with_dst(DstPolicy::Forward);
    assert_eq!(
        window(&forward, "2011-12-29T13:00:00-10:00", zone, &h).0,
        "2011-12-31T00:00:00+14:00"
    );
    let done = history(&[("t", Action::Success, "2011-12-29T12:00:00-10:00")]);
    assert_eq!(
        window(&schedule("daily"), "2011-12-29T13:00:00-10:00", zone, &done).0,
        "2011-12-31T00:00:00+14:00"
    );
}

#[test]
fn windows_never_go_backwards_across_a_fold() {
    for zone in [
        America::New_York,
        Europe::Helsinki,
        Australia::Lord_Howe,
        Pacific::Chatham,
    ] {
        let s = schedule("cron */20 * * * * | time of day between 01:10 and 01:15");
        let mut last = i64::MIN;
        for w in s.windows(
            at("2024-01-01T00:00:00Z"),
            TimeDelta::days(366),
            zone,
            &MemoryHistory::new(),
        ) {
            let start = w.start.timestamp_micros();
            assert!(start > last, "{zone}: {w:?}");
            last = w.end.map_or(i64::MAX, |e| e.timestamp_micros());
        }
    }
}

/// The repeated hour of New York's 2024-11-03 (01:00-02:00 EDT, then again EST) with a task
/// that ran at every `*/10` slot of the first pass. An interval cron's slot starts at its
/// first pass, so the second pass is already done and the cron waits for 02:00 EST (as
/// Rocketry, whose naive clock sees the same slots twice); `every 10 minutes` counts real
/// time and keeps running through the second pass (Rocketry does not: differences.md).
#[test]
fn repeated_hour_interval_cron_pauses_and_every_keeps_running() {
    let ny = America::New_York;
    let mut h = MemoryHistory::new();
    for minute in (0..60).step_by(10) {
        h.record(
            "t",
            Action::Run,
            at(&format!("2024-11-03T01:{minute:02}:00-04:00")),
        );
    }
    let after_first_pass = "2024-11-03T01:55:00-04:00";
    let cron = window(&schedule("cron */10 * * * *"), after_first_pass, ny, &h);
    // 1 µs after 02:00: at a slot's exact start Rocketry looks at the previous slot (01:50).
    assert_eq!(cron.0, "2024-11-03T02:00:00.000001-05:00");
    let every = window(&schedule("every 10 minutes"), after_first_pass, ny, &h);
    assert_eq!(every.0, "2024-11-03T01:00:00.000001-05:00");
}
