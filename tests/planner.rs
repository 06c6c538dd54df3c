//! The planner against the naive way, and the example scheduler killed and restarted.
//!
//! * `naive_*`: random sets of statements (periodic with and without windows, every, cron,
//!   dependency chains, combinations) and random outcomes are simulated twice, once
//!   driven by the [`Planner`] and once by re-evaluating every statement, and the launches
//!   must be identical: same tasks, same instants. The naive side evaluates every
//!   statement at every second for one day, and at every *candidate* second for a week:
//!   each whole minute and the second after it, each event's instant and the second after
//!   it, and for a run of a task whose statement says `every d`, the second after the run
//!   plus `d`. In the statement mix every change of truth lies on such an instant (periods
//!   and cron slots on whole minutes, widened starts and `every` ends 1 µs later, events
//!   on whole seconds), so the candidate loop launches what the per-second loop would;
//!   `naive_candidates_equal_every_second` checks that on one day. Seeds are fixed; the
//!   weeks start on 2024-03-28, so Europe's DST change of 2024-03-31 is inside, and zones
//!   include half-hour offsets (Asia/Kolkata, Australia/Lord_Howe).
//!   `naive_day_with_constant_predicates` adds custom predicates with a re-check interval.
//! * `late_*`: events reported late, early and out of order, including 400 random ones
//!   after each of which the plan must equal a fresh planner's.
//! * `restart_*`: the example scheduler stopped (`--stop-after`) or killed (SIGKILL) in the
//!   middle of a simulated week and started again from its SQLite log, and a run left open
//!   by a dead process.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tminus::zone::{to_instant, CivilPolicy};
use tminus::{Action, History, MemoryHistory, Plan, Planner, Schedule, Statement};

const SECOND: i64 = 1_000_000;
const MINUTE: i64 = 60 * SECOND;
const DAY: i64 = 86_400 * SECOND;

fn utc(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t).expect("instant in range")
}

fn micros(zone: Tz, y: i32, mo: u32, d: u32) -> i64 {
    let midnight = NaiveDate::from_ymd_opt(y, mo, d).and_then(|d| d.and_hms_opt(0, 0, 0));
    let at = midnight.and_then(|m| to_instant(m, zone, CivilPolicy::FirstReached));
    at.expect("a date in range").timestamp_micros()
}

// ------------------------------------------------------------------------- random input

/// splitmix64: small, seeded, good enough for test input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const PERIODIC: &[&str] = &[
    "daily",
    "hourly",
    "weekly",
    "daily between 10:00 and 12:00",
    "daily after 18:30",
    "daily before 09:15",
    "daily between 22:00 and 02:00",
    "daily starting 06:00",
    "daily on 23:00",
    "weekly on Monday",
    "weekly between Fri and Mon",
    "hourly between 15:00 and 45:00",
];
const EVERY: &[&str] = &[
    "every 10 minutes",
    "every 2 hours",
    "every 45 seconds",
    "every 90 minutes",
    "every 1 day",
];
const CRON: &[&str] = &[
    "cron */15 * * * *",
    "cron 0 9-17 * * 1-5",
    "cron 30 2 * * *",
    "cron 0 */2 * * *",
    "cron 5 4 * * sun",
];
/// `{a}` and `{b}` are earlier tasks.
const DEPENDENT: &[&str] = &[
    "after task '{a}' succeeded",
    "after task '{a}' finished",
    "after task '{a}' failed",
    "after tasks '{a}', '{b}'",
    "after any tasks '{a}', '{b}'",
    "after task '{a}' & time of day between 08:00 and 20:00",
    "daily & task '{a}' has succeeded today",
    "hourly & ~task '{a}' is running",
];
const COMBINED: &[&str] = &[
    "every 30 minutes & time of day between 09:00 and 17:00",
    "every 20 minutes & time of week between Mon and Fri",
    "daily between 08:00 and 09:00 | daily between 20:00 and 21:00",
];
/// The `every` durations of the mix, in microseconds.
const EVERY_DURATIONS: &[(&str, i64)] = &[
    ("every 10 minutes", 10 * MINUTE),
    ("every 2 hours", 120 * MINUTE),
    ("every 45 seconds", 45 * SECOND),
    ("every 90 minutes", 90 * MINUTE),
    ("every 1 day", DAY),
    ("every 30 minutes", 30 * MINUTE),
    ("every 20 minutes", 20 * MINUTE),
];

