//! `tminus.History` and the `history=`/`running=` arguments: what happened to which task.
//!
//! A call's history is either a `History` (shared, never copied) or records given inline
//! as `(task, action, at)` tuples or `{"task", "action", "at"}` dicts (the records of the
//! CLI's JSON Lines). The names in `running=` are laid over it.
//!
//! A `History` holds its log behind an `Arc`: a search takes a reference to the log as it
//! is when the call starts and reads it without the GIL, while other threads may go on
//! recording into the same `History` (a change made during a search copies the log once,
//! and the search keeps reading the log it started with).

use crate::instant::{self, type_name, Writer};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDict, PyString, PyTuple, PyTzInfo};
use std::path::PathBuf;
use std::sync::Arc;
use tminus::{Action, Event, History, HistoryErrorKind, MemoryHistory, SchedulerState};

create_exception!(
    tminus,
    HistoryError,
    PyValueError,
    "A task log that cannot be read: the message names the file, line (or row) and field."
);

/// A task log: each task's records (`run`, `success`, `fail`, `terminate`, `inaction`,
/// `crash`) in time order.
#[pyclass(name = "History", module = "tminus")]
#[derive(Clone, Debug, Default)]
pub struct PyHistory {
    pub inner: Arc<MemoryHistory>,
}

#[pymethods]
impl PyHistory {
    /// An empty history, or one holding `records` (tuples or dicts, as `history=` takes).
    #[new]
    #[pyo3(signature = (records = None, *, tz = None))]
    fn new(records: Option<&Bound<'_, PyAny>>, tz: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let zone = zone_or_utc(tz)?;
        let mut inner = MemoryHistory::new();
        if let Some(records) = records {
            add_records(&mut inner, records, "t", zone)?;
        }
        Ok(PyHistory {
            inner: Arc::new(inner),
        })
    }

    /// Reads a task log file: JSON Lines (`.jsonl`, `.ndjson`, `.json`; civil times in
    /// `tz`), Rocketry's CSV log (`.csv`) or its SQLite log (`.db`, `.sqlite`,
    /// `.sqlite3`; `table` names the table when the file has several).
    #[staticmethod]
    #[pyo3(signature = (path, *, table = None, tz = None, running_from_log = false))]
    fn load(
        py: Python<'_>,
        path: PathBuf,
        table: Option<&str>,
        tz: Option<&Bound<'_, PyAny>>,
        running_from_log: bool,
    ) -> PyResult<Self> {
        let zone = zone_or_utc(tz)?;
        // Reading and parsing a big log takes a while: without the GIL.
        let loaded = py.detach(|| MemoryHistory::load(&path, table, zone));
        let mut inner = loaded.map_err(|e| match e.kind() {
            HistoryErrorKind::Io => {
                PyOSError::new_err(format!("cannot read {}: {e}", path.display()))
            }
            _ => HistoryError::new_err(e.to_string()),
        })?;
        if running_from_log {
            inner.set_running_from_log();
        }
        Ok(PyHistory {
            inner: Arc::new(inner),
        })
    }

    /// Adds one record; `at` is a datetime (naive: civil time in `tz`), an ISO 8601
    /// string or POSIX seconds.
    #[pyo3(signature = (task, action, at, *, tz = None))]
    fn record(
        &mut self,
        task: &str,
        action: &str,
        at: &Bound<'_, PyAny>,
        tz: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let zone = zone_or_utc(tz)?;
        let (action, at) = (action_named(action)?, when(at, zone)?);
        check_task(task)?;
        self.log().record(task, action, at);
        Ok(())
    }

    /// Marks `task` as having a live run now (or not).
    #[pyo3(signature = (task, running = true))]
    fn set_running(&mut self, task: &str, running: bool) {
        self.log().set_running(task, running);
    }

