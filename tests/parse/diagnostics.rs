//! Every error code is triggered by the statement its documentation names, and the
//! rendered diagnostics are kept as golden files (`tests/parse/snapshots/`).

use tminus::cron::CronErrorKind;
use tminus::{render, Diagnostic, ErrorKind, ParseOptions, RenderOptions, Statement};

/// One statement per error kind: the one its doc comment names.
const BY_KIND: &[(ErrorKind, &str)] = &[
    (ErrorKind::Syntax, "daily betwen 10:00 and 12:00"),
    (ErrorKind::Empty, "   "),
    (ErrorKind::UnbalancedParen, "(true"),
    (ErrorKind::NestingLimit, "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((true))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))"),
    (ErrorKind::InvalidChar, "true\0"),
    (ErrorKind::UnknownPhrase, "is business day"),
    (ErrorKind::BadTime, "daily between 25:00 and 26:00"),
    (ErrorKind::BareNumber, "daily after 10"),
    (ErrorKind::OutOfRange, "monthly on 32nd"),
    (ErrorKind::UnknownWeekday, "weekly on Funday"),
    (ErrorKind::WrongLiteral, "weekly between 1 and 5"),
    (ErrorKind::RangeNotAllowed, "time of day on 10:00"),
    (ErrorKind::UnknownUnit, "every 10 minuts"),
    (ErrorKind::BadDuration, "every 0 seconds"),
    (ErrorKind::BadName, "after task 'a&b'"),
    (ErrorKind::BadNumber, "scheduler has 99999999999999999999 cycles"),
    (ErrorKind::Cron(CronErrorKind::OutOfRange), "cron 61 * * * *"),
    (ErrorKind::Cron(CronErrorKind::FieldCount), "cron * * *"),
    (ErrorKind::Cron(CronErrorKind::BadRange), "cron 0 0 * * 5-1"),
    (ErrorKind::Cron(CronErrorKind::BadStep), "cron */0 * * * *"),
    (ErrorKind::Cron(CronErrorKind::UnknownName), "cron 0 0 * * MNO"),
    (ErrorKind::Cron(CronErrorKind::Syntax), "cron 0 0 1-* * *"),
    (ErrorKind::Cron(CronErrorKind::Unsupported), "cron L * * * *"),
];

fn first_error(text: &str) -> tminus::Error {
    match Statement::parse(text) {
        Ok(s) => panic!("{text:?} parsed as {s}"),
        Err(e) => e.errors()[0].clone(),
    }
}

#[test]
fn each_kind_has_its_example() {
    for (kind, text) in BY_KIND {
        assert_eq!(first_error(text).kind(), *kind, "{text:?}");
    }
    let too_long = "true & ".repeat(20_000) + "true";
    assert_eq!(first_error(&too_long).kind(), ErrorKind::TooLong);
    let bytes = Statement::parse_bytes(b"daily \xff", &ParseOptions::new()).unwrap_err();
    assert_eq!(bytes.errors()[0].kind(), ErrorKind::InvalidUtf8);
}

#[test]
fn codes_are_unique_and_documented() {
    let docs = include_str!("../../docs/diagnostics.md");
    let mut codes: Vec<&str> = BY_KIND.iter().map(|(k, _)| k.code()).collect();
    codes.extend([ErrorKind::TooLong.code(), ErrorKind::InvalidUtf8.code()]);
    for code in &codes {
        assert!(
            docs.contains(&format!("`{code}`")),
            "{code} is not in docs/diagnostics.md"
        );
    }
    codes.sort_unstable();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate codes");
}

/// The help line of the first error.
fn help(text: &str) -> String {
    first_error(text).help().unwrap_or("").to_owned()
}

