#!/usr/bin/env python3
"""DST sweep: tminus's answers around every offset change of every zone, against Python's
zoneinfo as an independent reference.

For each IANA zone that both know, every change of UTC offset in [FIRST, LAST) is found with
zoneinfo (a probe per day, then bisection to the second). Around each change, three wall-clock
statements are judged at 24 instants (every 10 minutes from 2 h before to 2 h after, 7 minutes
past: with offsets in quarter hours no instant sits on a boundary) with `tminus eval --jsonl`, and the first window of the
first statement from 3 h before is asked with `tminus next --jsonl`. The reference reads the
wall clock with `datetime.astimezone` and scans minute by minute for the window's start.

    python3 scripts/dst_sweep.py [TMINUS] [FIRST_YEAR] [LAST_YEAR]

Prints the figures and every disagreement; exits 1 when there is one. Transitions after the
tzdata of either side may differ (chrono-tz bundles its own tzdata, Python uses the system's):
keep LAST_YEAR within both.
"""

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

TMINUS = sys.argv[1] if len(sys.argv) > 1 else "target/release/tminus"
FIRST = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
LAST = int(sys.argv[3]) if len(sys.argv) > 3 else 2025
UTC = timezone.utc
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def offset(zone, at):
    return at.astimezone(zone).utcoffset()


def transitions(zone):
    """Instants (UTC, to the second) at which the zone's offset changes."""
    found = []
    t = datetime(FIRST, 1, 1, tzinfo=UTC)
    end = datetime(LAST, 1, 1, tzinfo=UTC)
    before = offset(zone, t)
    while t < end:
        nxt = t + timedelta(days=1)
        after = offset(zone, nxt)
        if after != before:
            low, high = t, nxt
            while high - low > timedelta(seconds=1):
                mid = low + (high - low) / 2
                mid = mid.replace(microsecond=0)
                if mid <= low:
                    break
                if offset(zone, mid) == before:
                    low = mid
                else:
                    high = mid
            found.append(high)
            before = after
        t = nxt
    return found


def statements(zone, change):
    """Three statements about the wall clock just before `change`, with their reference."""
    wall = (change - timedelta(seconds=1)).astimezone(zone)
    h = wall.hour
    day = WEEKDAYS[wall.weekday()]
    return [
        (
            f"time of day between {h:02}:00 and {(h + 1) % 24:02}:00",
            lambda w, h=h: h <= w.hour < h + 1 or (w.hour == (h + 1) % 24 and w.minute == 0),
        ),
        (f"time of day after {h:02}:30", lambda w, h=h: (w.hour, w.minute) >= (h, 30)),
        (f"time of week on {day}", lambda w, day=day: WEEKDAYS[w.weekday()] == day),
    ]


def first_start(zone, truth, start):
    """The first whole minute from `start` on (up to 2 days) at which `truth` holds."""
    t = start
    for _ in range(2 * 24 * 60):
        if truth(t.astimezone(zone)):
            return t
        t += timedelta(minutes=1)
    return None


def run(command, cases):
    lines = "".join(json.dumps(c) + "\n" for c in cases)
    out = subprocess.run([TMINUS, *command], input=lines, capture_output=True, text=True, check=False)
    return [json.loads(line) for line in out.stdout.splitlines()]


def iso(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    started = time.time()
    eval_cases, eval_expected, next_cases, next_expected = [], [], [], []
    zones = changes = 0
    for name in sorted(available_timezones()):
        if name.startswith("posix/") or name.startswith("right/") or name == "localtime":
            continue
        zone = ZoneInfo(name)
        found = transitions(zone)
        zones += 1
        changes += len(found)
        for change in found:
            for text, truth in statements(zone, change):
                for k in range(-12, 12):
                    at = change + timedelta(minutes=10 * k + 7)
                    eval_cases.append({"cond": text, "now": iso(at), "tz": name})
                    eval_expected.append(truth(at.astimezone(zone)))
            text, truth = statements(zone, change)[0]
            start = (change - timedelta(hours=3)).replace(second=0)
            next_cases.append({"cond": text, "now": iso(start), "tz": name})
            ref = first_start(zone, truth, start)
            next_expected.append(None if ref is None else iso(ref))
    reference_s = time.time() - started
    started = time.time()
    answers = run(["eval", "--jsonl"], eval_cases)
    windows = run(["next", "--jsonl", "--horizon", "3 days"], next_cases)
    tminus_s = time.time() - started
    bad = 0
    skipped = 0
    for case, want, got in zip(eval_cases, eval_expected, answers):
        if got.get("error") and "unknown time zone" in got["error"]:
            skipped += 1
            continue
        if got.get("value") != want:
            bad += 1
            print("eval", case, "tminus", got.get("value"), got.get("error"), "zoneinfo", want)
    for case, want, got in zip(next_cases, next_expected, windows):
        if got.get("error"):
            continue
        first = got["windows"][0]["start"] if got.get("windows") else None
        first = None if first is None else iso(datetime.fromisoformat(first))
        if first != want:
            bad += 1
            print("next", case, "tminus", first, "zoneinfo", want)
    print(
        f"{zones} zones, {changes} offset changes {FIRST}-{LAST - 1}, "
        f"{len(eval_cases) - skipped} eval probes, {len(next_cases)} next windows "
        f"({skipped} probes in zones tminus does not know): {bad} disagreements; "
        f"reference {reference_s:.0f} s, tminus {tminus_s:.0f} s"
    )
    sys.exit(1 if bad else 0)


main()
