//! Differential test against Rocketry 2.5.1: every statement of the oracle's parse corpus
//! gets the same verdict from tminus, except the deliberate differences listed here (each
//! also in `docs/differences.md`). Where both parse, the periods and durations agree too.

use serde_json::Value;
use tminus::Statement;

/// Statements where tminus's verdict deliberately differs from Rocketry's, with the reason.
/// The test fails if one of them stops differing, so the list stays true.
// DIFFERENCE: each entry below.
const DIFFERENCES: &[(&str, &str)] = &[
    (
        "daily after 10",
        "bare number: Rocketry reads a day of the month (midnight)",
    ),
    (
        "daily before 10",
        "bare number: Rocketry reads a day of the month (midnight)",
    ),
    (
        "daily on 10",
        "bare number: Rocketry reads a day of the month (midnight)",
    ),
    (
        "daily after 30",
        "bare number, and Rocketry's verdict depends on the current month",
    ),
    (
        "daily between 10 and 12",
        "bare numbers: Rocketry makes it always true",
    ),
    (
        "daily between 10.00 and 12.00",
        "bare numbers: Rocketry makes it always true",
    ),
    (
        "daily between 1000 and 1200",
        "bare numbers: Rocketry makes it always true",
    ),
    (
        "daily between 10:00 and 12:00 and 14:00",
        "Rocketry silently reads 12:00 to 14:00",
    ),
    (
        "daily between 10:00 and 12:00 on Mon",
        "Rocketry silently drops `on Mon`",
    ),
    (
        "daily between 10:00 UTC and 12:00",
        "Rocketry silently ignores the zone",
    ),
    (
        "daily between 10:00+02:00 and 12:00",
        "Rocketry silently ignores the offset",
    ),
    (
        "daily between 2024-01-01 10:00 and 12:00",
        "Rocketry silently ignores the date",
    ),
    (
        "hourly after 1:15:00",
        "Rocketry searches the text for MM:SS and ignores the rest",
    ),
    (
        "minutely after 15:30",
        "Rocketry reads the first two digits as seconds",
    ),
    (
        "minutely after abc45xyz",
        "Rocketry ignores the letters around 45",
    ),
    (
        "monthly after 32nd",
        "there is no 32nd; Rocketry makes it the full month",
    ),
    (
        "every -10 minutes",
        "negative duration: Rocketry takes the absolute value",
    ),
    (
        "every 0 seconds",
        "zero duration: tminus rejects zero and negative durations",
    ),
    (
        "cron * * * * * *",
        "six-field cron (with seconds) is a tminus extension",
    ),
    (
        "cron 61 * * * *",
        "Rocketry validates cron fields only when evaluating",
    ),
    (
        "cron * 25 * * *",
        "Rocketry validates cron fields only when evaluating",
    ),
    ("cron * * *", "Rocketry fills missing fields with `*`"),
    (
        "task \"a\" is running",
        "double-quoted names are a tminus extension (with a warning)",
    ),
    (
        "after task \"a\"",
        "double-quoted names are a tminus extension (with a warning)",
    ),
    ("true && false", "Rocketry silently drops `& false`"),
    ("true & & false", "Rocketry silently drops `& false`"),
    (
        "(true)(false)",
        "Rocketry silently drops the second operand",
    ),
    (
        "(false)(true)",
        "Rocketry silently drops the second operand",
    ),
    ("true (false)", "Rocketry silently drops the second operand"),
    ("(false) true", "Rocketry silently drops the second operand"),
    (
        "daily between 10:00 and 12:00 & & daily",
        "Rocketry silently drops `& daily`",
    ),
    ("after tasks 'a','b'", "Rocketry reads one task named a','b"),
    (
        "after tasks 'a' , 'b'",
        "Rocketry reads one task named a' , 'b",
    ),
    (
        "after task 'it's'",
        "Rocketry reads the name it's; tminus needs \"it's\"",
    ),
    (
        "after task 'a' succeeded'",
        "Rocketry reads a task named a' succeeded",
    ),
];

