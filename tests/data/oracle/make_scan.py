#!/usr/bin/env python3
"""Generate tests/data/oracle/corpus-scan.jsonl: Rocketry's own truth intervals.

Each case runs `rocketry_oracle.py --scan START END STEP` (the real Rocketry 2.5.1) and
records the sampled intervals where the statement holds and the first true sample at or
after `now`. `tests/eval/scan.rs` checks tminus's `is_true` at every sample and its
`next_window` from `now` against them. Run from the project root:

    ~/.rocketry-oracle/bin/python tests/data/oracle/make_scan.py ../shared/oracle/rocketry_oracle.py
"""
import json
import pathlib
import subprocess
import sys

ORACLE = sys.argv[1] if len(sys.argv) > 1 else "../shared/oracle/rocketry_oracle.py"
OUT = pathlib.Path(__file__).with_name("corpus-scan.jsonl")

def h(action, at, task=None):
    entry = {"action": action, "at": at}
    if task:
        entry["task"] = task
    return entry

# (cond, now, history, scan start, scan end, step seconds, extra keys)
CASES = [
    ("daily between 10:00 and 12:00", "2024-03-11T09:00:00", [h("success", "2024-03-11T10:30:00")],
     "2024-03-11T00:00:00", "2024-03-14T00:00:00", 60, {}),
    ("daily between 22:00 and 02:00", "2024-03-11T20:00:00", [h("success", "2024-03-11T23:00:00")],
     "2024-03-11T00:00:00", "2024-03-14T00:00:00", 60, {}),
    ("every 10 minutes", "2024-03-11T09:00:00",
     [h("run", "2024-03-11T09:03:00"), h("success", "2024-03-11T09:04:00"), h("run", "2024-03-11T09:40:30")],
     "2024-03-11T09:00:00", "2024-03-11T10:30:00", 1, {}),
    ("time of week between Mon and Fri & time of day after 17:00", "2024-03-09T12:00:00", [],
     "2024-03-09T00:00:00", "2024-03-17T00:00:00", 60, {}),
    ("cron */15 * * * *", "2024-03-11T10:00:00",
     [h("run", "2024-03-11T10:15:20"), h("run", "2024-03-11T10:45:00")],
     "2024-03-11T10:00:00", "2024-03-11T12:00:00", 5, {}),
    ("cron 0 9-17 * * 1-5 & ~time of day between 12:00 and 13:00", "2024-03-08T08:00:00", [],
     "2024-03-08T00:00:00", "2024-03-12T00:00:00", 30, {}),
    ("hourly", "2024-03-11T10:00:00", [h("success", "2024-03-11T10:20:00"), h("fail", "2024-03-11T12:59:00")],
     "2024-03-11T10:00:00", "2024-03-11T16:00:00", 10, {}),
    ("weekly on Sat | daily between 22:00 and 02:00", "2024-03-06T00:00:00", [h("success", "2024-03-09T01:00:00")],
     "2024-03-06T00:00:00", "2024-03-13T00:00:00", 60, {}),
    ("has succeeded today between 10:00 and 12:00", "2024-03-11T00:00:00", [h("success", "2024-03-11T10:30:00")],
     "2024-03-11T00:00:00", "2024-03-13T00:00:00", 60, {}),
    ("time of month between 28th and 3rd", "2024-02-20T00:00:00", [],
     "2024-02-20T00:00:00", "2024-04-10T00:00:00", 3600, {}),
    ("after task 'a' & daily after 08:00", "2024-03-11T06:00:00",
     [h("success", "2024-03-11T07:00:00", "a"), h("run", "2024-03-11T09:00:00"), h("success", "2024-03-11T09:00:30")],
     "2024-03-11T00:00:00", "2024-03-13T00:00:00", 60, {}),
    ("monthly starting 15th", "2024-03-01T00:00:00", [h("success", "2024-03-10T12:00:00")],
     "2024-03-01T00:00:00", "2024-05-01T00:00:00", 3600, {}),
    ("~has failed in past 30 minutes & every 5 minutes", "2024-03-11T10:00:00",
     [h("run", "2024-03-11T10:02:00"), h("fail", "2024-03-11T10:03:00"), h("run", "2024-03-11T10:40:00")],
     "2024-03-11T10:00:00", "2024-03-11T11:30:00", 1, {}),
    ("daily starting 10:00", "2024-03-11T00:00:00", [h("success", "2024-03-11T09:00:00")],
     "2024-03-11T00:00:00", "2024-03-13T00:00:00", 60, {}),
    ("task 'a' has succeeded this week & ~has succeeded today", "2024-03-11T00:00:00",
     [h("success", "2024-03-12T15:00:00", "a"), h("success", "2024-03-13T11:00:00")],
     "2024-03-11T00:00:00", "2024-03-19T00:00:00", 300, {}),
    ("time of day between 01:00 and 03:00", "2024-10-26T12:00:00", [],
     "2024-10-26T12:00:00", "2024-10-28T12:00:00", 60, {"tz": "Europe/Helsinki"}),
    ("daily", "2024-03-30T12:00:00", [h("success", "2024-03-30T13:00:00")],
     "2024-03-30T12:00:00", "2024-04-01T12:00:00", 60, {"tz": "Europe/Helsinki"}),
    ("time of day after 22:00 | time of hour before 10:00", "2024-11-02T20:00:00", [],
     "2024-11-02T20:00:00", "2024-11-03T06:00:00", 60, {"tz": "America/New_York"}),
]

def main():
    with OUT.open("w") as out:
        for cond, now, history, start, end, step, extra in CASES:
            case = {"cond": cond, "now": now, "history": history, **extra}
            run = subprocess.run([sys.executable, ORACLE, "--scan", start, end, str(step)],
                                 input=json.dumps(case), capture_output=True, text=True, check=True)
            result = json.loads(run.stdout.strip().splitlines()[-1])
            if result.get("error"):
                sys.exit(f"{cond}: {result['error']}")
            out.write(json.dumps(result) + "\n")
            print(cond, "->", len(result["intervals"]), "intervals", file=sys.stderr)

main()
