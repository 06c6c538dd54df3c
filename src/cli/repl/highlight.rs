//! Syntax highlighting of statements as they are typed: a logos lexer cuts the line into
//! tokens, each word is classed with the library's vocabulary table
//! (`tminus::diag::suggest::VOCABULARY`, the one did-you-mean uses), and each class gets an
//! ANSI colour. Words the language does not know, unclosed quotes and stray characters are
//! red. The lexer is total: every byte of the line is either inside a token or white space
//! copied as it is, so the painted line shows exactly the text typed.

use logos::Logos;
use std::ops::Range;
use tminus::diag::suggest::{WordClass, VOCABULARY};

/// The shapes of text in a statement; classes are decided afterwards, with context.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n]+")]
enum Token {
    /// `daily`, `Monday`, `file_exists`.
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Word,
    /// `10:00`, `9:05:30.25`, `00:10:00`.
    #[regex(r"[0-9]+:[0-9]+(:[0-9]+(\.[0-9]+)?)?")]
    Clock,
    /// `10`, `1.5`.
    #[regex(r"[0-9]+(\.[0-9]+)?")]
    Number,
    /// A number with letters glued on: `10am`, `15th`, `10m`, `3q`.
    #[regex(r"[0-9]+(\.[0-9]+)?[A-Za-z]+")]
    Suffixed,
    /// `'extract'`, `"it's"`.
    #[regex(r"'[^']*'")]
    #[regex(r#""[^"]*""#)]
    Name,
    /// A quote not closed (yet).
    #[regex(r"'[^']*")]
    #[regex(r#""[^"]*"#)]
    OpenName,
    /// `&`, `|`, `~`.
    #[token("&")]
    #[token("|")]
    #[token("~")]
    Operator,
    /// `(`, `)`.
    #[token("(")]
    #[token(")")]
    Paren,
    /// Cron and duration punctuation: `*/2`, `1-5`, `FRI#3`, `@daily`, `+10 minutes`, `15.`.
    #[regex(r"[*/,?#@+\-.]")]
    Symbol,
}

/// What a piece of the line is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A grammar keyword: `daily`, `between`, `task`.
    Keyword,
    /// A duration or number: `10`, `minutes`, `1h`.
    Quantity,
    /// A weekday, a time of day or a day of the month: `Mon`, `10:00`, `10am`, `15th`.
    Point,
    /// A quoted name: `'extract'`.
    Name,
    /// `&`, `|`, `~`.
    Operator,
    /// Parentheses, punctuation and registered custom predicates.
    Plain,
    /// The fields of a cron expression.
    Cron,
    /// Not part of the language: an unknown word, an unclosed quote, a stray character.
    Error,
}

impl Style {
    /// The ANSI SGR parameters of the style, `None` for the terminal's default.
    fn sgr(self) -> Option<&'static str> {
        match self {
            Style::Keyword => Some("1;34"),
            Style::Quantity => Some("33"),
            Style::Point => Some("36"),
            Style::Name => Some("32"),
            Style::Operator => Some("1"),
            Style::Cron => Some("35"),
            Style::Error => Some("1;31"),
            Style::Plain => None,
        }
    }
}

/// The styled pieces of `line`, in order, white space left out. `custom` holds the words
/// of registered custom predicates, which are not errors.
pub fn styles(line: &str, custom: &[String]) -> Vec<(Range<usize>, Style)> {
    let mut out = Vec::new();
    let mut in_cron = false;
    for (token, span) in Token::lexer(line).spanned() {
        let text = &line[span.clone()];
        let style = match token {
            Ok(Token::Operator) | Ok(Token::Paren) => {
                in_cron = false;
                if token == Ok(Token::Operator) {
                    Style::Operator
                } else {
                    Style::Plain
                }
            }
            _ if in_cron => Style::Cron,
            // The word being typed at the end of the line is not red while it can still
            // become a word of the language.
            Ok(Token::Word) => match word(text, custom) {
                Style::Error if span.end == line.len() && is_prefix_of_a_word(text) => Style::Plain,
                style => style,
            },
            Ok(Token::Clock) => Style::Point,
            Ok(Token::Number) => Style::Quantity,
            Ok(Token::Suffixed) => suffixed(text),
            Ok(Token::Name) => Style::Name,
            Ok(Token::Symbol) => Style::Plain,
            Ok(Token::OpenName) | Err(()) => Style::Error,
        };
        in_cron |= token == Ok(Token::Word) && text == "cron";
        out.push((span, style));
    }
    out
}

/// The style of a word: keywords and units as the grammar spells them, weekdays and
/// `am`/`pm` in any case.
fn word(text: &str, custom: &[String]) -> Style {
    let class = VOCABULARY.iter().find(|(w, c)| match c {
        WordClass::Weekday => w.eq_ignore_ascii_case(text),
        _ => *w == text,
    });
    match class.map(|(_, c)| c) {
        Some(
            WordClass::Keyword
            | WordClass::Start
            | WordClass::Cycle
            | WordClass::Scope
            | WordClass::TaskAction
            | WordClass::Outcome,
        ) => Style::Keyword,
        Some(WordClass::Unit) => Style::Quantity,
        Some(WordClass::Weekday) => Style::Point,
        None if is_meridiem(text) || is_quarter(text) => Style::Point,
        None if custom.iter().any(|c| c == text) => Style::Plain,
        None => Style::Error,
    }
}

