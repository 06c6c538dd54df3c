//! `tminus.Planner`: many statements planned at once, for Python schedulers.

use crate::diagnostic;
use crate::history::{action_named, check_task, when, PyHistory};
use crate::instant::{self, Writer};
use crate::statement::{predicate, PyStatement, Raised};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDict};
use tminus::{MemoryHistory, Plan, Planner};

/// Plans the start conditions of many tasks: `next_wake()` says when to look again,
/// `due(now)` which tasks to launch, `record(task, action, at)` what happened.
#[pyclass(module = "tminus", name = "Planner")]
pub struct PyPlanner {
    planner: Planner,
    raised: Raised,
}

#[pymethods]
impl PyPlanner {
    /// A planner for the wall clock of `tz`, its clock at `now` (default: the current
    /// time), optionally restarted from a task log (`history`: a `History` or records).
    #[new]
    #[pyo3(signature = (*, tz = None, now = None, history = None, horizon = None, resolution = None))]
    fn new(
        py: Python<'_>,
        tz: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
        history: Option<&Bound<'_, PyAny>>,
        horizon: Option<&Bound<'_, PyAny>>,
        resolution: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let zone = match tz.filter(|t| !t.is_none()) {
            Some(tz) => instant::zone(tz)?,
            None => Tz::UTC,
        };
        let now = match now.filter(|n| !n.is_none()) {
            Some(n) => instant::instant(n, zone)?,
            None => Utc::now(),
        };
        let log = match history.filter(|h| !h.is_none()) {
            Some(h) => match h.cast::<PyHistory>() {
                Ok(loaded) => loaded.borrow().inner.clone(),
                Err(_) => {
                    let records = py.get_type::<PyHistory>().call1((h,))?;
                    records.cast::<PyHistory>()?.borrow().inner.clone()
                }
            },
            None => MemoryHistory::new(),
        };
        let mut planner = Planner::with_history(zone, now, log);
        if let Some(h) = horizon.filter(|h| !h.is_none()) {
            planner = planner.with_horizon(instant::horizon(Some(h))?);
        }
        if let Some(r) = resolution.filter(|r| !r.is_none()) {
            let r: TimeDelta = r.extract().map_err(|_| {
                PyTypeError::new_err("resolution must be a datetime.timedelta or None")
            })?;
            if r <= TimeDelta::zero() {
                return Err(PyValueError::new_err("resolution must be positive"));
            }
            planner = planner.with_resolution(r);
        }
        Ok(PyPlanner {
            planner,
            raised: Raised::default(),
        })
    }

    /// Registers the callable behind custom condition `name`, `func(at, *args) -> bool`;
    /// with `recheck` (a timedelta) it is asked again that often.
    #[pyo3(signature = (name, func, *, recheck = None))]
    fn register(
        &mut self,
        name: &str,
        func: &Bound<'_, PyAny>,
        recheck: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        if !func.is_callable() {
            return Err(PyTypeError::new_err("func must be callable"));
        }
        let f = predicate(func.clone().unbind(), self.raised.clone());
        match recheck.filter(|r| !r.is_none()) {
            Some(r) => {
                let every = instant::horizon(Some(r))?;
                self.planner.register_predicate_every(name, every, f);
            }
            None => self.planner.register_predicate(name, f),
        }
        self.check_raised()
    }

    /// Sets the statement of `task` (a `Statement`, or text parsed with the registered
    /// conditions) and plans it; returns whether one was replaced.
    fn insert(
        &mut self,
        py: Python<'_>,
        task: &str,
        statement: &Bound<'_, PyAny>,
    ) -> PyResult<bool> {
        check_task(task)?;
        let replaced = if let Ok(s) = statement.cast::<PyStatement>() {
            self.planner.insert(task, s.get().core())
        } else if let Ok(text) = statement.extract::<String>() {
            let options = self.planner.parse_options();
            let parsed = tminus::Statement::parse_with(&text, &options)
                .map_err(|e| diagnostic::parse_error(py, &text, &e))?;
            self.planner.insert(task, &parsed)
        } else {
            return Err(PyTypeError::new_err(format!(
                "statement must be a tminus.Statement or a str, not {}",
                instant::type_name(statement)
            )));
        };
        self.check_raised()?;
        Ok(replaced)
    }