/// `n` tasks `t0`, `t1`, ... with statements from the mix; dependencies name earlier tasks.
fn statements(rng: &mut Rng, n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let family: &[&str] = match (rng.below(5), i) {
                (0, _) => PERIODIC,
                (1, _) => EVERY,
                (2, _) => CRON,
                (3, 1..) => DEPENDENT,
                _ => COMBINED,
            };
            let a = format!("t{}", rng.below(i.max(1)));
            let b = format!("t{}", rng.below(i.max(1)));
            let text = rng.pick(family).replace("{a}", &a).replace("{b}", &b);
            (format!("t{i}"), text)
        })
        .collect()
}

/// How the simulated tasks behave.
#[derive(Clone, Copy, Debug)]
struct Behaviour {
    seed: u64,
    /// Runs take up to this long (0: they finish the instant they start).
    max_duration: i64,
    /// Outcomes are reported up to this long after they happen.
    max_lag: i64,
}

impl Behaviour {
    /// The outcome of the run of `task` started at `t`: its action, when it happens and
    /// when it is reported. The same for both simulations.
    fn outcome(&self, task: &str, t: i64) -> (Action, i64, i64) {
        let h = task
            .bytes()
            .fold(mix(self.seed ^ t as u64), |h, b| mix(h ^ u64::from(b)));
        let action = match h % 20 {
            0..=13 => Action::Success,
            14..=16 => Action::Fail,
            17..=18 => Action::Inaction,
            _ => Action::Terminate,
        };
        let seconds = |max: i64, bits: u64| {
            let n = max / SECOND;
            if n == 0 || (h >> bits).is_multiple_of(3) {
                0
            } else {
                ((h >> (bits + 2)) % n as u64) as i64 * SECOND
            }
        };
        let happens = t + seconds(self.max_duration, 8);
        (action, happens, happens + seconds(self.max_lag, 24))
    }
}

// ----------------------------------------------------------------------------- the drivers

/// What the simulation asks of a way of deciding.
trait Decider {
    fn due(&mut self, t: i64) -> Vec<String>;
    fn record(&mut self, task: &str, action: Action, at: i64);
    /// The next instant to look at, after `t`.
    fn next(&mut self, t: i64) -> Option<i64>;
}

/// A launch: when, and which task.
type Launch = (i64, String);

/// Runs the tasks from `start` to `end`, one cycle per second at most: outcomes reported
/// by then are recorded, the due tasks are launched (a `run` at the cycle's instant) and
/// their outcomes scheduled.
fn simulate(decider: &mut dyn Decider, start: i64, end: i64, how: Behaviour) -> Vec<Launch> {
    let mut reports: BTreeMap<(i64, u64), (String, Action, i64)> = BTreeMap::new();
    let (mut t, mut seq, mut launches) = (start, 0, Vec::new());
    loop {
        while let Some(entry) = reports.first_entry().filter(|e| e.key().0 <= t) {
            let (task, action, at) = entry.remove();
            decider.record(&task, action, at);
        }
        let mut due = decider.due(t);
        due.sort();
        for task in due {
            decider.record(&task, Action::Run, t);
            let (action, happens, reported) = how.outcome(&task, t);
            if reported == t {
                decider.record(&task, action, t);
            } else {
                seq += 1;
                reports.insert((reported, seq), (task.clone(), action, happens));
            }
            launches.push((t, task));
        }
        let report = reports.keys().next().map(|k| k.0);
        let next = match (decider.next(t), report) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => match a.or(b) {
                Some(x) => x,
                None => break,
            },
        };
        t = next.max(t + SECOND);
        if t >= end {
            break;
        }
    }
    launches
}

impl Decider for Planner {
    fn due(&mut self, t: i64) -> Vec<String> {
        Planner::due(self, utc(t))
    }

    fn record(&mut self, task: &str, action: Action, at: i64) {
        Planner::record(self, task, action, utc(at));
    }

    fn next(&mut self, _t: i64) -> Option<i64> {
        self.next_wake().map(|w| w.timestamp_micros())
    }
}

/// An event's instant and record number: what orders a task's runs and finishes.
type Stamp = (i64, u64);

/// Re-evaluates every statement at every instant it is asked about.
struct Naive {
    schedules: Vec<(String, Schedule)>,
    texts: Vec<(String, String)>,
    zone: Tz,
    history: MemoryHistory,
    /// Latest run and latest finish per task, as (instant, record number).
    runs: HashMap<String, (Stamp, Stamp)>,
    seq: u64,
    /// `None`: every second; else the candidate instants still to come.
    candidates: Option<BTreeSet<i64>>,
}

