//! Unit tests of the cron module: parsing and canonical text, matching and searching,
//! extensions, never-proofs, errors, and brute-force cross-checks against chrono.

use super::field::*;
use super::search::*;
use super::*;
use crate::civil::{days_in_month, DAY};
use chrono::NaiveDate;
use std::ops::Range;

fn expr(text: &str) -> CronExpr {
    CronExpr::parse(text).unwrap_or_else(|errors| panic!("{text:?} failed: {errors:#?}"))
}

fn dt(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .unwrap_or_else(|e| panic!("bad test time {text:?}: {e}"))
}

fn far() -> NaiveDateTime {
    dt("2200-01-01 00:00")
}

fn past() -> NaiveDateTime {
    dt("1800-01-01 00:00")
}

fn next(text: &str, from: &str) -> Option<NaiveDateTime> {
    expr(text).next_slot_from(dt(from), far())
}

fn prev(text: &str, at: &str) -> Option<NaiveDateTime> {
    expr(text).prev_slot_at_or_before(dt(at), past())
}

fn errors(text: &str) -> Vec<CronError> {
    match CronExpr::parse(text) {
        Ok(parsed) => panic!("{text:?} parsed as {parsed:?}"),
        Err(errors) => errors,
    }
}

fn one_error(text: &str) -> CronError {
    let errors = errors(text);
    assert_eq!(errors.len(), 1, "{text:?}: {errors:#?}");
    errors.into_iter().next().unwrap()
}

/// The matching days of March 2025 (1st = Saturday) at midnight.
fn days_in_march_2025(text: &str) -> Vec<u32> {
    let e = expr(text);
    (1..=31)
        .filter(|d| e.matches(dt(&format!("2025-03-{d:02} 00:00"))))
        .collect()
}

// --- parsing and canonical text -------------------------------------------------

#[test]
fn five_fields_parse_with_minute_slots() {
    let e = expr("0 */2 * * *");
    assert_eq!(e.text(), "0 */2 * * *");
    assert!(!e.has_seconds());
    assert_eq!(e.slot(), TimeDelta::minutes(1));
    assert!(e.matches(dt("2025-01-01 02:00")));
    assert!(!e.matches(dt("2025-01-01 03:00")));
}

#[test]
fn six_fields_parse_with_second_slots() {
    let e = expr("*/10 * * * * *");
    assert!(e.has_seconds());
    assert_eq!(e.slot(), TimeDelta::seconds(1));
    assert!(e.matches(dt("2025-01-01 02:03:20")));
    assert!(!e.matches(dt("2025-01-01 02:03:21")));
}

#[test]
fn names_are_upper_cased_in_the_text() {
    assert_eq!(
        expr("0 9 * jan-Mar mon-fri").text(),
        "0 9 * JAN-MAR MON-FRI"
    );
    assert_eq!(expr("0 0 lw * fril").text(), "0 0 LW * FRIL");
    assert_eq!(expr("0 0 15w * *").text(), "0 0 15W * *");
}

#[test]
fn text_round_trips_through_parse() {
    for text in [
        "0 */2 * * *",
        "*/10 5 * * * *",
        "0 9 * jan-mar mon-fri",
        "0 0 L * *",
        "0 0 1,15w,lw * ?",
        "0 0 ? * 5#3,fril",
        "@daily",
        "@ANNUALLY",
        "00 09 * * 07",
    ] {
        let e = expr(text);
        assert_eq!(expr(e.text()), e, "{text}");
    }
}

#[test]
fn display_and_from_str_use_the_canonical_text() {
    let e: CronExpr = "30 9 * * mon".parse().unwrap();
    assert_eq!(e.to_string(), "30 9 * * MON");
    assert!("61 * * * *".parse::<CronExpr>().is_err());
}

#[test]
fn values_lists_ranges_and_steps() {
    let e = expr("5-20/5,59 * * * *");
    let minutes: Vec<u32> = (0..60)
        .filter(|m| e.matches(dt(&format!("2025-01-01 00:{m:02}"))))
        .collect();
    assert_eq!(minutes, [5, 10, 15, 20, 59]);
}

#[test]
fn a_value_with_a_step_runs_to_the_end_of_the_field() {
    let e = expr("10/15 * * * *");
    let minutes: Vec<u32> = (0..60)
        .filter(|m| e.matches(dt(&format!("2025-01-01 00:{m:02}"))))
        .collect();
    assert_eq!(minutes, [10, 25, 40, 55]);
}

#[test]
fn steps_on_one_based_fields_start_at_one() {
    assert_eq!(days_in_march_2025("0 0 */10 * *"), [1, 11, 21, 31]);
    let e = expr("0 0 1 */3 *");
    let months: Vec<u32> = (1..=12)
        .filter(|m| e.matches(dt(&format!("2025-{m:02}-01 00:00"))))
        .collect();
    assert_eq!(months, [1, 4, 7, 10]);
}

#[test]
fn a_step_as_wide_as_the_field_is_allowed() {
    assert!(expr("*/60 * * * *").same_schedule(&expr("0 * * * *")));
    assert!(expr("0 0 * * */7").same_schedule(&expr("0 0 * * 0")));
}

#[test]
fn weekday_value_steps_skip_the_second_sunday() {
    assert!(expr("0 0 * * 1/2").same_schedule(&expr("0 0 * * 1,3,5")));
    assert!(expr("0 0 * * */2").same_schedule(&expr("0 0 * * 0,2,4,6")));
}

#[test]
fn sunday_is_both_zero_and_seven() {
    let zero = expr("0 12 * * 0");
    assert!(zero.same_schedule(&expr("0 12 * * 7")));
    assert!(zero.same_schedule(&expr("0 12 * * sun")));
    assert!(zero.matches(dt("2025-03-02 12:00")));
    assert!(expr("0 12 * * 7").matches(dt("2025-03-02 12:00")));
    assert!(!zero.same_schedule(&expr("0 12 * * 1")));
}

