//! The optimizer's cost and effect: compile time per statement with and without it, and
//! the time of one `next_window` before and after it on combined statements.
//!
//! `cargo bench --bench optimizer`; figures in `docs/performance.md`.

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use tminus::{opt, MemoryHistory, Schedule, Statement};

const STATEMENTS: [(&str, &str); 4] = [
    ("overlapping_windows", "time of day between 09:00 and 17:00 & time of day after 12:00 & time of day before 16:00 & time of week between Mon and Fri"),
    ("union_of_windows", "time of day before 06:00 | time of day after 22:00 | time of day between 05:00 and 07:00"),
    ("redundant_clauses", "daily between 10:00 and 12:00 & (daily between 10:00 and 12:00 | every 10 minutes) & time of day after 09:00"),
    ("never_true", "time of week on Mon & time of day after 10:00 & time of week on Tue & daily"),
];

fn compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("compile");
    for (name, text) in STATEMENTS {
        g.bench_with_input(BenchmarkId::new(name, "parse"), text, |b, t| {
            b.iter(|| Statement::parse(black_box(t)))
        });
        g.bench_with_input(BenchmarkId::new(name, "parse+optimize"), text, |b, t| {
            b.iter(|| opt::optimize(Statement::parse(black_box(t)).unwrap().cond()))
        });
    }
    g.finish();
}

fn next_window(c: &mut Criterion) {
    let mut g = c.benchmark_group("next_window");
    let h = MemoryHistory::new();
    let from = Utc.with_ymd_and_hms(2024, 3, 11, 18, 0, 0).unwrap();
    for (name, text) in STATEMENTS {
        let s = Statement::parse(text).unwrap();
        let original = Schedule::new(s.cond());
        let optimized = Schedule::new(&opt::optimize(s.cond()));
        for (label, schedule) in [("original", &original), ("optimized", &optimized)] {
            g.bench_function(BenchmarkId::new(name, label), |b| {
                b.iter(|| {
                    schedule.next_window(black_box(from), TimeDelta::days(30), chrono_tz::UTC, &h)
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, compile, next_window);
criterion_main!(benches);
