//! `tminus.Statement`: a parsed statement, compiled once, asked many times.

use crate::answer::{self, Window};
use crate::diagnostic::{self, Diagnostic};
use crate::history::Facts;
use crate::instant::{self, Writer};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyMapping, PyString};
use std::cell::Cell;
use tminus::{explain, ParseOptions, PredicateCall, Schedule};

/// Custom conditions: the names to accept, and the Python callables behind some of them.
#[derive(Default)]
pub struct Conditions {
    pub options: ParseOptions,
    callables: Vec<(String, Py<PyAny>)>,
}

/// Reads `conditions=`: an iterable of names, or a mapping of name to a callable (or to
/// `None` for a name that is only accepted).
pub fn conditions(value: Option<&Bound<'_, PyAny>>) -> PyResult<Conditions> {
    let mut out = Conditions::default();
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(out);
    };
    if value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "conditions must be an iterable of names or a dict of name to callable, not a str",
        ));
    }
    let mapping = value.cast::<PyMapping>().ok();
    let names = match &mapping {
        Some(m) => m.keys()?.into_any(),
        None => value.clone(),
    };
    for name in names.try_iter()? {
        let name = name?;
        let text: String = name.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "condition names must be str, not {}",
                instant::type_name(&name)
            ))
        })?;
        if let Some(f) = mapping.as_ref().map(|m| m.get_item(&name)).transpose()? {
            if !f.is_none() {
                if !f.is_callable() {
                    return Err(PyTypeError::new_err(format!(
                        "condition {text:?} must map to a callable or None"
                    )));
                }
                out.callables.push((text.trim().to_owned(), f.unbind()));
            }
        }
        out.options = out.options.register(text);
    }
    Ok(out)
}

/// The parse options of `conditions=` (names only), for `lint`.
pub fn options(value: Option<&Bound<'_, PyAny>>) -> PyResult<ParseOptions> {
    conditions(value).map(|c| c.options)
}

thread_local! {
    /// The first exception a condition callable raised during the evaluation running on
    /// this thread. Per thread, not per statement: searches run without the GIL, so two
    /// threads may evaluate one statement at once, and each must get its own exception.
    static RAISED: Cell<Option<PyErr>> = const { Cell::new(None) };
}

/// Runs `evaluate` (an evaluation that may call condition callables) and raises the first
/// exception a callable raised during it. An evaluation started by a callable (a nested
/// call on the same thread) keeps its exceptions apart from the one that called it.
pub fn catching<R>(evaluate: impl FnOnce() -> R) -> PyResult<R> {
    let outer = RAISED.with(Cell::take);
    let value = evaluate();
    match RAISED.with(|r| r.replace(outer)) {
        Some(e) => Err(e),
        None => Ok(value),
    }
}

/// A Rocketry-style scheduling statement, parsed and checked.
///
/// `str(statement)` is the canonical text; `ParseError` is raised for text that does
/// not parse.
#[pyclass(module = "tminus", frozen, name = "Statement")]
pub struct PyStatement {
    statement: tminus::Statement,
    /// Compiled for task `t`; other tasks get a copy with their name.
    schedule: Schedule,
}

/// The arguments every question shares, resolved: plain Rust data, so that the search
/// runs with the GIL released (`Python::detach`).
struct Ask<'a> {
    zone: Tz,
    facts: Facts,
    schedule: std::borrow::Cow<'a, Schedule>,
}

#[pymethods]
impl PyStatement {
    #[new]
    #[pyo3(signature = (text, *, conditions = None))]
    fn new(py: Python<'_>, text: &str, conditions: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let conds = self::conditions(conditions)?;
        let options = &conds.options;
        let parsed = py.detach(|| {
            tminus::Statement::parse_with(text, options).map(|s| {
                let schedule = s.schedule();
                (s, schedule)
            })
        });
        let (statement, mut schedule) =
            parsed.map_err(|e| diagnostic::parse_error(py, text, &e))?;
        for (name, f) in conds.callables {
            schedule = schedule.with_predicate(name, predicate(f));
        }
        Ok(PyStatement {
            statement,
            schedule,
        })
    }