impl Naive {
    fn new(
        tasks: &[(String, String)],
        zone: Tz,
        every_second: bool,
        start: i64,
        end: i64,
    ) -> Naive {
        let schedules = tasks
            .iter()
            .map(|(task, text)| (task.clone(), parse(text).schedule().with_task(task)))
            .collect();
        Naive::with_schedules(tasks, schedules, zone, every_second, start, end)
    }

    fn with_schedules(
        tasks: &[(String, String)],
        schedules: Vec<(String, Schedule)>,
        zone: Tz,
        every_second: bool,
        start: i64,
        end: i64,
    ) -> Naive {
        let candidates = (!every_second).then(|| {
            let first = start - start.rem_euclid(MINUTE);
            (0..=(end - first) / MINUTE)
                .flat_map(|m| [first + m * MINUTE, first + m * MINUTE + SECOND])
                .collect()
        });
        let history = MemoryHistory::new();
        let texts = tasks.to_vec();
        Naive {
            schedules,
            texts,
            zone,
            history,
            runs: HashMap::new(),
            seq: 0,
            candidates,
        }
    }

    fn is_running(&self, task: &str) -> bool {
        self.runs
            .get(task)
            .is_some_and(|(run, finish)| run > finish)
    }

    /// The instants at which an event of `task` at `at` may change a statement: the event
    /// itself, the second after it (the next cycle), and for a run of an `every d`
    /// statement's task the second its `d` is over (true from `at + d + 1 µs`).
    fn add_candidates(&mut self, task: &str, action: Action, at: i64) {
        let Some(c) = &mut self.candidates else {
            return;
        };
        c.extend([at, at + SECOND]);
        let Some((_, s)) = self.texts.iter().find(|(t, _)| t == task) else {
            return;
        };
        if action == Action::Run {
            for (_, d) in EVERY_DURATIONS
                .iter()
                .filter(|(every, _)| s.contains(every))
            {
                c.insert(at + d + SECOND);
            }
        }
    }
}

impl Decider for Naive {
    fn due(&mut self, t: i64) -> Vec<String> {
        let at = utc(t);
        self.schedules
            .iter()
            .filter(|(task, s)| !self.is_running(task) && s.is_true(at, self.zone, &self.history))
            .map(|(task, _)| task.clone())
            .collect()
    }

    fn record(&mut self, task: &str, action: Action, at: i64) {
        self.history.record(task, action, utc(at));
        self.seq += 1;
        let entry = self.runs.entry(task.to_owned()).or_default();
        let slot = if action == Action::Run {
            &mut entry.0
        } else {
            &mut entry.1
        };
        *slot = (*slot).max((at, self.seq));
        let running = self.is_running(task);
        self.history.set_running(task, running);
        self.add_candidates(task, action, at);
    }

    fn next(&mut self, t: i64) -> Option<i64> {
        match &mut self.candidates {
            None => Some(t + SECOND),
            Some(c) => c.range(t + 1..).next().copied(),
        }
    }
}

