//! The planner at scale: `next_wake` and `record` with 1k, 100k and 1M statements of a
//! realistic mix (periodic, every, cron and dependency chains), next to Rocketry-style
//! polling (every statement evaluated at once, ids `planner/poll_pass/<n>`). After the
//! criterion groups it measures, and prints, memory per statement, a day of 100 tasks
//! driven by the planner and by polling every 0.1 s (both measured), the CPU time to
//! simulate one day of 100k tasks with the planner and the statement evaluations per
//! launched task, and polling for 100k tasks extrapolated from one measured pass.
//! Figures: `docs/performance.md`, section "Planner".
//!
//! ```sh
//! cargo bench --bench planner                 # everything (a few minutes)
//! cargo bench --bench planner -- --quick      # criterion's quick mode
//! PLANNER_SIZES=1000,100000 cargo bench --bench planner   # skip the 1M planner
//! ```

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::Criterion;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tminus::ir::{Depend, Outcome};
use tminus::{Action, Cond, CondKind, Planner, Span, Statement};

// ------------------------------------------------------------------- counting allocator

/// The system allocator, counting live and peak bytes, to measure memory per statement.
/// (The library forbids `unsafe`; a global allocator cannot be written without it, and
/// this one only forwards to `System`.)
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed);
            PEAK.fetch_max(live + new_size - layout.size(), Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

// ------------------------------------------------------------------------------ the mix

const PERIODIC: [&str; 7] = [
    "daily",
    "hourly",
    "weekly",
    "daily between 10:00 and 12:00",
    "daily after 18:30",
    "daily starting 06:00",
    "weekly on Monday",
];
const EVERY: [&str; 5] = [
    "every 10 minutes",
    "every 30 minutes",
    "every 1 hour",
    "every 2 hours",
    "every 6 hours",
];
const CRON: [&str; 5] = [
    "cron */15 * * * *",
    "cron 0 9-17 * * 1-5",
    "cron 30 2 * * *",
    "cron 0 */2 * * *",
    "cron 5 4 * * sun",
];

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 11, 0, 0, 0).unwrap()
}

