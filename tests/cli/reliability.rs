//! Bad input through every command: each test reproduces a defect found by the reliability
//! sweep of issue 15 (files that are not UTF-8, byte-order marks, CR-only line endings,
//! histories that are empty, directories or recursive views, repeated hours at the horizon).

use crate::support::cli::{stdout, tminus, tminus_in};
use std::path::Path;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tminus-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn lint_file(dir: &Path, name: &str, bytes: &[u8], format: &str) -> std::process::Output {
    std::fs::write(dir.join(name), bytes).expect("write");
    tminus_in(Some(dir), &["lint", "--format", format, name], b"")
}

#[test]
fn lint_renders_a_line_that_is_not_utf8_in_every_format() {
    let dir = temp_dir("utf8");
    let bytes = b"daily\ndialy \xff\xfe after x\n\xc3\n";
    for format in ["text", "json", "sarif", "github"] {
        let out = lint_file(&dir, "bad.txt", bytes, format);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert!(stdout(&out).contains("UTF-8"), "{format}: {}", stdout(&out));
    }
}

#[test]
fn a_byte_order_mark_starts_a_statement_file_harmlessly() {
    let dir = temp_dir("bom");
    let out = lint_file(&dir, "bom.txt", b"\xef\xbb\xbfdaily\nweekly\n", "text");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let json = lint_file(&dir, "bom2.txt", b"\xef\xbb\xbfdialy\n", "json");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["column"], 1, "{v}");
    assert_eq!(v["diagnostics"][0]["statement"], "dialy", "{v}");
}

/// Lines end at `\n`, `\r\n` or a lone `\r`, the same in every format.
#[test]
fn cr_only_line_endings_number_lines_alike_in_text_and_json() {
    let dir = temp_dir("cr");
    let bytes = b"daily\rdialy\rweekly\r";
    let json = lint_file(&dir, "cr.txt", bytes, "json");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["statements"], 3, "{v}");
    let d = &v["diagnostics"][0];
    assert_eq!(
        (&d["line"], &d["column"], &d["statement"]),
        (&2.into(), &1.into(), &"dialy".into()),
        "{v}"
    );
    let text = lint_file(&dir, "cr.txt", bytes, "text");
    assert!(stdout(&text).contains("cr.txt:2:1"), "{}", stdout(&text));
}

/// Havana's clock falls back from 01:00 to 00:00 on Sunday 2024-11-03: `cron 30 0 * * 0`
/// matches twice that night although its next wall-clock match is a week later, after the
/// horizon.
#[test]
fn a_weekly_cron_keeps_both_passes_of_a_repeated_hour_at_the_horizon() {
    let out = tminus(
        &[
            "next",
            "cron 30 0 * * 0",
            "--after",
            "2024-11-02T03:00Z",
            "--tz",
            "America/Havana",
            "--count",
            "2",
            "--horizon",
            "52h",
        ],
        b"",
    );
    let text = stdout(&out);
    let starts: Vec<&str> = text.lines().filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(
        starts,
        ["2024-11-03T00:30:00-04:00", "2024-11-03T00:30:00-05:00"],
        "{text}{}",
        stderr(&out)
    );
}

/// Without history `~daily` can only turn true when the task finishes: the answer says so,
/// as it does for `~every 10 minutes`, instead of searching the whole horizon.
#[test]
fn negated_periods_without_history_say_what_they_wait_on() {
    for statement in ["~daily", "~hourly", "~monthly"] {
        let out = tminus(&["next", statement, "--after", "2024-03-11T10:00Z"], b"");
        let text = stdout(&out);
        assert!(
            text.starts_with("waits on: task 't' records"),
            "{statement}: {text}"
        );
    }
}

/// A JSON Lines case whose `tz` is not a string is an error on its line, not UTC.
#[test]
fn jsonl_cases_with_a_tz_that_is_not_a_string_are_errors() {
    for command in ["eval", "next"] {
        let input = br#"{"cond": "daily", "now": "2024-03-11T10:00:00", "tz": 5}"#;
        let out = tminus(&[command, "--jsonl"], input);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
        let error = v["error"].as_str().unwrap_or_default();
        assert!(error.contains("\"tz\""), "{command}: {v}");
    }
}

/// A history file that does not exist is named.
#[test]
fn a_missing_history_file_is_named() {
    let out = tminus(&["next", "daily", "--history", "no/such/log.jsonl"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no/such/log.jsonl"),
        "{}",
        stderr(&out)
    );
}