fn parse(text: &str) -> Statement {
    Statement::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

fn planner(tasks: &[(String, String)], zone: Tz, start: i64) -> Planner {
    let mut planner = Planner::new(zone, utc(start)).with_resolution(TimeDelta::seconds(1));
    for (task, text) in tasks {
        planner.insert(task, &parse(text));
    }
    planner
}

/// Both simulations, and a failure that shows the first difference and the statements.
fn cross_check(
    tasks: &[(String, String)],
    zone: Tz,
    days: i64,
    every_second: bool,
    how: Behaviour,
) -> usize {
    let start = micros(zone, 2024, 3, 28);
    let end = start + days * DAY;
    let mut planned = planner(tasks, zone, start);
    let by_planner = simulate(&mut planned, start, end, how);
    let mut naive = Naive::new(tasks, zone, every_second, start, end);
    let by_naive = simulate(&mut naive, start, end, how);
    if by_planner != by_naive {
        let at = by_planner.iter().zip(&by_naive).position(|(a, b)| a != b);
        let at = at.unwrap_or(by_planner.len().min(by_naive.len()));
        let show = |l: &[Launch]| -> Vec<String> {
            l.iter()
                .skip(at.saturating_sub(3))
                .take(8)
                .map(|(t, task)| format!("{} {task}", utc(*t)))
                .collect()
        };
        panic!(
            "launches differ at #{at} ({zone}, {how:?})\nplanner: {:#?}\nnaive:   {:#?}\nstatements: {tasks:#?}",
            show(&by_planner),
            show(&by_naive)
        );
    }
    let stats = planned.stats();
    assert!(stats.runs as usize == by_planner.len());
    by_planner.len()
}

// ---------------------------------------------------------------------------------- tests

#[test]
fn naive_every_second_for_a_day() {
    for (seed, zone) in [(1, chrono_tz::UTC), (2, chrono_tz::Europe::Helsinki)] {
        let tasks = statements(&mut Rng(seed), 6);
        let how = Behaviour {
            seed,
            max_duration: 0,
            max_lag: 0,
        };
        assert!(cross_check(&tasks, zone, 1, true, how) > 0);
    }
}

#[test]
fn naive_candidates_equal_every_second() {
    let tasks = statements(&mut Rng(3), 6);
    let how = Behaviour {
        seed: 3,
        max_duration: 5 * MINUTE,
        max_lag: 2 * MINUTE,
    };
    let zone = chrono_tz::America::New_York;
    let start = micros(zone, 2024, 3, 28);
    let run = |every_second| {
        let mut naive = Naive::new(&tasks, zone, every_second, start, start + DAY);
        simulate(&mut naive, start, start + DAY, how)
    };
    assert_eq!(run(true), run(false));
}

/// A week over the end of DST in Europe (2024-03-31), tasks that finish at once.
#[test]
fn naive_week_instant_outcomes() {
    for (seed, zone) in [(11, chrono_tz::Europe::Helsinki), (12, chrono_tz::UTC)] {
        let tasks = statements(&mut Rng(seed), 12);
        let how = Behaviour {
            seed,
            max_duration: 0,
            max_lag: 0,
        };
        let n = cross_check(&tasks, zone, 7, false, how);
        eprintln!("{seed}: {n} launches {tasks:?}");
        assert!(n > 0);
    }
}

/// Runs that take up to 20 minutes (so tasks are running when due, and `is running`
/// statements change), outcomes reported up to 3 minutes late, out of order between
/// tasks.
#[test]
fn naive_week_late_and_long_runs() {
    for (seed, zone) in [
        (21, chrono_tz::Asia::Kolkata),
        (22, chrono_tz::Europe::London),
    ] {
        let tasks = statements(&mut Rng(seed), 12);
        let how = Behaviour {
            seed,
            max_duration: 20 * MINUTE,
            max_lag: 3 * MINUTE,
        };
        let n = cross_check(&tasks, zone, 7, false, how);
        eprintln!("{seed}: {n} launches {tasks:?}");
        assert!(n > 0);
    }
}

#[test]
fn naive_week_more_seeds() {
    let zones = [
        chrono_tz::America::New_York,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::UTC,
    ];
    for (i, zone) in zones.into_iter().enumerate() {
        let seed = 31 + i as u64;
        let tasks = statements(&mut Rng(seed), 10);
        let how = Behaviour {
            seed,
            max_duration: 3 * MINUTE * i as i64,
            max_lag: MINUTE * i as i64,
        };
        assert!(cross_check(&tasks, zone, 7, false, how) > 0);
    }
}

const PREDICATE_TASKS: [(&str, &str); 4] = [
    ("a", "every 10 minutes & file_exists('x')"),
    ("b", "daily between 10:00 and 12:00 & file_exists('x')"),
    ("c", "after task 'd' & ~file_exists('y')"),
    ("d", "hourly"),
];

/// Statements with a custom predicate (asked again every minute) that always gives the
/// same answer: the planner, which asks it once a minute at most, launches what the naive
/// loop, which asks it every second, launches.
#[test]
fn naive_day_with_constant_predicates() {
    for answer in [true, false] {
        let (by_planner, by_naive, checks) = predicate_day(answer);
        assert_eq!(by_planner, by_naive, "answer {answer}");
        let count = |task: &str| by_planner.iter().filter(|(_, t)| t == task).count();
        // c runs after each success of `hourly` d, unless the file exists.
        let counts = (count("a") > 100, count("b"), count("c") > 0);
        assert_eq!(counts, (answer, usize::from(answer), !answer));
        assert!(
            checks > 0,
            "predicate statements are asked again before they are due"
        );
    }
}

/// A day of [`PREDICATE_TASKS`] with `file_exists` always `answer`: the launches by the
/// planner and by the naive loop, and the planner's truth checks.
fn predicate_day(answer: bool) -> (Vec<Launch>, Vec<Launch>, u64) {
    let (zone, minute) = (chrono_tz::UTC, TimeDelta::minutes(1));
    let start = micros(zone, 2024, 3, 28);
    let how = Behaviour {
        seed: 5,
        max_duration: 0,
        max_lag: 0,
    };
    let exists = move |_: &tminus::PredicateCall<'_>| answer;
    let mut planned = Planner::new(zone, utc(start)).with_resolution(TimeDelta::seconds(1));
    planned.register_predicate_every("file_exists", minute, exists);
    let (mut tasks, mut schedules) = (Vec::new(), Vec::new());
    for (task, text) in PREDICATE_TASKS {
        let statement = Statement::parse_with(text, &planned.parse_options()).expect(text);
        planned.insert(task, &statement);
        let schedule = statement.schedule().with_task(task);
        schedules.push((
            task.to_owned(),
            schedule.with_predicate_every("file_exists", minute, exists),
        ));
        tasks.push((task.to_owned(), text.to_owned()));
    }
    let by_planner = simulate(&mut planned, start, start + DAY, how);
    let mut naive = Naive::with_schedules(&tasks, schedules, zone, true, start, start + DAY);
    let by_naive = simulate(&mut naive, start, start + DAY, how);
    (by_planner, by_naive, planned.stats().checks)
}

// ------------------------------------------------------------------------- late events

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 11, h, m, s).unwrap()
}

