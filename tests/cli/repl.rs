//! `tminus repl` and `tminus timeline`, run as a user runs them: the REPL fed by a pipe
//! (transcripts as snapshots, the clock frozen with `:at` so they repeat), timelines as
//! snapshots, and the REPL on a pseudo-terminal, typed at key by key.

use std::path::PathBuf;
use std::process::Output;

fn tminus(args: &[&str], stdin: &str) -> Output {
    crate::support::cli::tminus(args, stdin.as_bytes())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The REPL's transcript for `inputs`, one per line; it must exit 0 with nothing on stderr.
fn transcript(args: &[&str], inputs: &[&str]) -> String {
    let mut all = vec!["repl"];
    all.extend_from_slice(args);
    let out = tminus(&all, &(inputs.join("\n") + "\n"));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    text(&out.stdout)
}

#[test]
fn pipe_statement_truth_and_windows() {
    insta::assert_snapshot!(transcript(
        &["--tz", "Europe/Helsinki"],
        &[
            ":at 2024-03-11T10:30",
            "daily between 10:00 and 12:00",
            "time of week on Sat & time of day after 22:00",
            ":next 5",
            "after task 'extract'",
        ]
    ));
}

#[test]
fn pipe_history_commands_change_the_answer() {
    insta::assert_snapshot!(transcript(
        &["--tz", "UTC", "--task", "report"],
        &[
            ":at 2024-03-11T10:30",
            "daily after 10:00 & after task 'extract'",
            ":run extract at 2024-03-11T10:00",
            ":success extract at 10:10",
            ":next 2",
            ":run report",
            ":history",
            ":next 1",
            ":clear",
            ":history",
            ":task",
        ]
    ));
}

#[test]
fn pipe_diagnostics_and_warnings() {
    insta::assert_snapshot!(transcript(
        &["--tz", "UTC", "--at", "2024-03-11T10:30"],
        &[
            "every 10 minuts",
            "time of day before 10:00 & time of day after 11:00",
            ":fmt",
            ":frobnicate",
        ]
    ));
}

#[test]
fn pipe_multi_line_statement_and_commands_on_it() {
    insta::assert_snapshot!(transcript(
        &[],
        &[
            ":tz UTC",
            ":at 2024-03-11T10:30",
            "(time of day before 09:00 |",
            "  time of day after 17:00) &",
            "time of week between Mon and Fri",
            ":fmt",
            ":explain",
            ":timeline 2",
            ":quit",
            "daily",
        ]
    ));
}

#[test]
fn pipe_help_lists_every_command() {
    insta::assert_snapshot!(transcript(&[], &[":help"]));
}

#[test]
fn pipe_ends_at_eof_even_inside_a_statement() {
    let out = transcript(&["--tz", "UTC", "--at", "2024-03-11T10:30"], &["(daily |"]);
    assert!(out.starts_with("> (daily |\n"), "{out}");
    assert!(out.contains("Error"), "{out}");
}

#[test]
fn timeline_working_hours() {
    let out = tminus(
        &[
            "timeline",
            "time of week between Mon and Fri & time of day between 09:00 and 17:30",
            "--tz",
            "Europe/Helsinki",
            "--after",
            "2024-03-08T12:15",
            "--days",
            "4",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn timeline_across_spring_forward() {
    // Europe/Helsinki skips 03:00-04:00 on 2024-03-31: its two cells last no time and are
    // drawn as the window around them; the row keeps 48 cells.
    let out = tminus(
        &[
            "timeline",
            "time of day between 02:00 and 05:00 | time of day between 12:00 and 12:01",
            "--tz",
            "Europe/Helsinki",
            "--after",
            "2024-03-30T00:00",
            "--days",
            "2",
        ],
        "",
    );
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn timeline_with_history_and_a_waiting_statement() {
    let history = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("repl-timeline-history.jsonl");
    std::fs::write(
        &history,
        "{\"task\": \"report\", \"action\": \"success\", \"at\": \"2024-03-11T09:00:00Z\"}\n",
    )
    .unwrap();
    let path = history.to_str().unwrap();
    let args = |s| {
        let common = ["--tz", "UTC", "--after", "2024-03-11T00:00", "--days", "2"];
        let mut a = vec!["timeline", s, "--task", "report", "--history", path];
        a.extend(common);
        tminus(&a, "")
    };
    let daily = args("daily between 08:00 and 10:00");
    insta::assert_snapshot!("timeline_daily_done_today", text(&daily.stdout));
    let waits = args("after task 'extract'");
    insta::assert_snapshot!("timeline_waits", text(&waits.stdout));
}

#[test]
fn timeline_reports_bad_input() {
    let bad = tminus(&["timeline", "dialy"], "");
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("did you mean `daily`?"));
    let days = tminus(&["timeline", "daily", "--days", "0"], "");
    assert_eq!(days.status.code(), Some(2));
    let zone = tminus(&["timeline", "daily", "--tz", "Mars/Olympus"], "");
    assert_eq!(zone.status.code(), Some(2));
}

/// The REPL on a pseudo-terminal, as a person types into it.
#[cfg(unix)]
mod terminal {
    use crate::support::pty::{history_file, next_prompt, press, repl};

    #[test]
    fn completion_history_and_diagnostics() {
        let history = history_file("repl-pty-history.txt");
        let mut first = repl(&history, false);
        // Tab completes `dai` to `daily`.
        press(&mut first, "dai\t");
        first.send_line(" after 10:00").unwrap();
        first.exp_string("true at 2024-03-11T10:30:00Z").unwrap();
        first
            .exp_string("2024-03-12T10:00:00Z .. 2024-03-13T00:00:00Z")
            .unwrap();
        next_prompt(&mut first);
        first.send_line("every 10 minuts").unwrap();
        first.exp_string("did you mean `minutes`?").unwrap();
        next_prompt(&mut first);
        first.send_control('d').unwrap();
        first.exp_eof().unwrap();

        let lines = std::fs::read_to_string(&history).unwrap();
        assert!(lines.contains("daily after 10:00"), "{lines}");

        let mut second = repl(&history, false);
        // Up recalls the last line of the first run.
        press(&mut second, "\x1b[A");
        second.send_line("").unwrap();
        second.exp_string("did you mean `minutes`?").unwrap();
        next_prompt(&mut second);
        // Ctrl-R finds an older one.
        second.send_control('r').unwrap();
        press(&mut second, "after 10");
        second.exp_string("daily after 10:00").unwrap();
        second.send_line("").unwrap();
        second.exp_string("true at 2024-03-11T10:30:00Z").unwrap();
        next_prompt(&mut second);
        second.send_line(":quit").unwrap();
        second.exp_eof().unwrap();
    }

    /// Tab offers only what parses at the cursor, spelled as the parser reads it, and a
    /// word that needs more gets its space.
    #[test]
    fn completion_offers_only_what_parses_here() {
        let history = history_file("repl-pty-complete.txt");
        let mut s = repl(&history, false);
        // `bet` completes to `between ` with its space: typing on gives a good statement.
        press(&mut s, "daily bet\t");
        s.send_line("10:00 and 12:00").unwrap();
        s.exp_string("true at 2024-03-11T10:30:00Z").unwrap();
        next_prompt(&mut s);
        // Two Tabs list the candidates: weekday names only, with the capital typed.
        press(&mut s, "time of week on Mo\t\t");
        let (listed, _) = s.exp_regex("Monday[^\r\n]*\r?\n").unwrap();
        let listed = listed.rsplit('\n').next().unwrap_or_default().to_owned();
        assert!(listed.contains("Mon "), "{listed:?}");
        for wrong in ["Monthly", "monthly", "Ms", "ms", "More"] {
            assert!(!listed.contains(wrong), "{wrong} in {listed:?}");
        }
        // The line is drawn again under the list; then Ctrl-C drops it.
        s.exp_string("tminus> time of week on Mon").unwrap();
        s.send_control('c').unwrap();
        next_prompt(&mut s);
        // A capital on a keyword completes to the spelling that parses.
        press(&mut s, "Tr\t");
        s.send_line("").unwrap();
        s.exp_string("true at 2024-03-11T10:30:00Z").unwrap();
        next_prompt(&mut s);
        s.send_line(":quit").unwrap();
        s.exp_eof().unwrap();
    }

    /// A statement left unfinished (a `(` open, a trailing operator) continues on the next
    /// line after the continuation prompt, which lines up with the main one.
    #[test]
    fn unfinished_statements_continue_after_a_prompt() {
        let history = history_file("repl-pty-multiline.txt");
        let mut s = repl(&history, false);
        s.send_line("(time of day before 09:00 |").unwrap();
        s.exp_string("\n\r   ...> ").unwrap();
        // Completion on a continuation line sees the lines above (`af` is `after ` here).
        press(&mut s, "time of day af\t17:00");
        s.send_line(") &").unwrap();
        s.exp_string("\n\r   ...> ").unwrap();
        s.send_line("time of week between Mon and Fri").unwrap();
        s.exp_string("false at 2024-03-11T10:30:00Z").unwrap();
        s.exp_string("2024-03-11T17:00:00Z .. 2024-03-12T09:00:00Z")
            .unwrap();
        next_prompt(&mut s);
        // The history holds the statement as one entry: Up recalls all of it.
        press(&mut s, "\x1b[A");
        s.send_line("").unwrap();
        s.exp_string("2024-03-11T17:00:00Z .. 2024-03-12T09:00:00Z")
            .unwrap();
        next_prompt(&mut s);
        // Ctrl-C drops an unfinished statement: the next line starts a new one.
        s.send_line("(daily |").unwrap();
        s.exp_string("...> ").unwrap();
        s.send_control('c').unwrap();
        next_prompt(&mut s);
        s.send_line(":quit").unwrap();
        s.exp_eof().unwrap();
    }

    #[test]
    fn unknown_words_are_drawn_in_red_as_typed() {
        let history = history_file("repl-pty-color.txt");
        let mut s = repl(&history, true);
        press(&mut s, "dialy");
        s.exp_string("\x1b[1;31mdialy\x1b[0m").unwrap();
        press(&mut s, "\x15daily"); // Ctrl-U clears the line
        s.exp_string("\x1b[1;34mdaily\x1b[0m").unwrap();
        s.send_line("").unwrap();
        s.exp_string("true").unwrap();
        next_prompt(&mut s);
        s.send_control('d').unwrap();
        s.exp_eof().unwrap();
    }
}
