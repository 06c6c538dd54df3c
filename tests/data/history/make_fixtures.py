"""Regenerate the Rocketry task-log fixtures used by tests/eval/history.rs.

The fixtures are written by the real Rocketry 2.5.1 scheduler, so the Rust
readers are checked against files Rocketry itself produced, not against
hand-typed imitations. The Rust tests never run this script; they only read
the committed output.

Setup, from the project root (the oracle's pins plus SQLAlchemy, which SQLRepo
needs; 1.4 is what redbird 0.7.1 was used with in early 2023):

    python3 -m venv ~/.rocketry-fixtures
    ~/.rocketry-fixtures/bin/pip install -r ../shared/oracle/requirements.txt "sqlalchemy==1.4.54"
    ~/.rocketry-fixtures/bin/python tests/data/history/make_fixtures.py [OUT_DIR]

OUT_DIR defaults to this script's folder. It takes about 8 seconds.

What happens:

1. A first scheduler process runs a handful of tasks (success, failure,
   inaction, dependence on another task, timeout termination of a process
   task) for a few seconds. Near the end a task calls os._exit() in the
   middle of its run, so the logs end with an unfinished "run" record.
2. A second scheduler process starts on the same logs. At startup Rocketry
   notices the dangling "run" and writes a "crash" record, then runs the
   tasks for a couple more seconds and shuts down cleanly.

Every record goes to four repositories at once:

* rocketry-log.csv        CSVFileRepo, MinimalRecord (the app's own repo)
* rocketry-log-rich.csv   CSVFileRepo, LogRecord (many extra columns,
                          quoted messages, multi-line tracebacks)
* rocketry-log.db         SQLite through SQLRepo, two tables:
                          "tasks" (MinimalRecord, id_field="created", as in
                          Rocketry's logging handbook) and "log"
                          (MinimalRunRecord plus an integer primary key, as
                          in Rocketry's "robust applications" cookbook)

Afterwards each repository is read back through Rocketry's own repo class and
written out as <fixture>.expected.jsonl (or <db>.<table>.expected.jsonl), one
object per record in repository order: task_name, action, created (the float
exactly as the repo returns it) and at (datetime.fromtimestamp(created, UTC)
in ISO 8601, i.e. Python's own microsecond rounding).
"""

import datetime
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV_MIN = "rocketry-log.csv"
CSV_RICH = "rocketry-log-rich.csv"
DB = "rocketry-log.db"
RUN_SECONDS = {"first": 5, "second": 2}


def make_repos(out):
    """The four repositories, all pointing into `out`."""
    from redbird.repos import CSVFileRepo, SQLRepo
    from rocketry.log import LogRecord, MinimalRecord, MinimalRunRecord
    import sqlalchemy.orm  # noqa: F401  (redbird uses sqlalchemy.orm without importing it)
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{out / DB}")
    with engine.begin() as conn:
        conn.execute(text(
            "CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, created FLOAT,"
            " task_name TEXT, run_id TEXT, action TEXT)"
        ))
    return {
        "csv_min": CSVFileRepo(filename=out / CSV_MIN, model=MinimalRecord),
        "csv_rich": CSVFileRepo(filename=out / CSV_RICH, model=LogRecord),
        "sql_tasks": SQLRepo(engine=engine, table="tasks", if_missing="create",
                             model=MinimalRecord, id_field="created"),
        "sql_log": SQLRepo(engine=engine, table="log", model=MinimalRunRecord, id_field="id"),
    }


def build_app(repos, phase):
    """A Rocketry app whose task logs go to every repo; `phase` picks the shutdown."""
    from redbird.logging import RepoHandler
    from rocketry import Rocketry
    from rocketry.exc import TaskInactionException

    app = Rocketry(
        logger_repo=repos["csv_min"],
        config={
            "task_execution": "main",
            "shut_cond": f"scheduler has run over {RUN_SECONDS[phase]} seconds",
            "silence_task_prerun": True,
            "silence_task_logging": False,
        },
    )
    task_logger = logging.getLogger("rocketry.task")
    for key in ("csv_rich", "sql_tasks", "sql_log"):
        task_logger.addHandler(RepoHandler(repo=repos[key]))

    @app.task("every 1 seconds")
    def fetch():
        return "fetched"

    @app.task("after task 'fetch'")
    def report():
        return "reported"

    @app.task("every 2 seconds")
    def flaky():
        raise ValueError("upstream said \"no\", try later")

    @app.task("after task 'flaky' failed")
    def alert():
        return None

    @app.task("every 3 seconds")
    def idle():
        raise TaskInactionException()

    @app.task("every 10 seconds", execution="process", timeout="1 second")
    def slow():
        time.sleep(30)

    doomed_cond = "scheduler has run over 4 seconds" if phase == "first" else "false"

    @app.task(doomed_cond)
    def doomed():
        # Dies in the middle of its run: the log keeps a "run" with no finish.
        logging.shutdown()
        os._exit(3)

    return app


def run_phase(phase, out):
    """Body of one scheduler process."""
    repos = make_repos(out)
    app = build_app(repos, phase)
    app.run()


def clean(out):
    for name in (CSV_MIN, CSV_RICH, DB):
        (out / name).unlink(missing_ok=True)
    for path in out.glob("rocketry-log*.expected.jsonl"):
        path.unlink()


def record_json(item):
    created = item.created
    at = datetime.datetime.fromtimestamp(created, datetime.timezone.utc)
    return json.dumps({
        "task_name": item.task_name,
        "action": item.action,
        "created": created,
        "at": at.isoformat(),
    })


def write_expected(repo, path):
    items = repo.filter_by().all()
    path.write_text("".join(record_json(item) + "\n" for item in items))
    return len(items)


def write_all_expected(out):
    repos = make_repos(out)
    targets = {
        "csv_min": f"{CSV_MIN}.expected.jsonl",
        "csv_rich": f"{CSV_RICH}.expected.jsonl",
        "sql_tasks": f"{DB}.tasks.expected.jsonl",
        "sql_log": f"{DB}.log.expected.jsonl",
    }
    for key, name in targets.items():
        count = write_expected(repos[key], out / name)
        print(f"{name}: {count} records")


def main(argv):
    if len(argv) >= 3 and argv[1] == "--phase":
        run_phase(argv[2], Path(argv[3]))
        return 0
    out = Path(argv[1]).resolve() if len(argv) > 1 else HERE
    out.mkdir(parents=True, exist_ok=True)
    clean(out)
    me = str(Path(__file__).resolve())
    first = subprocess.run([sys.executable, me, "--phase", "first", str(out)])
    if first.returncode != 3:
        print(f"first phase should die in task 'doomed' (exit 3), got {first.returncode}")
        return 1
    subprocess.run([sys.executable, me, "--phase", "second", str(out)], check=True)
    write_all_expected(out)
    scrub_paths(out / CSV_RICH)
    return 0


def scrub_paths(path):
    """Rocketry's LogRecord keeps file paths of the machine that ran it (in `pathname` and
    in tracebacks): make them relative, so no machine path is committed. Only text columns
    change; task_name, action and created stay as Rocketry wrote them."""
    text = path.read_text(encoding="utf-8")
    site = str(Path(logging.__file__).resolve().parent.parent)  # the stdlib folder
    for prefix in {str(Path(sys.prefix)), str(HERE.parents[2]), site}:
        text = text.replace(prefix + "/", "")
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
