"""Per-call cost of tminus from Python against croniter, on the same cron expressions.

    python bindings/python/bench_croniter.py            # needs tminus and croniter installed

For each expression it times, per call:

* croniter ``get_next``: an iterator made once and advanced (its fastest use), and a fresh
  ``croniter(expr, t).get_next()`` per instant (what "next after t" costs);
* tminus ``Statement.next_window(t)`` and ``Statement.is_true(t)`` with ``t`` moving on
  from call to call, as a scheduler asks;
* tminus ``Statement.windows(t, 1000)`` divided by 1000: the core's own cost per window,
  so that the difference to ``next_window`` is what crossing from Python costs (argument
  checks, datetime conversion, the Window object).

Times are the median of several rounds, in microseconds per call. The machine is shared
and noisy: compare within one run.
"""

import statistics
import sys
import time
from datetime import datetime, timedelta, timezone

import tminus
from croniter import croniter

EXPRESSIONS = [
    "*/5 * * * *",
    "0 9 * * 1-5",
    "15,45 8-18 * * *",
    "30 2 1 * *",
    "0 0 1 1 *",
]
START = datetime(2024, 3, 11, 9, 7, tzinfo=timezone.utc)
CALLS = 2000
ROUNDS = 5


def per_call(run, calls=CALLS):
    """Median over ROUNDS of the time per call of run(calls), in microseconds."""
    times = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        run(calls)
        times.append((time.perf_counter() - t0) / calls * 1e6)
    return statistics.median(times)


def croniter_iterator(expr):
    def run(n):
        it = croniter(expr, START)
        for _ in range(n):
            it.get_next(datetime)

    return run


def croniter_fresh(expr):
    def run(n):
        t = START
        for _ in range(n):
            t = croniter(expr, t).get_next(datetime)

    return run


def tminus_next_window(statement):
    step = timedelta(microseconds=1)

    def run(n):
        t = START
        for _ in range(n):
            t = statement.next_window(t).end + step

    return run


def tminus_is_true(statement):
    def run(n):
        t = START
        minute = timedelta(minutes=1)
        for _ in range(n):
            statement.is_true(t)
            t += minute

    return run


def tminus_core(statement):
    def run(n):
        statement.windows(START, n)

    return run


def main():
    rows = []
    for expr in EXPRESSIONS:
        s = tminus.Statement("cron " + expr)
        # Sanity: both libraries agree on the first instants.
        it = croniter(expr, START)
        expected = [it.get_next(datetime) for _ in range(3)]
        got = [w.start for w in s.windows(START, 3)]
        assert got == expected, (expr, got, expected)
        rows.append(
            (
                expr,
                per_call(croniter_iterator(expr)),
                per_call(croniter_fresh(expr)),
                per_call(tminus_next_window(s)),
                per_call(tminus_is_true(s)),
                per_call(tminus_core(s), 1000),
            )
        )
    print(f"tminus {tminus.__version__}, Python {sys.version.split()[0]}, {CALLS} calls x {ROUNDS} rounds, median µs/call")
    print()
    print("| cron | croniter get_next (iterator) | croniter(expr, t).get_next | tminus next_window | tminus is_true | tminus core per window | call overhead |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for expr, it, fresh, nxt, true, core in rows:
        print(f"| `{expr}` | {it:.2f} | {fresh:.2f} | {nxt:.2f} | {true:.2f} | {core:.2f} | {nxt - core:.2f} |")


if __name__ == "__main__":
    main()
