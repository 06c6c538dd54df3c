//! Statements given on the command line (`-e`) and text files of statements (one per
//! line, `#` comments), each finding placed in the text it is drawn against.

use super::placed::{LineIndex, Placed};
use crate::{Diagnostic, Label, ParseOptions};
use std::rc::Rc;

/// A `-e` statement: drawn on its own, as `<expr N>`.
pub(super) fn lint_expr(
    index: usize,
    statement: &str,
    options: &ParseOptions,
) -> (usize, Vec<Placed>) {
    let file: Rc<str> = format!("<expr {index}>").into();
    let text: Rc<str> = statement.into();
    let lines = LineIndex::new(statement);
    let findings = check(statement.as_bytes(), options)
        .into_iter()
        .map(|d| {
            let (start, end) = primary(&d);
            let (start, end) = (lines.position(start), lines.position(end));
            let labels = d.labels.clone();
            Placed {
                file: file.clone(),
                text: text.clone(),
                diagnostic: d,
                statement: Some(statement.to_owned()),
                labels,
                start,
                end,
                related: Vec::new(),
            }
        })
        .collect();
    (1, findings)
}

fn primary(d: &Diagnostic) -> (usize, usize) {
    d.labels.first().map_or((0, 0), |l| (l.start, l.end))
}

/// The UTF-8 byte-order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A text file: every line that is neither blank nor a `#` comment is a statement.
///
/// A leading byte-order mark is skipped, and a line ends at `\n`, `\r\n` or a lone `\r`.
/// Findings are drawn against the whole file; bytes that are not UTF-8 are shown as
/// U+FFFD, with the labels moved to match.
pub(super) fn lint_text(file: &str, bytes: &[u8], options: &ParseOptions) -> (usize, Vec<Placed>) {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut shown = String::with_capacity(bytes.len());
    let mut lines = Vec::new();
    for (line, end) in text_lines(bytes) {
        let text = String::from_utf8_lossy(line);
        lines.push((line, shown.len(), text.len()));
        shown.push_str(&text);
        shown.push_str(&String::from_utf8_lossy(end));
    }
    let (file, shown): (Rc<str>, Rc<str>) = (file.into(), shown.into());
    let index = LineIndex::new(&shown);
    let (mut statements, mut findings) = (0, Vec::new());
    for (raw, at, len) in lines {
        let line = &shown[at..at + len];
        if line.trim().is_empty() || line.trim().starts_with('#') {
            continue;
        }
        statements += 1;
        for mut d in check(raw, options) {
            for l in &mut d.labels {
                l.start = shown_offset(raw, line, l.start);
                l.end = shown_offset(raw, line, l.end).max(l.start);
            }
            let labels: Vec<Label> = d
                .labels
                .iter()
                .map(|l| Label {
                    start: l.start + at,
                    end: l.end + at,
                    message: l.message.clone(),
                })
                .collect();
            let (start, end) = primary(&d);
            findings.push(Placed {
                file: file.clone(),
                text: shown.clone(),
                statement: Some(line.to_owned()),
                start: index.position(start + at),
                end: index.position(end + at),
                diagnostic: d,
                labels,
                related: Vec::new(),
            });
        }
    }
    (statements, findings)
}

/// The lines of `bytes` with their line ends (`\n`, `\r\n`, a lone `\r`, or none at the end).
fn text_lines(bytes: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let end_len = match &rest[cut..] {
            [b'\r', b'\n', ..] => 2,
            [] => 0,
            _ => 1,
        };
        let (line, after) = rest.split_at(cut);
        let (end, after) = after.split_at(end_len);
        rest = after;
        Some((line, end))
    })
}

/// Where byte `at` of the raw line `raw` falls in `shown`, the line with its bytes that
/// are not UTF-8 replaced: on a character boundary, never past the end.
fn shown_offset(raw: &[u8], shown: &str, at: usize) -> usize {
    let mut at = String::from_utf8_lossy(&raw[..at.min(raw.len())])
        .len()
        .min(shown.len());
    while !shown.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Every diagnostic of one statement, worded for the command line.
fn check(bytes: &[u8], options: &ParseOptions) -> Vec<Diagnostic> {
    crate::check(bytes, options)
        .1
        .into_iter()
        .map(|d| super::for_command_line(d, bytes))
        .collect()
}
