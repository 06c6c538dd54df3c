//! What every command that reads a statement has in common: errors drawn as `parse` draws
//! them with exit code 1, `--cond`, `--dst`, the exit-code table in `--help`, and instants
//! written to the second in human output.

use crate::support::cli::{stdout, tminus};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const COMMANDS: [&str; 6] = ["parse", "eval", "next", "explain", "timeline", "fmt"];

#[test]
fn statement_errors_are_drawn_alike_and_exit_1() {
    for command in COMMANDS {
        let out = tminus(&[command, "dialy"], b"");
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("[tminus::unknown-phrase]"), "{command}: {err}");
        assert!(err.contains("did you mean `daily`?"), "{command}: {err}");
        assert!(stdout(&out).is_empty(), "{command}: {}", stdout(&out));
    }
}

#[test]
fn every_command_that_reads_a_statement_takes_cond() {
    for command in COMMANDS {
        let out = tminus(
            &[command, "disk is full & daily", "--cond", "disk is full"],
            b"",
        );
        assert_ne!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("unknown-phrase"),
            "{command}: {}",
            stderr(&out)
        );
    }
    let repl = tminus(
        &["repl", "--cond", "disk is full"],
        b"disk is full & daily\n",
    );
    assert!(
        !stdout(&repl).contains("unknown-phrase"),
        "{}",
        stdout(&repl)
    );
}

#[test]
fn an_unknown_phrase_is_told_to_use_the_flag() {
    let out = tminus(&["next", "disk is full"], b"");
    let err = stderr(&out);
    assert!(err.contains("--cond 'disk is full'"), "{err}");
    assert!(!err.contains("ParseOptions"), "{err}");
}

/// `cron 30 2 * * *` on New York's spring-forward day: skipped by default, at the end of
/// the gap with `--dst forward`.
#[test]
fn dst_selects_the_gap_policy() {
    let next = |policy: &str| {
        let args = [
            "next",
            "cron 30 2 * * *",
            "--tz",
            "America/New_York",
            "--after",
            "2024-03-10T00:00",
            "--dst",
            policy,
        ];
        stdout(&tminus(&args, b""))
    };
    assert!(
        next("skip").starts_with("2024-03-11T02:30:00-04:00"),
        "{}",
        next("skip")
    );
    assert!(
        next("forward").starts_with("2024-03-10T03:00:00-04:00"),
        "{}",
        next("forward")
    );
    let zone = ["--tz", "America/New_York", "--dst"];
    let explain = |policy: &str| {
        let at = ["--at", "2024-03-10T00:00"];
        let args = [&["explain", "cron 30 2 * * *"][..], &zone, &[policy], &at].concat();
        stdout(&tminus(&args, b""))
    };
    assert!(
        explain("skip").contains("next: true from 2024-03-11T02:30:00-04:00"),
        "{}",
        explain("skip")
    );
    assert!(
        explain("forward").contains("next: true from 2024-03-10T03:00:00-04:00"),
        "{}",
        explain("forward")
    );
    let eval = |policy: &str| {
        let at = ["--at", "2024-03-10T03:00:30"];
        let args = [&["eval", "cron 30 2 * * *"][..], &zone, &[policy], &at].concat();
        stdout(&tminus(&args, b""))
    };
    assert_eq!(
        (eval("skip"), eval("forward")),
        ("false\n".into(), "true\n".into())
    );
    let repl = |policy: &str| {
        let input = ":at 2024-03-10T00:00\ncron 30 2 * * *\n:explain\n";
        let args = [&["repl"][..], &zone, &[policy]].concat();
        stdout(&tminus(&args, input.as_bytes()))
    };
    let forward = repl("forward");
    assert!(
        forward.contains("2024-03-10T03:00:00-04:00 .. 2024-03-10T03:01:00-04:00")
            && forward.contains("next: true from 2024-03-10T03:00:00-04:00"),
        "{forward}"
    );
}

#[test]
fn help_has_the_exit_codes_and_no_missing_flags() {
    let help = stdout(&tminus(&["--help"], b""));
    assert!(help.contains("Exit codes"), "{help}");
    for command in ["explain", "timeline", "repl"] {
        let help = stdout(&tminus(&[command, "--help"], b""));
        assert!(!help.contains("--jsonl"), "{command}: {help}");
        assert!(help.contains("--cond"), "{command}: {help}");
    }
}

