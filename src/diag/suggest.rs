//! Did-you-mean: one vocabulary table of every word the language knows (keywords, duration
//! units, weekdays, cycles), the edit distance that finds the nearest one, and the help
//! lines built from them. The parser's message for an unexpected word is in
//! `src/syntax/expected.rs`.

/// What a word of the vocabulary is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordClass {
    /// A grammar keyword, e.g. `between`.
    Keyword,
    /// A duration unit, e.g. `minutes`.
    Unit,
    /// A weekday name or abbreviation, e.g. `wednesday`.
    Weekday,
    /// A keyword that can start a phrase, e.g. `daily`.
    Start,
    /// A periodic keyword, e.g. `daily` (the IR's `Scope::cycle_word`).
    Cycle,
    /// A unit of `time of …` and of `this …`, e.g. `week` (the IR's `Scope::unit_word`).
    Scope,
    /// What `has …` counts, e.g. `succeeded` (the IR's `StatusAction::word`).
    TaskAction,
    /// What `after task …` waits for, e.g. `failed` (the IR's `Outcome::word`).
    Outcome,
}

use WordClass::*;

/// Every word the language knows, with its class. Grammar keywords are listed with the
/// backquoted form used in messages.
pub const VOCABULARY: &[(&str, WordClass)] = &[
    ("after", Start),
    ("ago", Keyword),
    ("always", Start),
    ("and", Keyword),
    ("any", Keyword),
    ("before", Keyword),
    ("between", Keyword),
    ("cron", Start),
    ("cycles", Keyword),
    ("daily", Start),
    ("day", Keyword),
    ("env", Start),
    ("every", Start),
    ("exists", Keyword),
    ("failed", Keyword),
    ("false", Start),
    ("finished", Keyword),
    ("has", Start),
    ("hour", Keyword),
    ("hourly", Start),
    ("in", Keyword),
    ("inacted", Keyword),
    ("is", Keyword),
    ("less", Keyword),
    ("minute", Keyword),
    ("minutely", Start),
    ("month", Keyword),
    ("monthly", Start),
    ("more", Keyword),
    ("of", Keyword),
    ("on", Keyword),
    ("over", Keyword),
    ("param", Start),
    ("past", Keyword),
    ("run", Keyword),
    ("running", Keyword),
    ("scheduler", Start),
    ("secondly", Start),
    ("started", Keyword),
    ("starting", Keyword),
    ("succeeded", Keyword),
    ("task", Start),
    ("tasks", Keyword),
    ("terminated", Keyword),
    ("than", Keyword),
    ("this", Keyword),
    ("time", Start),
    ("today", Keyword),
    ("true", Start),
    ("week", Keyword),
    ("weekly", Start),
    ("while", Start),
    ("ms", Unit),
    ("millisecond", Unit),
    ("s", Unit),
    ("sec", Unit),
    ("secs", Unit),
    ("second", Unit),
    ("seconds", Unit),
    ("m", Unit),
    ("min", Unit),
    ("mins", Unit),
    ("minute", Unit),
    ("minutes", Unit),
    ("h", Unit),
    ("hr", Unit),
    ("hrs", Unit),
    ("hour", Unit),
    ("hours", Unit),
    ("d", Unit),
    ("day", Unit),
    ("days", Unit),
    ("monday", Weekday),
    ("tuesday", Weekday),
    ("wednesday", Weekday),
    ("thursday", Weekday),
    ("friday", Weekday),
    ("saturday", Weekday),
    ("sunday", Weekday),
    ("mon", Weekday),
    ("tue", Weekday),
    ("wed", Weekday),
    ("thu", Weekday),
    ("fri", Weekday),
    ("sat", Weekday),
    ("sun", Weekday),
    // The same words again under the class of the slot they fill, in the IR's order; the
    // parser lists them when it expects that slot, and the IR's tests check its own words
    // against them.
    ("secondly", Cycle),
    ("minutely", Cycle),
    ("hourly", Cycle),
    ("daily", Cycle),
    ("weekly", Cycle),
    ("monthly", Cycle),
    ("hour", Scope),
    ("day", Scope),
    ("week", Scope),
    ("month", Scope),
    ("succeeded", TaskAction),
    ("failed", TaskAction),
    ("finished", TaskAction),
    ("started", TaskAction),
    ("terminated", TaskAction),
    ("inacted", TaskAction),
    ("succeeded", Outcome),
    ("failed", Outcome),
    ("finished", Outcome),
];

