//! Statement text traced back to the Python source it was written in.
//!
//! A condition string in a `.py` file is not the statement itself: quotes, prefixes,
//! escapes (`\n` is two source bytes for one value byte), implicit concatenation and
//! resolved constants all stand between them. A [`Traced`] string keeps, for every byte of
//! the statement, the range of file bytes it came from ([`Origin`]), so a diagnostic's
//! span inside the statement becomes a span of the file, and from there a line and column.
//!
//! Decoding is not redone here: the parser already gives each literal part's value, and
//! [`trace_part`] only walks that value against the part's source text, unit by unit.
//! When the two do not line up, every byte of the part maps to the whole part instead.

use std::ops::Range;
use std::rc::Rc;

/// Where a module-level constant was used: a statement byte that came from the constant
/// points into its definition, and through this at the place that used it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use {
    /// The constant's name, e.g. `WINDOW`.
    pub name: String,
    /// File bytes of the name where it was used.
    pub range: Range<usize>,
}

/// Where one byte of a statement came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// File bytes that were written for it (`\n` is two, `é` two, a plain letter one).
    pub range: Range<usize>,
    /// The constant use it came through, if any.
    pub via: Option<Rc<Use>>,
    /// The module `range` is in, when it is not the linted one (a constant imported with
    /// `from schedules import NIGHTLY`).
    pub file: Option<Rc<str>>,
}

/// A statement, or a piece of one, with the origin of each of its bytes.
///
/// Invariant: `origins.len() == text.len()`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Traced {
    text: String,
    origins: Vec<Origin>,
}

/// What kind of literal part is being traced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartKind {
    /// An `r` prefix: backslashes are plain characters.
    pub raw: bool,
    /// A literal element of an f-string: `{{` and `}}` stand for one brace.
    pub fstring: bool,
}

impl Traced {
    /// The statement text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Text whose every byte came from the same file range (a number written as `0x10`,
    /// a literal part that could not be traced).
    pub fn uniform(text: &str, range: Range<usize>) -> Traced {
        let origin = Origin {
            range,
            via: None,
            file: None,
        };
        Traced {
            text: text.to_owned(),
            origins: vec![origin; text.len()],
        }
    }

    /// Appends `other`.
    pub fn push(&mut self, other: Traced) {
        self.text.push_str(&other.text);
        self.origins.extend(other.origins);
    }

    /// The same text, every byte marked as having come through `used`.
    pub fn through(mut self, used: Use) -> Traced {
        let used = Rc::new(used);
        for o in &mut self.origins {
            o.via = Some(used.clone());
        }
        self
    }

    /// The same text, read from another module: every byte not already placed in a module
    /// is placed in `file`.
    pub fn in_module(mut self, file: &Rc<str>) -> Traced {
        for o in &mut self.origins {
            o.file.get_or_insert_with(|| file.clone());
        }
        self
    }

    /// Appends `text`, written for the file bytes `range` (a keyword that stands for the
    /// Python call at `range`, such as `daily between ` for `daily.between(`).
    pub fn push_str(&mut self, text: &str, range: Range<usize>) {
        self.push(Traced::uniform(text, range));
    }

    /// The origin of the byte at `at`.
    pub fn origin(&self, at: usize) -> Option<&Origin> {
        self.origins.get(at)
    }

    /// The file range of the statement bytes `start..end`.
    ///
    /// A span that runs from one literal into another covers the source between them too,
    /// as long as both came the same way and in source order; otherwise it stops at the
    /// end of the run that `start` is in (a constant's definition and its use can be far
    /// apart). An empty span maps to an empty range at its position.
    pub fn file_range(&self, start: usize, end: usize) -> Range<usize> {
        let Some(first) = self.origins.get(start) else {
            let at = self.origins.last().map_or(0, |o| o.range.end);
            return at..at;
        };
        if end <= start {
            return first.range.start..first.range.start;
        }
        let last = self.origins[start..end.min(self.origins.len())]
            .iter()
            .take_while(|o| {
                o.via == first.via && o.file == first.file && o.range.start >= first.range.start
            })
            .last()
            .unwrap_or(first);
        first.range.start..last.range.end.max(first.range.end)
    }
}

/// Traces one literal part: `value` is what the parser decoded from `source`, the text
/// between the quotes, which starts at file byte `start`. Falls back to mapping every
/// byte to the whole part when the two do not line up.
pub fn trace_part(source: &str, start: usize, value: &str, kind: PartKind) -> Traced {
    walk(source, start, value, kind)
        .unwrap_or_else(|| Traced::uniform(value, start..start + source.len()))
}

/// The unit-by-unit walk of [`trace_part`]; `None` at the first mismatch.
fn walk(source: &str, start: usize, value: &str, kind: PartKind) -> Option<Traced> {
    let mut traced = Traced::default();
    let mut at = 0;
    for ch in value.chars() {
        at += continuations(&source[at..], kind);
        let len = unit_len(&source[at..], ch, kind)?;
        let origin = Origin {
            range: start + at..start + at + len,
            via: None,
            file: None,
        };
        traced.text.push(ch);
        traced
            .origins
            .extend(std::iter::repeat_n(origin, ch.len_utf8()));
        at += len;
    }
    at += continuations(&source[at..], kind);
    (at == source.len()).then_some(traced)
}