#[test]
fn weekday_names_in_ranges() {
    assert!(expr("0 0 * * MON-FRI").same_schedule(&expr("0 0 * * 1-5")));
    assert!(expr("0 0 * * fri-sun").same_schedule(&expr("0 0 * * 5,6,0")));
    assert!(expr("0 0 * * SUN-SUN").same_schedule(&expr("0 0 * * 0")));
    assert!(expr("0 0 * jan-mar *").same_schedule(&expr("0 0 * 1-3 *")));
}

#[test]
fn question_mark_is_a_star_in_the_day_fields() {
    assert!(expr("0 0 ? * MON").same_schedule(&expr("0 0 * * 1")));
    assert!(expr("0 0 1 * ?").same_schedule(&expr("0 0 1 * *")));
    assert_eq!(days_in_march_2025("0 0 ? * MON"), [3, 10, 17, 24, 31]);
}

#[test]
fn day_fields_combine_with_or_when_both_are_restricted() {
    assert_eq!(
        days_in_march_2025("0 0 1-7 * 1"),
        [1, 2, 3, 4, 5, 6, 7, 10, 17, 24, 31]
    );
    assert_eq!(days_in_march_2025("0 0 1-7 * *"), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(days_in_march_2025("0 0 * * 1"), [3, 10, 17, 24, 31]);
    assert_eq!(days_in_march_2025("0 0 15 * SUN"), [2, 9, 15, 16, 23, 30]);
}

#[test]
fn macros_expand_and_keep_their_name() {
    let cases = [
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
        ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
    ];
    for (name, expansion) in cases {
        let e = expr(name);
        assert_eq!(e.text(), name);
        assert!(e.same_schedule(&expr(expansion)), "{name}");
        assert!(!e.has_seconds());
    }
    assert_eq!(expr("@Daily").text(), "@daily");
}

// --- matching and searching -----------------------------------------------------

#[test]
fn a_matching_minute_holds_for_the_whole_minute() {
    let e = expr("30 9 * * *");
    assert!(e.matches(dt("2025-03-03 09:30:00")));
    assert!(e.matches(dt("2025-03-03 09:30:59.999")));
    assert!(!e.matches(dt("2025-03-03 09:31:00")));
}

#[test]
fn february_29_is_found_in_the_next_leap_year() {
    assert_eq!(
        next("0 0 29 2 *", "2025-03-01 00:00"),
        Some(dt("2028-02-29 00:00"))
    );
    assert_eq!(
        prev("0 0 29 2 *", "2027-06-01 00:00"),
        Some(dt("2024-02-29 00:00"))
    );
    assert!(!expr("0 0 29 2 *").is_never());
}

#[test]
fn weekdays_from_a_saturday_go_to_monday() {
    assert_eq!(
        next("30 9 * * 1-5", "2025-03-01 10:00"),
        Some(dt("2025-03-03 09:30"))
    );
    assert_eq!(
        prev("30 9 * * 1-5", "2025-03-03 09:29:59"),
        Some(dt("2025-02-28 09:30"))
    );
}

#[test]
fn next_starts_at_t_when_t_is_a_slot_start() {
    assert_eq!(
        next("*/5 * * * *", "2025-03-01 10:05"),
        Some(dt("2025-03-01 10:05"))
    );
    assert_eq!(
        next("*/5 * * * *", "2025-03-01 10:02:30"),
        Some(dt("2025-03-01 10:05"))
    );
}

#[test]
fn next_from_inside_a_matching_slot_is_the_following_slot() {
    assert_eq!(
        next("*/5 * * * *", "2025-03-01 10:05:00.5"),
        Some(dt("2025-03-01 10:10"))
    );
    assert_eq!(
        next("* * * * * *", "2025-03-01 10:05:07.25"),
        Some(dt("2025-03-01 10:05:08"))
    );
}

#[test]
fn prev_returns_the_slot_containing_t() {
    assert_eq!(
        prev("30 9 * * 1-5", "2025-03-03 09:30:30"),
        Some(dt("2025-03-03 09:30"))
    );
    assert_eq!(
        prev("*/10 * * * * *", "2025-03-03 09:30:39.9"),
        Some(dt("2025-03-03 09:30:30"))
    );
}

#[test]
fn searches_carry_across_years() {
    assert_eq!(
        next("0 0 1 1 *", "2025-12-31 23:59:30"),
        Some(dt("2026-01-01 00:00"))
    );
    assert_eq!(
        prev("0 0 31 12 *", "2025-01-01 00:00"),
        Some(dt("2024-12-31 00:00"))
    );
    assert_eq!(
        next("59 23 31 12 *", "2025-01-01 00:00"),
        Some(dt("2025-12-31 23:59"))
    );
}

#[test]
fn next_limit_is_exclusive() {
    let e = expr("0 0 1 1 *");
    let from = dt("2025-06-01 00:00");
    assert_eq!(e.next_slot_from(from, dt("2026-01-01 00:00")), None);
    let just_after = dt("2026-01-01 00:00:00.001");
    assert_eq!(
        e.next_slot_from(from, just_after),
        Some(dt("2026-01-01 00:00"))
    );
    assert_eq!(e.next_slot_from(from, from), None);
}

#[test]
fn prev_limit_is_inclusive() {
    let e = expr("30 9 * * 1-5");
    let at = dt("2025-03-02 12:00");
    assert_eq!(
        e.prev_slot_at_or_before(at, dt("2025-02-28 09:30")),
        Some(dt("2025-02-28 09:30"))
    );
    assert_eq!(
        e.prev_slot_at_or_before(at, dt("2025-02-28 09:30:01")),
        None
    );
    assert_eq!(e.prev_slot_at_or_before(at, dt("2025-03-03 00:00")), None);
}

#[test]
fn six_fields_search_by_seconds() {
    assert_eq!(
        next("*/15 * * * * *", "2025-03-01 10:00:07"),
        Some(dt("2025-03-01 10:00:15"))
    );
    assert_eq!(
        next("30 0 9 * * *", "2025-03-01 10:00"),
        Some(dt("2025-03-02 09:00:30"))
    );
    assert_eq!(
        prev("30 0 9 * * *", "2025-03-02 09:00:29"),
        Some(dt("2025-03-01 09:00:30"))
    );
    assert_eq!(
        next("59 59 23 31 12 *", "2025-12-31 23:59:59"),
        Some(dt("2025-12-31 23:59:59"))
    );
}

#[test]
fn a_rare_weekday_occurrence_is_found_decades_ahead() {
    // A fifth Monday in February needs a leap year whose February starts on a Monday.
    let found = next("0 0 * 2 1#5", "2017-01-01 00:00").unwrap();
    assert_eq!(found, dt("2044-02-29 00:00"));
    assert_eq!(found.weekday(), chrono::Weekday::Mon);
    assert_eq!(
        prev("0 0 * 2 MON#5", "2043-12-31 00:00"),
        Some(dt("2016-02-29 00:00"))
    );
}

#[test]
fn searches_stop_at_the_edges_of_the_calendar() {
    let e = expr("0 0 1 1 *");
    let max = NaiveDateTime::MAX;
    assert_eq!(
        e.next_slot_from(dt("2025-01-01 00:01"), max),
        Some(dt("2026-01-01 00:00"))
    );
    assert_eq!(e.next_slot_from(max - TimeDelta::days(2), max), None);
    assert_eq!(
        expr("* * * * *").next_slot_from(max - TimeDelta::seconds(1), max),
        None
    );
    let min = NaiveDateTime::MIN;
    assert_eq!(e.prev_slot_at_or_before(min, min), Some(min));
    assert_eq!(
        expr("0 0 2 1 *").prev_slot_at_or_before(min + TimeDelta::hours(1), min),
        None
    );
}

#[test]
fn searches_never_pass_the_year_bound() {
    let e = expr("0 0 29 2 *");
    assert_eq!(
        e.next_slot_from(dt("2025-03-01 00:00"), dt("2028-02-29 00:00")),
        None
    );
    assert_eq!(
        e.prev_slot_at_or_before(dt("2027-01-01 00:00"), dt("2024-03-01 00:00")),
        None
    );
}

// --- extensions -----------------------------------------------------------------

#[test]
fn l_is_the_last_day_of_the_month() {
    assert_eq!(
        next("0 0 L * *", "2024-02-01 00:00"),
        Some(dt("2024-02-29 00:00"))
    );
    assert_eq!(
        next("0 0 L * *", "2025-02-01 00:00"),
        Some(dt("2025-02-28 00:00"))
    );
    assert_eq!(
        next("0 0 L * *", "2025-04-01 00:00"),
        Some(dt("2025-04-30 00:00"))
    );
    assert_eq!(
        prev("0 0 L * *", "2025-03-30 00:00"),
        Some(dt("2025-02-28 00:00"))
    );
}

#[test]
fn lw_is_the_last_weekday_of_the_month() {
    // May 31st 2025 is a Saturday, August 31st 2025 a Sunday.
    assert_eq!(
        next("0 0 LW * *", "2025-05-01 00:00"),
        Some(dt("2025-05-30 00:00"))
    );
    assert_eq!(
        next("0 0 LW * *", "2025-08-01 00:00"),
        Some(dt("2025-08-29 00:00"))
    );
    assert_eq!(
        next("0 0 LW * *", "2025-07-01 00:00"),
        Some(dt("2025-07-31 00:00"))
    );
}

#[test]
fn w_picks_the_nearest_weekday_within_the_month() {
    // March 15th 2025 is a Saturday, June 15th 2025 a Sunday.
    assert_eq!(
        next("0 0 15W * *", "2025-03-01 00:00"),
        Some(dt("2025-03-14 00:00"))
    );
    assert_eq!(
        next("0 0 15W * *", "2025-06-01 00:00"),
        Some(dt("2025-06-16 00:00"))
    );
    assert_eq!(
        next("0 0 15W * *", "2025-04-01 00:00"),
        Some(dt("2025-04-15 00:00"))
    );
}

#[test]
fn w_does_not_cross_the_month() {
    // March 1st 2025 is a Saturday: Monday the 3rd, not Friday February 28th.
    assert_eq!(
        next("0 0 1W * *", "2025-02-15 00:00"),
        Some(dt("2025-03-03 00:00"))
    );
    // June 1st 2025 is a Sunday: Monday the 2nd.
    assert_eq!(
        next("0 0 1W * *", "2025-05-15 00:00"),
        Some(dt("2025-06-02 00:00"))
    );
    // August 31st 2025 is a Sunday: Friday the 29th, not Monday September 1st.
    assert_eq!(
        next("0 0 31W * *", "2025-08-15 00:00"),
        Some(dt("2025-08-29 00:00"))
    );
    // November 30th 2024 is a Saturday: Friday the 29th.
    assert_eq!(
        next("0 0 30W 11 *", "2024-11-01 00:00"),
        Some(dt("2024-11-29 00:00"))
    );
}

#[test]
fn w_on_a_missing_day_does_not_match() {
    let e = expr("0 0 31W * *");
    assert_eq!(
        e.next_slot_from(dt("2025-04-01 00:00"), dt("2025-05-01 00:00")),
        None
    );
    assert_eq!(days_in_march_2025("0 0 31W * *"), [31]);
    assert!(expr("0 0 31W 4 *").is_never());
}

#[test]
fn hash_picks_the_nth_weekday() {
    // Fridays of March 2025: 7, 14, 21, 28.
    assert_eq!(days_in_march_2025("0 0 * * 5#3"), [21]);
    assert_eq!(days_in_march_2025("0 0 * * FRI#3"), [21]);
    assert_eq!(days_in_march_2025("0 0 * * 5#1,6#1"), [1, 7]);
    assert_eq!(days_in_march_2025("0 0 * * 7#1"), [2]);
    assert_eq!(
        next("0 0 * * 5#5", "2025-03-01 00:00"),
        Some(dt("2025-05-30 00:00"))
    );
}

#[test]
fn weekday_l_is_the_last_such_weekday() {
    assert_eq!(days_in_march_2025("0 0 * * 5L"), [28]);
    assert_eq!(days_in_march_2025("0 0 * * FRIL"), [28]);
    assert_eq!(days_in_march_2025("0 0 * * 1L"), [31]);
    assert_eq!(days_in_march_2025("0 0 * * 0L,7L"), [30]);
}

#[test]
fn extensions_count_as_restricted_days() {
    assert_eq!(days_in_march_2025("0 0 L * MON"), [3, 10, 17, 24, 31]);
    assert_eq!(days_in_march_2025("0 0 L * TUE"), [4, 11, 18, 25, 31]);
    assert_eq!(days_in_march_2025("0 0 1 * 5L"), [1, 28]);
    assert_eq!(days_in_march_2025("0 0 * * 5L"), [28]);
}

// --- never ----------------------------------------------------------------------

#[test]
fn impossible_dates_are_never() {
    for text in [
        "0 0 30 2 *",
        "0 0 31 4 *",
        "0 0 31 4,6,9,11 *",
        "0 0 30,31 2 ?",
        "0 0 30W 2 *",
    ] {
        let e = expr(text);
        assert!(e.is_never(), "{text}");
        assert_eq!(
            e.next_slot_from(dt("2025-01-01 00:00"), NaiveDateTime::MAX),
            None
        );
        assert_eq!(
            e.prev_slot_at_or_before(dt("2025-01-01 00:00"), NaiveDateTime::MIN),
            None
        );
    }
}

#[test]
fn possible_dates_are_not_never() {
    for text in [
        "0 0 29 2 *",
        "0 0 31 2-3 *",
        "0 0 30 2 MON",
        "0 0 L 2 *",
        "0 0 LW 2 *",
        "0 0 * 2 1#5",
        "0 0 29W 2 *",
    ] {
        let e = expr(text);
        assert!(!e.is_never(), "{text}");
        assert_eq!(e.never_reason(), None);
        assert!(
            e.next_slot_from(dt("2025-01-01 00:00"), far()).is_some(),
            "{text}"
        );
    }
}

#[test]
fn never_reasons_name_the_days_and_months() {
    let reason = |text: &str| expr(text).never_reason();
    assert_eq!(
        reason("0 0 30 2 *").as_deref(),
        Some("day 30 never occurs in February")
    );
    assert_eq!(
        reason("0 0 31 4 *").as_deref(),
        Some("day 31 never occurs in April")
    );
    assert_eq!(
        reason("0 0 31 4,6,9,11 *").as_deref(),
        Some("day 31 never occurs in April, June, September or November")
    );
    assert_eq!(
        reason("0 0 30,31 FEB *").as_deref(),
        Some("days 30 and 31 never occur in February")
    );
}

// --- errors ---------------------------------------------------------------------

#[test]
fn error_codes_are_stable() {
    use CronErrorKind::*;
    let codes: Vec<&str> = [
        FieldCount,
        OutOfRange,
        BadRange,
        BadStep,
        UnknownName,
        Syntax,
        Unsupported,
    ]
    .map(CronErrorKind::code)
    .to_vec();
    assert_eq!(
        codes,
        [
            "tminus::cron-field-count",
            "tminus::cron-out-of-range",
            "tminus::cron-bad-range",
            "tminus::cron-bad-step",
            "tminus::cron-unknown-name",
            "tminus::cron-syntax",
            "tminus::cron-unsupported",
        ]
    );
}

#[test]
fn out_of_range_minute() {
    let e = one_error("61 * * * *");
    assert_eq!((e.kind, e.range.clone()), (CronErrorKind::OutOfRange, 0..2));
    assert_eq!(
        e.message,
        "minute 61 is out of range, minutes run from 0 to 59"
    );
    assert_eq!(e.to_string(), e.message);
}

#[test]
fn out_of_range_in_every_field() {
    let cases = [
        (
            "60 * * * * *",
            0..2,
            "second 60 is out of range, seconds run from 0 to 59",
        ),
        (
            "0 24 * * *",
            2..4,
            "hour 24 is out of range, hours run from 0 to 23",
        ),
        (
            "0 0 32 * *",
            4..6,
            "day of month 32 is out of range, days of the month run from 1 to 31",
        ),
        (
            "0 0 0 * *",
            4..5,
            "day of month 0 is out of range, days of the month run from 1 to 31",
        ),
        (
            "0 0 * 13 *",
            6..8,
            "month 13 is out of range, months run from 1 to 12",
        ),
        (
            "0 0 * * 8",
            8..9,
            "day of week 8 is out of range, days of the week run from 0 to 7 \
             (0 and 7 are both Sunday)",
        ),
    ];
    for (text, range, message) in cases {
        let e = one_error(text);
        assert_eq!(
            (e.kind, e.range, e.message.as_str()),
            (CronErrorKind::OutOfRange, range, message),
            "{text}"
        );
    }
    assert_eq!(
        one_error("0 24 * * *").help.as_deref(),
        Some("write `0` for midnight")
    );
    assert_eq!(
        one_error("0 0 0 * *").help.as_deref(),
        Some("days of the month start at 1")
    );
}

#[test]
fn out_of_range_inside_ranges_steps_and_extensions() {
    assert_eq!(one_error("0 0 * 1-13 *").range, 8..10);
    assert_eq!(one_error("0-60/5 * * * *").range, 2..4);
    assert_eq!(one_error("0 0 32W * *").range, 4..6);
    assert_eq!(one_error("0 0 * * 8L").range, 8..9);
    let e = one_error("99999999999 * * * *");
    assert_eq!((e.kind, e.range), (CronErrorKind::OutOfRange, 0..11));
}

#[test]
fn occurrence_out_of_range() {
    let e = one_error("0 0 * * 5#6");
    assert_eq!((e.kind, e.range), (CronErrorKind::OutOfRange, 10..11));
    assert_eq!(
        e.message,
        "occurrence 6 is out of range, occurrences run from 1 to 5"
    );
    assert_eq!(one_error("0 0 * * FRI#0").range, 12..13);
}

#[test]
fn double_space_points_at_the_spaces() {
    let e = one_error("0 0  * * *");
    assert_eq!((e.kind, e.range), (CronErrorKind::Syntax, 3..5));
    assert_eq!(e.message, "fields are separated by exactly one space");
    assert_eq!(e.help.as_deref(), Some("remove the extra space"));
}

#[test]
fn tabs_and_stray_spaces_are_syntax_errors() {
    assert_eq!(one_error("0\t0 * * *").range, 1..2);
    assert_eq!(one_error(" 0 0 * * *").range, 0..1);
    assert_eq!(one_error("0 0 * * * ").range, 9..10);
    assert_eq!(one_error("0 0 * * *\n").kind, CronErrorKind::Syntax);
}

#[test]
fn too_few_fields() {
    let e = one_error("0 0 * *");
    assert_eq!((e.kind, e.range), (CronErrorKind::FieldCount, 0..7));
    assert!(
        e.message
            .starts_with("found 4 fields, a cron expression has 5 fields"),
        "{}",
        e.message
    );
    assert_eq!(one_error("*").range, 0..1);
}

#[test]
fn too_many_fields_points_at_the_extra_ones() {
    let e = one_error("0 0 * * * * 2025");
    assert_eq!((e.kind, e.range), (CronErrorKind::FieldCount, 12..16));
    assert_eq!(
        e.help.as_deref(),
        Some("a seventh (year) field is not supported, remove it")
    );
    assert_eq!(one_error("0 0 * * * * 1 2").range, 12..15);
}

#[test]
fn empty_text_is_a_field_count_error() {
    let e = one_error("");
    assert_eq!((e.kind, e.range), (CronErrorKind::FieldCount, 0..0));
    assert!(e.message.starts_with("the cron expression is empty"));
    assert!(e.help.is_some());
}

#[test]
fn backwards_range() {
    let e = one_error("0 5-2 * * *");
    assert_eq!((e.kind, e.range), (CronErrorKind::BadRange, 2..5));
    assert_eq!(e.message, "range `5-2` starts after it ends, 5 is after 2");
    assert_eq!(
        e.help.as_deref(),
        Some("ranges do not wrap around, write `5-23,0-2`")
    );
    let e = one_error("0 0 * * FRI-MON");
    assert_eq!(
        e.help.as_deref(),
        Some("ranges do not wrap around, write `FRI-SAT,SUN-MON`")
    );
    assert_eq!(
        one_error("0 0 * * 5-0").help.as_deref(),
        Some("ranges do not wrap around, write `5-6,0`")
    );
}

#[test]
fn bad_steps() {
    let e = one_error("*/0 * * * *");
    assert_eq!((e.kind, e.range), (CronErrorKind::BadStep, 2..3));
    assert_eq!(e.message, "step 0 never advances, steps start at 1");
    let e = one_error("*/x * * * *");
    assert_eq!(
        (e.kind, e.range, e.message.as_str()),
        (CronErrorKind::BadStep, 2..3, "step `x` is not a number")
    );
    assert_eq!(one_error("*/ * * * *").range, 1..2);
    assert_eq!(one_error("*/1-2 * * * *").range, 2..5);
    let e = one_error("*/61 * * * *");
    assert_eq!(
        e.message,
        "step 61 is too large, minute steps run from 1 to 60"
    );
    assert_eq!(one_error("0 0 * * */8").kind, CronErrorKind::BadStep);
}

#[test]
fn misspelled_names_get_suggestions() {
    let e = one_error("0 0 * * MNO");
    assert_eq!((e.kind, e.range), (CronErrorKind::UnknownName, 8..11));
    assert_eq!(
        e.message,
        "unknown day of week name `MNO`, days of the week are SUN to SAT or 0 to 7"
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `MON`?"));
    let e = one_error("0 0 1 JUNE *");
    assert_eq!((e.kind, e.range), (CronErrorKind::UnknownName, 6..10));
    assert_eq!(e.help.as_deref(), Some("did you mean `JUN`?"));
    assert_eq!(
        one_error("0 0 * * monday").help.as_deref(),
        Some("did you mean `MON`?")
    );
    assert_eq!(
        one_error("0 0 * * WENSDAY").help.as_deref(),
        Some("did you mean `WED`?")
    );
    assert_eq!(one_error("0 0 * * XYZ").help, None);
}

#[test]
fn names_in_the_wrong_field() {
    let e = one_error("0 0 * MON *");
    assert_eq!(
        (e.kind, e.message.as_str()),
        (
            CronErrorKind::UnknownName,
            "`MON` is a day of the week, not a month"
        )
    );
    assert_eq!(e.help.as_deref(), Some("months are JAN to DEC or 1 to 12"));
    assert_eq!(
        one_error("0 0 * * JAN").message,
        "`JAN` is a month, not a day of week"
    );
    let e = one_error("0 MON * * *");
    assert_eq!(
        e.message,
        "`MON` is a day of the week name, hours are numbers from 0 to 23"
    );
    assert_eq!(
        one_error("abc * * * *").message,
        "`abc` is not a minute, minutes are numbers from 0 to 59"
    );
}

#[test]
fn extensions_outside_their_fields_are_unsupported() {
    let e = one_error("L * * * *");
    assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 0..1));
    assert_eq!(
        e.message,
        "`L` is only allowed in the day-of-month and day-of-week fields, not the minute field"
    );
    let e = one_error("0 0 * 5#3 *");
    assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 7..8));
    let e = one_error("0 0 * * 5W");
    assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 9..10));
    assert_eq!(one_error("0 0 * 1W *").kind, CronErrorKind::Unsupported);
    assert_eq!(one_error("0 0 * * LW").kind, CronErrorKind::Unsupported);
}