fn corpus() -> Vec<Value> {
    include_str!("../data/oracle/corpus-parse.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("corpus line is JSON"))
        .collect()
}

#[test]
fn verdicts_agree_except_documented_differences() {
    let mut wrong = Vec::new();
    for case in corpus() {
        let cond = case["cond"].as_str().unwrap_or_default();
        let rocketry = case["parsed"].as_bool().unwrap_or(false);
        let ours = Statement::parse(cond).is_ok();
        let differs = DIFFERENCES.iter().any(|(c, _)| *c == cond);
        if (ours != rocketry) != differs {
            wrong.push(format!(
                "{cond:?}: rocketry={rocketry} tminus={ours} listed={differs}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "verdicts out of line:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_listed_difference_is_in_the_corpus() {
    let conds: Vec<String> = corpus()
        .iter()
        .map(|c| c["cond"].as_str().unwrap_or_default().to_owned())
        .collect();
    for (cond, _) in DIFFERENCES {
        assert!(
            conds.iter().any(|c| c == cond),
            "{cond:?} is not in the corpus"
        );
    }
}

/// Rocketry's structural dump of a period: `TimeOfDay(start_us=36000000000, end_us=..., full=False)`.
fn rocketry_period(canon: &str) -> Option<(f64, f64, bool)> {
    let at = canon.find("(start_us=")?;
    let rest = &canon[at + "(start_us=".len()..];
    let (start, rest) = rest.split_once(", end_us=")?;
    let (end, rest) = rest.split_once(", full=")?;
    Some((
        start.parse().ok()?,
        end.parse().ok()?,
        rest.starts_with("True"),
    ))
}

fn our_period(s: &Statement) -> Option<(i64, i64, bool)> {
    let v = tminus::ir::json::to_json(s.cond());
    if matches!(v["type"].as_str(), Some("all" | "any" | "not")) {
        return None;
    }
    let p = if v["period"].is_object() {
        &v["period"]
    } else {
        &v["window"]["period"]
    };
    Some((
        p["start_us"].as_i64()?,
        p["end_us"].as_i64()?,
        p["full"].as_bool()?,
    ))
}

#[test]
fn periods_match_rocketry_to_the_microsecond() {
    let mut checked = 0;
    for case in corpus() {
        let (Some(cond), Some(canon)) = (case["cond"].as_str(), case["canon"].as_str()) else {
            continue;
        };
        let (Ok(s), Some(theirs)) = (Statement::parse(cond), rocketry_period(canon)) else {
            continue;
        };
        let Some(ours) = our_period(&s) else { continue };
        // Rocketry's quarter-hour points are fractional microseconds: membership of whole
        // microseconds is the same as for the next whole microsecond.
        let expected = (theirs.0.ceil() as i64, theirs.1.ceil() as i64, theirs.2);
        assert_eq!(ours, expected, "{cond}: tminus {ours:?}, Rocketry {canon}");
        checked += 1;
    }
    assert!(checked > 100, "only {checked} periods compared");
}

#[test]
fn durations_match_rocketry() {
    let mut checked = 0;
    for case in corpus() {
        let (Some(cond), Some(canon)) = (case["cond"].as_str(), case["canon"].as_str()) else {
            continue;
        };
        let Some(at) = canon.find("past_s=") else {
            continue;
        };
        let Ok(s) = Statement::parse(cond) else {
            continue;
        };
        let theirs: f64 = canon[at + 7..]
            .split(',')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1.0);
        let v = tminus::ir::json::to_json(s.cond());
        if matches!(v["type"].as_str(), Some("all" | "any" | "not")) {
            continue;
        }
        let d = ["duration", "within", "over"]
            .iter()
            .map(|k| &v[k])
            .find(|d| d.is_object())
            .unwrap_or(&v["window"]["duration"]);
        let ours = d["micros"].as_i64().unwrap_or(-1);
        assert_eq!(ours, (theirs * 1e6).round() as i64, "{cond}");
        checked += 1;
    }
    assert!(checked > 25, "only {checked} durations compared");
}
