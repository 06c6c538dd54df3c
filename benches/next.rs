//! One `next_window` per iteration: tminus against saffron, cron and croner on the same
//! cron expressions and start instant (ids `next/<case>/<impl>`), and tminus alone on
//! Rocketry statements (`next/<case>/tminus`), in UTC; the cron cases once more for a task
//! that has run before (`next/<case>_with_runs/tminus`), and four cases in zones with DST
//! (`next/<case>_<zone>/tminus`, zones `new_york`, `helsinki`, `lord_howe`), to compare
//! with the same case in UTC. Figures: `docs/performance.md`.
//!
//! ```sh
//! cargo bench --no-default-features --bench next -- --warm-up-time 1 --measurement-time 2
//! ```

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::str::FromStr;
use tminus::{Action, MemoryHistory, Schedule, Statement};

/// The cron cases: id, 5-field expression.
const CRON_CASES: [(&str, &str); 3] = [
    ("cron_every_5_min", "*/5 * * * *"),
    ("cron_weekdays_0930", "30 9 * * 1-5"),
    ("cron_feb_29", "0 0 29 2 *"),
];

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 11, 10, 7, 13).unwrap()
}

fn schedule(text: &str) -> Schedule {
    Statement::parse(text).expect("statement").schedule()
}

fn bench_cron(c: &mut Criterion) {
    let from = start();
    let horizon = TimeDelta::days(5 * 366);
    let history = MemoryHistory::new();
    for (case, expr) in CRON_CASES {
        let mut group = c.benchmark_group(format!("next/{case}"));
        let ours = schedule(&format!("cron {expr}"));
        group.bench_function("tminus", |b| {
            b.iter(|| ours.next_window(black_box(from), horizon, chrono_tz::UTC, &history))
        });
        let saffron = saffron::Cron::from_str(expr).expect("saffron");
        group.bench_function("saffron", |b| b.iter(|| saffron.next_from(black_box(from))));
        let cron = cron::Schedule::from_str(&format!("0 {expr}")).expect("cron");
        group.bench_function("cron", |b| b.iter(|| cron.after(black_box(&from)).next()));
        let croner = croner::parser::CronParser::new()
            .parse(expr)
            .expect("croner");
        group.bench_function("croner", |b| {
            b.iter(|| croner.find_next_occurrence(black_box(&from), true))
        });
        group.finish();
    }
    // The same expressions for a task that ran at 10:00 and succeeded at 10:01.
    let ran = ran_history();
    for (case, expr) in CRON_CASES {
        let ours = schedule(&format!("cron {expr}"));
        c.bench_function(&format!("next/{case}_with_runs/tminus"), |b| {
            b.iter(|| ours.next_window(black_box(from), horizon, chrono_tz::UTC, &ran))
        });
    }
}

/// Task `t` ran at 10:00 and succeeded at 10:01 on the start day; `extract` succeeded at 09:00.
fn ran_history() -> MemoryHistory {
    let mut history = MemoryHistory::new();
    history
        .record(
            "t",
            Action::Run,
            Utc.with_ymd_and_hms(2024, 3, 11, 10, 0, 0).unwrap(),
        )
        .record(
            "t",
            Action::Success,
            Utc.with_ymd_and_hms(2024, 3, 11, 10, 1, 0).unwrap(),
        )
        .record(
            "extract",
            Action::Success,
            Utc.with_ymd_and_hms(2024, 3, 11, 9, 0, 0).unwrap(),
        );
    history
}

fn bench_statements(c: &mut Criterion) {
    let from = start();
    let horizon = TimeDelta::days(30);
    let history = ran_history();
    let cases = [
        (
            "daily_between_with_history",
            "daily between 10:00 and 12:00",
        ),
        ("every_10_min", "every 10 minutes"),
        (
            "weekdays_after_17",
            "time of week between Mon and Fri & time of day after 17:00",
        ),
        (
            "combo_3",
            "daily between 09:00 and 17:00 & after task 'extract' | time of week on Sat",
        ),
        ("time_of_day", "time of day between 10:00 and 12:00"),
        (
            "never_disjoint",
            "time of day between 10:00 and 11:00 & time of day after 12:00",
        ),
        ("never_cron_feb_30", "cron 0 0 30 2 *"),
    ];
    for (case, text) in cases {
        let s = schedule(text);
        c.bench_function(&format!("next/{case}/tminus"), |b| {
            b.iter(|| s.next_window(black_box(from), horizon, chrono_tz::UTC, &history))
        });
    }
    let zones = [
        ("new_york", chrono_tz::America::New_York),
        ("helsinki", chrono_tz::Europe::Helsinki),
        ("lord_howe", chrono_tz::Australia::Lord_Howe),
    ];
    let zoned = [
        ("time_of_day", "time of day between 10:00 and 12:00"),
        ("cron_weekdays_0930", "cron 30 9 * * 1-5"),
        (
            "weekdays_after_17",
            "time of week between Mon and Fri & time of day after 17:00",
        ),
        (
            "daily_between_with_history",
            "daily between 10:00 and 12:00",
        ),
    ];
    for (case, text) in zoned {
        let s = schedule(text);
        for (name, zone) in zones {
            c.bench_function(&format!("next/{case}_{name}/tminus"), |b| {
                b.iter(|| s.next_window(black_box(from), horizon, zone, &history))
            });
        }
    }
}

criterion_group!(benches, bench_cron, bench_statements);
criterion_main!(benches);