#[test]
fn question_mark_outside_day_fields_is_unsupported() {
    let e = one_error("0 ? * * *");
    assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 2..3));
    assert_eq!(e.help.as_deref(), Some("write `*` instead"));
}

#[test]
fn misused_extensions_are_syntax_errors() {
    for (text, range) in [
        ("0 0 * * L", 8..9),
        ("0 0 W * *", 4..5),
        ("0 0 5L * *", 4..6),
        ("0 0 L-3 * *", 4..5),
        ("0 0 * * #3", 8..10),
    ] {
        let e = one_error(text);
        assert_eq!(
            (e.kind, e.range.clone()),
            (CronErrorKind::Syntax, range),
            "{text}: {e:?}"
        );
    }
    assert_eq!(
        one_error("0 0 * * L").help.as_deref(),
        Some("write `5L` or `FRIL` for the last Friday of the month")
    );
}

#[test]
fn malformed_items_are_syntax_errors() {
    let cases = [
        ("1,,2 * * * *", 2..3),
        ("1, * * * *", 1..2),
        ("1- * * * *", 0..2),
        ("-1 * * * *", 0..2),
        ("0 0 1-* * *", 6..7),
        ("1-2-3 * * * *", 0..5),
        ("1-5/2/3 * * * *", 5..6),
        ("0 é * * *", 2..4),
        ("0 0 * * 1;2", 9..10),
    ];
    for (text, range) in cases {
        let e = one_error(text);
        assert_eq!(
            (e.kind, e.range.clone()),
            (CronErrorKind::Syntax, range),
            "{text}: {e:?}"
        );
    }
    assert_eq!(one_error("1- * * * *").message, "range `1-` has no end");
    assert_eq!(one_error("0 é * * *").message, "unexpected character `é`");
}