/// Grammar keyword `word` as a `'static` word of the vocabulary, if it is one.
pub fn keyword(word: &str) -> Option<&'static str> {
    VOCABULARY
        .iter()
        .find(|(w, c)| *w == word && matches!(c, Keyword | Start))
        .map(|(w, _)| *w)
}

/// The words of one class.
pub fn words(class: WordClass) -> impl Iterator<Item = &'static str> {
    VOCABULARY
        .iter()
        .filter(move |(_, c)| *c == class)
        .map(|(w, _)| *w)
}

/// The largest edit distance still worth suggesting for a word of `len` characters: short
/// words get one edit, longer ones more, so `dialy` finds `daily` but `x` finds nothing.
fn threshold(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=5 => 1,
        6..=9 => 2,
        _ => 3,
    }
}

/// The candidate nearest to `word`: equal ignoring case first, then by edit distance
/// (a swap of two neighbours counts as one edit) within [`threshold`]. Ties go to the
/// candidate with the same last letter, so `minuts` finds `minutes`, not `minute`.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = threshold(lower.chars().count());
    let score = |c: &str| {
        let d = if c == lower {
            0
        } else {
            edit_distance(&lower, c)
        };
        (d, usize::from(c.chars().last() != lower.chars().last()))
    };
    candidates
        .into_iter()
        .map(|c| (score(c), c))
        .filter(|((d, _), _)| *d <= limit)
        .min_by_key(|(s, _)| *s)
        .map(|(_, c)| c)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
/// neighbouring characters each cost one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * w + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
        }
    }
    d[a.len() * w + b.len()]
}

/// Examples of the phrase that starts with `first_word`, for an error that has no better
/// help: `every` gives "for example `every 10 minutes`, ...".
pub fn examples(first_word: &str) -> Option<String> {
    let examples = match first_word {
        "every" => "`every 10 minutes`, `every 1h 30min`, `every 00:10:00`",
        "cron" => "`cron 0 */2 * * *` (minute, hour, day of month, month, day of week)",
        "time" => "`time of day between 10:00 and 12:00`, `time of week on Monday`, `time of month after 25th`",
        "secondly" | "minutely" | "hourly" | "daily" | "weekly" | "monthly" => {
            "`daily`, `daily between 10:00 and 12:00`, `daily after 10:00`, `daily on 10:00`, `weekly on Monday`"
        }
        "has" | "task" => "`has succeeded today`, `task 'extract' has failed this week`, `task 'report' is running`",
        "after" => "`after task 'extract'`, `after tasks 'a', 'b' failed`, `after any tasks 'a', 'b'`",
        "while" => "`while task 'report' is running`",
        "scheduler" => "`scheduler started 10 minutes ago`, `scheduler has run over 1 hour`, `scheduler has more than 3 cycles`",
        "env" => "`env 'prod'`",
        "param" => "`param 'key' exists`, `param 'key' is 'value'`",
        "always" => "`always true`, `always false`",
        _ => return None,
    };
    Some(format!("for example {examples}"))
}

/// "did you mean `daily`?", or a note about case when only the case differs.
pub fn did_you_mean(found: &str, suggestion: &str) -> String {
    if found.to_lowercase() == suggestion && found != suggestion {
        format!("keywords are lower case: write `{suggestion}`")
    } else {
        format!("did you mean `{suggestion}`?")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_swaps_once() {
        assert_eq!(edit_distance("dialy", "daily"), 1);
        assert_eq!(edit_distance("minuts", "minutes"), 1);
        assert_eq!(edit_distance("wendesday", "wednesday"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn closest_respects_the_threshold() {
        assert_eq!(closest("dialy", words(Start)), Some("daily"));
        assert_eq!(closest("minuts", words(Unit)), Some("minutes"));
        assert_eq!(closest("wendesday", words(Weekday)), Some("wednesday"));
        assert_eq!(closest("Daily", words(Start)), Some("daily"));
        assert_eq!(closest("xyzzy", words(Start)), None);
    }

    #[test]
    fn every_keyword_has_a_quoted_form() {
        for w in words(Keyword).chain(words(Start)) {
            assert_eq!(keyword(w), Some(w), "{w}");
        }
    }
}