/// Bytes of backslash-newline line continuations at the start of `rest` (they add nothing
/// to the value).
fn continuations(rest: &str, kind: PartKind) -> usize {
    if kind.raw {
        return 0;
    }
    let mut len = 0;
    loop {
        let r = &rest[len..];
        len += if r.starts_with("\\\r\n") {
            3
        } else if r.starts_with("\\\n") || r.starts_with("\\\r") {
            2
        } else {
            return len;
        };
    }
}

/// How many source bytes at the start of `rest` were written for the value character `ch`.
fn unit_len(rest: &str, ch: char, kind: PartKind) -> Option<usize> {
    if kind.fstring
        && ((ch == '{' && rest.starts_with("{{")) || (ch == '}' && rest.starts_with("}}")))
    {
        return Some(2);
    }
    if !kind.raw && rest.starts_with('\\') {
        if let Some(len) = escape_len(rest) {
            return Some(len);
        }
    }
    if ch == '\n' && rest.starts_with("\r\n") {
        return Some(2);
    }
    if ch == '\n' && rest.starts_with('\r') {
        return Some(1);
    }
    rest.starts_with(ch).then(|| ch.len_utf8())
}

/// The length of the escape sequence at the start of `rest` (which starts with `\`), or
/// `None` when it is not one, so the backslash stands for itself.
fn escape_len(rest: &str) -> Option<usize> {
    let after = &rest.as_bytes()[1..];
    let hex = |n: usize| after.len() > n && after[1..=n].iter().all(u8::is_ascii_hexdigit);
    match after.first()? {
        b'\\' | b'\'' | b'"' | b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' => Some(2),
        b'0'..=b'7' => Some(
            1 + after
                .iter()
                .take(3)
                .take_while(|b| (b'0'..=b'7').contains(b))
                .count(),
        ),
        b'x' if hex(2) => Some(4),
        b'u' if hex(4) => Some(6),
        b'U' if hex(8) => Some(10),
        b'N' if after.get(1) == Some(&b'{') => rest.find('}').map(|i| i + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: PartKind = PartKind {
        raw: false,
        fstring: false,
    };

    /// The file range of each statement byte, as `(start, end)` pairs relative to the part.
    fn ranges(source: &str, value: &str, kind: PartKind) -> Vec<(usize, usize)> {
        let t = trace_part(source, 0, value, kind);
        assert_eq!(t.text(), value);
        t.origins
            .iter()
            .map(|o| (o.range.start, o.range.end))
            .collect()
    }

    #[test]
    fn plain_text_maps_byte_for_byte() {
        assert_eq!(ranges("ab", "ab", PLAIN), [(0, 1), (1, 2)]);
    }

    #[test]
    fn escapes_take_their_source_length() {
        assert_eq!(ranges(r"a\tb", "a\tb", PLAIN), [(0, 1), (1, 3), (3, 4)]);
        assert_eq!(
            ranges(r"\x41\u00e9", "Aé", PLAIN),
            [(0, 4), (4, 10), (4, 10)]
        );
        assert_eq!(ranges(r"\'x", "'x", PLAIN), [(0, 2), (2, 3)]);
    }

    #[test]
    fn an_unknown_escape_keeps_its_backslash() {
        assert_eq!(ranges(r"\d", r"\d", PLAIN), [(0, 1), (1, 2)]);
    }

    #[test]
    fn raw_strings_keep_backslashes() {
        let raw = PartKind {
            raw: true,
            fstring: false,
        };
        assert_eq!(ranges(r"\n", r"\n", raw), [(0, 1), (1, 2)]);
    }

    #[test]
    fn line_continuations_add_nothing() {
        assert_eq!(ranges("a\\\nb", "ab", PLAIN), [(0, 1), (3, 4)]);
    }

    #[test]
    fn fstring_braces_are_doubled() {
        let f = PartKind {
            raw: false,
            fstring: true,
        };
        assert_eq!(ranges("{{x}}", "{x}", f), [(0, 2), (2, 3), (3, 5)]);
    }

    #[test]
    fn a_mismatch_maps_everything_to_the_part() {
        assert_eq!(ranges("abc", "xyz", PLAIN), [(0, 3), (0, 3), (0, 3)]);
    }

    #[test]
    fn spans_stop_where_a_constant_begins() {
        let mut t = trace_part("daily & ", 10, "daily & ", PLAIN);
        let used = Use {
            name: "W".into(),
            range: 30..31,
        };
        t.push(trace_part("true", 50, "true", PLAIN).through(used));
        assert_eq!(t.file_range(0, 5), 10..15);
        assert_eq!(t.file_range(6, 12), 16..18);
        assert_eq!(t.file_range(8, 12), 50..54);
        assert_eq!(t.file_range(12, 12), 54..54);
    }
}