#[test]
fn every_field_is_checked() {
    let found: Vec<(CronErrorKind, Range<usize>)> = errors("61 25 * 13 *")
        .into_iter()
        .map(|e| (e.kind, e.range))
        .collect();
    assert_eq!(
        found,
        [
            (CronErrorKind::OutOfRange, 0..2),
            (CronErrorKind::OutOfRange, 3..5),
            (CronErrorKind::OutOfRange, 8..10)
        ]
    );
    let kinds: Vec<CronErrorKind> = errors("61  */0 * * MNO,9").iter().map(|e| e.kind).collect();
    use CronErrorKind::*;
    assert_eq!(
        kinds,
        [Syntax, OutOfRange, BadStep, UnknownName, OutOfRange]
    );
}

#[test]
fn macro_errors() {
    let e = one_error("@reboot");
    assert_eq!((e.kind, e.range), (CronErrorKind::Unsupported, 0..7));
    let e = one_error("@dayly");
    assert_eq!((e.kind, e.range), (CronErrorKind::UnknownName, 0..6));
    assert_eq!(e.help.as_deref(), Some("did you mean `@daily`?"));
    let e = one_error("@daily 5");
    assert_eq!((e.kind, e.range), (CronErrorKind::Syntax, 7..8));
    assert_eq!(one_error("@daily 5 6").range, 7..10);
    assert_eq!(one_error("@").kind, CronErrorKind::UnknownName);
}

