//! Tab completion: in a statement, the words of the library's vocabulary table (keywords,
//! units, weekdays) that the library's parser accepts at the cursor, spelled as it reads them
//! (keywords and units are case-sensitive, weekday names are not), with a space after a word
//! the statement cannot end with; and the task names seen so far, quoted. In a `:` command,
//! the command names, then task names (`:run`, `:success`, `:fail`, `:task`) or zone names
//! (`:tz`).

use super::commands::COMMANDS;
use tminus::diag::suggest::{words, WordClass};

/// Where the completed text starts in the line, and the candidates that replace
/// `line[start..pos]`, sorted and without duplicates.
pub fn candidates(line: &str, pos: usize, tasks: &[String]) -> (usize, Vec<String>) {
    let (before, after) = line.split_at(pos);
    let (start, mut found) = if before.trim_start().starts_with(':') {
        command(before, tasks)
    } else {
        statement(before, after, tasks)
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

/// Completion inside a statement: a quoted task name, or a word that the parser accepts at
/// the cursor (see [`Slot`]), with a space after it when the statement cannot end there.
fn statement(before: &str, after: &str, tasks: &[String]) -> (usize, Vec<String>) {
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
    let start = word_start(before, |c| c.is_ascii_alphabetic());
    let partial = &before[start..];
    let previous = before[..start].split_whitespace().last().unwrap_or("");
    if partial.is_empty() && (matches!(previous, "task" | "tasks") || previous.ends_with(',')) {
        return (start, tasks.iter().map(|t| format!("'{t}'")).collect());
    }
    let slot = Slot::new(&before[..start]);
    let capital = partial.starts_with(|c: char| c.is_ascii_uppercase());
    let spaced = !after.starts_with(char::is_whitespace);
    let found = matching(vocabulary(), partial)
        .into_iter()
        // Weekday names are read in any case: keep the capital the user typed. Every other
        // word is case-sensitive and offered as the grammar spells it.
        .map(|w| match capital && is_weekday(&w) {
            true => capitalized(&w),
            false => w,
        })
        .filter(|w| slot.takes(w))
        .map(|w| match spaced && slot.needs_more(&w) {
            true => w + " ",
            false => w,
        })
        .collect();
    (start, found)
}

/// The words a statement is made of: keywords, duration units and weekday names.
fn vocabulary() -> impl Iterator<Item = &'static str> {
    [
        WordClass::Start,
        WordClass::Keyword,
        WordClass::Unit,
        WordClass::Weekday,
    ]
    .into_iter()
    .flat_map(words)
}

fn is_weekday(word: &str) -> bool {
    words(WordClass::Weekday).any(|w| w.eq_ignore_ascii_case(word))
}

/// The place in a statement where a word is being typed, judged by the library's own parser:
/// a word fits when the statement up to it, the word, and something after it fail (if at
/// all) only after the word. Where the grammar takes any word (a weekday, a unit), the
/// word must also mean something there: the phrase it ends, or the phrase completed by the
/// one tail its slot can need (`between X and X`, `started 10 minutes ago`), must lower
/// without an error at the word.
struct Slot<'a> {
    /// The statement before the word.
    prefix: &'a str,
    /// Where the phrase that the word belongs to starts: errors before it are another
    /// phrase's.
    phrase: usize,
    /// Whether the grammar takes any word here (a literal) rather than certain keywords.
    is_literal: bool,
}

/// A word that is no keyword, unit or weekday, to find the slots that take any word.
const NONSENSE: &str = "qzx";

/// Something no phrase can continue with: the parser stops at it, so where it stops tells
/// whether the word before was taken.
const STOP: &str = " \u{a7}";

