"""tminus: Rocketry-style scheduling statements, compiled by the Rust core.

    >>> import tminus
    >>> s = tminus.Statement("daily between 10:00 and 12:00")
    >>> from datetime import datetime
    >>> s.next_window(datetime(2024, 3, 11, 8, 0), tz="Europe/Helsinki").start.isoformat()
    '2024-03-11T10:00:00+02:00'

Everything here is a thin layer over the library the ``tminus`` command line uses, so a
statement gets the same verdicts, windows and diagnostics from Python as from the CLI.
"""

from ._tminus import (
    Diagnostic,
    History,
    HistoryError,
    Never,
    NeverType,
    ParseError,
    Planner,
    Statement,
    WaitsOn,
    Window,
    __version__,
    lint,
    lint_file,
)

__all__ = [
    "Diagnostic",
    "History",
    "HistoryError",
    "Never",
    "NeverType",
    "ParseError",
    "Planner",
    "Statement",
    "WaitsOn",
    "Window",
    "__version__",
    "lint",
    "lint_file",
]