#[test]
fn error_messages_are_lower_case_without_final_period() {
    for text in [
        "",
        "61 * * * *",
        "0 0  * * *",
        "0 5-2 * * *",
        "*/0 * * * *",
        "0 0 * * MNO",
        "L * * * *",
        "1- * * * *",
        "@reboot",
        "a * * * *",
    ] {
        for e in errors(text) {
            let first = e.message.chars().next().unwrap();
            assert!(!first.is_uppercase(), "{text}: {}", e.message);
            assert!(!e.message.ends_with('.'), "{text}: {}", e.message);
        }
    }
}

// --- calendar helpers -----------------------------------------------------------

#[test]
fn bit_helpers() {
    assert_eq!(next_bit(0b1010, 0), Some(1));
    assert_eq!(next_bit(0b1010, 2), Some(3));
    assert_eq!(next_bit(0b1010, 4), None);
    assert_eq!(next_bit(1 << 63, 63), Some(63));
    assert_eq!(next_bit(u64::MAX, 64), None);
    assert_eq!(prev_bit(0b1010, 2), Some(1));
    assert_eq!(prev_bit(0b1010, 0), None);
    assert_eq!(prev_bit(1 << 63, 100), Some(63));
    assert_eq!(prev_bit(u64::MAX, -1), None);
    assert_eq!(bit_values(0b1011).collect::<Vec<_>>(), [0, 1, 3]);
    assert_eq!(days_up_to(31), 0xFFFF_FFFE);
}

