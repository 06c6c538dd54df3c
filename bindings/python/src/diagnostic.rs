//! `tminus.Diagnostic`, `tminus.ParseError` and `tminus.lint`: the core's diagnostics
//! with character offsets (Python indexes strings by character, the core by byte).

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use tminus::{ParseOptions, RenderOptions};

create_exception!(
    tminus,
    ParseError,
    PyValueError,
    "A statement that does not parse; `.diagnostics` lists why, `str()` draws them."
);

/// One finding about a statement: an error, a warning or a note.
#[pyclass(module = "tminus", frozen, eq, get_all)]
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Stable code, e.g. `tminus::unknown-unit`.
    pub code: String,
    /// `"error"`, `"warning"` or `"note"`.
    pub severity: String,
    /// Short, lower case, no final period.
    pub message: String,
    /// Character offset of the primary span in the statement.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// How to fix it, when known.
    pub help: Option<String>,
    /// Every labelled span: `(start, end, message)` in characters, the primary one first.
    pub labels: Vec<(usize, usize, String)>,
    /// The statement it is about.
    pub statement: String,
    /// For `lint_file`: the file; otherwise `None`.
    pub path: Option<String>,
    /// For `lint_file`: 1-based line of the primary span in the file.
    pub line: Option<usize>,
    /// For `lint_file`: 1-based column (in characters) of the primary span in the file.
    pub column: Option<usize>,
}

#[pymethods]
impl Diagnostic {
    /// A diagnostic made in Python (integrations report their own findings with it).
    #[new]
    #[pyo3(signature = (code, severity, message, *, start = 0, end = 0, help = None, labels = None, statement = String::new(), path = None, line = None, column = None))]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        code: String,
        severity: String,
        message: String,
        start: usize,
        end: usize,
        help: Option<String>,
        labels: Option<Vec<(usize, usize, String)>>,
        statement: String,
        path: Option<String>,
        line: Option<usize>,
        column: Option<usize>,
    ) -> PyResult<Self> {
        if !matches!(severity.as_str(), "error" | "warning" | "note") {
            return Err(PyValueError::new_err(
                "severity must be \"error\", \"warning\" or \"note\"",
            ));
        }
        let (start, end) = (start.min(end), end.max(start));
        Ok(Diagnostic {
            code,
            severity,
            labels: labels.unwrap_or_else(|| vec![(start, end, String::new())]),
            message,
            start,
            end,
            help,
            statement,
            path,
            line,
            column,
        })
    }

    fn __repr__(&self) -> String {
        let at = match (&self.path, self.line, self.column) {
            (Some(p), Some(l), Some(c)) => format!("{p}:{l}:{c}: "),
            _ => String::new(),
        };
        format!(
            "<Diagnostic {at}{} {} [{}:{}]: {}>",
            self.severity, self.code, self.start, self.end, self.message
        )
    }

    fn __str__(&self) -> String {
        self.render()
    }

    /// The diagnostic drawn as the CLI draws it (no colour).
    fn render(&self) -> String {
        let d = self.to_core();
        let mut out = Vec::new();
        let name = self.path.as_deref().unwrap_or("<statement>");
        // Rendering into a Vec cannot fail.
        let _ = tminus::render(
            &d,
            &self.statement,
            name,
            RenderOptions::default(),
            &mut out,
        );
        String::from_utf8_lossy(&out).into_owned()
    }
}

impl Diagnostic {
    /// The core's diagnostic about `statement`, offsets turned into characters.
    pub fn new(d: &tminus::Diagnostic, statement: &str) -> Diagnostic {
        let chars = |byte: usize| char_offset(statement, byte);
        let labels: Vec<(usize, usize, String)> = d
            .labels
            .iter()
            .map(|l| (chars(l.start), chars(l.end), l.message.clone()))
            .collect();
        let (start, end) = labels.first().map_or((0, 0), |l| (l.0, l.1));
        Diagnostic {
            code: d.code.clone(),
            severity: d.severity.as_str().to_owned(),
            message: d.message.clone(),
            start,
            end,
            help: d.help.clone(),
            labels,
            statement: statement.to_owned(),
            path: None,
            line: None,
            column: None,
        }
    }

    /// Back to the core's form (byte offsets), for rendering.
    fn to_core(&self) -> tminus::Diagnostic {
        let bytes = |ch: usize| byte_offset(&self.statement, ch);
        let severity = match self.severity.as_str() {
            "error" => tminus::Severity::Error,
            "warning" => tminus::Severity::Warning,
            _ => tminus::Severity::Note,
        };
        tminus::Diagnostic {
            code: self.code.clone(),
            severity,
            message: self.message.clone(),
            labels: self
                .labels
                .iter()
                .map(|(s, e, m)| tminus::Label {
                    start: bytes(*s),
                    end: bytes(*e),
                    message: m.clone(),
                })
                .collect(),
            help: self.help.clone(),
        }
    }
}

/// The number of characters before byte `byte` of `text` (clamped; a byte inside a
/// character counts as that character's start).
pub fn char_offset(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.char_indices().take_while(|(i, _)| *i < byte).count()
}

/// The byte where character `ch` of `text` starts (clamped to the end).
pub fn byte_offset(text: &str, ch: usize) -> usize {
    text.char_indices().nth(ch).map_or(text.len(), |(i, _)| i)
}

/// Every diagnostic of `text` ([`tminus::diagnostics`]): its errors when it does not
/// parse, else its warnings; what `tminus lint` reports.
pub fn diagnostics(text: &str, options: &ParseOptions) -> Vec<Diagnostic> {
    tminus::diagnostics(text, options)
        .iter()
        .map(|d| Diagnostic::new(d, text))
        .collect()
}

/// The `ParseError` for `text`'s errors: `str()` draws them, `.diagnostics` lists them.
pub fn parse_error(py: Python<'_>, text: &str, errors: &tminus::Errors) -> PyErr {
    let diagnostics: Vec<Diagnostic> = errors
        .errors()
        .iter()
        .map(|e| Diagnostic::new(&tminus::Diagnostic::from(e), text))
        .collect();
    let rendered: Vec<String> = diagnostics.iter().map(Diagnostic::render).collect();
    let err = ParseError::new_err(rendered.join("\n").trim_end().to_owned());
    let attached = PyList::new(py, diagnostics).and_then(|list| {
        let value = err.value(py);
        value.setattr("diagnostics", list)?;
        value.setattr("statement", text)
    });
    match attached {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// `tminus.lint(text, *, conditions=())`: every diagnostic of one statement.
#[pyfunction]
#[pyo3(signature = (text, *, conditions = None))]
pub fn lint(
    py: Python<'_>,
    text: &str,
    conditions: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Diagnostic>> {
    let options = crate::statement::options(conditions)?;
    Ok(py.detach(|| diagnostics(text, &options)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters() {
        let text = "é x";
        assert_eq!(char_offset(text, 0), 0);
        assert_eq!(char_offset(text, 2), 1);
        assert_eq!(char_offset(text, 99), 3);
        assert_eq!(byte_offset(text, 1), 2);
        assert_eq!(byte_offset(text, 9), text.len());
    }
}
