"""next_window, windows and is_true: the answers and their types."""

from datetime import datetime, timedelta, timezone

import pytest

import tminus

UTC = timezone.utc


def test_next_window_is_a_window_with_aware_ends():
    s = tminus.Statement("time of day between 10:00 and 12:00")
    w = s.next_window(datetime(2024, 3, 11, 8, tzinfo=UTC))
    assert isinstance(w, tminus.Window)
    assert w.start == datetime(2024, 3, 11, 10, tzinfo=UTC)
    assert w.end == datetime(2024, 3, 11, 12, tzinfo=UTC)
    assert w.start.tzinfo is not None and w.duration == timedelta(hours=2)
    assert datetime(2024, 3, 11, 11, tzinfo=UTC) in w
    assert datetime(2024, 3, 11, 12, tzinfo=UTC) not in w


def test_window_open_at_the_start_starts_there():
    s = tminus.Statement("time of day between 10:00 and 12:00")
    w = s.next_window(datetime(2024, 3, 11, 11, tzinfo=UTC))
    assert w.start == datetime(2024, 3, 11, 11, tzinfo=UTC)


def test_open_window_has_no_end():
    s = tminus.Statement("every 10 minutes")
    history = [("t", "run", datetime(2024, 3, 11, 9, 3, tzinfo=UTC))]
    w = s.next_window(datetime(2024, 3, 11, 9, 5, tzinfo=UTC), history=history)
    assert w.start == datetime(2024, 3, 11, 9, 13, 0, 1, tzinfo=UTC)
    assert w.end is None and w.duration is None


def test_never_is_a_falsy_singleton():
    answer = tminus.Statement("cron 0 0 30 2 *").next_window(datetime(2024, 1, 1, tzinfo=UTC))
    assert answer is tminus.Never
    assert not answer and isinstance(answer, tminus.NeverType)
    assert repr(answer) == "tminus.Never"


def test_waits_on_names_the_events():
    answer = tminus.Statement("after task 'extract'").next_window(datetime(2024, 1, 1, tzinfo=UTC))
    assert isinstance(answer, tminus.WaitsOn)
    assert answer.events == [{"task": "extract", "action": "success"}]
    assert answer.tasks == ["extract"]
    assert str(answer) == "waits on: task 'extract' records success"


def test_nothing_within_the_horizon_is_none():
    s = tminus.Statement("time of day between 10:00 and 12:00")
    start = datetime(2024, 3, 11, 12, tzinfo=UTC)
    assert s.next_window(start, horizon=timedelta(hours=1)) is None
    assert isinstance(s.next_window(start, horizon=timedelta(days=1)), tminus.Window)


def test_windows_lists_count_windows_in_order():
    s = tminus.Statement("time of week between Mon and Fri & time of day between 09:30 and 10:00")
    ws = s.windows(datetime(2024, 3, 8, 12), 3, tz="Europe/Helsinki")
    assert [w.start.isoformat() for w in ws] == [
        "2024-03-11T09:30:00+02:00",
        "2024-03-12T09:30:00+02:00",
        "2024-03-13T09:30:00+02:00",
    ]
    assert all(a.end <= b.start for a, b in zip(ws, ws[1:]))
    assert tminus.Statement("cron 0 0 30 2 *").windows(datetime(2024, 1, 1), 5) == []


def test_history_as_tuples_dicts_or_a_history_gives_the_same_answer():
    s = tminus.Statement("daily between 10:00 and 12:00")
    at = datetime(2024, 3, 11, 11, tzinfo=UTC)
    done = datetime(2024, 3, 11, 10, 5, tzinfo=UTC)
    as_tuples = [("report", "success", done)]
    as_dicts = [{"task": "report", "action": "success", "at": "2024-03-11T10:05:00Z"}]
    loaded = tminus.History(as_tuples)
    for history in (as_tuples, as_dicts, loaded):
        assert not s.is_true(at, task="report", history=history)
        assert s.next_window(at, task="report", history=history).start == datetime(2024, 3, 12, 10, tzinfo=UTC)
    assert s.is_true(at, task="other", history=loaded)


def test_dict_records_default_to_the_statement_task():
    s = tminus.Statement("daily")
    at = datetime(2024, 3, 11, 11, tzinfo=UTC)
    record = {"action": "success", "at": datetime(2024, 3, 11, 10, tzinfo=UTC)}
    assert not s.is_true(at, task="job", history=[record])


def test_running_tasks():
    s = tminus.Statement("~task 'report' is running")
    at = datetime(2024, 3, 11, 11, tzinfo=UTC)
    assert s.is_true(at)
    assert not s.is_true(at, running=["report"])
    assert not s.is_true(at, running=("report",), history=tminus.History())
    answer = s.next_window(at, running=["report"])
    assert isinstance(answer, tminus.WaitsOn)
    assert answer.events == [{"task": "report", "running": False}]


def test_posix_seconds_and_iso_strings_in_records():
    h = tminus.History([("a", "run", 1710151500.25), ("a", "success", "2024-03-11T12:06:00+02:00")])
    assert len(h) == 2 and h.tasks() == ["a"]
    [(action1, at1), (action2, at2)] = h.events("a")
    assert (action1, action2) == ("run", "success")
    assert at1 == datetime(2024, 3, 11, 10, 5, 0, 250000, tzinfo=UTC)
    assert at2 == datetime(2024, 3, 11, 10, 6, tzinfo=UTC)
