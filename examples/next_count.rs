//! One bench case of `benches/next.rs`, called N times, for instruction counts:
//! `valgrind --tool=callgrind target/release/examples/next_count <case> <n>`; the count of
//! one call is the difference between two runs (`n` and `0`) divided by `n`. Cases:
//! `<bench case>[_<zone>][_with_runs]` for tminus, `saffron:<cron case>`, `cron:<…>`,
//! `croner:<…>`.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use std::hint::black_box;
use std::str::FromStr;
use tminus::{Action, MemoryHistory, Statement};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 11, 10, 7, 13).unwrap()
}

/// The statement of a bench case (without zone or history suffix).
fn statement(case: &str) -> Option<&'static str> {
    Some(match case {
        "cron_every_5_min" => "cron */5 * * * *",
        "cron_weekdays_0930" => "cron 30 9 * * 1-5",
        "cron_feb_29" => "cron 0 0 29 2 *",
        "daily_between_with_history" => "daily between 10:00 and 12:00",
        "every_10_min" => "every 10 minutes",
        "weekdays_after_17" => "time of week between Mon and Fri & time of day after 17:00",
        "combo_3" => "daily between 09:00 and 17:00 & after task 'extract' | time of week on Sat",
        "time_of_day" => "time of day between 10:00 and 12:00",
        "never_disjoint" => "time of day between 10:00 and 11:00 & time of day after 12:00",
        "never_cron_feb_30" => "cron 0 0 30 2 *",
        _ => return None,
    })
}

fn ran_history() -> MemoryHistory {
    let mut history = MemoryHistory::new();
    let at = |h, m| Utc.with_ymd_and_hms(2024, 3, 11, h, m, 0).unwrap();
    history
        .record("t", Action::Run, at(10, 0))
        .record("t", Action::Success, at(10, 1))
        .record("extract", Action::Success, at(9, 0));
    history
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let case = args.get(1).map_or("cron_every_5_min", String::as_str);
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let from = start();
    if let Some((peer, cron_case)) = case.split_once(':') {
        let expr = statement(cron_case)
            .and_then(|s| s.strip_prefix("cron "))
            .unwrap();
        match peer {
            "saffron" => {
                let c = saffron::Cron::from_str(expr).unwrap();
                for _ in 0..n {
                    black_box(c.next_from(black_box(from)));
                }
            }
            "cron" => {
                let c = cron::Schedule::from_str(&format!("0 {expr}")).unwrap();
                for _ in 0..n {
                    black_box(c.after(black_box(&from)).next());
                }
            }
            "croner" => {
                let c = croner::parser::CronParser::new().parse(expr).unwrap();
                for _ in 0..n {
                    let _ = black_box(c.find_next_occurrence(black_box(&from), true));
                }
            }
            _ => panic!("peer {peer}"),
        }
        return;
    }
    let (case, runs) = match case.strip_suffix("_with_runs") {
        Some(c) => (c, true),
        None => (case, false),
    };
    let zones = [
        ("_new_york", chrono_tz::America::New_York),
        ("_helsinki", chrono_tz::Europe::Helsinki),
        ("_lord_howe", chrono_tz::Australia::Lord_Howe),
    ];
    let (case, zone) = zones
        .iter()
        .find_map(|(suffix, z)| case.strip_suffix(suffix).map(|c| (c, *z)))
        .unwrap_or((case, chrono_tz::UTC));
    let text = statement(case).unwrap();
    let is_cron_case = case.starts_with("cron_") && zone == chrono_tz::UTC;
    let (horizon, history) = if is_cron_case {
        let h = if runs {
            ran_history()
        } else {
            MemoryHistory::new()
        };
        (TimeDelta::days(5 * 366), h)
    } else {
        (TimeDelta::days(30), ran_history())
    };
    let s = Statement::parse(text).unwrap().schedule();
    for _ in 0..n {
        black_box(s.next_window(black_box(from), horizon, zone, &history));
    }
}
