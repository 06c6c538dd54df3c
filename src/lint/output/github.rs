//! `--format github`: one GitHub Actions workflow command per finding,
//! `::error file=F,line=L,col=C,title=CODE::MESSAGE`, which the Actions runner turns into
//! an annotation on that line of the pull request. Warnings use `::warning`, notes
//! `::notice`.

use crate::lint::placed::LintRun;
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
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            property(&f.file),
            f.start.line,
            f.start.column,
            property(&d.code),
            data(&message)
        )?;
    }
    Ok(())
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
