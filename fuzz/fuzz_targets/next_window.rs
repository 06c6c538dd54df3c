//! Searching never panics, and what it finds holds: a window starts at or after the
//! query, is true at its start and false at its end, and windows never go backwards.
//!
//! Input: 16 bytes of parameters (query instant, horizon, zone, DST policy, records),
//! then the statement text.
#![no_main]

use chrono::{DateTime, TimeDelta, Utc};
use libfuzzer_sys::fuzz_target;
use tminus::{Action, DstPolicy, MemoryHistory, Next, ParseOptions, Statement};

const ZONES: [chrono_tz::Tz; 6] = [
    chrono_tz::UTC,
    chrono_tz::America::New_York,
    chrono_tz::Europe::Helsinki,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Chatham,
    chrono_tz::Pacific::Apia,
];

fn word(data: &[u8], at: usize) -> i64 {
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(&data[at..at + 4]);
    i64::from(i32::from_le_bytes(bytes))
}

fn instant(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 16 {
        return;
    }
    let (params, text) = data.split_at(16);
    let options = ParseOptions::new().register("is business day");
    let Ok(statement) = Statement::parse_bytes(text, &options) else {
        return;
    };
    // Within about 1,400 years of 2011 (coarse steps, so DST transitions get hit often).
    let from = 1_300_000_000_000_000 + word(params, 0) * 20_000_000;
    let horizon = TimeDelta::microseconds((word(params, 4).abs() % 2_000_000 + 1) * 60_000_000);
    let zone = ZONES[usize::from(params[8]) % ZONES.len()];
    let dst = if params[9] % 2 == 0 {
        DstPolicy::Skip
    } else {
        DstPolicy::Forward
    };
    let mut history = MemoryHistory::new();
    for (i, b) in params[10..].iter().enumerate() {
        let action = Action::ALL[usize::from(*b) % Action::ALL.len()];
        let task = if b & 0x80 == 0 { "t" } else { "a" };
        history.record(
            task,
            action,
            instant(from + (i64::from(*b) - 128) * 600_000_000 + i as i64),
        );
    }
    let schedule = statement
        .schedule()
        .with_dst(dst)
        .with_predicate("is business day", |call: &tminus::PredicateCall<'_>| {
            call.args.is_empty()
        });
    let start = instant(from);
    let mut last = start;
    for window in schedule.windows(start, horizon, zone, &history).take(20) {
        let begin = window.start.to_utc();
        assert!(
            begin >= last,
            "{:?}: {window:?} before {last}",
            statement.source()
        );
        assert!(
            schedule.is_true(begin, zone, &history),
            "{:?}: false at the start of {window:?}",
            statement.source()
        );
        let Some(end) = window.end.map(|e| e.to_utc()) else {
            break;
        };
        assert!(end > begin);
        assert!(
            !schedule.is_true(end, zone, &history),
            "{:?}: true at the end of {window:?}",
            statement.source()
        );
        last = end;
    }
    if let Next::Window(w) = schedule.next_window(start, horizon, zone, &history) {
        assert!(w.start.to_utc() >= start);
    }
    let _ = schedule.previous_window(start, horizon, zone, &history);
});
