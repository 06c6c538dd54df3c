//! Text to AST: the statement grammar (`grammar/tminus.pest`), the checks that run before
//! it (size, characters, parentheses, nesting), and the [`Span`] every later stage uses
//! (defined in `src/span.rs`, below every stage).

pub mod ast;
mod expected;
mod parser;

pub use parser::{diagnose_phrase, parse_duration, parse_expr};

use crate::error::{Error, ErrorKind};
pub use crate::span::Span;

/// The longest statement accepted, in bytes. Real statements are a few hundred bytes; the
/// limit keeps every later pass linear-time on hostile input.
pub const MAX_LEN: usize = 64 * 1024;

/// The deepest nesting of parentheses and `~` accepted. Later passes recurse over the tree,
/// so this bounds their stack use.
pub const MAX_DEPTH: usize = 64;

/// Checks what the grammar cannot check cheaply: size, control characters, balanced
/// parentheses (outside quotes) and nesting depth.
pub fn precheck(text: &str) -> Result<(), Error> {
    if let Some((at, c)) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(Error::new(
            ErrorKind::InvalidChar,
            Span::at(at, c.len_utf8()),
            format!("control character U+{:04X} is not allowed", c as u32),
        )
        .with_help("remove it; statements are plain text"));
    }
    check_parentheses(text)?;
    if text.len() > MAX_LEN {
        return Err(Error::new(
            ErrorKind::TooLong,
            Span::new(MAX_LEN, text.len()),
            format!(
                "statement is {} bytes long, the limit is {MAX_LEN} bytes",
                text.len()
            ),
        ));
    }
    Ok(())
}

/// Finds an unmatched parenthesis (quotes are skipped) or nesting deeper than [`MAX_DEPTH`].
fn check_parentheses(text: &str) -> Result<(), Error> {
    let mut open: Vec<usize> = Vec::new();
    let mut quote: Option<char> = None;
    let mut nots = 0usize;
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => open.push(at),
            // The guard pops the matching `(`; only a `)` with nothing to pop is an error.
            (None, ')') if open.pop().is_none() => return Err(unmatched_close(at)),
            (None, '~') => nots += 1,
            (None, '&' | '|') => nots = 0,
            _ => {}
        }
        if open.len() + nots > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::NestingLimit,
                Span::at(at, 1),
                format!("nesting is deeper than {MAX_DEPTH} levels"),
            )
            .with_help("flatten the statement; deep nesting is never needed"));
        }
    }
    match open.last() {
        Some(&at) => Err(Error::new(
            ErrorKind::UnbalancedParen,
            Span::at(at, 1),
            "this `(` is never closed",
        )
        .with_help("add a `)` where the group ends")),
        None => Ok(()),
    }
}

fn unmatched_close(at: usize) -> Error {
    Error::new(
        ErrorKind::UnbalancedParen,
        Span::at(at, 1),
        "this `)` has no matching `(`",
    )
    .with_help("remove it, or add the `(` that it closes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<ErrorKind> {
        precheck(text).err().map(|e| e.kind())
    }

    #[test]
    fn unmatched_open_points_at_it() {
        let e = precheck("(true & (false)").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnbalancedParen);
        assert_eq!(e.span(), Span::new(0, 1));
    }

    #[test]
    fn unmatched_close_points_at_it() {
        let e = precheck("(true))").unwrap_err();
        assert_eq!(e.span(), Span::new(6, 7));
    }

    #[test]
    fn quotes_hide_parentheses() {
        assert_eq!(kind("task 'a(b' is running"), None);
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let deep = "(".repeat(100_000) + "true" + &")".repeat(100_000);
        assert_eq!(kind(&deep), Some(ErrorKind::NestingLimit));
        let nots = "~".repeat(1000) + "true";
        assert_eq!(kind(&nots), Some(ErrorKind::NestingLimit));
    }

    #[test]
    fn control_characters_and_size() {
        assert_eq!(kind("true\0"), Some(ErrorKind::InvalidChar));
        assert_eq!(kind(&"x".repeat(MAX_LEN + 1)), Some(ErrorKind::TooLong));
        assert_eq!(kind("(true)\n| false"), None);
    }
}