#[test]
fn misspellings_get_a_suggestion() {
    assert_eq!(help("dialy"), "did you mean `daily`?");
    assert_eq!(help("every 10 minuts"), "did you mean `minutes`?");
    assert_eq!(help("weekly on wendesday"), "did you mean `wednesday`?");
    assert_eq!(
        help("daily betwen 10:00 and 12:00"),
        "did you mean `between`?"
    );
    assert_eq!(
        help("time of days between 10:00 and 12:00"),
        "did you mean `day`?"
    );
    assert_eq!(help("has succeded today"), "did you mean `succeeded`?");
    assert_eq!(help("Daily"), "keywords are lower case: write `daily`");
    assert_eq!(
        help("every 10 Minutes"),
        "units are lower case: write `minutes`"
    );
    assert_eq!(
        help("every 1 week"),
        "durations have no weeks: write `7 days`"
    );
}

#[test]
fn errors_point_at_the_smallest_piece() {
    let span = |text: &str| {
        let e = first_error(text);
        text[e.span().start..e.span().end].to_owned()
    };
    assert_eq!(span("daily between 10:00 and 25:00"), "25");
    assert_eq!(span("every 1 hour 30 minuts"), "minuts");
    assert_eq!(span("true & (false"), "(");
    assert_eq!(span("true)"), ")");
    assert_eq!(span("weekly on Funday 10:00"), "Funday");
    assert_eq!(span("cron 0 0 * * 8"), "8");
    assert_eq!(span("daily  between 10:00 and 12:00"), " ");
}

#[test]
fn all_errors_of_a_statement_are_reported() {
    let e = Statement::parse("daily between 25:00 and 26:00 & every 10 minuts").unwrap_err();
    let kinds: Vec<_> = e.errors().iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        [
            ErrorKind::BadTime,
            ErrorKind::BadTime,
            ErrorKind::UnknownUnit
        ]
    );
}

#[test]
fn warnings_leave_the_statement_valid() {
    let s = Statement::parse("monthly between 1th and 2st & after task \"a\"").unwrap();
    let codes: Vec<&str> = s.warnings().iter().map(|w| w.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "tminus::ordinal-suffix",
            "tminus::ordinal-suffix",
            "tminus::double-quoted-name"
        ]
    );
}

fn rendered(text: &str) -> String {
    let mut out = Vec::new();
    let errors = Statement::parse(text).unwrap_err();
    for e in errors.errors() {
        render(
            &Diagnostic::from(e),
            text,
            "<statement>",
            RenderOptions::default(),
            &mut out,
        )
        .unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn golden_renderings() {
    let cases = [
        ("misspelled_cycle", "dialy between 10:00 and 12:00"),
        ("misspelled_keyword", "daily betwen 10:00 and 12:00"),
        ("misspelled_unit", "every 1 hour 30 minuts"),
        ("misspelled_weekday", "time of week on wendesday"),
        ("bare_number", "daily between 10 and 12"),
        ("hour_out_of_range", "daily between 10:00 and 25:00"),
        ("unmatched_open", "daily & (every 10 minutes | hourly"),
        ("unmatched_close", "daily & every 10 minutes)"),
        ("double_space", "daily  between 10:00 and 12:00"),
        ("missing_operator", "(true)(false)"),
        ("english_operator", "daily and hourly"),
        ("unknown_phrase", "daily & is business day"),
        ("cron_out_of_range", "cron 61 * * * *"),
        ("name_with_operator", "after task 'a&b'"),
        ("quote_in_name", "after task 'it's'"),
        ("daily_at", "daily at 10:00"),
        ("negative_duration", "every -10 minutes"),
        ("dangling_operator", "daily &"),
    ];
    for (name, text) in cases {
        insta::assert_snapshot!(name, rendered(text), text);
    }
}

/// The warnings of a valid statement, parser's and optimizer's, as `tminus lint` draws them.
fn rendered_warnings(text: &str) -> String {
    let s = Statement::parse(text).expect("parses");
    let mut out = Vec::new();
    for d in tminus::opt::lint(&s) {
        render(&d, text, "<statement>", RenderOptions::default(), &mut out).unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn golden_renderings_of_constant_folds() {
    let cases = [
        ("fold_true_in_all", "~false & daily"),
        ("fold_false_in_any", "daily | (false & hourly)"),
        ("fold_double_negation", "~~daily"),
        ("fold_whole_statement_never", "~true & daily"),
    ];
    for (name, text) in cases {
        insta::assert_snapshot!(name, rendered_warnings(text), text);
    }
}
