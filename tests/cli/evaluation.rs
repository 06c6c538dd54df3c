//! The evaluation commands (`eval`, `next`, `explain`) and `fmt`, run as a user runs them.

use crate::support::cli::{stdout, tminus};

#[test]
fn eval_prints_the_truth_and_exits_accordingly() {
    let t = tminus(
        &[
            "eval",
            "time of day after 10:00",
            "--at",
            "2024-03-11T10:30",
            "--tz",
            "UTC",
        ],
        b"",
    );
    assert_eq!((stdout(&t).trim(), t.status.code()), ("true", Some(0)));
    let f = tminus(
        &[
            "eval",
            "time of day after 10:00",
            "--at",
            "2024-03-11T08:30:00+00:00",
        ],
        b"",
    );
    assert_eq!((stdout(&f).trim(), f.status.code()), ("false", Some(1)));
    let bad_zone = tminus(&["eval", "daily", "--tz", "Mars/Olympus"], b"");
    assert_eq!(bad_zone.status.code(), Some(2));
}

#[test]
fn eval_jsonl_follows_the_oracle_format() {
    let input = concat!(
        r#"{"cond": "every 10 minutes", "now": "2024-03-11T09:05:00", "history": [{"action": "run", "at": "2024-03-11T09:03:00"}]}"#,
        "\n",
        r#"{"cond": "daily", "now": "2024-03-11T10:00:00", "tz": "Europe/Helsinki", "history": [{"task": "t", "action": "success", "at": "2024-03-11T09:00:00"}]}"#,
        "\n",
        r#"{"cond": "dialy", "now": "2024-03-11T10:00:00"}"#,
        "\nnot json\n",
    );
    let out = tminus(&["eval", "--jsonl"], input.as_bytes());
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        (lines[0]["value"].as_bool(), lines[0]["parsed"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(lines[1]["value"], false);
    assert_eq!(
        (lines[2]["parsed"].as_bool(), lines[2]["value"].is_null()),
        (Some(false), true)
    );
    assert!(lines[3]["error"]
        .as_str()
        .unwrap_or_default()
        .contains("not JSON"));
}

#[test]
fn next_lists_windows_or_says_why_not() {
    let out = tminus(
        &[
            "next",
            "daily between 10:00 and 12:00",
            "--after",
            "2024-03-11T08:00",
            "--tz",
            "Europe/Helsinki",
            "--count",
            "2",
        ],
        b"",
    );
    assert_eq!(stdout(&out), "2024-03-11T10:00:00+02:00 .. 2024-03-11T12:00:00+02:00\n2024-03-12T10:00:00+02:00 .. 2024-03-12T12:00:00+02:00\n");
    let never = tminus(&["next", "cron 0 0 30 2 *"], b"");
    assert!(stdout(&never).starts_with("never"));
    let waits = tminus(&["next", "after task 'a'", "--format", "json"], b"");
    let v: serde_json::Value = serde_json::from_slice(&waits.stdout).unwrap();
    assert_eq!(v["waits_on"][0]["task"], "a");
    let horizon = tminus(
        &[
            "next",
            "cron 0 0 29 2 *",
            "--after",
            "2025-03-01T00:00:00Z",
            "--horizon",
            "9d",
        ],
        b"",
    );
    assert_eq!(stdout(&horizon).trim(), "not within 9d");
}

#[test]
fn next_jsonl_gives_windows_never_and_waits_on() {
    let input = concat!(
        r#"{"cond": "time of day between 10:00 and 12:00", "now": "2024-03-11T09:00:00"}"#,
        "\n",
        r#"{"cond": "time of day before 10:00 & time of day after 12:00", "now": "2024-03-11T09:00:00"}"#,
        "\n",
    );
    let out = tminus(
        &["next", "--jsonl", "--count", "2", "--horizon", "3 days"],
        input.as_bytes(),
    );
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["windows"][1]["start"], "2024-03-12T10:00:00Z");
    assert_eq!(lines[0]["windows"][1]["end"], "2024-03-12T12:00:00Z");
    assert_eq!(lines[1]["never"], true);
}

#[test]
fn explain_and_fmt() {
    let out = tminus(
        &[
            "explain",
            "daily & time of day after 10:00",
            "--at",
            "2024-03-11T09:00",
            "--tz",
            "UTC",
        ],
        b"",
    );
    let text = stdout(&out);
    assert!(
        text.contains("once a day") && text.contains("true from 2024-03-11T10:00:00Z"),
        "{text}"
    );
    let fmt = tminus(
        &["fmt", "time of day after 10:00 & daily", "every 1h 30min"],
        b"",
    );
    assert_eq!(
        stdout(&fmt),
        "time of day after 10:00 & daily\nevery 1 hour 30 minutes\n"
    );
    let sorted = tminus(&["fmt", "--sort", "time of day after 10:00 & daily"], b"");
    assert_eq!(stdout(&sorted), "daily & time of day after 10:00\n");
    let simple = tminus(
        &[
            "fmt",
            "--simplify",
            "time of day between 10:00 and 12:00 & time of day after 11:00",
        ],
        b"",
    );
    assert_eq!(stdout(&simple), "time of day between 11:00 and 12:00\n");
}

/// Statements written loosely: abbreviations, extra spaces around operators, groups,
/// several operands whose written order is not the sorted one.
const LOOSE: [&str; 6] = [
    "time of day after 10am   &  daily",
    "every 1h 30min",
    "(weekly on Fri | daily between 10:00 and 12:00) & ~task 'b' is running & after tasks 'z', 'a'",
    "time of week on mon | time of week on Sun 10:00",
    "cron 0 */2 * * 1-5 & has failed today",
    "~(daily | hourly) & true",
];

/// `fmt` prints what `parse` prints, keeping the written order; with `--sort` the operands
/// are sorted. Both are fixed points: fmt on its own output, with the same flags, changes
/// nothing.
#[test]
fn fmt_is_the_canonical_form_and_a_fixed_point() {
    for statement in LOOSE {
        let parsed = stdout(&tminus(&["parse", statement], b""));
        let formatted = stdout(&tminus(&["fmt", statement], b""));
        assert_eq!(formatted, parsed, "fmt and parse differ on {statement:?}");
        for flags in [
            &[][..],
            &["--sort"],
            &["--simplify"],
            &["--sort", "--simplify"],
        ] {
            let once = stdout(&tminus(&[&["fmt"], flags, &[statement]].concat(), b""));
            let line = once.trim_end();
            let twice = stdout(&tminus(&[&["fmt"], flags, &[line]].concat(), b""));
            assert_eq!(twice, once, "fmt {flags:?} moved {statement:?} again");
        }
    }
    let first = stdout(&tminus(&["fmt", LOOSE[0]], b""));
    assert_eq!(first, "time of day after 10:00 & daily\n");
    let sorted = stdout(&tminus(&["fmt", "--sort", LOOSE[2]], b""));
    assert_eq!(
        sorted,
        "after task 'a' succeeded & after task 'z' succeeded & \
         (daily between 10:00 and 12:00 | weekly on Fri) & ~task 'b' is running\n"
    );
}

#[test]
fn next_says_when_awaited_events_would_count() {
    let out = tminus(
        &[
            "next",
            "after task 'extract' & daily between 10:00 and 12:00",
            "--after",
            "2024-03-11T13:00:00Z",
            "--tz",
            "UTC",
            "--format",
            "json",
        ],
        b"",
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["waits_on"][0]["task"], "extract");
    assert_eq!(v["waits_on_windows"][0]["start"], "2024-03-12T10:00:00Z");
    assert_eq!(v["waits_on_windows"][0]["end"], "2024-03-12T12:00:00Z");
}
