//! Generators of valid statements for property tests: every family, every point and
//! duration spelling, joined by operators. Shared by the test binaries.

use proptest::prelude::*;

pub fn time_of_day() -> impl Strategy<Value = String> {
    (
        0u32..24,
        0u32..60,
        prop_oneof![Just(None), (0u32..60).prop_map(Some)],
    )
        .prop_map(|(h, m, s)| match s {
            Some(s) => format!("{h:02}:{m:02}:{s:02}"),
            None => format!("{h}:{m:02}"),
        })
}

pub fn weekday() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["Mon", "tuesday", "WED", "Thu", "friday", "Sat", "sun"])
        .prop_map(str::to_owned)
}

pub fn day_of_month() -> impl Strategy<Value = String> {
    (1u32..=31).prop_map(|d| format!("{d}{}", if d % 2 == 0 { "." } else { "" }))
}

/// A range keyword with points of the right kind for `scope`.
pub fn range(points: BoxedStrategy<String>, on: bool) -> BoxedStrategy<String> {
    let between =
        (points.clone(), points.clone()).prop_map(|(a, b)| format!("between {a} and {b}"));
    let after = points.clone().prop_map(|a| format!("after {a}"));
    let before = points.clone().prop_map(|a| format!("before {a}"));
    if on {
        prop_oneof![
            between,
            after,
            before,
            points.prop_map(|a| format!("on {a}"))
        ]
        .boxed()
    } else {
        prop_oneof![between, after, before].boxed()
    }
}

pub fn duration() -> impl Strategy<Value = String> {
    (
        1u32..100,
        prop::sample::select(vec!["minutes", "h", "s", "days", "ms", "min"]),
    )
        .prop_map(|(n, u)| format!("{n} {u}"))
}

pub fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["'a'", "'extract'", "'x y'", "\"it's\""]).prop_map(str::to_owned)
}

/// One phrase of any family; with `custom`, also the registered custom predicates
/// `is business day` and `file_exists(...)`.
pub fn phrase(custom: bool) -> BoxedStrategy<String> {
    let day = time_of_day().boxed();
    let week = (weekday(), prop::option::of(time_of_day()))
        .prop_map(|(d, t)| t.map_or(d.clone(), |t| format!("{d} {t}")))
        .boxed();
    let month = day_of_month().boxed();
    prop_oneof![
        Just("true".to_owned()),
        range(day.clone(), false).prop_map(|r| format!("time of day {r}")),
        range(week.clone(), true).prop_map(|r| format!("time of week {r}")),
        range(month.clone(), true).prop_map(|r| format!("time of month {r}")),
        prop::option::of(range(day.clone(), true))
            .prop_map(|r| r.map_or("daily".into(), |r| format!("daily {r}"))),
        range(week, true).prop_map(|r| format!("weekly {r}")),
        month.prop_map(|m| format!("monthly starting {m}")),
        duration().prop_map(|d| format!("every {d}")),
        (0u32..60, 0u32..24).prop_map(|(m, h)| format!("cron {m} {h} * * 1-5")),
        (
            name(),
            prop::sample::select(vec!["succeeded", "failed", "started"])
        )
            .prop_map(|(n, a)| format!("task {n} has {a} today")),
        duration().prop_map(|d| format!("has finished past {d}")),
        (name(), name()).prop_map(|(a, b)| format!("after any tasks {a}, {b} failed")),
        name().prop_map(|n| format!("task {n} is running")),
    ]
    .prop_flat_map(move |p| {
        if custom {
            prop_oneof![3 => Just(p), 1 => Just("is business day".to_owned()), 1 => Just("file_exists('data.csv', 3)".to_owned())].boxed()
        } else {
            Just(p).boxed()
        }
    })
    .boxed()
}

/// Phrases joined by `&`, `|`, `~` and parentheses, up to three levels deep.
pub fn statement(custom: bool) -> impl Strategy<Value = String> {
    let leaf = phrase(custom);
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} & {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} | {b})")),
            inner.prop_map(|a| format!("~({a})")),
        ]
    })
}