fn tutorial(start: DateTime<Utc>) -> Planner {
    let mut planner = Planner::new(chrono_tz::UTC, start).with_resolution(TimeDelta::seconds(1));
    for (task, text) in [
        ("extract", "hourly"),
        ("transform", "after task 'extract' succeeded"),
        ("backup", "daily"),
        ("sync", "every 2 hours"),
    ] {
        planner.insert(task, &parse(text));
    }
    planner
}

/// A success reported half an hour late makes its dependents due at the clock, and
/// counts for its own task at its own instant.
#[test]
fn late_success_counts_at_its_instant_and_acts_at_the_clock() {
    let mut planner = tutorial(at(9, 0, 0));
    assert_eq!(planner.due(at(9, 0, 0)), ["backup", "extract", "sync"]);
    for task in ["extract", "backup", "sync"] {
        planner.record(task, Action::Run, at(9, 0, 0));
    }
    assert!(planner.due(at(9, 30, 0)).is_empty()); // all three are running
    planner.record("extract", Action::Success, at(9, 5, 0)); // reported at 09:30
    assert_eq!(planner.due(at(9, 30, 0)), ["transform"]);
    assert_eq!(
        planner
            .planned("extract")
            .map(|p| matches!(p, Plan::At { .. })),
        Some(true)
    );
    assert_eq!(planner.next_wake(), Some(at(9, 30, 0))); // transform, now
}

/// A finish recorded before its run (out of order) still finishes it.
#[test]
fn late_run_after_its_finish_is_not_running() {
    let mut planner = tutorial(at(0, 0, 0));
    planner.advance(at(0, 0, 10));
    planner.record("backup", Action::Success, at(0, 0, 5));
    planner.record("backup", Action::Run, at(0, 0, 1));
    assert!(!planner.is_running("backup"));
    assert!(!planner.due(at(0, 0, 10)).contains(&"backup".to_owned()));
    let tomorrow = Utc.with_ymd_and_hms(2024, 3, 12, 0, 0, 1).unwrap();
    assert_eq!(
        planner.planned("backup").and_then(plan_start),
        Some(tomorrow)
    );
}

/// An event in the future of the clock switches the plan at its instant.
#[test]
fn late_future_event_switches_at_its_instant() {
    let mut planner = tutorial(at(9, 0, 0));
    planner.record("backup", Action::Success, at(9, 10, 0));
    assert!(planner.due(at(9, 0, 0)).contains(&"backup".to_owned())); // not done at 09:00
    assert!(!planner.due(at(9, 10, 0)).contains(&"backup".to_owned())); // done from 09:10
}

fn plan_start(plan: Plan) -> Option<DateTime<Utc>> {
    match plan {
        Plan::At { at, .. } => Some(at),
        _ => None,
    }
}