    /// Takes `task`'s statement out; returns whether it had one.
    fn remove(&mut self, task: &str) -> bool {
        self.planner.remove(task)
    }

    /// When to ask again: now when a task is due, else the first window start or
    /// re-check; `None` when only events can make anything true.
    fn next_wake<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDateTime>>> {
        self.planner
            .next_wake()
            .map(|at| self.writer(py)?.datetime(&at))
            .transpose()
    }

    /// Moves the clock to `now` and returns the tasks due then, sorted by name.
    fn due(&mut self, now: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        let now = self.instant(now)?;
        let due = self.planner.due(now);
        self.check_raised()?;
        Ok(due)
    }

    /// Moves the clock to `now` (never back) without asking what is due.
    fn advance(&mut self, now: &Bound<'_, PyAny>) -> PyResult<()> {
        let now = self.instant(now)?;
        self.planner.advance(now);
        self.check_raised()
    }

    /// Records that `task` did `action` (`run`, `success`, `fail`, `terminate`,
    /// `inaction`, `crash`) at `at`.
    fn record(&mut self, task: &str, action: &str, at: &Bound<'_, PyAny>) -> PyResult<()> {
        check_task(task)?;
        let action = action_named(action)?;
        let at = when(at, self.planner.zone())?;
        self.planner.record(task, action, at);
        self.check_raised()
    }

    /// Sets session parameter `key` (`None` removes it).
    fn set_param(&mut self, key: &str, value: Option<&str>) -> PyResult<()> {
        self.planner.set_param(key, value);
        self.check_raised()
    }

    /// Says that custom condition `name` may answer differently now.
    fn predicate_changed(&mut self, name: &str) -> PyResult<()> {
        self.planner.predicate_changed(name);
        self.check_raised()
    }

    /// Whether `task` has a run without a finish.
    fn is_running(&self, task: &str) -> bool {
        self.planner.is_running(task)
    }

    /// Where `task`'s statement stands: `{"state": "due" | "running" | "at" | "recheck" |
    /// "waiting", ...}` with `at` and `until` datetimes where they apply; `None` for a
    /// task without statement.
    fn planned<'py>(&self, py: Python<'py>, task: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(plan) = self.planner.planned(task) else {
            return Ok(None);
        };
        let w = self.writer(py)?;
        let d = PyDict::new(py);
        let put = |k: &str, at: &DateTime<Utc>| d.set_item(k, w.datetime(at)?);
        let state = match plan {
            Plan::Due { until } => {
                put("until", &until)?;
                "due"
            }
            Plan::Running { until } => {
                put("until", &until)?;
                "running"
            }
            Plan::At { at, until } => {
                put("at", &at)?;
                put("until", &until)?;
                "at"
            }
            Plan::Recheck { at } => {
                put("at", &at)?;
                "recheck"
            }
            _ => "waiting",
        };
        d.set_item("state", state)?;
        Ok(Some(d))
    }

    /// The planner's clock.
    #[getter]
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        self.writer(py)?.datetime(&self.planner.now())
    }

    /// Counters of the work done: statements, plans, searches, checks, events, runs, wakes.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.planner.stats();
        let d = PyDict::new(py);
        d.set_item("statements", s.statements)?;
        d.set_item("plans", s.plans)?;
        d.set_item("searches", s.searches)?;
        d.set_item("checks", s.checks)?;
        d.set_item("events", s.events)?;
        d.set_item("runs", s.runs)?;
        d.set_item("wakes", s.wakes)?;
        Ok(d)
    }

    fn __len__(&self) -> usize {
        self.planner.len()
    }

    fn __contains__(&self, task: &str) -> bool {
        self.planner.contains(task)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Planner: {} statements, {}, clock {}>",
            self.planner.len(),
            self.planner.zone(),
            self.planner.now().to_rfc3339()
        )
    }
}

impl PyPlanner {
    fn writer<'py>(&self, py: Python<'py>) -> PyResult<Writer<'py>> {
        Writer::new(py, self.planner.zone())
    }

    fn instant(&self, at: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
        instant::instant(at, self.planner.zone())
    }

    fn check_raised(&self) -> PyResult<()> {
        crate::statement::take_raised(&self.raised)
    }
}
