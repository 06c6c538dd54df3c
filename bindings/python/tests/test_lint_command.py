"""`python -m tminus lint` and `tminus.lint_file`: the binary's linter from Python, with the
same findings, formats and exit codes."""

import json
import subprocess
import sys

import pytest

import tminus
from conftest import PYTHON_DATA, REPO

BROKEN = "tests/data/python/broken.py"
APP = "tests/data/python/app.py"

ARGS = [
    [APP],
    [BROKEN],
    [BROKEN, "--format", "json"],
    [BROKEN, "--format", "sarif"],
    [BROKEN, "--format", "github"],
    ["tests/data/python"],
    ["tests/data/python", "--exclude", "broken.py"],
    ["-e", "every 1 hour 30 minuts"],
    ["-e", "daily", "-e", "dialy", "--format", "json"],
    ["-e", "time of day before 10:00 & time of day after 11:00"],
    ["-e", "time of day before 10:00 & time of day after 11:00", "--deny", "warnings"],
    ["-e", "is foo & daily", "--cond", "is foo"],
    ["no/such/file.py"],
    [],
    ["--bogus"],
    ["--format", "yaml", "-e", "daily"],
]


def python_lint(args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "tminus", "lint", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


@pytest.mark.parametrize("args", ARGS, ids=lambda a: " ".join(a) or "no-args")
def test_same_output_and_exit_code_as_the_binary(cli, args):
    want = cli(["lint", *args], cwd=REPO)
    got = python_lint(args)
    assert got.returncode == want.returncode, got.stderr
    assert got.stdout == want.stdout
    assert bool(got.stderr) == bool(want.stderr)


def test_exit_codes_are_the_documented_ones():
    assert python_lint(["-e", "daily"]).returncode == 0
    assert python_lint(["-e", "dialy"]).returncode == 1
    assert python_lint([]).returncode == 2


def test_jsonl_and_stdin(cli):
    lines = "".join(json.dumps({"cond": c}) + "\n" for c in ["daily", "every 0 minutes", "cron 0 0 31 4 *"])
    want, got = cli(["lint", "--jsonl"], lines), python_lint(["--jsonl"], lines)
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout)
    text = "daily\n# a comment\nevery 10 minuts\n"
    want, got = cli(["lint", "-"], text), python_lint(["-"], text)
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout)


def test_only_lint_is_offered():
    done = subprocess.run([sys.executable, "-m", "tminus", "next", "daily"], capture_output=True, text=True)
    assert done.returncode == 2 and "lint" in done.stderr


def test_lint_file_matches_the_json_format(cli):
    want = json.loads(cli(["lint", "--format", "json", BROKEN], cwd=REPO).stdout)["diagnostics"]
    got = tminus.lint_file(REPO / BROKEN)
    assert len(got) == len(want) > 0
    for d, w in zip(got, want):
        assert (d.code, d.severity, d.message, d.help) == (w["code"], w["severity"], w["message"], w["help"])
        assert (d.line, d.column) == (w["line"], w["column"])
        assert d.path == str(REPO / BROKEN)
        if w["statement"] is not None:
            assert d.statement == w["statement"]
            data = w["statement"].encode()
            first = w["labels"][0]
            assert d.statement[d.start:d.end] == data[first["start"]:first["end"]].decode()


def test_lint_file_of_a_clean_app_and_of_a_missing_file():
    found = tminus.lint_file(PYTHON_DATA / "app.py")
    assert [d.severity for d in found] == ["note"]
    with pytest.raises(OSError):
        tminus.lint_file(PYTHON_DATA / "missing.py")
    assert [d.code for d in tminus.lint_file(PYTHON_DATA / "app.py", conditions=["is extra"])] == [found[0].code]