/// What a plan says, without the parts that depend on how far a search looked.
fn gist(plan: Option<Plan>) -> String {
    match plan {
        Some(Plan::At { at, .. }) => format!("at {at}"),
        Some(Plan::Due { .. }) => "due".into(),
        Some(Plan::Running { .. }) => "running".into(),
        Some(Plan::Recheck { .. }) => "recheck".into(),
        Some(Plan::Waiting) => "waiting".into(),
        other => format!("{other:?}"),
    }
}

/// Random events, many late (up to two hours before the clock), some in the future: after
/// each, the incremental plan of every statement equals that of a planner built afresh
/// from the same history at the same clock.
#[test]
fn late_events_leave_the_plan_a_fresh_planner_makes() {
    let mut rng = Rng(7);
    let tasks = statements(&mut rng, 12);
    let zone = chrono_tz::Europe::Helsinki;
    let mut clock = micros(zone, 2024, 3, 30);
    let mut incremental = planner(&tasks, zone, clock);
    for step in 0..400 {
        clock += (rng.below(15 * 60) as i64) * SECOND;
        incremental.advance(utc(clock));
        let (task, _) = &tasks[rng.below(tasks.len())];
        let action = tminus::Action::ALL[rng.below(6)];
        let at = clock - (rng.below(2 * 3600) as i64 - 600) * SECOND;
        incremental.record(task, action, utc(at));
        let mut fresh = Planner::with_history(zone, utc(clock), incremental.history().clone())
            .with_resolution(TimeDelta::seconds(1));
        for (task, text) in &tasks {
            fresh.insert(task, &parse(text));
        }
        for (task, text) in &tasks {
            let (a, b) = (gist(incremental.planned(task)), gist(fresh.planned(task)));
            assert_eq!(
                a,
                b,
                "step {step}: {task} ({text}) after {action} at {}",
                utc(at)
            );
        }
        assert_eq!(
            incremental.due(utc(clock)),
            fresh.due(utc(clock)),
            "step {step}"
        );
    }
}

/// The property behind `Planner::record`'s index: re-planning only the statements that
/// read an event gives every statement the plan a planner built afresh from the same
/// history would make. Random statements (dependency chains included), random events of
/// their tasks and of tasks without a statement, late, early and out of order, in three
/// zones; after each event every plan, the running flags and the due tasks are compared.
#[test]
fn record_plans_what_a_fresh_planner_plans() {
    let zones = [
        chrono_tz::UTC,
        chrono_tz::Europe::Helsinki,
        chrono_tz::Australia::Lord_Howe,
    ];
    for seed in 1..=6u64 {
        let mut rng = Rng(seed * 1_000_003);
        let zone = zones[seed as usize % zones.len()];
        let tasks = statements(&mut rng, 16);
        let mut clock = micros(zone, 2024, 3, 29) + (rng.below(86_400) as i64) * SECOND;
        let mut incremental = planner(&tasks, zone, clock);
        for step in 0..120 {
            clock += (rng.below(40 * 60) as i64) * SECOND;
            incremental.advance(utc(clock));
            let task = match rng.below(8) {
                0 => "stranger".to_owned(),
                _ => tasks[rng.below(tasks.len())].0.clone(),
            };
            let action = Action::ALL[rng.below(Action::ALL.len())];
            let at = clock - (rng.below(3 * 3600) as i64 - 900) * SECOND;
            incremental.record(&task, action, utc(at));
            let mut fresh = Planner::with_history(zone, utc(clock), incremental.history().clone())
                .with_resolution(TimeDelta::seconds(1));
            for (task, text) in &tasks {
                fresh.insert(task, &parse(text));
            }
            let context = format!("seed {seed} step {step}: {action} of {task} at {}", utc(at));
            for (task, text) in &tasks {
                let (a, b) = (gist(incremental.planned(task)), gist(fresh.planned(task)));
                assert_eq!(a, b, "{context}: {task} ({text})");
                let running = (incremental.is_running(task), fresh.is_running(task));
                assert_eq!(running.0, running.1, "{context}: {task} running");
            }
            assert_eq!(
                incremental.due(utc(clock)),
                fresh.due(utc(clock)),
                "{context}"
            );
        }
    }
}

// --------------------------------------------------------------------------- restarts

/// The example scheduler, built once (the test target does not build examples).
fn scheduler_binary() -> std::path::PathBuf {
    static BUILT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
            let status = std::process::Command::new(env!("CARGO"))
                .args([
                    "build",
                    "--quiet",
                    "--example",
                    "scheduler",
                    "--manifest-path",
                    manifest,
                ])
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building the example failed");
            let exe = std::env::current_exe().expect("test binary path");
            let profile_dir = exe
                .parent()
                .and_then(|deps| deps.parent())
                .expect("target/debug");
            profile_dir.join("examples").join("scheduler")
        })
        .clone()
}

