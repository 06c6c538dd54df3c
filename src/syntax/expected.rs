//! The error for a parse that stopped: the word it stopped at, what could stand there, and
//! a help line for the common mistakes (or a did-you-mean among the expected words).

use crate::diag::suggest::{closest, did_you_mean};
use crate::error::{Error, ErrorKind};
use crate::span::Span;

/// The piece of text at `at` that an error should point at: a run of characters up to a
/// space, an operator or a parenthesis.
pub fn word_at(text: &str, at: usize) -> Span {
    let rest = text.get(at..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_whitespace() || "&|~()".contains(c))
        .unwrap_or(rest.len());
    let len = if len == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        len
    };
    Span::at(at, len)
}

/// The error for a parse that stopped at byte `at`, where the grammar expected one of
/// `expected` (already quoted, e.g. "`between`").
pub fn unexpected(text: &str, at: usize, expected: &[&str]) -> Error {
    let list = expected_list(expected);
    if at >= text.len() {
        let last = text.trim_end().char_indices().last().map_or(0, |(i, _)| i);
        let span = Span::at(last, text[last..].chars().next().map_or(0, char::len_utf8));
        let e = Error::new(ErrorKind::Syntax, span, "the statement ends too early");
        return if list.is_empty() {
            e
        } else {
            e.with_label(span, format!("expected {list} after this"))
        };
    }
    let rest = &text[at..];
    if rest.starts_with([' ', '\t', '\n', '\r']) {
        return unexpected_space(text, at, &list);
    }
    let before = &text[..at];
    let run = before.len() - before.trim_end().len();
    let inside_phrase = before
        .trim_end()
        .ends_with(|c: char| c.is_alphanumeric() || "'\"*".contains(c))
        && rest.starts_with(|c: char| c.is_alphanumeric());
    if inside_phrase && (run > 1 || before.ends_with(['\t', '\n', '\r'])) {
        return unexpected_space(text, at - run + 1, &list);
    }
    let span = word_at(text, at);
    let found = &text[span.start..span.end];
    let mut e = Error::new(ErrorKind::Syntax, span, format!("unexpected `{found}`"));
    if !list.is_empty() {
        e = e.with_label(span, format!("expected {list}"));
    }
    match hint(text, at, found, expected) {
        Some(h) => e.with_help(h),
        None => e,
    }
}

fn unexpected_space(text: &str, at: usize, list: &str) -> Error {
    let len = text[at..].len() - text[at..].trim_start().len();
    let span = Span::at(at, len);
    let double = at > 0 && text[..at].ends_with(' ');
    if double || len > 1 || !text[at..].starts_with(' ') {
        return Error::new(
            ErrorKind::Syntax,
            span,
            "words must be separated by exactly one space",
        )
        .with_help("Rocketry matches phrases exactly: remove the extra white space");
    }
    let e = Error::new(ErrorKind::Syntax, span, "unexpected space");
    if list.is_empty() {
        e
    } else {
        e.with_help(format!("expected {list} here"))
    }
}

/// "`a`, `b` or `c`"; a long list (the start of any phrase) is summed up as "a phrase".
fn expected_list(expected: &[&str]) -> String {
    if expected.len() > 8 {
        return "a phrase such as `daily` or `every 10 minutes`".into();
    }
    let shown: Vec<String> = expected.iter().map(|e| shown(e)).collect();
    match shown.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A help line for common mistakes, else a did-you-mean among the expected keywords, else
/// a reminder that phrases are joined by operators.
fn hint(text: &str, at: usize, found: &str, expected: &[&str]) -> Option<String> {
    let word = found.trim_end_matches(|c: char| !c.is_alphanumeric());
    let operator_expected = expected.contains(&"&");
    if at > 0 && text[..at].ends_with(['\'', '"']) && found.starts_with(char::is_alphanumeric) {
        return Some(
            "a quote inside a name ends it: write the name in double quotes, e.g. \"it's\"".into(),
        );
    }
    if found.starts_with(',') {
        return Some("separate task names with a comma and one space: 'a', 'b'".into());
    }
    let special = match word {
        "and" | "or" | "not" if operator_expected => Some("write `&` for and, `|` for or and `~` for not"),
        "not" => Some("negate a whole phrase with `~`, e.g. `~task 'a' is running`"),
        "at" => Some("there is no `at`: `daily on 10:00` holds from 10:00 to 11:00, `daily after 10:00` from 10:00 on"),
        "terminated" | "started" => {
            Some("`after task` takes `succeeded`, `failed` or `finished`; for other states use `task 'a' has terminated`")
        }
        _ => None,
    };
    if let Some(s) = special {
        return Some(s.to_owned());
    }
    let words = expected.iter().copied().filter(|e| !e.contains(' '));
    if let Some(w) = closest(word, words) {
        return Some(did_you_mean(word, w));
    }
    if found.starts_with(['&', '|']) {
        return Some("an operator needs a phrase on each side".into());
    }
    operator_expected.then(|| "join two phrases with `&` or `|`".to_owned())
}

/// How an expected item is shown: words and operators in backquotes, descriptions (which
/// have spaces) as they are.
fn shown(item: &str) -> String {
    if item.contains(' ') {
        item.to_owned()
    } else {
        format!("`{item}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_double_space_is_named() {
        let e = unexpected("daily  between 10:00 and 12:00", 6, &["between"]);
        assert_eq!(e.span(), Span::new(6, 7));
        assert!(e.message().contains("exactly one space"));
    }
}