    /// Sets session parameter `key` (`env 'prod'` reads `env`); `None` removes it.
    fn set_param(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(v) => self.log().set_param(key, v),
            None => self.log().remove_param(key),
        };
    }

    /// Sets the scheduler's start and cycle count (`scheduler has run over 10 cycles`).
    #[pyo3(signature = (started, cycles = 0, *, tz = None))]
    fn set_scheduler(
        &mut self,
        started: &Bound<'_, PyAny>,
        cycles: u64,
        tz: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let started = when(started, zone_or_utc(tz)?)?;
        self.log()
            .set_scheduler(Some(SchedulerState { started, cycles }));
        Ok(())
    }

    /// Names of the tasks with records, sorted.
    fn tasks(&self) -> Vec<String> {
        self.inner.tasks().into_iter().map(str::to_owned).collect()
    }

    /// The records of `task` as `(action, at)` pairs, `at` an aware UTC datetime.
    fn events<'py>(
        &self,
        py: Python<'py>,
        task: &str,
    ) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        let writer = Writer::new(py, Tz::UTC)?;
        self.inner
            .events(task)
            .iter()
            .map(|e| Ok((e.action.as_str(), writer.datetime(&e.at)?.into_any())))
            .collect()
    }

    /// Tasks whose last run in the log has no finish.
    fn running_from_log(&self) -> Vec<String> {
        self.inner.running_from_log()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<History: {} records of {} tasks>",
            self.inner.len(),
            self.inner.tasks().len()
        )
    }
}

impl PyHistory {
    /// The log to change: copied first if a search in another thread is reading it.
    fn log(&mut self) -> &mut MemoryHistory {
        Arc::make_mut(&mut self.inner)
    }
}

fn zone_or_utc(tz: Option<&Bound<'_, PyAny>>) -> PyResult<Tz> {
    tz.filter(|t| !t.is_none())
        .map_or(Ok(Tz::UTC), instant::zone)
}

/// The history a call reads: a `History`'s log (shared, as it was when the call
/// started), or records given inline, with the call's `running=` names laid over it.
pub enum Facts {
    Loaded(Arc<MemoryHistory>, Vec<String>),
    Inline(MemoryHistory),
}

impl Facts {
    /// Reads `history=` and `running=`; `task` is the default task of dict records.
    pub fn read(
        history: Option<&Bound<'_, PyAny>>,
        running: Option<&Bound<'_, PyAny>>,
        task: &str,
        zone: Tz,
    ) -> PyResult<Facts> {
        let running = names(running, "running")?;
        if let Some(h) = history {
            if let Ok(loaded) = h.cast::<PyHistory>() {
                return Ok(Facts::Loaded(loaded.borrow().inner.clone(), running));
            }
        }
        let mut inner = MemoryHistory::new();
        if let Some(h) = history.filter(|h| !h.is_none()) {
            add_records(&mut inner, h, task, zone)?;
        }
        for name in &running {
            inner.set_running(name, true);
        }
        Ok(Facts::Inline(inner))
    }
}

impl History for Facts {
    fn events(&self, task: &str) -> &[Event] {
        match self {
            Facts::Loaded(h, ..) => h.events(task),
            Facts::Inline(h) => h.events(task),
        }
    }

    fn is_running(&self, task: &str) -> bool {
        match self {
            Facts::Loaded(h, running) => running.iter().any(|r| r == task) || h.is_running(task),
            Facts::Inline(h) => h.is_running(task),
        }
    }

    fn scheduler(&self) -> Option<SchedulerState> {
        match self {
            Facts::Loaded(h, ..) => h.scheduler(),
            Facts::Inline(h) => h.scheduler(),
        }
    }

    fn param(&self, key: &str) -> Option<&str> {
        match self {
            Facts::Loaded(h, ..) => h.param(key),
            Facts::Inline(h) => h.param(key),
        }
    }

    fn tasks(&self) -> Vec<&str> {
        match self {
            Facts::Loaded(h, ..) => h.tasks(),
            Facts::Inline(h) => h.tasks(),
        }
    }

    fn event_micros(&self, task: &str) -> Option<&[i64]> {
        match self {
            Facts::Loaded(h, ..) => h.event_micros(task),
            Facts::Inline(h) => h.event_micros(task),
        }
    }
}

/// Task names from an iterable of strings (`running=`); a lone string is refused, as it
/// would otherwise read as one name per character.
pub fn names(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    if value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an iterable of task names, not a str (write {what}=[{:?}])",
            value.extract::<String>()?
        )));
    }
    let mut out = Vec::new();
    for item in value.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be an iterable of task names, not {}",
            type_name(value)
        ))
    })? {
        let item = item?;
        out.push(item.extract::<String>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{what} must hold task names (str), not {}",
                type_name(&item)
            ))
        })?);
    }
    Ok(out)
}