#[test]
fn messages_count_and_spell_as_people_do() {
    let one = stdout(&tminus(&["lint", "-e", "daily"], b""));
    assert!(
        one.contains("1 statement checked: 0 errors, 0 warnings"),
        "{one}"
    );
    let weeks = stderr(&tminus(&["next", "every 2 weeks"], b""));
    assert!(weeks.contains("write `14 days`"), "{weeks}");
    let zero = tminus(&["next", "daily", "--count", "0"], b"");
    assert_eq!(zero.status.code(), Some(2), "{}", stdout(&zero));
    let open = stdout(&tminus(
        &["next", "true", "--after", "2024-03-11T10:00Z"],
        b"",
    ));
    assert!(!open.contains("task event"), "{open}");
}

#[test]
fn repl_commands_without_their_colon_are_suggested() {
    let out = stdout(&tminus(&["repl"], b"help\nquit\nexit\n:now\n"));
    assert!(out.contains("did you mean `:help`?"), "{out}");
    assert_eq!(out.matches("did you mean `:quit`?").count(), 2, "{out}");
    let now = out
        .lines()
        .find(|l| l.contains("now 2"))
        .unwrap_or_default();
    assert!(!now.contains('.'), "seconds only: {now}");
}

/// The instants in `text` (`YYYY-MM-DDTHH:MM:SS...`) that carry a fraction of a second.
fn fractions(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let is_stamp = |i: usize| {
        let shape = b"dddd-dd-ddTdd:dd:dd";
        i + shape.len() <= bytes.len()
            && shape.iter().zip(&bytes[i..]).all(|(s, b)| match s {
                b'd' => b.is_ascii_digit(),
                s => s == b,
            })
    };
    (0..bytes.len())
        .filter(|&i| is_stamp(i) && bytes.get(i + 19) == Some(&b'.'))
        .map(|i| text[i..].split_whitespace().next().unwrap_or("").to_owned())
        .collect()
}

/// Human output writes instants to the second: "now" read from the clock, task-log records
/// and the REPL's recorded events have no fraction; a window boundary inside a second
/// keeps its fraction.
#[test]
fn human_instants_are_whole_seconds_unless_the_fraction_matters() {
    let log = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("human-instants.csv");
    // 2024-03-11T10:00:00.123456Z and 10:05:00.654321Z.
    let csv = "task_name,action,created\nextract,run,1710151200.123456\n\
               extract,success,1710151500.654321\n";
    std::fs::write(&log, csv).unwrap();
    let log = log.to_str().unwrap();
    let log_url = format!("csv:{log}");
    let utc = ["--tz", "UTC"];
    let always = "time of day after 00:00";
    let runs: Vec<Vec<&str>> = vec![
        [&["next", always][..], &utc].concat(),
        [&["explain", always][..], &utc].concat(),
        [&["timeline", always, "--days", "1"][..], &utc].concat(),
        [
            &["explain", "after task 'extract'", "--history", log][..],
            &utc,
        ]
        .concat(),
        vec!["log", "--log", &log_url, "--tz", "UTC"],
    ];
    for args in &runs {
        let out = stdout(&tminus(args, b""));
        assert!(out.contains("T"), "{args:?}: {out}");
        assert_eq!(fractions(&out), Vec::<String>::new(), "{args:?}: {out}");
    }
    let repl = stdout(&tminus(
        &["repl", "--tz", "UTC", "--history", log],
        format!("{always}\n:run load\n:history\n:now\n:explain\n").as_bytes(),
    ));
    assert!(repl.contains("recorded: task 'load' run at"), "{repl}");
    assert_eq!(fractions(&repl), Vec::<String>::new(), "{repl}");
    let inside = stdout(&tminus(
        &[
            &[
                "next",
                "time of minute between 10.5 and 20",
                "--after",
                "2024-03-11T10:00Z",
            ][..],
            &utc,
        ]
        .concat(),
        b"",
    ));
    assert!(
        inside.starts_with("2024-03-11T10:00:10.500Z .."),
        "{inside}"
    );
}
