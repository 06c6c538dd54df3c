"""tminus for a live Rocketry app (2.5.x): when does a task run next, and are its statements sound?

    from rocketry import Rocketry
    import tminus.rocketry

    app = Rocketry()

    @app.task("daily between 10:00 and 12:00 & after task 'extract'")
    def report(): ...

    tminus.rocketry.next_run(app, "report")     # Window, Never, WaitsOn or None
    tminus.rocketry.lint_app(app)               # {"report": [], ...}

Everything is read from the app itself: each task's start condition, the session's task
log (whatever repo the app logs to: memory, CSV, SQL), which tasks are running, the
custom conditions registered with ``@app.cond``, the session parameters and the
session's time zone.

What cannot be known: a start condition built from Python condition objects
(``start_cond=daily.between("10:00", "12:00")``, ``every("10s") & is_foo``) rather than from
a string keeps no text that tminus could read; such tasks raise ``UnknownStatement`` in
``statement()``/``next_run()`` and get a ``tminus::skipped`` note from ``lint_app()``.
Custom conditions are asked *now* (their future cannot be predicted), so a window that
depends on one holds only while the condition keeps its answer.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

from . import _tminus
from ._tminus import Diagnostic, History, NeverType, ParseError, Statement, WaitsOn, Window

__all__ = [
    "UnknownStatement",
    "history",
    "lint_app",
    "next_run",
    "statement",
    "statement_text",
    "zone",
]

Answer = Union[Window, NeverType, WaitsOn, None]

# A bound on the rounds of registering phrases that match the app's condition patterns.
_PATTERN_ROUNDS = 8


class UnknownStatement(ValueError):
    """The task's start condition was built from Python objects, not from a string."""

    def __init__(self, task: str, reason: str) -> None:
        super().__init__(f"task {task!r}: {reason}")
        self.task = task
        self.reason = reason


def _session(app: Any) -> Any:
    return getattr(app, "session", app)


def _task(session: Any, task: Any) -> Any:
    if isinstance(task, str):
        for t in session.tasks:
            if t.name == task:
                return t
        raise KeyError(f"the app has no task named {task!r}")
    return task


def statement_text(task: Any) -> str:
    """The text of a task's start condition, as it was written.

    Rocketry keeps the string a condition was parsed from (on the parsed object, and on
    each part of ``&``/``|``/``~`` combinations made of parsed parts). Raises
    ``UnknownStatement`` for conditions built from Python objects.
    """
    return _text(task.start_cond, task.name)


def _text(cond: Any, task: str) -> str:
    written = cond.__dict__.get("_str") if hasattr(cond, "__dict__") else None
    if isinstance(written, str):
        return written
    kind = type(cond).__name__
    if kind in ("AlwaysTrue", "AlwaysFalse"):
        return "true" if kind == "AlwaysTrue" else "false"
    if kind in ("All", "Any") and hasattr(cond, "subconditions"):
        op = " & " if kind == "All" else " | "
        return "(" + op.join(_text(c, task) for c in cond.subconditions) + ")"
    if kind == "Not" and hasattr(cond, "condition"):
        return "~" + _text(cond.condition, task)
    raise UnknownStatement(
        task,
        f"its start condition contains a {kind} built from Python objects, whose text tminus "
        "cannot know; give the condition as a string to have it checked and planned",
    )


def zone(app: Any) -> str:
    """The IANA zone the app's conditions are judged in.

    ``session.config.timezone`` when it is set (a ``zoneinfo.ZoneInfo`` or anything with
    a ``key``/``zone`` name); otherwise Rocketry works on the process's local wall clock,
    whose zone comes from ``TZ`` or ``/etc/localtime``, and UTC when neither names one.
    """
    tz = getattr(_session(app).config, "timezone", None)
    if tz is not None:
        name = getattr(tz, "key", None) or getattr(tz, "zone", None)
        if name:
            return str(name)
        if tz.utcoffset(None) == timedelta(0):
            return "UTC"
        raise ValueError(f"cannot tell the IANA name of session.config.timezone={tz!r}")
    return _local_zone()


def _local_zone() -> str:
    name = os.environ.get("TZ", "").lstrip(":")
    if name and "/" in name or name == "UTC":
        return name
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        return "UTC"
    marker = "zoneinfo" + os.sep
    return target.split(marker, 1)[1] if marker in target else "UTC"


def _records(session: Any) -> Iterable[Tuple[str, str, float]]:
    for r in session.get_task_log():
        get = r.get if isinstance(r, dict) else lambda k, r=r: getattr(r, k, None)
        task, action, created = get("task_name"), get("action"), get("created")
        if task and action:
            yield (task, action, _posix(created))


def _posix(created: Any) -> Union[float, datetime]:
    if isinstance(created, datetime):
        return created if created.tzinfo else created.replace(tzinfo=timezone.utc)
    return float(created)


