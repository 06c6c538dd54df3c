//! The optimizer: optimized and original statements agree at random instants with random
//! histories; `fmt` is idempotent; each warning appears with its code and spans, and sound
//! statements get none.

mod support;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use support::gen::statement;
use tminus::{opt, Action, MemoryHistory, Schedule, Statement};

/// Up to eight records of `t` and `a` within the week from 2024-03-04 (a Monday).
fn history() -> impl Strategy<Value = MemoryHistory> {
    let action = prop::sample::select(vec![
        Action::Run,
        Action::Success,
        Action::Fail,
        Action::Terminate,
    ]);
    let record = (
        prop::sample::select(vec!["t", "a", "extract"]),
        action,
        0i64..7 * 24 * 60,
    );
    prop::collection::vec(record, 0..8).prop_map(|records| {
        let mut h = MemoryHistory::new();
        for (task, action, minute) in records {
            h.record(task, action, week_start() + TimeDelta::minutes(minute));
        }
        h
    })
}

fn week_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 4, 0, 0, 0).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn optimized_and_original_agree(text in statement(false), h in history(), minutes in prop::collection::vec(0i64..8 * 24 * 60, 24)) {
        let s = Statement::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let optimized = opt::optimize(s.cond());
        let (a, b) = (Schedule::new(s.cond()), Schedule::new(&optimized));
        for zone in [chrono_tz::UTC, chrono_tz::Europe::Helsinki] {
            for m in &minutes {
                let at = week_start() + TimeDelta::minutes(*m) + TimeDelta::seconds(m % 61);
                prop_assert_eq!(a.is_true(at, zone, &h), b.is_true(at, zone, &h), "{} optimized to {} at {} in {}", text, optimized, at, zone);
            }
        }
    }

    #[test]
    fn fmt_is_idempotent(text in statement(false)) {
        let once = opt::sorted(Statement::parse(&text).unwrap().cond()).to_string();
        let twice = opt::sorted(Statement::parse(&once).unwrap().cond()).to_string();
        prop_assert_eq!(&once, &twice);
        let simple = opt::optimize(Statement::parse(&text).unwrap().cond()).to_string();
        let again = opt::optimize(Statement::parse(&simple).unwrap().cond()).to_string();
        prop_assert_eq!(simple, again);
    }
}

/// The codes of a statement's warnings with the text of each primary span.
fn warnings(text: &str) -> Vec<(String, String)> {
    let s = Statement::parse(text).unwrap();
    opt::lint(&s)
        .into_iter()
        .map(|d| {
            let span = d.span().unwrap();
            (d.code, text[span.start..span.end].to_owned())
        })
        .collect()
}

fn pair(code: &str, span: &str) -> (String, String) {
    (format!("tminus::{code}"), span.to_owned())
}

#[test]
fn each_warning_points_at_its_clauses() {
    assert_eq!(
        warnings("time of day before 10:00 & time of day after 11:00"),
        [pair("never-true", "time of day before 10:00")]
    );
    assert_eq!(
        warnings("daily | time of week on Mon & time of week on Tue"),
        [pair("never-true-clause", "time of week on Mon")]
    );
    assert_eq!(
        warnings("time of day before 10:00 | time of day after 09:00"),
        [pair(
            "always-true",
            "time of day before 10:00 | time of day after 09:00"
        )]
    );
    assert_eq!(
        warnings("time of day between 10:00 and 12:00 & time of day after 09:00"),
        [pair("redundant-clause", "time of day after 09:00")]
    );
    assert_eq!(
        warnings("daily between 10:00 and 10:00"),
        [pair("empty-between", "daily between 10:00 and 10:00")]
    );
    assert_eq!(
        warnings("cron 0 0 31 4 *"),
        [pair("cron-never", "cron 0 0 31 4 *")]
    );
    assert_eq!(
        warnings("daily & daily"),
        [pair("redundant-clause", "daily")]
    );
    assert_eq!(
        warnings("time of week on Mon & time of day after 10:00 & time of week on Tue"),
        [pair("never-true", "time of week on Mon")]
    );
}

#[test]
fn sound_statements_get_no_warning() {
    let corpus = include_str!("data/oracle/corpus-parse.jsonl");
    let mut flagged = Vec::new();
    for line in corpus.lines() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = case["cond"].as_str().unwrap_or_default();
        let Ok(s) = Statement::parse(text) else {
            continue;
        };
        let codes: Vec<String> = opt::lint(&s).into_iter().map(|d| d.code).collect();
        // Rocketry's corpus tests its constant logic (`true & false`, `~(~(true))`): those
        // fold to a constant, which is reported as such.
        let folded = s.cond().as_const().is_some() && text.contains(['~', '&', '|']);
        let fold_code = match s.cond().as_const() {
            Some(true) => "tminus::always-true",
            _ => "tminus::never-true",
        };
        if folded {
            assert_eq!(codes, [fold_code], "{text:?}");
        } else if !codes.is_empty() {
            flagged.push(format!("{text:?}: {codes:?}"));
        }
    }
    // Every flagged statement of Rocketry's corpus is one of these deliberate oddities.
    let expected = [
        "\"daily between 10:00 and 10:00\": [\"tminus::empty-between\"]",
        "\"monthly between 1th and 2st\": [\"tminus::ordinal-suffix\", \"tminus::ordinal-suffix\"]",
        "\"cron 0 0 30 2 *\": [\"tminus::cron-never\"]",
        "\"task \\\"a\\\" is running\": [\"tminus::double-quoted-name\"]",
        "\"after task \\\"a\\\"\": [\"tminus::double-quoted-name\"]",
    ];
    assert_eq!(flagged, expected, "warnings on Rocketry's corpus changed");
}

