"""The oracle corpus (Rocketry 2.5.1's recorded verdicts) through the Python API: the same
verdicts, canonical texts and diagnostics as the CLI, case by case."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import tminus
from conftest import ORACLE, load_jsonl

EVAL_KEYS = ("cond", "now", "task", "history", "running", "tz", "scheduler", "params")
# Groups where tminus deliberately differs from Rocketry (docs/differences.md).
QUIRK_GROUPS = {"cron-step-bug", "daily-literal-quirk", "cron-eval-error", "tz-config"}

EVAL = load_jsonl(ORACLE / "corpus-eval.jsonl")
PARSE = load_jsonl(ORACLE / "corpus-parse.jsonl")


def aware(text, zone):
    """An instant of the corpus as an aware datetime: civil times get the zone (fold=0,
    the earlier pass, which is how the CLI reads them)."""
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return at if at.tzinfo is not None else at.replace(tzinfo=zone)


def python_value(case):
    """The Python API's verdict for a case: True/False, or the exception raised."""
    tz = case.get("tz", "UTC")
    task = case.get("task", "t")
    records = [{"task": task, **r} for r in case.get("history", [])]
    history = records
    if case.get("scheduler") or case.get("params"):
        history = tminus.History(records, tz=tz)
        if case.get("scheduler"):
            sched = case["scheduler"]
            history.set_scheduler(sched["started"], sched.get("cycles", 0), tz=tz)
        for key, value in (case.get("params") or {}).items():
            history.set_param(key, value if isinstance(value, str) else json.dumps(value))
    try:
        statement = tminus.Statement(case["cond"])
        return statement.is_true(
            aware(case["now"], ZoneInfo(tz)),
            task=task,
            history=history,
            running=case.get("running", []),
            tz=tz,
        )
    except (tminus.ParseError, ValueError) as e:
        return e


@pytest.fixture(scope="module")
def cli_eval(cli):
    cases = [{k: c[k] for k in EVAL_KEYS if k in c} for c in EVAL]
    done = cli(["eval", "--jsonl", "--tz", "UTC"], "".join(json.dumps(c) + "\n" for c in cases))
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(EVAL), done.stderr
    return answers


@pytest.mark.parametrize("i", range(len(EVAL)), ids=lambda i: f"{EVAL[i]['group']}-{i}")
def test_eval_case_matches_the_cli(cli_eval, i):
    case, expected = EVAL[i], cli_eval[i]
    got = python_value(case)
    if expected["value"] is None:
        assert isinstance(got, Exception), f"{case['cond']!r}: CLI error {expected['error']!r}, Python {got!r}"
    else:
        assert got is expected["value"], f"{case['cond']!r} at {case['now']}"


def test_eval_agrees_with_rocketry_outside_the_documented_differences():
    judged = [c for c in EVAL if c["value"] is not None and c["group"] not in QUIRK_GROUPS
              and "from_logs" not in c and "timezone" not in c]
    agree = sum(python_value(c) is c["value"] for c in judged)
    # tests/eval/oracle.rs lists the few deliberate differences one by one; the cases
    # above pin every verdict to the CLI's, this guards against a wholesale misreading.
    assert agree >= 0.95 * len(judged), f"{agree}/{len(judged)} agree with Rocketry"


@pytest.fixture(scope="module")
def cli_lint(cli):
    done = cli(["lint", "--jsonl"], "".join(json.dumps({"cond": p["cond"]}) + "\n" for p in PARSE))
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(PARSE), done.stderr
    return answers


def char_span(text, label):
    data = text.encode()
    return len(data[: label["start"]].decode(errors="ignore")), len(data[: label["end"]].decode(errors="ignore"))


@pytest.mark.parametrize("i", range(len(PARSE)), ids=lambda i: f"{PARSE[i]['family']}-{i}")
def test_parse_case_matches_the_cli(cli_lint, i):
    text, expected = PARSE[i]["cond"], cli_lint[i]
    try:
        canonical = str(tminus.Statement(text))
    except tminus.ParseError as e:
        canonical = None
        assert [d.code for d in e.diagnostics] == [d["code"] for d in expected["diagnostics"]]
    assert canonical == expected["canonical"]
    got = tminus.lint(text)
    assert [(d.code, d.severity, d.message, d.help) for d in got] == [
        (d["code"], d["severity"], d["message"], d.get("help")) for d in expected["diagnostics"]
    ]
    for d, e in zip(got, expected["diagnostics"]):
        if e["labels"]:
            assert (d.start, d.end) == char_span(text, e["labels"][0])


def test_parse_verdicts_agree_with_rocketry_outside_quirks():
    judged = [p for p in PARSE if not p["family"].endswith("-quirk") and p["family"] != "cron-lazy"
              and not p.get("date_dependent")]
    agree = 0
    for p in judged:
        try:
            tminus.Statement(p["cond"])
            parsed = True
        except tminus.ParseError:
            parsed = False
        agree += parsed == p["parsed"]
    assert agree >= 0.95 * len(judged), f"{agree}/{len(judged)} parse verdicts agree with Rocketry"
