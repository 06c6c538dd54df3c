"""Planner: next_wake, due and record, as a Python scheduler drives it."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import tminus

UTC = timezone.utc
HELSINKI = ZoneInfo("Europe/Helsinki")


def test_a_day_of_scheduling():
    now = datetime(2024, 3, 11, 6, tzinfo=UTC)
    p = tminus.Planner(tz="Europe/Helsinki", now=now)
    assert not p.insert("report", tminus.Statement("daily between 10:00 and 12:00"))
    assert not p.insert("mail", "after task 'report'")
    assert len(p) == 2 and "report" in p and "nothing" not in p
    ten = datetime(2024, 3, 11, 10, tzinfo=HELSINKI)
    assert p.next_wake() == ten
    assert p.next_wake().tzinfo == HELSINKI
    assert p.due(ten) == ["report"]
    p.record("report", "run", ten)
    assert p.is_running("report") and p.due(ten) == []
    assert p.planned("report")["state"] == "running"
    done = ten + timedelta(minutes=3)
    p.record("report", "success", done)
    assert p.due(done) == ["mail"]
    p.record("mail", "run", done)
    p.record("mail", "success", done + timedelta(seconds=5))
    p.advance(done + timedelta(seconds=5))
    assert p.next_wake() == ten + timedelta(days=1)
    assert p.planned("mail") == {"state": "waiting"}
    assert p.planned("nobody") is None
    assert p.stats["runs"] == 2 and p.stats["statements"] == 2


def test_restart_from_a_history():
    now = datetime(2024, 3, 11, 12, tzinfo=UTC)
    log = [("backup", "run", now - timedelta(hours=2)), ("backup", "success", now - timedelta(hours=1))]
    for history in (log, tminus.History(log)):
        p = tminus.Planner(now=now, history=history)
        p.insert("backup", "daily")
        assert p.due(now) == []
        assert p.next_wake() == datetime(2024, 3, 12, 0, 0, 0, 1, tzinfo=UTC)


def test_registered_conditions_are_parsed_and_asked():
    now = datetime(2024, 3, 11, 9, tzinfo=UTC)
    p = tminus.Planner(now=now)
    state = {"open": False}
    p.register("is open", lambda at: state["open"], recheck=timedelta(minutes=1))
    p.insert("sync", "every 10 minutes & is open")
    assert p.due(now) == []
    assert p.planned("sync") == {"state": "recheck", "at": now + timedelta(minutes=1)}
    state["open"] = True
    p.predicate_changed("is open")
    assert p.due(now) == ["sync"]
    with pytest.raises(tminus.ParseError):
        p.insert("x", "every 10 minutes & is closed")


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown time zone"):
        tminus.Planner(tz="Nowhere/City")
    p = tminus.Planner()
    with pytest.raises(TypeError):
        p.insert("t", 42)
    with pytest.raises(ValueError, match="unknown action"):
        p.record("t", "finished", datetime.now(UTC))
    with pytest.raises(ValueError, match="non-empty"):
        p.insert("", "daily")
    with pytest.raises(TypeError, match="callable"):
        p.register("x", 3)
