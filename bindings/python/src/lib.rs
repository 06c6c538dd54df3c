//! The `tminus` Python package's native half (`tminus._tminus`): the core's statements,
//! diagnostics, windows, histories and planner, exposed with PyO3. The Python half
//! (`python/tminus/`) re-exports these and adds the Rocketry integration and
//! `python -m tminus`.
//!
//! Every entry point checks its arguments and raises a Python exception (`TypeError`,
//! `ValueError`, `tminus.ParseError`, ...) rather than panicking: bad input must never take
//! the interpreter down.

mod answer;
mod diagnostic;
mod history;
mod instant;
mod lint;
mod planner;
mod statement;

use pyo3::prelude::*;

#[pymodule]
fn _tminus(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<statement::PyStatement>()?;
    m.add_class::<diagnostic::Diagnostic>()?;
    m.add("ParseError", py.get_type::<diagnostic::ParseError>())?;
    m.add("HistoryError", py.get_type::<history::HistoryError>())?;
    m.add_class::<answer::Window>()?;
    m.add_class::<answer::WaitsOn>()?;
    m.add_class::<answer::NeverType>()?;
    m.add("Never", answer::never(py)?.clone_ref(py))?;
    m.add_class::<history::PyHistory>()?;
    m.add_class::<planner::PyPlanner>()?;
    m.add_function(wrap_pyfunction!(diagnostic::lint, m)?)?;
    m.add_function(wrap_pyfunction!(lint::lint_file, m)?)?;
    m.add_function(wrap_pyfunction!(lint::lint_in_app, m)?)?;
    m.add_function(wrap_pyfunction!(lint::lint_command, m)?)?;
    Ok(())
}
