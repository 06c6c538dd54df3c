//! What a search answers in Python: a `Window`, the `Never` singleton, a `WaitsOn`, or
//! `None` when nothing opens within the horizon.

use crate::instant::Writer;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDateTime, PyDelta, PyDict, PyList};
use tminus::{Next, Trigger};

/// A stretch of time in which a statement is true: `[start, end)`. `end` is `None` when
/// only a task event (a run, a success, ...) ends it, or it outlasts the horizon.
#[pyclass(module = "tminus", frozen)]
pub struct Window {
    /// First instant at which the statement is true (aware, in the call's zone).
    #[pyo3(get)]
    start: Py<PyDateTime>,
    /// First instant after `start` at which it is false again, or `None`.
    #[pyo3(get)]
    end: Option<Py<PyDateTime>>,
    start_us: i64,
    end_us: Option<i64>,
}

#[pymethods]
impl Window {
    /// Whether `at` (an aware datetime) lies in the window.
    fn __contains__(&self, at: &Bound<'_, PyAny>) -> PyResult<bool> {
        let at = crate::instant::instant(at, chrono_tz::Tz::UTC)?.timestamp_micros();
        Ok(at >= self.start_us && self.end_us.is_none_or(|e| at < e))
    }

    /// `end - start`, or `None` for an open window.
    #[getter]
    fn duration<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDelta>>> {
        self.end_us
            .map(|end| {
                let us = end - self.start_us;
                PyDelta::new(
                    py,
                    (us / 86_400_000_000) as i32,
                    ((us % 86_400_000_000) / 1_000_000) as i32,
                    (us % 1_000_000) as i32,
                    true,
                )
            })
            .transpose()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Window>()
            .is_ok_and(|o| o.get().start_us == self.start_us && o.get().end_us == self.end_us)
    }

    fn __hash__(&self) -> u64 {
        let end = self.end_us.unwrap_or(i64::MIN);
        (self.start_us as u64).rotate_left(17) ^ end as u64
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let iso = |d: &Py<PyDateTime>| -> PyResult<String> {
            d.bind(py).call_method0("isoformat")?.extract()
        };
        let end = match &self.end {
            Some(e) => iso(e)?,
            None => "None".to_owned(),
        };
        Ok(format!("Window(start={}, end={})", iso(&self.start)?, end))
    }
}

impl Window {
    /// The core's window, written in `writer`'s zone.
    pub fn new(w: &tminus::Window, writer: &Writer<'_>) -> PyResult<Window> {
        Ok(Window {
            start: writer.datetime(&w.start)?.unbind(),
            end: w
                .end
                .as_ref()
                .map(|e| writer.datetime(e).map(Bound::unbind))
                .transpose()?,
            start_us: w.start.timestamp_micros(),
            end_us: w.end.map(|e| e.timestamp_micros()),
        })
    }
}

/// The type of `tminus.Never`: the statement can never be true, whatever happens
/// (proved, not searched). Its one instance is falsy.
#[pyclass(module = "tminus", frozen, name = "NeverType")]
pub struct NeverType;

#[pymethods]
impl NeverType {
    fn __repr__(&self) -> &'static str {
        "tminus.Never"
    }

    fn __bool__(&self) -> bool {
        false
    }
}

static NEVER: PyOnceLock<Py<NeverType>> = PyOnceLock::new();

/// The `tminus.Never` singleton.
pub fn never(py: Python<'_>) -> PyResult<&Py<NeverType>> {
    NEVER.get_or_try_init(py, || Py::new(py, NeverType))
}

/// Time alone will never make the statement true; one of `events` could.
#[pyclass(module = "tminus", frozen)]
pub struct WaitsOn {
    /// The events, as the CLI's JSON writes them: `{"task": "a", "action": "success"}`,
    /// `{"task": "a", "running": True}`, `{"scheduler": True}`, `{"param": "env"}`,
    /// `{"predicate": "name"}`.
    #[pyo3(get)]
    events: Py<PyList>,
    text: Vec<String>,
}

#[pymethods]
impl WaitsOn {
    /// The tasks whose records or runs are awaited.
    #[getter]
    fn tasks(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let mut tasks: Vec<String> = Vec::new();
        for event in self.events.bind(py).iter() {
            if let Some(t) = event.cast::<PyDict>()?.get_item("task")? {
                let t: String = t.extract()?;
                if !tasks.contains(&t) {
                    tasks.push(t);
                }
            }
        }
        Ok(tasks)
    }

    fn __bool__(&self) -> bool {
        false
    }

    fn __str__(&self) -> String {
        format!("waits on: {}", self.text.join(", "))
    }

    fn __repr__(&self) -> String {
        format!("<WaitsOn: {}>", self.text.join(", "))
    }
}

impl WaitsOn {
    fn new(py: Python<'_>, triggers: &[Trigger]) -> PyResult<WaitsOn> {
        let events = PyList::empty(py);
        for t in triggers {
            let d = PyDict::new(py);
            match t {
                Trigger::Task { task, action } => {
                    d.set_item("task", task)?;
                    d.set_item("action", action.as_str())?;
                }
                Trigger::Running { task, running } => {
                    d.set_item("task", task)?;
                    d.set_item("running", running)?;
                }
                Trigger::Param { key } => d.set_item("param", key)?,
                Trigger::Predicate { name } => d.set_item("predicate", name)?,
                _ => d.set_item("scheduler", true)?,
            }
            events.append(d)?;
        }
        Ok(WaitsOn {
            events: events.unbind(),
            text: triggers.iter().map(ToString::to_string).collect(),
        })
    }
}

/// The Python answer for `next`: `Window`, `Never`, `WaitsOn`, or `None`.
pub fn to_py<'py>(py: Python<'py>, next: &Next, writer: &Writer<'py>) -> PyResult<Py<PyAny>> {
    Ok(match next {
        Next::Window(w) => Py::new(py, Window::new(w, writer)?)?.into_any(),
        Next::Never => never(py)?.clone_ref(py).into_any(),
        Next::WaitsOn(t) => Py::new(py, WaitsOn::new(py, t)?)?.into_any(),
        Next::NotWithinHorizon => py.None(),
    })
}
