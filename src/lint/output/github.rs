//! `--format github`: one GitHub Actions workflow command per finding,
//! `::error file=F,line=L,col=C,title=CODE::MESSAGE`, which the Actions runner turns into
//! an annotation on that line of the pull request. Warnings use `::warning`, notes
//! `::notice`. A finding inside a constant is placed where the constant is used, and a
//! second `::notice` marks the constant's definition (its related location).

use crate::lint::placed::{LintRun, Position};
use crate::Severity;
use std::io::{self, Write};

/// Writes every finding of `run` as a workflow command.
pub fn write(run: &LintRun, out: &mut dyn Write) -> io::Result<()> {
    for f in &run.findings {
        let command = match f.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let d = &f.diagnostic;
        let message = match &d.help {
            Some(help) => format!("{}\nhelp: {help}", d.message),
            None => d.message.clone(),
        };
        annotate(out, command, &f.file, f.start, &d.code, &message)?;
        for r in &f.related {
            let message = format!(
                "{}: {} (used at {}:{}:{})",
                d.message, r.message, f.file, f.start.line, f.start.column
            );
            annotate(out, "notice", &r.file, r.start, &d.code, &message)?;
        }
    }
    Ok(())
}

/// One workflow command: `::COMMAND file=F,line=L,col=C,title=CODE::MESSAGE`.
fn annotate(
    out: &mut dyn Write,
    command: &str,
    file: &str,
    at: Position,
    code: &str,
    message: &str,
) -> io::Result<()> {
    writeln!(
        out,
        "::{command} file={},line={},col={},title={}::{}",
        property(file),
        at.line,
        at.column,
        property(code),
        data(message)
    )
}

/// Escapes a command's message: `%`, CR and LF would end or garble it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as [`data`], and `:` and `,`, which separate properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_escaped() {
        assert_eq!(property("tminus::unknown-unit"), "tminus%3A%3Aunknown-unit");
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
    }
}
