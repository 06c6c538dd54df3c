//! `tminus.Planner`: many statements planned at once, for Python schedulers.

use crate::diagnostic;
use crate::history::{action_named, check_task, when, PyHistory};
use crate::instant::{self, Writer};
use crate::statement::{catching, predicate, PyStatement};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDict};
use std::cell::RefCell;
use std::sync::{Mutex, MutexGuard, TryLockError};
use tminus::{MemoryHistory, Plan, Planner};

/// Plans the start conditions of many tasks: `next_wake()` says when to look again,
/// `due(now)` which tasks to launch, `record(task, action, at)` what happened.
///
/// The planner sits behind a mutex so that its searches run without the GIL: a call that
/// plans releases the GIL, then waits for the planner (a call from another thread finishes
/// first). Locking only ever waits with the GIL released, so a condition callable (which
/// takes the GIL) never deadlocks against a thread waiting for the planner.
#[pyclass(module = "tminus", name = "Planner", frozen)]
pub struct PyPlanner {
    planner: Mutex<Planner>,
}

thread_local! {
    /// The planners whose lock this thread holds (by address): a condition callable that
    /// calls back into the planner asking it would otherwise wait for itself forever.
    static HELD: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Marks a planner held by this thread while alive.
struct Held(usize);

impl Held {
    fn new(at: usize) -> Held {
        HELD.with(|h| h.borrow_mut().push(at));
        Held(at)
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        HELD.with(|h| h.borrow_mut().retain(|a| *a != self.0));
    }
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
                Ok(loaded) => MemoryHistory::clone(&loaded.borrow().inner),
                Err(_) => {
                    let records = py.get_type::<PyHistory>().call1((h,))?;
                    MemoryHistory::clone(&records.cast::<PyHistory>()?.borrow().inner)
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
            planner: Mutex::new(planner),
        })
    }

    /// Registers the callable behind custom condition `name`, `func(at, *args) -> bool`;
    /// with `recheck` (a timedelta) it is asked again that often.
    #[pyo3(signature = (name, func, *, recheck = None))]
    fn register(
        &self,
        py: Python<'_>,
        name: &str,
        func: &Bound<'_, PyAny>,
        recheck: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        if !func.is_callable() {
            return Err(PyTypeError::new_err("func must be callable"));
        }
        let f = predicate(func.clone().unbind());
        let every = match recheck.filter(|r| !r.is_none()) {
            Some(r) => Some(instant::horizon(Some(r))?),
            None => None,
        };
        self.plan(py, |p| match every {
            Some(every) => p.register_predicate_every(name, every, f),
            None => p.register_predicate(name, f),
        })
    }

    /// Sets the statement of `task` (a `Statement`, or text parsed with the registered
    /// conditions) and plans it; returns whether one was replaced.
    fn insert(&self, py: Python<'_>, task: &str, statement: &Bound<'_, PyAny>) -> PyResult<bool> {
        check_task(task)?;
        if let Ok(s) = statement.cast::<PyStatement>() {
            let core = s.get().core();
            return self.plan(py, |p| p.insert(task, core));
        }
        let Ok(text) = statement.extract::<String>() else {
            return Err(PyTypeError::new_err(format!(
                "statement must be a tminus.Statement or a str, not {}",
                instant::type_name(statement)
            )));
        };
        let inserted = self.plan(py, |p| {
            let parsed = tminus::Statement::parse_with(&text, &p.parse_options())?;
            Ok(p.insert(task, &parsed))
        })?;
        inserted.map_err(|e| diagnostic::parse_error(py, &text, &e))
    }

    /// Takes `task`'s statement out; returns whether it had one.
    fn remove(&self, py: Python<'_>, task: &str) -> PyResult<bool> {
        self.plan(py, |p| p.remove(task))
    }

    /// When to ask again: now when a task is due, else the first window start or
    /// re-check; `None` when only events can make anything true.
    fn next_wake<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDateTime>>> {
        let (wake, zone) = self.read(py, |p| (p.next_wake(), p.zone()))?;
        wake.map(|at| Writer::new(py, zone)?.datetime(&at))
            .transpose()
    }

    /// Moves the clock to `now` and returns the tasks due then, sorted by name.
    fn due(&self, py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        let now = self.instant(py, now)?;
        self.plan(py, |p| p.due(now))
    }

    /// Moves the clock to `now` (never back) without asking what is due.
    fn advance(&self, py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<()> {
        let now = self.instant(py, now)?;
        self.plan(py, |p| p.advance(now))
    }

    /// Records that `task` did `action` (`run`, `success`, `fail`, `terminate`,
    /// `inaction`, `crash`) at `at`.
    fn record(
        &self,
        py: Python<'_>,
        task: &str,
        action: &str,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        check_task(task)?;
        let action = action_named(action)?;
        let at = when(at, self.zone(py)?)?;
        self.plan(py, |p| p.record(task, action, at))
    }

    /// Sets session parameter `key` (`None` removes it).
    fn set_param(&self, py: Python<'_>, key: &str, value: Option<&str>) -> PyResult<()> {
        self.plan(py, |p| p.set_param(key, value))
    }

    /// Says that custom condition `name` may answer differently now.
    fn predicate_changed(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        self.plan(py, |p| p.predicate_changed(name))
    }

    /// Whether `task` has a run without a finish.
    fn is_running(&self, py: Python<'_>, task: &str) -> PyResult<bool> {
        self.read(py, |p| p.is_running(task))
    }

    /// Where `task`'s statement stands: `{"state": "due" | "running" | "at" | "recheck" |
    /// "waiting", ...}` with `at` and `until` datetimes where they apply; `None` for a
    /// task without statement.
    fn planned<'py>(&self, py: Python<'py>, task: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
        let (plan, zone) = self.read(py, |p| (p.planned(task), p.zone()))?;
        let Some(plan) = plan else {
            return Ok(None);
        };
        let w = Writer::new(py, zone)?;
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
        let (now, zone) = self.read(py, |p| (p.now(), p.zone()))?;
        Writer::new(py, zone)?.datetime(&now)
    }

    /// Counters of the work done: statements, plans, searches, checks, events, runs, wakes.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.read(py, |p| p.stats())?;
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

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.read(py, |p| p.len())
    }

    fn __contains__(&self, py: Python<'_>, task: &str) -> PyResult<bool> {
        self.read(py, |p| p.contains(task))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.read(py, |p| {
            format!(
                "<Planner: {} statements, {}, clock {}>",
                p.len(),
                p.zone(),
                p.now().to_rfc3339()
            )
        })
    }
}

