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
