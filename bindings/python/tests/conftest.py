"""Shared fixtures: where the repository's test data and the `tminus` binary are.

The oracle corpus is read from the repository's copy (``tests/data/oracle``, generated
from ``../shared/oracle``). The CLI comparison needs the ``tminus`` binary: ``TMINUS_BIN``
names it (``.ci/run`` sets it and the tests then fail if it is missing); without it,
``target/debug/tminus`` or ``target/release/tminus`` of the repository is used if built.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
ORACLE = REPO / "tests" / "data" / "oracle"
HISTORY_DATA = REPO / "tests" / "data" / "history"
PYTHON_DATA = REPO / "tests" / "data" / "python"


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def find_cli():
    named = os.environ.get("TMINUS_BIN")
    if named:
        path = Path(named)
        if not path.is_absolute():
            path = REPO / path
        if not path.exists():
            pytest.fail(f"TMINUS_BIN={named} does not exist")
        return path
    for profile in ("debug", "release"):
        path = REPO / "target" / profile / "tminus"
        if path.exists():
            return path
    pytest.skip("no tminus binary: build it with `cargo build` or set TMINUS_BIN")


@pytest.fixture(scope="session")
def cli():
    """Runs the tminus binary: cli(args, stdin) -> CompletedProcess (text)."""
    binary = find_cli()

    def run(args, stdin="", cwd=None):
        return subprocess.run(
            [str(binary), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=cwd,
        )

    return run