/// Adds inline records: `(task, action, at)` tuples or `{"task", "action", "at"}` dicts
/// (`task` defaults to `default_task`).
fn add_records(
    history: &mut MemoryHistory,
    records: &Bound<'_, PyAny>,
    default_task: &str,
    zone: Tz,
) -> PyResult<()> {
    if records.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "history must be an iterable of records or a tminus.History, not a str \
             (load a file with tminus.History.load(path))",
        ));
    }
    let iter = records.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "history must be an iterable of (task, action, at) records or a tminus.History, not {}",
            type_name(records)
        ))
    })?;
    for (i, record) in iter.enumerate() {
        let record = record?;
        let (task, action, at) = record_fields(&record, default_task, zone)
            .map_err(|e| prefixed(&record.py(), e, &format!("history record {i}")))?;
        history.record(&task, action, at);
    }
    Ok(())
}

fn record_fields(
    record: &Bound<'_, PyAny>,
    default_task: &str,
    zone: Tz,
) -> PyResult<(String, Action, DateTime<Utc>)> {
    let (task, action, at) = if let Ok(d) = record.cast::<PyDict>() {
        let task = match d.get_item("task")? {
            Some(t) if !t.is_none() => t.extract::<String>()?,
            _ => default_task.to_owned(),
        };
        let field = |k: &str| {
            d.get_item(k)?
                .ok_or_else(|| PyValueError::new_err(format!("missing field `{k}`")))
        };
        (task, field("action")?, field("at")?)
    } else if let Ok(t) = record.cast::<PyTuple>() {
        if t.len() != 3 {
            return Err(PyValueError::new_err(format!(
                "expected a (task, action, at) tuple, got {} items",
                t.len()
            )));
        }
        (t.get_item(0)?.extract()?, t.get_item(1)?, t.get_item(2)?)
    } else {
        return Err(PyTypeError::new_err(format!(
            "expected a (task, action, at) tuple or a dict, not {}",
            type_name(record)
        )));
    };
    check_task(&task)?;
    let action = action_named(&action.extract::<String>().map_err(|_| {
        PyTypeError::new_err(format!("action must be a str, not {}", type_name(&action)))
    })?)?;
    Ok((task, action, when(&at, zone)?))
}

/// Task names are non-empty.
pub fn check_task(task: &str) -> PyResult<()> {
    if task.is_empty() {
        return Err(PyValueError::new_err("task must be a non-empty name"));
    }
    Ok(())
}

/// An action by its log word; unknown words list the known ones.
pub fn action_named(word: &str) -> PyResult<Action> {
    word.parse::<Action>()
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A record's instant: a datetime, an ISO 8601 string (civil time in `zone` without an
/// offset) or POSIX seconds.
pub fn when(at: &Bound<'_, PyAny>, zone: Tz) -> PyResult<DateTime<Utc>> {
    if let Ok(text) = at.extract::<String>() {
        return tminus::history::parse_instant(&text, zone)
            .map_err(|e| PyValueError::new_err(e.to_string()));
    }
    if at.is_instance_of::<pyo3::types::PyFloat>() || at.is_instance_of::<pyo3::types::PyInt>() {
        // Python's own reading of POSIX seconds (rounded half to even to the
        // microsecond), as Rocketry's `created` is meant.
        let seconds: f64 = at.extract()?;
        let utc = PyTzInfo::utc(at.py())?;
        let dt = PyDateTime::from_timestamp(at.py(), seconds, Some(&utc)).map_err(|_| {
            PyValueError::new_err(format!("{seconds} is not a representable instant"))
        })?;
        return instant::instant(&dt, Tz::UTC);
    }
    instant::instant(at, zone).map_err(|e| {
        if e.is_instance_of::<PyTypeError>(at.py()) {
            PyTypeError::new_err(format!(
                "at must be a datetime, an ISO 8601 str or POSIX seconds, not {}",
                type_name(at)
            ))
        } else {
            e
        }
    })
}

/// `e` with `where_` before its message, same exception type.
fn prefixed(py: &Python<'_>, e: PyErr, where_: &str) -> PyErr {
    let message = format!("{where_}: {}", e.value(*py));
    if e.is_instance_of::<PyTypeError>(*py) {
        PyTypeError::new_err(message)
    } else {
        PyValueError::new_err(message)
    }
}