/// A fresh working folder with `data.csv` in it (so `ingest` runs).
fn workdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tminus-planner-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("data.csv"), "id\n1\n").expect("data.csv");
    dir
}

const WEEK: [&str; 4] = ["--simulate", "7", "--start", "2024-03-11T00:00:00Z"];

/// Runs the example in `dir` with the week's arguments and `extra`; its launch lines and
/// exit code.
fn run_scheduler(dir: &std::path::Path, extra: &[&str]) -> (Vec<String>, Option<i32>) {
    let output = std::process::Command::new(scheduler_binary())
        .args(WEEK)
        .args(extra)
        .current_dir(dir)
        .output()
        .expect("the example runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.is_empty(), "stderr: {stderr}");
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(String::from)
        .collect();
    (lines, output.status.code())
}

/// A run in the log: when, which task, and whether the process died during it (a
/// `crash` record is its next record).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Run {
    at: DateTime<Utc>,
    task: String,
    crashed: bool,
}

/// The runs of the log, in instant order.
fn runs_in_log(db: &std::path::Path) -> Vec<Run> {
    let history = MemoryHistory::from_rocketry_sqlite(db, "tasks").expect("the log reads");
    let mut runs = Vec::new();
    for task in history.tasks() {
        let events = history.events(task);
        for (i, event) in events.iter().enumerate() {
            if event.action == Action::Run {
                let crashed = events.get(i + 1).is_some_and(|e| e.action == Action::Crash);
                runs.push(Run {
                    at: event.at,
                    task: task.to_owned(),
                    crashed,
                });
            }
        }
    }
    runs.sort();
    runs
}

