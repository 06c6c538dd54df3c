//! Draws diagnostics for people with ariadne, into any `io::Write` the caller gives.

use super::{Diagnostic, Severity};
use ariadne::{Color, Config, IndexType, Label, Report, ReportKind, Source};
use std::io;

/// How to draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Use ANSI colours.
    pub color: bool,
}

/// Writes `diagnostic` about `source` (named `name`, e.g. a file name or `<statement>`).
///
/// ```
/// let errors = tminus::Statement::parse("dialy").unwrap_err();
/// let d = tminus::Diagnostic::from(&errors.errors()[0]);
/// let mut out = Vec::new();
/// tminus::render(&d, "dialy", "<statement>", tminus::RenderOptions::default(), &mut out)?;
/// assert!(String::from_utf8(out)?.contains("did you mean `daily`?"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render(
    diagnostic: &Diagnostic,
    source: &str,
    name: &str,
    options: RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let (kind, color) = match diagnostic.severity {
        Severity::Error => (ReportKind::Error, Color::Red),
        Severity::Warning => (ReportKind::Warning, Color::Yellow),
        Severity::Note => (ReportKind::Advice, Color::Cyan),
    };
    // Labels that point past the source or inside a character are moved back to the
    // character's start: the renderer slices the source there.
    let clamp = |at: usize| {
        let mut at = at.min(source.len());
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let primary = diagnostic
        .labels
        .first()
        .map_or(0..0, |l| clamp(l.start)..clamp(l.end));
    let config = Config::default()
        .with_index_type(IndexType::Byte)
        .with_color(options.color);
    let mut report = Report::build(kind, (name, primary))
        .with_config(config)
        .with_code(&diagnostic.code)
        .with_message(&diagnostic.message);
    for (i, label) in diagnostic.labels.iter().enumerate() {
        // ariadne draws no marker for a label without text: the primary one repeats the message.
        let text = match label.message.as_str() {
            "" if i == 0 => diagnostic.message.as_str(),
            text => text,
        };
        let mut l = Label::new((name, clamp(label.start)..clamp(label.end))).with_color(color);
        if !text.is_empty() {
            l = l.with_message(text);
        }
        report = report.with_label(l);
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help);
    }
    report.finish().write((name, Source::from(source)), out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Label as Span;

    #[test]
    fn labels_inside_a_character_or_past_the_end_are_drawn() {
        let d = Diagnostic {
            code: "tminus::syntax".into(),
            severity: Severity::Error,
            message: "bad".into(),
            labels: vec![
                Span {
                    start: 1,
                    end: 2,
                    message: String::new(),
                },
                Span {
                    start: 5,
                    end: 99,
                    message: "here".into(),
                },
            ],
            help: None,
        };
        let mut out = Vec::new();
        render(&d, "\u{FFFD}ab", "x", RenderOptions::default(), &mut out).expect("drawn");
        assert!(String::from_utf8_lossy(&out).contains("bad"));
    }
}