/// The style of a number with a suffix: `10am` and `15th` are points, `10m` a quantity.
fn suffixed(text: &str) -> Style {
    let suffix = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let ordinal = ["st", "nd", "rd", "th"]
        .iter()
        .any(|o| o.eq_ignore_ascii_case(suffix));
    let unit = VOCABULARY
        .iter()
        .any(|(w, c)| *c == WordClass::Unit && *w == suffix);
    if ordinal || is_meridiem(suffix) || is_quarter(suffix) {
        Style::Point
    } else if unit {
        Style::Quantity
    } else {
        Style::Error
    }
}

/// Whether some word of the vocabulary starts with `text` (`dai` for `daily`).
fn is_prefix_of_a_word(text: &str) -> bool {
    VOCABULARY.iter().any(|(w, c)| match c {
        WordClass::Weekday => w.len() >= text.len() && w[..text.len()].eq_ignore_ascii_case(text),
        _ => w.starts_with(text),
    })
}

fn is_meridiem(text: &str) -> bool {
    text.eq_ignore_ascii_case("am") || text.eq_ignore_ascii_case("pm")
}

fn is_quarter(text: &str) -> bool {
    ["q", "quarter", "quarters"]
        .iter()
        .any(|q| q.eq_ignore_ascii_case(text))
}

/// `line` with ANSI colours; `:` commands get only their name in bold.
pub fn paint(line: &str, custom: &[String]) -> String {
    if line.trim_start().starts_with(':') {
        let end = line.find(char::is_whitespace).unwrap_or(line.len());
        return format!("\x1b[1m{}\x1b[0m{}", &line[..end], &line[end..]);
    }
    paint_from(line, 0, custom)
}

/// `line`, a continuation line of the statement begun in `before`, with ANSI colours: the
/// words are classed in the whole statement (a unit after a number on the line above, a
/// quote opened there), and only `line` is painted.
pub fn paint_continued(before: &str, line: &str, custom: &[String]) -> String {
    if before.is_empty() {
        return paint(line, custom);
    }
    let text = format!("{before}\n{line}");
    paint_from(&text, before.len() + 1, custom)
}

/// `text[from..]` painted with the styles found in the whole of `text`.
fn paint_from(text: &str, from: usize, custom: &[String]) -> String {
    let mut out = String::with_capacity((text.len() - from) * 2);
    let mut at = from;
    for (span, style) in styles(text, custom) {
        if span.end <= from {
            continue;
        }
        let span = span.start.max(from)..span.end;
        out.push_str(&text[at..span.start]);
        match style.sgr() {
            Some(sgr) => out.push_str(&format!("\x1b[{sgr}m{}\x1b[0m", &text[span.clone()])),
            None => out.push_str(&text[span.clone()]),
        }
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each piece as `text:style`.
    fn pieces(line: &str) -> Vec<String> {
        styles(line, &["file_exists".to_owned()])
            .into_iter()
            .map(|(span, style)| format!("{}:{style:?}", &line[span]))
            .collect()
    }

    #[test]
    fn classes_of_a_statement() {
        assert_eq!(
            pieces("daily between 10am and 12:00 & ~task 'report' is running"),
            [
                "daily:Keyword",
                "between:Keyword",
                "10am:Point",
                "and:Keyword",
                "12:00:Point",
                "&:Operator",
                "~:Operator",
                "task:Keyword",
                "'report':Name",
                "is:Keyword",
                "running:Keyword",
            ]
        );
    }

    #[test]
    fn quantities_weekdays_and_cron() {
        assert_eq!(
            pieces("every 1h 30 minutes | weekly on Mon"),
            [
                "every:Keyword",
                "1h:Quantity",
                "30:Quantity",
                "minutes:Quantity",
                "|:Operator",
                "weekly:Keyword",
                "on:Keyword",
                "Mon:Point"
            ]
        );
        assert_eq!(
            pieces("cron */5 * * * MON & (true)"),
            [
                "cron:Keyword",
                "*:Cron",
                "/:Cron",
                "5:Cron",
                "*:Cron",
                "*:Cron",
                "*:Cron",
                "MON:Cron",
                "&:Operator",
                "(:Plain",
                "true:Keyword",
                "):Plain"
            ]
        );
    }

    #[test]
    fn unknown_words_and_open_quotes_are_errors() {
        assert_eq!(pieces("dialy"), ["dialy:Error"]);
        assert_eq!(pieces("dai"), ["dai:Plain"], "still being typed");
        assert_eq!(
            pieces("dai & true"),
            ["dai:Error", "&:Operator", "true:Keyword"]
        );
        assert_eq!(
            pieces("after task 'ext"),
            ["after:Keyword", "task:Keyword", "'ext:Error"]
        );
        assert_eq!(pieces("daily $"), ["daily:Keyword", "$:Error"]);
        assert_eq!(pieces("file_exists('a.csv')")[0], "file_exists:Plain");
    }

    #[test]
    fn painting_keeps_the_text() {
        let line = "daily  between 10:00 and 12:00 & dialy";
        let painted = paint(line, &[]);
        let plain: String = strip_ansi(&painted);
        assert_eq!(plain, line);
        assert!(painted.contains("\x1b[1;31mdialy\x1b[0m"));
    }

    #[test]
    fn a_continuation_line_is_classed_in_its_statement() {
        let painted = paint_continued("(every 10", "minutes) & dialy", &[]);
        assert_eq!(strip_ansi(&painted), "minutes) & dialy");
        let whole = paint("(every 10\nminutes) & dialy", &[]);
        assert!(whole.ends_with(&painted), "{whole:?} vs {painted:?}");
        assert!(painted.contains("\x1b[1;31mdialy\x1b[0m"));
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                chars.by_ref().find(|c| *c == 'm');
            } else {
                out.push(c);
            }
        }
        out
    }
}