/// Stopped abruptly after the cycle of the 300th launch and started again from its log,
/// the scheduler launches exactly what an uninterrupted run launches.
#[test]
fn restart_resumes_where_it_stopped() {
    let dir = workdir("stop");
    let (whole, code) = run_scheduler(&dir, &["--db", "whole.db"]);
    assert_eq!(code, Some(0));
    assert!(whole.len() > 1400, "{} launches", whole.len());

    let (first, code) = run_scheduler(&dir, &["--db", "parts.db", "--stop-after", "300"]);
    assert_eq!(code, Some(3), "stopped on request");
    assert!(first.len() >= 300 && first.len() < whole.len());
    let (second, code) = run_scheduler(&dir, &["--db", "parts.db"]);
    assert_eq!(code, Some(0));
    assert_eq!([first, second].concat(), whole);
    assert_eq!(
        runs_in_log(&dir.join("parts.db")),
        runs_in_log(&dir.join("whole.db"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Killed (SIGKILL) in the middle of a paced simulation and started again: in the log,
/// no task runs twice in one of its periods and none misses one.
#[test]
fn restart_after_a_kill_loses_and_repeats_nothing() {
    let dir = workdir("kill");
    let mut child = std::process::Command::new(scheduler_binary())
        .args(WEEK)
        .args(["--db", "killed.db", "--pace", "1"])
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the example starts");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let finished_early = child.try_wait().expect("status").is_some();
    child.kill().expect("kill");
    child.wait().expect("reaped");
    let (_, code) = run_scheduler(&dir, &["--db", "killed.db"]);
    assert_eq!(code, Some(0));
    let runs = runs_in_log(&dir.join("killed.db"));
    assert!(
        !finished_early,
        "the simulation ended before the kill: raise --pace"
    );
    check_tutorial_week(&runs);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The tutorial's week (from Monday 2024-03-11 00:00 UTC) in a log: once per day, once per
/// hour (runs that crashed do not count: Rocketry's `daily` ignores crashes, so the task
/// runs again), every two hours and every ten minutes (a second later each time: true from
/// 1 µs after the period, at a resolution of a second; a crashed run counts, as `every`
/// counts starts), transform after each extract.
fn check_tutorial_week(runs: &[Run]) {
    let of = |task: &str, crashed: bool| -> Vec<DateTime<Utc>> {
        let runs = runs
            .iter()
            .filter(|r| r.task == task && (crashed || !r.crashed));
        runs.map(|r| r.at).collect()
    };
    once_per(&of("backup", false), 86_400, 7, "backup once a day");
    let report = of("report", false);
    once_per(&report, 86_400, 7, "report once a day");
    assert!(report
        .iter()
        .all(|t| (10..12).contains(&chrono::Timelike::hour(t))));
    let extract = of("extract", false);
    once_per(&extract, 3_600, 168, "extract once an hour");
    let transform = of("transform", true);
    assert_eq!(
        transform.len(),
        extract.len(),
        "transform after each extract"
    );
    let close = |e: &DateTime<Utc>, t: &DateTime<Utc>| t > e && *t - *e <= TimeDelta::seconds(2);
    assert!(
        extract.iter().zip(&transform).all(|(e, t)| close(e, t)),
        "transform"
    );
    every(&of("sync", true), TimeDelta::hours(2), "sync");
    every(&of("ingest", true), TimeDelta::minutes(10), "ingest");
}

/// One run in each of the `count` periods of `seconds` from the start of the week.
fn once_per(times: &[DateTime<Utc>], seconds: i64, count: i64, what: &str) {
    let periods: Vec<i64> = times
        .iter()
        .map(|t| (*t - at(0, 0, 0)).num_seconds() / seconds)
        .collect();
    assert_eq!(periods, (0..count).collect::<Vec<_>>(), "{what}");
}

/// Runs `every` apart (plus up to two seconds: one for Rocketry's 1 µs, one for a restart),
/// up to the end of the week.
fn every(times: &[DateTime<Utc>], every: TimeDelta, what: &str) {
    let slack = TimeDelta::seconds(2);
    let gap_ok = |gap: TimeDelta| gap > every && gap <= every + slack;
    assert!(
        times.windows(2).all(|w| gap_ok(w[1] - w[0])),
        "{what}: {times:?}"
    );
    let end = at(0, 0, 0) + TimeDelta::days(7);
    assert!(
        times.last().is_some_and(|t| end - *t <= every + slack),
        "{what}"
    );
}

/// A run left open by a dead process is recorded as a crash on restart, as Rocketry does,
/// and `daily between 10:00 and 12:00` (which ignores crashes) runs its task again.
#[test]
fn restart_records_a_crash_for_a_dangling_run() {
    let dir = workdir("crash");
    let (first, code) = run_scheduler(&dir, &["--db", "crash.db", "--stop-after", "40"]);
    assert_eq!(code, Some(3));
    assert!(runs_in_log(&dir.join("crash.db"))
        .iter()
        .all(|r| r.at < at(10, 0, 0)));
    // The process "dies" while `report` runs, at 10:00 on the first day.
    let dangling = at(10, 0, 0);
    let conn = rusqlite::Connection::open(dir.join("crash.db")).expect("db");
    let created = dangling.timestamp() as f64;
    conn.execute(
        "INSERT INTO tasks (task_name, action, created) VALUES ('report', 'run', ?1)",
        [created],
    )
    .expect("insert");
    drop(conn);
    let (second, code) = run_scheduler(&dir, &["--db", "crash.db"]);
    assert_eq!(code, Some(0));
    let resumed = dangling + TimeDelta::seconds(1);
    let history = MemoryHistory::from_rocketry_sqlite(&dir.join("crash.db"), "tasks").expect("log");
    let crash = tminus::Event::new(Action::Crash, resumed);
    assert!(
        history.events("report").contains(&crash),
        "a crash record at the restart"
    );
    let iso = resumed.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    assert!(
        second.contains(&format!("{iso} launch report")),
        "{second:?}"
    );
    assert!(first.len() >= 40);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A weekly cron in Havana's repeated hour (2024-11-03 00:00-01:00 happens twice): a
/// planner started after the first pass, which the task missed, wakes for the second pass
/// although the next wall-clock match is a week away, past its horizon. (After a run in
/// the first pass the second is not due: a slot starts at its first pass, see
/// docs/semantics.md.)
#[test]
fn weekly_cron_second_pass_of_a_repeated_hour() {
    let havana = chrono_tz::America::Havana;
    let start = Utc.with_ymd_and_hms(2024, 11, 3, 4, 32, 0).unwrap();
    let mut planner = Planner::new(havana, start).with_horizon(TimeDelta::hours(6));
    planner.insert(
        "weekly",
        &Statement::parse("cron 30 0 * * 0").expect("parses"),
    );
    assert!(planner.due(start).is_empty());
    let second = Utc.with_ymd_and_hms(2024, 11, 3, 5, 30, 0).unwrap();
    assert_eq!(planner.next_wake(), Some(second));
    assert_eq!(planner.due(second), ["weekly"]);
}
