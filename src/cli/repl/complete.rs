//! Tab completion: in a statement, the words of the library's vocabulary table (keywords,
//! units, weekdays) and the task names seen so far, quoted; in a `:` command, the command
//! names, then task names (`:run`, `:success`, `:fail`, `:task`) or zone names (`:tz`).

use super::commands::COMMANDS;
use tminus::diag::suggest::{words, WordClass};

/// Where the completed text starts in the line, and the candidates that replace
/// `line[start..pos]`, sorted and without duplicates.
pub fn candidates(line: &str, pos: usize, tasks: &[String]) -> (usize, Vec<String>) {
    let before = &line[..pos];
    let (start, mut found) = if before.trim_start().starts_with(':') {
        command(before, tasks)
    } else {
        statement(before, tasks)
    };
    found.sort();
    found.dedup();
    (start, found)
}

/// Completion inside a `:` command line.
fn command(before: &str, tasks: &[String]) -> (usize, Vec<String>) {
    let start = word_start(before, |c| !c.is_whitespace());
    let partial = &before[start..];
    let name = before.split_whitespace().next().unwrap_or("");
    if start == before.len() - before.trim_start().len() {
        let names = COMMANDS.iter().map(|(n, _, _)| *n);
        return (start, matching(names, partial));
    }
    let is_first_argument = before[..start].split_whitespace().count() == 1;
    let found = match name {
        ":run" | ":success" | ":fail" | ":task" if is_first_argument => {
            let partial = partial.trim_start_matches(['\'', '"']);
            matching(tasks.iter().map(|t| t.as_str()), partial)
                .into_iter()
                .map(|t| if t.contains(' ') { format!("'{t}'") } else { t })
                .collect()
        }
        ":tz" => matching(chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()), partial),
        _ => Vec::new(),
    };
    (start, found)
}

/// Completion inside a statement: a quoted task name, or a word.
fn statement(before: &str, tasks: &[String]) -> (usize, Vec<String>) {
    if let Some((start, quote)) = open_quote(before) {
        let partial = &before[start + 1..];
        let names = matching(tasks.iter().map(|t| t.as_str()), partial);
        return (
            start,
            names
                .into_iter()
                .map(|n| format!("{quote}{n}{quote}"))
                .collect(),
        );
    }
    let start = word_start(before, |c| c.is_ascii_alphanumeric() || c == '_');
    let partial = &before[start..];
    let previous = before[..start].split_whitespace().last().unwrap_or("");
    if partial.is_empty() && (matches!(previous, "task" | "tasks") || previous.ends_with(',')) {
        return (start, tasks.iter().map(|t| format!("'{t}'")).collect());
    }
    if partial.is_empty()
        && !at_phrase_start(&before[..start])
        && !previous.ends_with(char::is_numeric)
    {
        return (start, Vec::new());
    }
    let after_number = previous.parse::<f64>().is_ok();
    let vocabulary = if after_number {
        words(WordClass::Unit).collect::<Vec<_>>()
    } else if partial.is_empty() {
        words(WordClass::Start).collect()
    } else {
        [
            WordClass::Start,
            WordClass::Keyword,
            WordClass::Unit,
            WordClass::Weekday,
        ]
        .into_iter()
        .flat_map(words)
        .collect()
    };
    let capital = partial.starts_with(|c: char| c.is_ascii_uppercase());
    let found = matching(vocabulary.into_iter(), partial)
        .into_iter()
        .map(|w| if capital { capitalized(&w) } else { w })
        .collect();
    (start, found)
}

/// The candidates that start with `partial`, ignoring ASCII case.
fn matching<'a>(candidates: impl Iterator<Item = &'a str>, partial: &str) -> Vec<String> {
    let partial = partial.to_ascii_lowercase();
    candidates
        .filter(|c| c.to_ascii_lowercase().starts_with(&partial))
        .map(str::to_owned)
        .collect()
}

/// Where the run of characters accepted by `is_word` that ends `before` starts.
fn word_start(before: &str, is_word: impl Fn(char) -> bool) -> usize {
    before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(before.len(), |(i, _)| i)
}

/// The position and kind of a quote opened and not closed in `before`.
fn open_quote(before: &str) -> Option<(usize, char)> {
    let mut open = None;
    for (i, c) in before.char_indices() {
        match open {
            Some((_, q)) if c == q => open = None,
            None if c == '\'' || c == '"' => open = Some((i, c)),
            _ => {}
        }
    }
    open
}

/// Whether a new phrase starts here: at the beginning or after an operator or `(`.
fn at_phrase_start(before: &str) -> bool {
    before.trim_end().is_empty() || before.trim_end().ends_with(['&', '|', '~', '('])
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(line: &str) -> (usize, Vec<String>) {
        let tasks = [
            "extract".to_owned(),
            "load".to_owned(),
            "my task".to_owned(),
        ];
        candidates(line, line.len(), &tasks)
    }

    #[test]
    fn keywords_units_and_weekdays() {
        assert_eq!(complete("dai"), (0, vec!["daily".to_owned()]));
        assert_eq!(complete("daily betw"), (6, vec!["between".to_owned()]));
        assert_eq!(complete("every 10 minu").1, ["minute", "minutes"]);
        assert!(complete("every 10 ").1.contains(&"hours".to_owned()));
        assert_eq!(
            complete("weekly on Fr"),
            (10, vec!["Fri".to_owned(), "Friday".to_owned()])
        );
    }

    #[test]
    fn task_names_in_quotes() {
        assert_eq!(
            complete("after task 'ex"),
            (11, vec!["'extract'".to_owned()])
        );
        assert_eq!(
            complete("after task ").1,
            ["'extract'", "'load'", "'my task'"]
        );
        assert_eq!(complete("after tasks 'a', ").1.len(), 3);
    }

    #[test]
    fn phrase_starts_offer_starting_words_only() {
        let (_, found) = complete("daily & ");
        assert!(found.contains(&"every".to_owned()) && !found.contains(&"between".to_owned()));
        assert!(complete("daily between ").1.is_empty());
    }

    #[test]
    fn commands_then_their_arguments() {
        assert_eq!(complete(":ti"), (0, vec![":timeline".to_owned()]));
        assert_eq!(complete(":run lo"), (5, vec!["load".to_owned()]));
        assert_eq!(complete(":success my").1, ["'my task'"]);
        assert_eq!(complete(":tz Europe/Hel").1, ["Europe/Helsinki"]);
        assert!(complete(":next 3").1.is_empty());
    }
}