impl PyPlanner {
    /// Runs `f`, which may search and call condition callables, on the planner with the
    /// GIL released; raises what a callable raised meanwhile.
    fn plan<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Planner) -> R + Send,
    ) -> PyResult<R> {
        self.check_not_held()?;
        catching(|| {
            py.detach(|| {
                let mut planner = self.planner.lock().unwrap_or_else(|e| e.into_inner());
                let _held = Held::new(self.address());
                f(&mut planner)
            })
        })
    }

    /// Runs `f`, which neither searches nor calls back into Python, on the planner: at
    /// once when it is free, else after waiting for it with the GIL released.
    fn read<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&Planner) -> R + Send) -> PyResult<R> {
        self.check_not_held()?;
        let planner: MutexGuard<'_, Planner> = match self.planner.try_lock() {
            Ok(p) => p,
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
            Err(TryLockError::WouldBlock) => {
                return Ok(py.detach(|| f(&self.planner.lock().unwrap_or_else(|e| e.into_inner()))))
            }
        };
        Ok(f(&planner))
    }

    fn address(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// A condition callable asked by this planner may not call the planner back.
    fn check_not_held(&self) -> PyResult<()> {
        if HELD.with(|h| h.borrow().contains(&self.address())) {
            return Err(PyRuntimeError::new_err(
                "the planner is busy: a condition callable cannot call the planner that asks it",
            ));
        }
        Ok(())
    }

    fn zone(&self, py: Python<'_>) -> PyResult<Tz> {
        self.read(py, |p| p.zone())
    }

    fn instant(&self, py: Python<'_>, at: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
        instant::instant(at, self.zone(py)?)
    }
}