    /// The text it was parsed from.
    #[getter]
    fn source(&self) -> &str {
        self.statement.source()
    }

    /// Warnings about a statement that parsed (the parser's and the optimizer's).
    #[getter]
    fn warnings(&self, py: Python<'_>) -> Vec<Diagnostic> {
        let text = self.statement.source();
        py.detach(|| tminus::opt::lint(&self.statement))
            .iter()
            .map(|d| Diagnostic::new(d, text))
            .collect()
    }

    /// The tasks the statement reads (`after task 'a'`, `task 'b' is running`).
    #[getter]
    fn tasks(&self) -> Vec<String> {
        self.statement
            .cond()
            .task_names()
            .into_iter()
            .map(|t| t.to_string())
            .collect()
    }

    /// Whether the statement is true at `at` for `task` (the owner, whose records
    /// `daily`, `every` and `cron` read).
    #[pyo3(signature = (at, *, task = "t", history = None, running = None, tz = None))]
    fn is_true<'py>(
        &'py self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
        task: &str,
        history: Option<&Bound<'py, PyAny>>,
        running: Option<&Bound<'py, PyAny>>,
        tz: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<bool> {
        let ask = self.ask(task, history, running, tz)?;
        let at = instant::instant(at, ask.zone)?;
        catching(|| py.detach(|| ask.schedule.is_true(at, ask.zone, &ask.facts)))
    }

    /// The window open at `after` (starting at `after`) or the next one within
    /// `horizon` (a timedelta, default 3660 days); `Never` when it can never be true;
    /// `WaitsOn` when only task events can make it true; `None` when nothing opens
    /// within the horizon.
    #[pyo3(signature = (after, *, task = "t", history = None, running = None, tz = None, horizon = None))]
    #[allow(clippy::too_many_arguments)]
    fn next_window<'py>(
        &'py self,
        py: Python<'py>,
        after: &Bound<'py, PyAny>,
        task: &str,
        history: Option<&Bound<'py, PyAny>>,
        running: Option<&Bound<'py, PyAny>>,
        tz: Option<&Bound<'py, PyAny>>,
        horizon: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let ask = self.ask(task, history, running, tz)?;
        let (from, horizon) = (
            instant::instant(after, ask.zone)?,
            instant::horizon(horizon)?,
        );
        let next = catching(|| {
            py.detach(|| {
                ask.schedule
                    .next_window(from, horizon, ask.zone, &ask.facts)
            })
        })?;
        answer::to_py(py, &next, &Writer::new(py, ask.zone)?)
    }

    /// Up to `count` windows from `after` on, in order (fewer when the statement waits
    /// on events, is never true, or nothing more opens within the horizon).
    #[pyo3(signature = (after, count, *, task = "t", history = None, running = None, tz = None, horizon = None))]
    #[allow(clippy::too_many_arguments)]
    fn windows<'py>(
        &'py self,
        py: Python<'py>,
        after: &Bound<'py, PyAny>,
        count: usize,
        task: &str,
        history: Option<&Bound<'py, PyAny>>,
        running: Option<&Bound<'py, PyAny>>,
        tz: Option<&Bound<'py, PyAny>>,
        horizon: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Window>> {
        let ask = self.ask(task, history, running, tz)?;
        let (from, horizon) = (
            instant::instant(after, ask.zone)?,
            instant::horizon(horizon)?,
        );
        let found: Vec<tminus::Window> = catching(|| {
            py.detach(|| {
                ask.schedule
                    .windows(from, horizon, ask.zone, &ask.facts)
                    .take(count)
                    .collect()
            })
        })?;
        let writer = Writer::new(py, ask.zone)?;
        found.iter().map(|w| Window::new(w, &writer)).collect()
    }

    /// The statement as a tree at `at`: each node's `statement`, `reading`, `value`,
    /// `why`, `next_change` and `children`, as `tminus explain --format json`.
    #[pyo3(signature = (at, *, task = "t", history = None, running = None, tz = None, horizon = None))]
    #[allow(clippy::too_many_arguments)]
    fn explain<'py>(
        &'py self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
        task: &str,
        history: Option<&Bound<'py, PyAny>>,
        running: Option<&Bound<'py, PyAny>>,
        tz: Option<&Bound<'py, PyAny>>,
        horizon: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let ask = self.ask(task, history, running, tz)?;
        let at: DateTime<Utc> = instant::instant(at, ask.zone)?;
        let cx = explain::Context {
            at,
            zone: ask.zone,
            task,
            history: &ask.facts,
            horizon: instant::horizon(horizon)?,
            dst: tminus::DstPolicy::default(),
        };
        let explained = py.detach(|| explain::explain(&self.statement, &cx));
        explanation(py, &explained)
    }

    /// The same statement, optimized: constants folded, redundant clauses dropped, time
    /// windows of one scope merged.
    fn simplify(&self, py: Python<'_>) -> PyStatement {
        py.detach(|| {
            let cond = tminus::opt::optimize(self.statement.cond());
            let statement = tminus::Statement::from_cond(cond);
            PyStatement {
                schedule: statement.schedule(),
                statement,
            }
        })
    }

    fn __str__(&self) -> String {
        self.statement.canonical()
    }

    fn __repr__(&self) -> String {
        format!("Statement({:?})", self.statement.source())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyStatement>()
            .is_ok_and(|o| o.get().statement.cond() == self.statement.cond())
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.statement.canonical().hash(&mut h);
        h.finish()
    }
}

