//! `tminus lint` and `tminus parse`, run as a user runs them.

use crate::support::cli::{stdout, tminus};

#[test]
fn lint_exit_codes() {
    assert_eq!(tminus(&["lint", "-e", "daily"], b"").status.code(), Some(0));
    let bad = tminus(&["lint", "-e", "daily", "-e", "every 10 minuts"], b"");
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stdout(&bad).contains("tminus::unknown-unit"),
        "{}",
        stdout(&bad)
    );
    assert!(stdout(&bad).contains("did you mean `minutes`?"));
    assert_eq!(
        tminus(&["lint", "no/such/file.txt"], b"").status.code(),
        Some(2)
    );
    assert_eq!(tminus(&["lint"], b"").status.code(), Some(2));
    assert_eq!(tminus(&["lint", "--bogus"], b"").status.code(), Some(2));
}

#[test]
fn lint_warnings_fail_only_when_denied() {
    let args = ["lint", "-e", "after task \"a\""];
    assert_eq!(tminus(&args, b"").status.code(), Some(0));
    let denied = tminus(&[&args[..], &["--deny", "warnings"]].concat(), b"");
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn lint_reads_files_with_comments_and_real_line_numbers() {
    let file = "# schedules\n\ndaily\nevery 10 minuts\n";
    let out = tminus(&["lint", "--format", "json", "-"], file.as_bytes());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["statements"], 2);
    let d = &doc["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(10))
    );
    assert_eq!(d["code"], "tminus::unknown-unit");
    let text = tminus(&["lint", "-"], file.as_bytes());
    assert!(stdout(&text).contains("<stdin>:4:10"), "{}", stdout(&text));
}

#[test]
fn lint_jsonl_answers_every_line_in_order() {
    let input =
        "{\"cond\": \"daily\"}\nnot json\n{\"cond\": \"every 10 minuts\"}\n{\"cond\": true}\n";
    let out = tminus(&["lint", "--jsonl"], input.as_bytes());
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        (lines[0]["parsed"].as_bool(), lines[0]["canonical"].as_str()),
        (Some(true), Some("daily"))
    );
    assert_eq!(lines[1]["diagnostics"][0]["code"], "tminus::input");
    let label = &lines[2]["diagnostics"][0]["labels"][0];
    assert_eq!(
        (label["start"].as_u64(), label["end"].as_u64()),
        (Some(9), Some(15))
    );
    assert_eq!(lines[3]["cond"], "true");
}

#[test]
fn parse_prints_canonical_text_and_json() {
    let out = tminus(&["parse", "daily between 10am and 2:00 pm"], b"");
    assert_eq!(stdout(&out).trim(), "daily between 10:00 and 14:00");
    let json = tminus(&["parse", "--format", "json", "~every 1h 30min"], b"");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["child"]["duration"]["micros"], 5_400_000_000_i64);
    let custom = tminus(
        &[
            "parse",
            "--cond",
            "is business day",
            "is business day & daily",
        ],
        b"",
    );
    assert_eq!(custom.status.code(), Some(0));
}