impl<'a> Slot<'a> {
    fn new(prefix: &'a str) -> Slot<'a> {
        let mut slot = Slot {
            prefix,
            phrase: phrase_start(prefix),
            is_literal: false,
        };
        slot.is_literal = slot.grammar_takes(NONSENSE);
        slot
    }

    /// Whether `word` may stand at the cursor.
    fn takes(&self, word: &str) -> bool {
        if !self.grammar_takes(word) {
            return false;
        }
        if !self.is_literal {
            return true;
        }
        let tails = [String::new(), format!(" and {word}"), " ago".to_owned()];
        tails
            .iter()
            .any(|tail| self.first_error(word, tail).is_none())
    }

    /// Whether the statement cannot end right after `word` (a space should follow it).
    fn needs_more(&self, word: &str) -> bool {
        self.first_error(word, "").is_some()
    }

    /// Whether the parser reads past `word` before it stops.
    fn grammar_takes(&self, word: &str) -> bool {
        let end = self.prefix.len() + word.len();
        self.first_error(word, STOP).is_none_or(|at| at >= end)
    }

    /// Where the first error in the word's phrase starts, for the statement `prefix`,
    /// `word`, `tail`, with its open parentheses closed.
    fn first_error(&self, word: &str, tail: &str) -> Option<usize> {
        let text = closed(&format!("{}{word}{tail}", self.prefix));
        let errors = tminus::Statement::parse(&text).err()?;
        errors
            .errors()
            .iter()
            .map(|e| e.span().start)
            .filter(|&at| at >= self.phrase)
            .min()
    }
}

/// `text` with a `)` for each parenthesis left open (outside quotes).
fn closed(text: &str) -> String {
    let mut depth = 0usize;
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    format!("{text}{}", ")".repeat(depth))
}

/// Where the phrase being typed at the end of `before` starts: after the last operator or
/// parenthesis outside quotes.
fn phrase_start(before: &str) -> usize {
    let mut start = 0;
    let mut quote = None;
    for (i, c) in before.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '&' | '|' | '~' | '(' | ')') => start = i + 1,
            _ => {}
        }
    }
    start
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

    fn found(line: &str) -> Vec<String> {
        complete(line).1
    }

    #[test]
    fn keywords_units_and_weekdays() {
        assert_eq!(complete("dai"), (0, vec!["daily".to_owned()]));
        assert_eq!(complete("daily betw"), (6, vec!["between ".to_owned()]));
        assert_eq!(found("every 10 minu"), ["minute", "minutes"]);
        assert!(found("every 10 ").contains(&"hours".to_owned()));
        assert_eq!(
            complete("weekly on Fr"),
            (10, vec!["Fri".to_owned(), "Friday".to_owned()])
        );
    }

    /// Keywords and units are case-sensitive: no capitalised form that would not parse.
    /// Weekday names are read in any case and keep the capital typed.
    #[test]
    fn only_spellings_that_parse() {
        assert_eq!(found("time of week on Mo"), ["Mon", "Monday"]);
        assert_eq!(found("time of week on mo"), ["mon", "monday"]);
        assert_eq!(found("Tr"), ["true"]);
        assert_eq!(found("Monthl"), ["monthly"]);
        assert_eq!(
            found("every 10 m"),
            ["m", "millisecond", "min", "mins", "minute", "minutes", "ms"]
        );
    }

    /// Only words the grammar takes at the cursor, and only literals that mean something
    /// in their phrase (weekdays in a week, units after a number).
    #[test]
    fn only_words_valid_at_the_cursor() {
        assert_eq!(
            found("daily "),
            ["after ", "before ", "between ", "on ", "starting "]
        );
        assert!(found("daily between ").is_empty());
        assert!(found("time of day on Mo").is_empty());
        let week = found("weekly between ");
        assert_eq!(week.len(), 14, "{week:?}");
        assert!(week.iter().all(|w| w.ends_with(' ')), "{week:?}");
        assert_eq!(found("time of week on ").len(), 14);
        assert_eq!(
            found("after task 'a' "),
            ["failed", "finished", "succeeded"]
        );
        assert_eq!(found("(daily | hou"), ["hourly"]);
        assert_eq!(found("has succeeded i"), ["in "]);
        assert_eq!(
            found("scheduler started 10 minute"),
            ["minute ", "minutes "]
        );
        assert!(
            found("time of wek on Mo").is_empty(),
            "the phrase is already wrong"
        );
    }

    /// A completed word that the statement cannot end with gets its space, unless the line
    /// goes on after the cursor.
    #[test]
    fn a_space_after_words_that_need_more() {
        assert_eq!(found("daily bet"), ["between "]);
        assert_eq!(found("ti"), ["time "]);
        assert_eq!(found("daily & wee"), ["weekly"]);
        assert_eq!(candidates("daily bet 10:00", 9, &[]).1, ["between"]);
    }

    #[test]
    fn task_names_in_quotes() {
        assert_eq!(
            complete("after task 'ex"),
            (11, vec!["'extract'".to_owned()])
        );
        assert_eq!(found("after task "), ["'extract'", "'load'", "'my task'"]);
        assert_eq!(found("after tasks 'a', ").len(), 3);
    }

    #[test]
    fn phrase_starts_offer_starting_words_only() {
        let found = found("daily & ");
        assert!(found.contains(&"every ".to_owned()) && !found.contains(&"between ".to_owned()));
        assert!(found.contains(&"daily".to_owned()), "{found:?}");
    }

    #[test]
    fn commands_then_their_arguments() {
        assert_eq!(complete(":ti"), (0, vec![":timeline".to_owned()]));
        assert_eq!(complete(":run lo"), (5, vec!["load".to_owned()]));
        assert_eq!(found(":success my"), ["'my task'"]);
        assert_eq!(found(":tz Europe/Hel"), ["Europe/Helsinki"]);
        assert!(found(":next 3").is_empty());
    }
}