// --- brute-force cross-checks ---------------------------------------------------

/// A small deterministic xorshift generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n)) as u32
    }

    fn between(&mut self, low: u32, high: u32) -> u32 {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
}

/// A value of `field`, sometimes written as a (randomly cased) name.
fn random_value(rng: &mut Rng, field: Field, low: u32, high: u32) -> (u32, String) {
    let value = rng.between(low, high);
    let names = field.names();
    let index = (value - field.min()) as usize;
    if index < names.len() && rng.chance(30) {
        let name = names[index];
        return (
            value,
            if rng.chance(50) {
                name.to_ascii_lowercase()
            } else {
                name.to_string()
            },
        );
    }
    (value, value.to_string())
}

fn random_extension(rng: &mut Rng, field: Field) -> Option<String> {
    match field {
        Field::DayOfMonth => Some(match rng.below(3) {
            0 => "L".to_string(),
            1 => "LW".to_string(),
            _ => format!("{}W", rng.between(1, 31)),
        }),
        Field::DayOfWeek => {
            let (_, weekday) = random_value(rng, field, 0, 7);
            Some(if rng.chance(50) {
                format!("{weekday}L")
            } else {
                format!("{weekday}#{}", rng.between(1, 5))
            })
        }
        _ => None,
    }
}

