//! Placed diagnostics: each diagnostic of a lint run placed in the input it is about
//! (not to be confused with the optimizer's `tminus::opt::Finding`, a proved fact).
//!
//! The library's [`Diagnostic`] points at bytes of one statement. A lint run reports
//! statements found in text files, Python files and `-e` arguments, so each diagnostic is
//! paired with the text it is drawn against (the whole file when there is one) and the
//! 1-based line and column of its primary label in that file, computed once here for
//! every output format.

use crate::{Diagnostic, Label, Severity};
use std::rc::Rc;

/// A 1-based line and column (counted in characters) in an input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One diagnostic of a lint run, placed in its input.
#[derive(Clone, Debug)]
pub struct Placed {
    /// The input's name as given (a path, `<stdin>` or `<expr N>`).
    pub file: Rc<str>,
    /// The text the [`Placed::labels`] point into: the whole file, or the statement alone.
    pub text: Rc<str>,
    /// The diagnostic as the library made it: labels are byte offsets into `statement`
    /// (none when the finding is about the file rather than a statement).
    pub diagnostic: Diagnostic,
    /// The statement checked, when the finding is about one.
    pub statement: Option<String>,
    /// The labels as byte offsets into `text`, the first one primary.
    pub labels: Vec<Label>,
    /// Where the primary label starts.
    pub start: Position,
    /// Where the primary label ends (exclusive).
    pub end: Position,
    /// Other places the finding is about: the definition of a constant used where the
    /// finding is.
    pub related: Vec<Related>,
}

/// A place related to a finding, in its file or another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The file it is in.
    pub file: Rc<str>,
    /// Its bytes in that file.
    pub range: std::ops::Range<usize>,
    /// Where it starts.
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
    /// What it is, e.g. "`LUNCH` is defined here; ...".
    pub message: String,
}

impl Placed {
    /// How serious it is.
    pub fn severity(&self) -> Severity {
        self.diagnostic.severity
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: &str) -> Placed {
        self.diagnostic.help = Some(help.to_owned());
        self
    }

    /// The diagnostic with its labels moved into [`Placed::text`], ready to render; the
    /// related places in the same file are secondary labels.
    pub fn placed(&self) -> Diagnostic {
        let related = self.related.iter().filter(|r| r.file == self.file);
        let labels = self.labels.iter().cloned().chain(related.map(|r| Label {
            start: r.range.start,
            end: r.range.end,
            message: r.message.clone(),
        }));
        Diagnostic {
            labels: labels.collect(),
            ..self.diagnostic.clone()
        }
    }

    /// The related places in other files than the finding's.
    pub fn elsewhere(&self) -> impl Iterator<Item = &Related> {
        self.related.iter().filter(|r| r.file != self.file)
    }
}

/// What a lint run found, for the output formats.
#[derive(Debug, Default)]
pub struct LintRun {
    /// Inputs read (files, stdin and `-e` statements).
    pub files: usize,
    /// Statements checked.
    pub statements: usize,
    /// Findings, grouped by input in the order given, in source order within one.
    pub findings: Vec<Placed>,
}

/// The characters that end a line, as the text renderer (ariadne) counts them: `\r\n`
/// is one line end, and so is a lone `\r`, so that every output format numbers lines alike.
const LINE_ENDS: [char; 7] = [
    '\r', '\n', '\x0B', '\x0C', '\u{0085}', '\u{2028}', '\u{2029}',
];

/// Byte offsets to lines and columns of one text.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        let mut ends = text.match_indices(LINE_ENDS).peekable();
        while let Some((i, end)) = ends.next() {
            let mut next = i + end.len();
            if end == "\r" && text[next..].starts_with('\n') {
                ends.next();
                next += 1;
            }
            starts.push(next);
        }
        LineIndex { text, starts }
    }

    /// The position of byte `at` (clamped to the text; a byte inside a character counts as
    /// that character).
    pub fn position(&self, at: usize) -> Position {
        let at = at.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= at) - 1;
        let start = self.starts[line];
        let column = self.text[start..]
            .char_indices()
            .take_while(|(i, c)| start + i + c.len_utf8() <= at)
            .count();
        Position {
            line: line + 1,
            column: column + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let index = LineIndex::new("ab\né x\n");
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(3), Position { line: 2, column: 1 });
        assert_eq!(index.position(4), Position { line: 2, column: 1 });
        assert_eq!(index.position(6), Position { line: 2, column: 3 });
        assert_eq!(index.position(99), Position { line: 3, column: 1 });
    }

    #[test]
    fn lone_carriage_returns_and_crlf_end_lines() {
        let index = LineIndex::new("a\rb\r\nc\x0Cd");
        assert_eq!(index.position(2), Position { line: 2, column: 1 });
        assert_eq!(index.position(5), Position { line: 3, column: 1 });
        assert_eq!(index.position(7), Position { line: 4, column: 1 });
    }
}