/// Every fold of a constant is reported where it happens: a constant that changes nothing
/// in `&` or `|` at the constant, a double negation at the `~~`; a statement that folds to a
/// constant as a whole is `never-true` (an error) or `always-true`.
#[test]
fn every_constant_fold_is_warned() {
    assert_eq!(
        warnings("~false & daily"),
        [pair("redundant-clause", "~false")]
    );
    assert_eq!(warnings("true & daily"), [pair("redundant-clause", "true")]);
    assert_eq!(
        warnings("daily & (true | hourly)"),
        [pair("redundant-clause", "(true | hourly)")]
    );
    assert_eq!(
        warnings("false | daily"),
        [pair("never-true-clause", "false")]
    );
    assert_eq!(
        warnings("daily | ~true"),
        [pair("never-true-clause", "~true")]
    );
    assert_eq!(
        warnings("daily | (false & hourly)"),
        [pair("never-true-clause", "(false & hourly)")]
    );
    assert_eq!(warnings("~~daily"), [pair("double-negation", "~~daily")]);
    assert_eq!(
        warnings("hourly & ~(~daily)"),
        [pair("double-negation", "~(~daily)")]
    );
    assert_eq!(
        warnings("~true & daily"),
        [pair("never-true", "~true & daily")]
    );
    assert_eq!(
        warnings("true | daily"),
        [pair("always-true", "true | daily")]
    );
    // Nothing folds: no warning.
    assert!(warnings("~daily & hourly").is_empty());
    assert!(warnings("~(daily | hourly)").is_empty());
    assert!(warnings("true").is_empty());
}

/// The code and severity of each diagnostic of `text`.
fn severities(text: &str) -> Vec<(String, tminus::Severity)> {
    let s = Statement::parse(text).expect("parses");
    opt::lint(&s)
        .into_iter()
        .map(|d| (d.code, d.severity))
        .collect()
}

/// Cron fields are windows of the day, week and month too: a cron that fires only on
/// Mondays never meets `time of week on Tue`. A whole statement that can never be true
/// is an error; a clause of `|` that can never be true stays a warning; constants that
/// fold a statement are reported.
#[test]
fn never_true_statements_are_errors_and_cron_joins_the_proofs() {
    use tminus::Severity::{Error, Warning};
    let never = |code: &str| vec![(code.to_owned(), Error)];
    assert_eq!(
        severities("cron 0 0 * * 1 & time of week on Tue"),
        never("tminus::never-true")
    );
    assert_eq!(
        severities("cron 0 12 * * * & time of day before 10:00"),
        never("tminus::never-true")
    );
    assert_eq!(severities("~true & daily"), never("tminus::never-true"));
    assert_eq!(severities("cron 0 0 30 2 *"), never("tminus::cron-never"));
    assert_eq!(
        severities("(cron 0 0 * * 1 & time of week on Tue) | daily"),
        vec![("tminus::never-true-clause".to_owned(), Warning)]
    );
    assert_eq!(
        severities("~false | daily"),
        vec![("tminus::always-true".to_owned(), Warning)]
    );
    assert!(severities("cron 0 0 * * 1 & time of week on Mon").is_empty());
    assert!(severities("cron 0 0 1 * 2 & time of week on Mon").is_empty());
    let week = TimeDelta::days(3660);
    for text in ["cron 0 0 * * 1 & time of week on Tue", "~true & daily"] {
        let s = Statement::parse(text).expect("parses").schedule();
        let next = s.next_window(week_start(), week, chrono_tz::UTC, &MemoryHistory::new());
        assert_eq!(next, tminus::Next::Never, "{text}");
    }
}

/// Each row of the optimizer's table in `docs/diagnostics.md` names a statement that
/// triggers its code: the docs cannot promise a warning the optimizer does not give.
#[test]
fn each_documented_optimizer_example_gives_its_code() {
    let docs = include_str!("../docs/diagnostics.md");
    let table = docs
        .split("### From the optimizer")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the optimizer's section");
    let mut checked = 0;
    for row in table.lines().filter(|l| l.starts_with("| `tminus::")) {
        let cells: Vec<String> = row
            .trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().replace("\\|", "|"))
            .collect();
        let code = cells[0].trim_matches('`');
        let example = cells[1].trim_matches('`');
        let s = Statement::parse(example).unwrap_or_else(|e| panic!("{example}: {e:?}"));
        let codes: Vec<String> = opt::lint(&s).into_iter().map(|d| d.code).collect();
        assert!(
            codes.iter().any(|c| c == code),
            "{example:?} gives {codes:?}, not {code}"
        );
        checked += 1;
    }
    assert_eq!(checked, 7, "the table's rows");
}