impl PyStatement {
    fn ask<'py>(
        &'py self,
        task: &str,
        history: Option<&Bound<'py, PyAny>>,
        running: Option<&Bound<'py, PyAny>>,
        tz: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Ask<'py>> {
        crate::history::check_task(task)?;
        let zone = match tz.filter(|t| !t.is_none()) {
            Some(tz) => instant::zone(tz)?,
            None => Tz::UTC,
        };
        let facts = Facts::read(history, running, task, zone)?;
        let schedule = if task == self.schedule.task() {
            std::borrow::Cow::Borrowed(&self.schedule)
        } else {
            std::borrow::Cow::Owned(self.schedule.clone().with_task(task))
        };
        Ok(Ask {
            zone,
            facts,
            schedule,
        })
    }

    /// The core statement.
    pub fn core(&self) -> &tminus::Statement {
        &self.statement
    }
}

/// A custom condition backed by a Python callable `f(at, *args) -> bool`. It takes the
/// GIL for the call (searches run without it). The first exception it raises is kept and
/// re-raised when the evaluation returns ([`catching`]); until then the condition reads
/// as false.
pub fn predicate(f: Py<PyAny>) -> impl Fn(&PredicateCall<'_>) -> bool + Send + Sync {
    move |call: &PredicateCall<'_>| {
        Python::attach(|py| {
            let result = Writer::new(py, call.at.timezone()).and_then(|w| {
                let mut args: Vec<Py<PyAny>> = vec![w.datetime(&call.at)?.into_any().unbind()];
                args.extend(
                    call.args
                        .iter()
                        .map(|a| PyString::new(py, a).into_any().unbind()),
                );
                let args = pyo3::types::PyTuple::new(py, args)?;
                f.bind(py).call1(args)?.is_truthy()
            });
            result.unwrap_or_else(|e| {
                RAISED.with(|r| {
                    let first = r.take().unwrap_or(e);
                    r.set(Some(first));
                });
                false
            })
        })
    }
}

/// An explanation as nested dicts.
fn explanation<'py>(py: Python<'py>, e: &explain::Explanation) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("statement", &e.statement)?;
    d.set_item("reading", &e.reading)?;
    d.set_item("value", e.value)?;
    d.set_item("why", &e.why)?;
    d.set_item("next_change", &e.next_change)?;
    let children = PyList::empty(py);
    for c in &e.children {
        children.append(explanation(py, c)?)?;
    }
    d.set_item("children", children)?;
    Ok(d)
}