fn random_item(rng: &mut Rng, field: Field) -> String {
    let (low, high) = (field.min(), field.max());
    let step = rng.between(1, field.span());
    match rng.below(7) {
        0 => format!("*/{step}"),
        1 | 2 => {
            let (a, a_text) = random_value(rng, field, low, high);
            let (_, b_text) = random_value(rng, field, a, high);
            let b_text = if field == Field::DayOfWeek && b_text.eq_ignore_ascii_case("SUN") {
                "0".into()
            } else {
                b_text
            };
            let b_text = if b_text == "0" && a > 0 {
                "7".to_string()
            } else {
                b_text
            };
            if rng.chance(50) {
                format!("{a_text}-{b_text}/{step}")
            } else {
                format!("{a_text}-{b_text}")
            }
        }
        3 => format!("{}/{step}", random_value(rng, field, low, high).1),
        4 => random_extension(rng, field).unwrap_or_else(|| random_value(rng, field, low, high).1),
        _ => random_value(rng, field, low, high).1,
    }
}

fn random_field(rng: &mut Rng, field: Field, star_percent: u32) -> String {
    if rng.chance(star_percent) {
        let day_field = matches!(field, Field::DayOfMonth | Field::DayOfWeek);
        return if day_field && rng.chance(20) {
            "?".into()
        } else {
            "*".into()
        };
    }
    let items: Vec<String> = (0..rng.between(1, 3))
        .map(|_| random_item(rng, field))
        .collect();
    items.join(",")
}

/// A random expression; `stars` gives the chance of `*` per field, seconds first.
fn random_expression(rng: &mut Rng, stars: [u32; 6], seconds: bool) -> String {
    let fields: Vec<String> = Field::SIX
        .iter()
        .zip(stars)
        .skip(usize::from(!seconds))
        .map(|(&field, star)| random_field(rng, field, star))
        .collect();
    fields.join(" ")
}

fn random_time(rng: &mut Rng) -> NaiveDateTime {
    let year = rng.between(1990, 2040) as i32;
    let month = rng.between(1, 12);
    let day = if rng.chance(30) {
        rng.between(26, days_in_month(year, month))
    } else {
        rng.between(1, 28)
    };
    let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
    let nanos = if rng.chance(30) {
        rng.below(1_000_000_000)
    } else {
        0
    };
    let hour = if rng.chance(20) { 23 } else { rng.below(24) };
    let minute = if rng.chance(20) { 59 } else { rng.below(60) };
    date.and_hms_nano_opt(hour, minute, rng.below(60), nanos)
        .unwrap()
}

fn floor_to(t: NaiveDateTime, step: TimeDelta) -> NaiveDateTime {
    let t = t.with_nanosecond(0).unwrap();
    if step >= TimeDelta::minutes(1) {
        t.with_second(0).unwrap()
    } else {
        t
    }
}

/// Compares both searches with a scan of `matches` in steps of `step` around `t`.
fn check_against_scan(e: &CronExpr, t: NaiveDateTime, window: TimeDelta, step: TimeDelta) {
    let (upper, lower) = (t + window, t - window);
    let mut s = floor_to(t, step);
    if s < t {
        s += step;
    }
    let mut expected = None;
    while s < upper {
        if e.matches(s) {
            expected = Some(s);
            break;
        }
        s += step;
    }
    assert_eq!(
        e.next_slot_from(t, upper),
        expected,
        "next of `{}` from {t}",
        e.text()
    );
    let mut s = floor_to(t, step);
    let mut expected = None;
    while s >= lower {
        if e.matches(s) {
            expected = Some(s);
            break;
        }
        s -= step;
    }
    assert_eq!(
        e.prev_slot_at_or_before(t, lower),
        expected,
        "prev of `{}` at {t}",
        e.text()
    );
}

#[test]
fn searches_agree_with_a_minute_scan() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..400 {
        let text = random_expression(&mut rng, [0, 30, 40, 60, 75, 60], false);
        let e = expr(&text);
        check_against_scan(
            &e,
            random_time(&mut rng),
            TimeDelta::days(3),
            TimeDelta::minutes(1),
        );
    }
}

#[test]
fn searches_agree_with_a_second_scan() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..150 {
        let text = random_expression(&mut rng, [20, 50, 70, 80, 90, 80], true);
        let e = expr(&text);
        check_against_scan(
            &e,
            random_time(&mut rng),
            TimeDelta::hours(2),
            TimeDelta::seconds(1),
        );
    }
}

#[test]
fn searches_agree_with_a_day_scan() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..400 {
        let days = random_expression(&mut rng, [0, 0, 0, 30, 50, 40], false);
        let text = format!("0 0 {}", days.splitn(3, ' ').nth(2).unwrap());
        let e = expr(&text);
        let t = random_time(&mut rng);
        let window = TimeDelta::days(3 * 366);
        let next = e.next_slot_from(t, t + window);
        let prev = e.prev_slot_at_or_before(t, t - window);
        let mut day = t.date() + TimeDelta::days(i64::from(t.time() != chrono::NaiveTime::MIN));
        let scan_next = loop {
            let at = day.and_hms_opt(0, 0, 0).unwrap();
            if at >= t + window || e.matches(at) {
                break (at < t + window).then_some(at);
            }
            day += TimeDelta::days(1);
        };
        assert_eq!(next, scan_next, "next of `{text}` from {t}");
        let mut day = t.date();
        let scan_prev = loop {
            let at = day.and_hms_opt(0, 0, 0).unwrap();
            if at < t - window || e.matches(at) {
                break (at >= t - window).then_some(at);
            }
            day -= TimeDelta::days(1);
        };
        assert_eq!(prev, scan_prev, "prev of `{text}` at {t}");
        if e.is_never() {
            assert_eq!((next, prev), (None, None), "{text}");
        }
    }
}

