"""Bad input raises a clear Python exception and never takes the interpreter down."""

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

import tminus

AT = datetime(2024, 3, 11, 10, tzinfo=timezone.utc)
S = tminus.Statement("daily between 10:00 and 12:00")


@pytest.mark.parametrize(
    "call,exception,match",
    [
        (lambda: tminus.Statement(42), TypeError, None),
        (lambda: tminus.Statement(None), TypeError, None),
        (lambda: tminus.Statement("daily", conditions="is foo"), TypeError, "not a str"),
        (lambda: tminus.Statement("daily", conditions=[1]), TypeError, "must be str"),
        (lambda: S.is_true("2024-03-11T10:00"), TypeError, "datetime"),
        (lambda: S.is_true(AT.date()), TypeError, "datetime"),
        (lambda: S.is_true(AT, tz=5), TypeError, "IANA"),
        (lambda: S.is_true(AT, tz="Mars/Olympus"), ValueError, "unknown time zone"),
        (lambda: S.is_true(AT, task=""), ValueError, "task"),
        (lambda: S.is_true(AT, history="log.csv"), TypeError, "History.load"),
        (lambda: S.is_true(AT, history=5), TypeError, "iterable"),
        (lambda: S.is_true(AT, history=[5]), TypeError, "record 0"),
        (lambda: S.is_true(AT, history=[("t", "run")]), ValueError, "got 2 items"),
        (lambda: S.is_true(AT, history=[("t", "sucess", AT)]), ValueError, "unknown action"),
        (lambda: S.is_true(AT, history=[("t", "run", "yesterday")]), ValueError, "not an instant"),
        (lambda: S.is_true(AT, history=[{"task": "t", "at": AT}]), ValueError, "action"),
        (lambda: S.is_true(AT, history=[("t", "run", float("nan"))]), ValueError, "instant"),
        (lambda: S.is_true(AT, running="report"), TypeError, "not a str"),
        (lambda: S.next_window(AT, horizon=5), TypeError, "timedelta"),
        (lambda: S.next_window(AT, horizon=timedelta(0)), ValueError, "positive"),
        (lambda: S.windows(AT, -1), OverflowError, None),
        (lambda: S.is_true(datetime(2024, 10, 27, 3, 30), tz="Europe/Helsinki"), ValueError, "ambiguous"),
        (lambda: tminus.History.load("/nonexistent/log.csv"), OSError, "nonexistent"),
        (lambda: tminus.History.load("log.txt"), tminus.HistoryError, "format"),
        (lambda: tminus.lint(b"daily"), TypeError, None),
    ],
)
def test_bad_input_raises(call, exception, match):
    with pytest.raises(exception, match=match):
        call()


def test_bad_history_file_names_the_line(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text('{"task": "a", "action": "run", "at": "2024-03-11T10:00:00Z"}\n{"task": "a", "action": "explode", "at": "2024-03-11T10:00:00Z"}\n')
    with pytest.raises(tminus.HistoryError, match="line 2"):
        tminus.History.load(log)


def test_garbage_never_crashes_the_interpreter():
    # In a child interpreter, so that a crash (abort, segfault) fails this test instead
    # of killing the test run.
    script = r'''
import random, tminus
from datetime import datetime, timezone
rng = random.Random(12)
words = ["daily", "every", "between", "and", "&", "|", "~", "(", ")", "'", "task", "after",
         "cron", "*", "/", "10:00", "99:99", "1", "0", "-1", "\x00", "é", "💥", "time of day",
         "succeeded", "is running", "on", "starting", "hours", "9" * 40]
at = datetime(2024, 3, 11, 10, tzinfo=timezone.utc)
parsed = 0
for i in range(3000):
    text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
    tminus.lint(text)
    try:
        s = tminus.Statement(text)
    except tminus.ParseError as e:
        assert e.diagnostics and str(e)
        continue
    parsed += 1
    s.is_true(at)
    s.next_window(at)
    s.windows(at, 2)
    s.explain(at)
    s.simplify()
print("parsed", parsed)
'''
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 0
