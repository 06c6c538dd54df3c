"""tminus.rocketry against a real Rocketry 2.5.1 app: one run for a few seconds whose task
log the integration reads back, and lint_app on an app's statements."""

import asyncio
import logging
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

rocketry = pytest.importorskip("rocketry")
from rocketry import Rocketry  # noqa: E402
from rocketry.conds import every  # noqa: E402

import tminus  # noqa: E402
import tminus.rocketry as tr  # noqa: E402

UTC = timezone.utc


@pytest.fixture
def app():
    """A fresh app; its log handler is taken off the shared `rocketry.task` logger after
    the test, so that apps of different tests do not read each other's logs."""
    made = Rocketry(execution="async")
    handler = logging.getLogger(made.session.config.task_logger_basename).handlers[0]
    yield made
    logging.getLogger(made.session.config.task_logger_basename).removeHandler(handler)


def run_for(app, seconds):
    async def main():
        server = asyncio.create_task(app.serve())
        await asyncio.sleep(seconds)
        app.session.shut_down()
        await server

    asyncio.run(main())


def define(app):
    @app.cond("is ready")
    def is_ready():
        return False

    @app.task("every 2 seconds", name="tick")
    async def tick():
        pass

    @app.task("daily", name="once")
    async def once():
        pass

    @app.task("false", name="gate")
    async def gate():
        pass

    @app.task("after task 'gate'", name="after_gate")
    async def after_gate():
        pass

    @app.task("every 1 second & is ready", name="waiting")
    async def waiting():
        pass

    @app.task(every("1 hour"), name="python_built")
    async def python_built():
        pass


def test_a_running_app_is_read_back(app):
    define(app)
    run_for(app, 3.5)
    log = [(r.task_name, r.action, r.created) for r in app.session.get_task_log()]
    tick_runs = [c for t, a, c in log if t == "tick" and a == "run"]
    assert len(tick_runs) >= 2, log
    assert not any(t in ("gate", "after_gate", "waiting") for t, _, _ in log)

    # The integration's history holds exactly the app's log.
    h = tr.history(app)
    assert len(h) == len(log)
    expected = [(a, datetime.fromtimestamp(c, UTC)) for t, a, c in log if t == "tick"]
    assert sorted(h.events("tick"), key=lambda e: e[1]) == sorted(expected, key=lambda e: e[1])

    # `every 2 seconds`: true 2 s (and 1 µs) after the last run.
    last = datetime.fromtimestamp(max(tick_runs), UTC)
    w = tr.next_run(app, "tick", now=last + timedelta(milliseconds=500))
    assert isinstance(w, tminus.Window)
    assert w.start == last + timedelta(seconds=2, microseconds=1)
    assert w.end is None  # until tick runs again

    # `daily`: done today, true again from the next midnight of the app's zone.
    zone = ZoneInfo(tr.zone(app))
    ran = datetime.fromtimestamp(max(c for t, a, c in log if t == "once"), zone)
    w = tr.next_run(app, "once", now=ran + timedelta(seconds=1))
    midnight = datetime.combine(ran.date() + timedelta(days=1), datetime.min.time(), zone)
    assert w.start.astimezone(UTC) - midnight.astimezone(UTC) < timedelta(seconds=1)
    assert w.start >= midnight

    assert tr.next_run(app, "gate") is tminus.Never
    waits = tr.next_run(app, "after_gate")
    assert isinstance(waits, tminus.WaitsOn) and waits.events == [{"task": "gate", "action": "success"}]
    # The custom condition is asked through Rocketry (it says False, and nothing else can change).
    waits = tr.next_run(app, "waiting")
    assert isinstance(waits, tminus.WaitsOn)
    assert {"predicate": "is ready"} in waits.events

    with pytest.raises(tr.UnknownStatement, match="Python objects"):
        tr.next_run(app, "python_built")
    with pytest.raises(KeyError):
        tr.next_run(app, "no such task")


def test_statement_text_and_custom_conditions(app):
    define(app)
    assert tr.statement_text(app.session["tick"]) == "every 2 seconds"
    s = tr.statement(app, "waiting")
    assert str(s) == "every 1 second & is ready"
    assert not s.is_true(datetime(2024, 3, 11, tzinfo=UTC))


def test_zone_follows_the_session_config(app):
    app.session.config.timezone = ZoneInfo("Europe/Helsinki")
    assert tr.zone(app) == "Europe/Helsinki"


def test_lint_app_reports_each_task(app):
    @app.cond("is ready")
    def is_ready():
        return True

    @app.task("daily between 10:00 and 12:00 & is ready", name="report")
    def report():
        pass

    @app.task("after task 'reprot'", name="mail")
    def mail():
        pass

    @app.task("time of day before 10:00 & time of day after 11:00", name="never")
    def never():
        pass

    @app.task(every("1 hour"), name="python_built")
    def python_built():
        pass

    found = tr.lint_app(app)
    assert set(found) == {"report", "mail", "never", "python_built"}
    assert found["report"] == []
    [unknown] = found["mail"]
    assert (unknown.code, unknown.severity) == ("tminus::unknown-task", "warning")
    assert unknown.help == "did you mean `report`?"
    assert unknown.statement[unknown.start:unknown.end] == "reprot"
    assert [d.code for d in found["never"]] == ["tminus::never-true"]
    [note] = found["python_built"]
    assert (note.code, note.severity) == ("tminus::skipped", "note")