/// Whether `date` matches the day fields, worked out with chrono alone.
fn reference_day(f: &Fields, date: NaiveDate) -> bool {
    let (day, weekday) = (date.day(), date.weekday().num_days_from_sunday());
    let len = days_in_month(date.year(), date.month());
    let on = |d: u32| date.with_day(d).map(|x| x.weekday().num_days_from_sunday());
    let nearest = |n: u32| match on(n) {
        Some(6) => Some(if n == 1 { 3 } else { n - 1 }),
        Some(0) => Some(if n == len { n - 2 } else { n + 1 }),
        Some(_) => Some(n),
        None => None,
    };
    let last_weekday = (1..=len).rev().find(|&d| !matches!(on(d), Some(0 | 6)));
    let dom = has_bit(f.days.into(), day)
        || (f.day_extras.last && day == len)
        || (f.day_extras.last_weekday && last_weekday == Some(day))
        || bit_values(f.day_extras.nearest.into()).any(|n| nearest(n) == Some(day));
    let dow = has_bit(f.weekdays.into(), weekday)
        || (has_bit(f.weekday_extras.last.into(), weekday) && day + 7 > len)
        || has_bit(f.weekday_extras.nth[(day as usize - 1) / 7].into(), weekday);
    if f.either_day {
        dom || dow
    } else {
        dom && dow
    }
}

#[test]
fn day_masks_agree_with_a_chrono_reference() {
    let mut rng = Rng(0xA076_1D64_78BD_642F);
    for _ in 0..300 {
        let text = random_expression(&mut rng, [0, 0, 0, 20, 100, 30], false);
        let e = expr(&text);
        for _ in 0..20 {
            let (year, month) = (rng.between(1890, 2110) as i32, rng.between(1, 12));
            let mask = e.fields.day_mask(year, month);
            for day in 1..=days_in_month(year, month) {
                let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
                assert_eq!(
                    has_bit(mask.into(), day),
                    reference_day(&e.fields, date),
                    "`{text}` on {date}"
                );
            }
        }
    }
}

fn civil(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

fn naive(civil: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp_micros(civil)
        .unwrap()
        .naive_utc()
}

/// A random civil time: mostly near today, sometimes in a far year; whole minutes,
/// whole seconds or any microsecond.
fn random_civil(rng: &mut Rng) -> i64 {
    let t = civil(random_time(rng).with_nanosecond(0).unwrap());
    let t = if rng.chance(10) {
        t + (i64::from(rng.below(20_000)) - 10_000) * 366 * DAY
    } else {
        t
    };
    match rng.below(3) {
        0 => t - t.rem_euclid(60_000_000),
        1 => t,
        _ => t + i64::from(rng.below(1_000_000)),
    }
}

#[test]
fn civil_api_agrees_with_the_naive_one() {
    let mut rng = Rng(0x6A09_E667_F3BC_C908);
    let windows = [60_000_000, 3 * 3_600_000_000, 40 * DAY, 3 * 366 * DAY];
    for _ in 0..1500 {
        let seconds = rng.chance(30);
        let text = random_expression(&mut rng, [30, 40, 50, 60, 75, 60], seconds);
        let e = expr(&text);
        let t = random_civil(&mut rng);
        let w = windows[rng.below(4) as usize];
        assert_eq!(e.matches_civil(t), e.matches(naive(t)), "`{text}` at {t}");
        let next = e.next_slot_from(naive(t), naive(t + w)).map(civil);
        assert_eq!(
            e.next_slot_from_civil(t, t + w),
            next,
            "next of `{text}` from {t}"
        );
        let prev = e.prev_slot_at_or_before(naive(t), naive(t - w)).map(civil);
        let civil_prev = e.prev_slot_at_or_before_civil(t, t - w);
        assert_eq!(civil_prev, prev, "prev of `{text}` at {t}");
    }
}

#[test]
fn civil_api_handles_the_ends_of_the_time_line() {
    let every_minute = expr("* * * * *");
    assert_eq!(every_minute.next_slot_from_civil(i64::MIN, i64::MAX), None);
    let e = expr("0 0 29 2 *");
    assert_eq!(e.next_slot_from_civil(i64::MAX - 1, i64::MAX), None);
    assert_eq!(e.prev_slot_at_or_before_civil(i64::MIN + 1, i64::MIN), None);
    assert!(!e.matches_civil(i64::MIN));
    assert!(expr("* * * * *").matches_civil(i64::MAX));
}

#[test]
fn random_expressions_round_trip() {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    for _ in 0..300 {
        let seconds = rng.chance(30);
        let text = random_expression(&mut rng, [30; 6], seconds);
        let e = expr(&text);
        assert_eq!(expr(e.text()), e, "{text}");
        assert_eq!(e.text(), text.to_ascii_uppercase());
    }
}

/// The runs of matching minutes found by bit scans agree with a minute-by-minute scan of
/// the time fields, and the first slot on the days after one without a further slot agrees
/// with the calendar search, for expressions that fire every week.
#[test]
fn minute_runs_and_next_days_agree_with_scans() {
    let mut rng = Rng(0x3C6E_F372_FE94_F82B);
    for _ in 0..3000 {
        let seconds = rng.chance(10);
        let text = random_expression(&mut rng, [30, 40, 50, 100, 100, 30], seconds);
        let e = expr(&text);
        // A matching day, so that matching is the time fields' alone.
        let day = (0..400)
            .map(|d| 19_000 + d)
            .find(|&d| e.day_matches_days(d));
        let minute = rng.below(1440);
        let Some(day) = day else {
            continue;
        };
        let at = |m: u32| e.matches_civil(day * DAY + i64::from(m) * 60_000_000);
        let run = e.minute_run(minute);
        if seconds {
            assert_eq!(run, None, "`{text}`");
        } else {
            let first = (minute..1440).find(|&m| at(m));
            let expected = first.map(|f| (f, (f..1440).find(|&m| !at(m)).unwrap_or(1440)));
            assert_eq!(run, expected, "`{text}` from minute {minute}");
        }
        let t = random_civil(&mut rng);
        let w = [DAY, 9 * DAY, 3 * 366 * DAY][rng.below(3) as usize];
        let next = e.next_slot_from(naive(t), naive(t + w)).map(civil);
        assert_eq!(e.next_slot_from_civil(t, t + w), next, "`{text}` from {t}");
    }
}