fn hash(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Per 100 statements: 30 periodic, 25 every, 15 cron and 30 `after task 'tj' succeeded`
/// on one of the 50 tasks before (chains of dependencies).
struct Mix {
    periodic: Vec<Statement>,
    every: Vec<Statement>,
    cron: Vec<Statement>,
}

impl Mix {
    fn new() -> Mix {
        let parse = |texts: &[&str]| -> Vec<Statement> {
            texts
                .iter()
                .map(|t| Statement::parse(t).expect("statement"))
                .collect()
        };
        Mix {
            periodic: parse(&PERIODIC),
            every: parse(&EVERY),
            cron: parse(&CRON),
        }
    }

    fn statement(&self, i: usize) -> Statement {
        let h = hash(i as u64);
        let pick = |list: &[Statement]| list[(h >> 8) as usize % list.len()].clone();
        match h % 100 {
            0..30 => pick(&self.periodic),
            30..55 => pick(&self.every),
            55..70 => pick(&self.cron),
            _ if i == 0 => pick(&self.periodic),
            _ => {
                let back = 1 + (h >> 16) as usize % i.min(50);
                let task = format!("t{}", i - back);
                let depend = Depend {
                    task,
                    outcome: Outcome::Succeeded,
                };
                Statement::from_cond(Cond::leaf(CondKind::Depend(depend), Span::default()))
            }
        }
    }
}

/// A planner with `n` statements of the mix (tasks `t0`, `t1`, ...), at a resolution of
/// one second, its clock at Monday 2024-03-11 00:00 UTC.
fn planner(n: usize) -> Planner {
    let mix = Mix::new();
    let mut planner = Planner::new(chrono_tz::UTC, start()).with_resolution(TimeDelta::seconds(1));
    for i in 0..n {
        planner.insert(&format!("t{i}"), &mix.statement(i));
    }
    planner
}

/// Whether this is `cargo bench` (criterion gets `--bench`), not a test run of the bench.
fn is_bench() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// The statement counts: `PLANNER_SIZES`, else 1k, 100k and 1M (1k alone in a test run).
fn sizes() -> Vec<usize> {
    let default = if is_bench() {
        vec![1_000, 100_000, 1_000_000]
    } else {
        vec![1_000]
    };
    std::env::var("PLANNER_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or(default)
}

fn label(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

// ----------------------------------------------------------------------------- criterion

/// `next_wake` and `record` (a run, then a success, of task `t<k>`, round robin) at each
/// size; the clock stays at the start, events come at the clock.
fn bench_sizes(c: &mut Criterion) {
    for n in sizes() {
        let mut planner = planner(n);
        let mut group = c.benchmark_group("planner");
        group
            .sample_size(20)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        group.bench_function(format!("next_wake/{}", label(n)), |b| {
            b.iter(|| black_box(&planner).next_wake())
        });
        let mut k = 0u64;
        group.bench_function(format!("record/{}", label(n)), |b| {
            b.iter(|| {
                let task = format!("t{}", hash(k / 2) % n as u64);
                let action = if k.is_multiple_of(2) {
                    Action::Run
                } else {
                    Action::Success
                };
                k += 1;
                planner.record(&task, action, start());
            })
        });
        group.finish();
    }
}

/// One pass of Rocketry-style polling: every statement evaluated at one instant.
fn bench_polling(c: &mut Criterion) {
    let n = 1_000;
    let mix = Mix::new();
    let schedules: Vec<_> = (0..n)
        .map(|i| mix.statement(i).schedule().with_task(format!("t{i}")))
        .collect();
    let history = day_history(n);
    let at = start() + TimeDelta::hours(13) + TimeDelta::minutes(7);
    let mut group = c.benchmark_group("planner");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function(format!("poll_pass/{}", label(n)), |b| {
        b.iter(|| {
            schedules
                .iter()
                .filter(|s| s.is_true(black_box(at), chrono_tz::UTC, &history))
                .count()
        })
    });
    group.finish();
}

/// The history a day of the mix leaves (the planner's own simulation of it), so that polling
/// reads logs of a realistic size.
fn day_history(n: usize) -> tminus::MemoryHistory {
    let mut planner = planner(n);
    simulate_day(&mut planner);
    planner.history().clone()
}

// ----------------------------------------------------------------------- one day, memory

/// A day on a virtual clock: at each wake (one second apart at least) every due task is
/// launched and finishes at once with a success. Returns the launches.
fn simulate_day(planner: &mut Planner) -> u64 {
    let end = start() + TimeDelta::days(1);
    let (mut now, mut launches) = (start(), 0);
    while now < end {
        for task in planner.due(now) {
            planner.record(&task, Action::Run, now);
            planner.record(&task, Action::Success, now);
            launches += 1;
        }
        let Some(wake) = planner.next_wake() else {
            break;
        };
        now = wake.max(now + TimeDelta::seconds(1));
    }
    launches
}

/// User plus system CPU time of this process, from /proc/self/stat (Linux).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10)) // USER_HZ is 100 on Linux
}

/// Peak resident memory of this process (VmHWM), in KiB.
fn vm_hwm() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn report_day(n: usize) {
    let mut planner = planner(n);
    let before = planner.stats();
    let (cpu, wall) = (cpu_time(), Instant::now());
    let launches = simulate_day(&mut planner);
    let (cpu, wall) = (cpu_time().zip(cpu).map(|(b, a)| b - a), wall.elapsed());
    let stats = planner.stats();
    let evaluations = stats.evaluations() - before.evaluations();
    let plans = stats.plans - before.plans;
    println!(
        "day/{}: {launches} launches, wall {wall:.2?}, cpu {cpu:.2?}",
        label(n)
    );
    println!(
        "day/{}: {evaluations} searches+checks ({:.2} per launch), {plans} plans ({:.2} per launch), {} wakes",
        label(n),
        evaluations as f64 / launches as f64,
        plans as f64 / launches as f64,
        stats.wakes - before.wakes,
    );
}

fn report_memory(n: usize) {
    let (live, _) = (
        LIVE.load(Ordering::Relaxed),
        PEAK.swap(0, Ordering::Relaxed),
    );
    PEAK.store(live, Ordering::Relaxed);
    let built = Instant::now();
    let planner = planner(n);
    let elapsed = built.elapsed();
    let (after, peak) = (LIVE.load(Ordering::Relaxed), PEAK.load(Ordering::Relaxed));
    println!(
        "memory/{}: {:.0} B live per statement, {:.0} B peak per statement while building ({elapsed:.2?} to build)",
        label(n),
        (after - live) as f64 / n as f64,
        (peak - live) as f64 / n as f64,
    );
    drop(planner);
}

/// Rocketry-style polling for a day, extrapolated from one measured pass over 1k
/// statements: 864,000 passes (every 0.1 s) over n statements.
fn report_polling(n: usize) {
    let mix = Mix::new();
    let schedules: Vec<_> = (0..1_000)
        .map(|i| mix.statement(i).schedule().with_task(format!("t{i}")))
        .collect();
    let history = day_history(1_000);
    let at = start() + TimeDelta::hours(13) + TimeDelta::minutes(7);
    let passes = 200;
    let timer = Instant::now();
    for _ in 0..passes {
        black_box(
            schedules
                .iter()
                .filter(|s| s.is_true(black_box(at), chrono_tz::UTC, &history))
                .count(),
        );
    }
    let per_check = timer.elapsed().as_secs_f64() / (passes * 1_000) as f64;
    let day = per_check * 864_000.0 * n as f64;
    println!(
        "polling/{}: {:.2} µs per check (measured on 1k), {:.3e} checks and about {day:.0} s of CPU per day (extrapolated)",
        label(n),
        per_check * 1e6,
        864_000.0 * n as f64,
    );
}

/// A day of Rocketry-style polling, measured: every 0.1 s, every statement is evaluated in
/// turn and launched (a run and a success at once) when true.
fn report_polling_day(n: usize) {
    let mix = Mix::new();
    let schedules: Vec<_> = (0..n)
        .map(|i| {
            (
                format!("t{i}"),
                mix.statement(i).schedule().with_task(format!("t{i}")),
            )
        })
        .collect();
    let mut history = tminus::MemoryHistory::new();
    let end = start() + TimeDelta::days(1);
    let (cpu, mut now, mut launches, mut checks) = (cpu_time(), start(), 0u64, 0u64);
    while now < end {
        for (task, schedule) in &schedules {
            checks += 1;
            if schedule.is_true(now, chrono_tz::UTC, &history) {
                history
                    .record(task, Action::Run, now)
                    .record(task, Action::Success, now);
                launches += 1;
            }
        }
        now += TimeDelta::milliseconds(100);
    }
    let cpu = cpu_time().zip(cpu).map(|(b, a)| b - a);
    println!(
        "polling_day/{}: {launches} launches, {checks} checks, cpu {cpu:.2?} (measured)",
        label(n)
    );
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench_sizes(&mut criterion);
    bench_polling(&mut criterion);
    criterion.final_summary();
    if !is_bench() {
        return;
    }
    for n in sizes() {
        report_memory(n);
    }
    report_day(100);
    report_polling_day(100);
    report_day(100_000);
    report_polling(100_000);
    if let Some(kib) = vm_hwm() {
        println!("VmHWM of the whole bench process: {} MiB", kib / 1024);
    }
}
