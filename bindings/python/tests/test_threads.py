"""The GIL is released while the library works: another thread's Python code runs meanwhile.

Measured with counters, not speed: while a worker thread is inside one long call, the main
thread counts the milliseconds in which its own Python loop ran. A call that held the GIL
would leave none in the middle half of the call (the main thread cannot run a bytecode);
one that releases it leaves many. Only the middle half is counted, so that the GIL changing
hands just before the call starts or just after it returns is not mistaken for progress.
"""

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

import tminus

UTC = timezone.utc


def progress_during(call):
    """(milliseconds of main-thread progress in the middle half of `call`, its seconds)."""
    span = []
    done = threading.Event()

    def worker():
        start = time.perf_counter()
        call()
        span.extend((start, time.perf_counter()))
        done.set()

    ticks = []
    thread = threading.Thread(target=worker)
    thread.start()
    last = 0.0
    while not done.is_set():
        now = time.perf_counter()
        if now - last >= 0.001:
            ticks.append(now)
            last = now
    thread.join()
    start, end = span
    quarter = (end - start) / 4
    return sum(1 for t in ticks if start + quarter < t < end - quarter), end - start


def test_the_measure_sees_a_call_that_holds_the_gil():
    # `sum` over a range is one C call that keeps the GIL: no progress in its middle.
    assert progress_during(lambda: sum(range(30_000_000)))[0] == 0


def long_lint(tmp_path):
    """A statements file that `lint_file` takes at least 0.4 s to check (alone)."""
    path = tmp_path / "statements.txt"
    lines = 20_000
    while True:
        path.write_text("daily between 10:00 and 12:00 & after task 'extract'\n" * lines)
        start = time.perf_counter()
        assert tminus.lint_file(path) == []
        if time.perf_counter() - start >= 0.4 or lines >= 2_000_000:
            return path
        lines *= 2


def test_other_threads_run_during_lint_file(tmp_path):
    path = long_lint(tmp_path)
    # On a loaded machine one run may starve the main thread: the best of three decides.
    best = max(progress_during(lambda: tminus.lint_file(path))[0] for _ in range(3))
    assert best >= 20


def test_other_threads_run_during_history_load(tmp_path):
    path = tmp_path / "log.jsonl"
    at = datetime(2024, 1, 1, tzinfo=UTC)
    records = 50_000
    while True:
        path.write_text(
            "".join(
                f'{{"task": "t{i % 50}", "action": "success", "at": "{(at + timedelta(seconds=i)).isoformat()}"}}\n'
                for i in range(records)
            )
        )
        start = time.perf_counter()
        assert len(tminus.History.load(path)) == records
        if time.perf_counter() - start >= 0.4 or records >= 1_600_000:
            break
        records *= 2
    best = max(progress_during(lambda: tminus.History.load(path))[0] for _ in range(3))
    assert best >= 20


def test_threads_share_a_statement_and_a_planner():
    s = tminus.Statement("every 10 minutes & is open", conditions={"is open": lambda at: True})
    p = tminus.Planner(now=datetime(2024, 3, 11, tzinfo=UTC))
    p.insert("sync", "every 10 minutes")
    errors = []

    def work(n):
        try:
            for i in range(200):
                at = datetime(2024, 3, 11, tzinfo=UTC) + timedelta(minutes=i)
                assert s.next_window(at).start == at
                p.due(at)
                p.record(f"w{n}", "run", at)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert p.stats["runs"] == 800


def test_a_condition_calling_its_own_planner_is_refused():
    now = datetime(2024, 3, 11, tzinfo=UTC)
    p = tminus.Planner(now=now)
    p.register("back", lambda at: bool(p.due(at)))
    with pytest.raises(RuntimeError, match="planner is busy"):
        p.insert("a", "every 10 minutes & back")