def history(app: Any) -> History:
    """The session's task log as a ``tminus.History``, with the running tasks marked,
    the session parameters set, and the scheduler's start and cycles when it runs."""
    session = _session(app)
    h = History(list(_records(session)))
    for t in session.tasks:
        if _is_running(t):
            h.set_running(t.name)
    for key, value in dict(session.parameters).items():
        h.set_param(str(key), value if isinstance(value, str) else repr(value))
    scheduler = getattr(session, "scheduler", None)
    started = getattr(scheduler, "startup_time", None)
    if isinstance(started, datetime):
        h.set_scheduler(started, getattr(scheduler, "n_cycles", 0) or 0, tz=zone(app))
    return h


def _is_running(task: Any) -> bool:
    try:
        return bool(task.is_alive())
    except Exception:  # a task kind without a run stack
        return False


def _custom(session: Any) -> Tuple[Dict[str, Any], List[Tuple[re.Pattern, Any]]]:
    """The app's own condition phrases and patterns (those ``@app.cond`` added), each
    with its parser."""
    builtin = type(session)._cls_cond_parsers
    phrases: Dict[str, Any] = {}
    patterns: List[Tuple[re.Pattern, Any]] = []
    for syntax, parser in session.get_cond_parsers().items():
        if syntax in builtin and builtin[syntax] is parser:
            continue
        if isinstance(syntax, str):
            phrases[syntax] = parser
        elif isinstance(syntax, re.Pattern):
            patterns.append((syntax, parser))
    return phrases, patterns


def _asker(session: Any, task: Any, parser: Any, kwargs: Dict[str, str]):
    """A callable for ``Statement(conditions=...)`` that asks Rocketry's condition now."""

    def ask(at: datetime, *args: str) -> bool:
        cond = parser(**kwargs) if callable(parser) else parser
        return bool(cond.observe(task=task, session=session))

    return ask


def _parse(text: str, session: Any, task: Any) -> Statement:
    phrases, patterns = _custom(session)
    conditions = {p: _asker(session, task, f, {}) for p, f in phrases.items()}
    for _ in range(_PATTERN_ROUNDS):
        try:
            return Statement(text, conditions=conditions)
        except ParseError as e:
            added = _match_patterns(e.diagnostics, patterns, session, task, conditions)
            if not added:
                raise
    return Statement(text, conditions=conditions)


def _match_patterns(diagnostics, patterns, session, task, conditions) -> bool:
    added = False
    for d in diagnostics:
        if d.code != "tminus::unknown-phrase":
            continue
        phrase = d.statement[d.start:d.end].strip()
        for pattern, parser in patterns:
            m = pattern.fullmatch(phrase)
            if m and phrase not in conditions:
                conditions[phrase] = _asker(session, task, parser, m.groupdict())
                added = True
    return added


def statement(app: Any, task: Any) -> Statement:
    """The ``tminus.Statement`` of a task (by name or object), with the app's custom
    conditions registered and backed by Rocketry's own condition objects."""
    session = _session(app)
    t = _task(session, task)
    return _parse(statement_text(t), session, t)


def next_run(
    app: Any,
    task: Any,
    *,
    now: Optional[datetime] = None,
    horizon: Optional[timedelta] = None,
    tz: Optional[str] = None,
) -> Answer:
    """When ``task`` can next start: the ``Window`` in which its start condition holds
    (starting at ``now`` if it holds now), ``tminus.Never``, a ``WaitsOn`` naming the task
    events it needs, or ``None`` when nothing opens within ``horizon`` (default 3660 days).

    ``now`` defaults to the current time; ``tz`` to ``zone(app)``.
    """
    session = _session(app)
    t = _task(session, task)
    s = _parse(statement_text(t), session, t)
    tz = tz or zone(app)
    at = now if now is not None else datetime.now(timezone.utc)
    return s.next_window(at, task=t.name, history=history(app), tz=tz, horizon=horizon)


def lint_app(app: Any) -> Dict[str, List[Diagnostic]]:
    """Every task's diagnostics, by task name: errors, the optimizer's warnings, and task
    names that the app does not define (``tminus::unknown-task``). A task whose start
    condition is not a string gets one ``tminus::skipped`` note saying why."""
    session = _session(app)
    phrases, patterns = _custom(session)
    names = sorted(t.name for t in session.tasks)
    out: Dict[str, List[Diagnostic]] = {}
    for t in sorted(session.tasks, key=lambda t: t.name):
        try:
            text = statement_text(t)
        except UnknownStatement as e:
            out[t.name] = [_skipped(e)]
            continue
        conditions = list(phrases) + _pattern_phrases(text, patterns)
        out[t.name] = _tminus.lint_in_app(text, conditions=conditions, tasks=names)
    return out


def _pattern_phrases(text: str, patterns) -> List[str]:
    """The phrases of ``text`` that the app's patterns match (registered for linting)."""
    found: List[str] = []
    for _ in range(_PATTERN_ROUNDS):
        try:
            Statement(text, conditions=found)
            return found
        except ParseError as e:
            new = [
                d.statement[d.start:d.end].strip()
                for d in e.diagnostics
                if d.code == "tminus::unknown-phrase"
            ]
            new = [p for p in new if p not in found and any(r.fullmatch(p) for r, _ in patterns)]
            if not new:
                return found
            found.extend(new)
    return found


def _skipped(e: UnknownStatement) -> Diagnostic:
    return Diagnostic(
        "tminus::skipped",
        "note",
        f"condition not checked: {e.reason}",
        statement="",
    )
