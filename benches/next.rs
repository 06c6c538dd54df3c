//! One `next_window` per iteration: tminus against saffron, cron and croner on the same
//! cron expressions and start instant (ids `next/<case>/<impl>`), and tminus alone on
//! Rocketry statements (`next/<case>/tminus`). All in UTC. Figures: `docs/performance.md`.
//!
//! ```sh
//! cargo bench --no-default-features --bench next -- --warm-up-time 1 --measurement-time 3
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
}

fn bench_statements(c: &mut Criterion) {
    let from = start();
    let horizon = TimeDelta::days(30);
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
    let s = schedule("time of day between 10:00 and 12:00");
    c.bench_function("next/time_of_day_new_york/tminus", |b| {
        b.iter(|| {
            s.next_window(
                black_box(from),
                horizon,
                chrono_tz::America::New_York,
                &history,
            )
        })
    });
}

criterion_group!(benches, bench_cron, bench_statements);
criterion_main!(benches);
