//! The zone of civil times as `date` finds it (`--tz`, then `TZ`, then the system's), and
//! unknown zone names refused with the nearest IANA name.

use crate::support::cli::{stdout, tminus_tz};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const AFTER: [&str; 4] = [
    "next",
    "time of day after 10:00",
    "--after",
    "2024-03-11T00:00Z",
];

fn next_with(tz: Option<&str>, extra: &[&str]) -> std::process::Output {
    let args: Vec<&str> = AFTER.iter().chain(extra).copied().collect();
    tminus_tz(tz, &args)
}

#[test]
fn tz_environment_variable_sets_the_zone() {
    for tz in [
        "Europe/Helsinki",
        ":Europe/Helsinki",
        "/usr/share/zoneinfo/Europe/Helsinki",
    ] {
        let out = next_with(Some(tz), &[]);
        assert!(
            stdout(&out).starts_with("2024-03-11T10:00:00+02:00"),
            "TZ={tz}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
}

#[test]
fn the_tz_flag_wins_over_the_environment() {
    let args = [
        "next",
        "time of day after 10:00",
        "--after",
        "2024-03-11T12:00Z",
    ];
    let args: Vec<&str> = args
        .iter()
        .chain(&["--tz", "America/New_York"])
        .copied()
        .collect();
    let out = tminus_tz(Some("Europe/Helsinki"), &args);
    assert!(
        stdout(&out).starts_with("2024-03-11T10:00:00-04:00"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_unknown_tz_in_the_environment_is_an_error() {
    let out = next_with(Some("Bogus/Zone"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("TZ"), "{}", stderr(&out));
    assert!(stderr(&out).contains("Bogus/Zone"), "{}", stderr(&out));
}

#[test]
fn unknown_zones_suggest_the_canonical_spelling() {
    let cases = [
        ("est", "EST"),
        ("europe/helsinki", "Europe/Helsinki"),
        ("Europe/Helsinky", "Europe/Helsinki"),
        ("America/New_Yrok", "America/New_York"),
    ];
    for (given, meant) in cases {
        let out = next_with(None, &["--tz", given]);
        assert_eq!(out.status.code(), Some(2), "{given}");
        let expected = format!("did you mean `{meant}`?");
        assert!(
            stderr(&out).contains(&expected),
            "{given}: {}",
            stderr(&out)
        );
    }
}

/// A tasks file in the test's temporary directory.
fn tasks_file(name: &str, text: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// `run` and `serve --tasks` give the same did-you-mean for a zone in `--tz`, in `TZ` and in
/// the file's `[scheduler] timezone`, and refuse to start (nothing runs).
#[test]
fn run_and_serve_suggest_zones_too() {
    let task = "[tasks.a]\ncommand = \"true\"\nstart_cond = \"daily\"\n";
    let plain = tasks_file("zones-plain.toml", task);
    let zoned = tasks_file(
        "zones-zoned.toml",
        &format!("[scheduler]\ntimezone = \"europe/helsinki\"\n\n{task}"),
    );
    let bind = ["--bind", "127.0.0.1:0"];
    let cases: [(Option<&str>, Vec<&str>, u8); 5] = [
        (None, vec!["run", &plain, "--tz", "europe/helsinki"], 2),
        (Some("Europe/Helsinky"), vec!["run", &plain], 2),
        (None, vec!["run", &zoned], 1),
        (
            Some("Europe/Helsinky"),
            [&["serve", "--tasks", &plain][..], &bind].concat(),
            2,
        ),
        (None, [&["serve", "--tasks", &zoned][..], &bind].concat(), 1),
    ];
    for (tz, args, code) in cases {
        let out = tminus_tz(tz, &args);
        assert_eq!(out.status.code(), Some(code.into()), "{tz:?} {args:?}");
        assert!(
            stderr(&out).contains("did you mean `Europe/Helsinki`?"),
            "{tz:?} {args:?}: {}",
            stderr(&out)
        );
    }
}

/// `--tz` wins over `TZ`, so a bad `TZ` does not matter when `--tz` is given: here the
/// file's own error is what `run` reports.
#[test]
fn run_with_tz_does_not_read_the_environment() {
    let broken = tasks_file(
        "zones-broken.toml",
        "[tasks.a]\ncommand = \"true\"\nstart_cond = \"dialy\"\n",
    );
    let out = tminus_tz(Some("Bogus/Zone"), &["run", &broken, "--tz", "UTC"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("TZ"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("did you mean `daily`?"),
        "{}",
        stderr(&out)
    );
}
