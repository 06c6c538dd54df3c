//! The linter from Python: `lint_file`, `lint_in_app` (for `tminus.rocketry.lint_app`)
//! and `lint_command` (behind `python -m tminus lint`), all the library's `tminus::lint`.

use crate::diagnostic::{char_offset, Diagnostic};
use crate::statement;
use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::collections::BTreeSet;
use std::io::{self, BufRead, Read};
use std::path::PathBuf;
use tminus::lint::{Io, Placed, Scope};

/// The findings of `tminus lint PATH`: a `.py` file read as Python (the conditions given
/// to Rocketry), any other as one statement per line.
#[pyfunction]
#[pyo3(signature = (path, *, conditions = None))]
pub fn lint_file(
    py: Python<'_>,
    path: PathBuf,
    conditions: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Diagnostic>> {
    let options = statement::options(conditions)?;
    // Reading, parsing and checking a big file: without the GIL.
    let found = py.detach(|| {
        tminus::lint::file(&path, &options).map(|run| run.findings.iter().map(placed).collect())
    });
    found.map_err(PyOSError::new_err)
}

/// A placed finding as a `Diagnostic`: offsets into its statement (or, for a finding
/// about the file, into the text it is drawn against), line and column in the file.
fn placed(p: &Placed) -> Diagnostic {
    let (statement, core) = match &p.statement {
        Some(s) => (s.as_str(), p.diagnostic.clone()),
        None => (&*p.text, p.placed()),
    };
    let mut d = Diagnostic::new(&core, statement);
    if p.statement.is_none() {
        // Not about a statement: keep the offsets, but no statement text to index.
        d.statement = String::new();
        let chars = |byte: usize| char_offset(&p.text, byte);
        d.start = chars(core.labels.first().map_or(0, |l| l.start));
        d.end = chars(core.labels.first().map_or(0, |l| l.end));
    }
    d.path = Some(p.file.to_string());
    d.line = Some(p.start.line);
    d.column = Some(p.start.column);
    d
}

/// `lint`, plus a warning for each task or condition name that the app does not define.
#[pyfunction]
#[pyo3(signature = (text, *, conditions = None, tasks = None))]
pub fn lint_in_app(
    py: Python<'_>,
    text: &str,
    conditions: Option<&Bound<'_, PyAny>>,
    tasks: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Diagnostic>> {
    let options = statement::options(conditions)?;
    let phrases: BTreeSet<String> = options.registered().map(str::to_owned).collect();
    let tasks: BTreeSet<String> = crate::history::names(tasks, "tasks")?.into_iter().collect();
    Ok(py.detach(|| {
        let found = tminus::lint::app_statement(text, &options, &phrases, &tasks, Scope::App);
        found.iter().map(|d| Diagnostic::new(d, text)).collect()
    }))
}

/// `tminus lint ARGV...` as the binary runs it: `(exit code, stdout, stderr)`. `stdin`, a
/// callable returning bytes, is called only if the run reads standard input.
#[pyfunction]
#[pyo3(signature = (argv, *, stdin = None, color = false))]
pub fn lint_command(
    py: Python<'_>,
    argv: Vec<String>,
    stdin: Option<Py<PyAny>>,
    color: bool,
) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input = LazyInput {
        read: stdin,
        bytes: Vec::new(),
        at: 0,
    };
    // The run touches Python only to read stdin, and attaches for that.
    let code = py.detach(|| {
        let io = Io {
            stdin: &mut input,
            out: &mut out,
            err: &mut err,
            color,
        };
        tminus::lint::main(argv, io)
    });
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// Standard input from a Python callable, called at the first read (an argument list
/// that does not read stdin never blocks on it).
struct LazyInput {
    read: Option<Py<PyAny>>,
    bytes: Vec<u8>,
    at: usize,
}

impl LazyInput {
    fn load(&mut self) -> io::Result<()> {
        let Some(read) = self.read.take() else {
            return Ok(());
        };
        self.bytes = Python::attach(|py| -> PyResult<Vec<u8>> {
            let got = read.call0(py)?;
            let bytes = got
                .bind(py)
                .cast::<PyBytes>()
                .map_err(|_| PyTypeError::new_err("stdin() must return bytes"))?;
            Ok(bytes.as_bytes().to_vec())
        })
        .map_err(|e| io::Error::other(e.to_string()))?;
        Ok(())
    }
}

impl Read for LazyInput {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for LazyInput {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.load()?;
        Ok(&self.bytes[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.bytes.len());
    }
}
