#!/usr/bin/env python3
"""Seeds the fuzz corpora (fuzz/corpus/TARGET, not committed) from the repository's test data.

* parse: one file per `cond` of tests/data/oracle/corpus-parse.jsonl;
* next_window: each of those after 16 bytes of parameters (the first of the text's SHA-1);
* lint_text: examples/statements.txt, and those conditions eight to a file;
* lint_python: the Python files of tests/data/python and the Python package's Rocketry
  module and its test, and every Rust string literal of the linter's sources, the CLI tests
  and the Python bindings that holds a Rocketry app;
* history: the logs of tests/data/history, plus small SQLite logs (one table; a table and a
  view; wrong types and NULLs) and JSON Lines and CSV logs with DST civil times, comments,
  a byte-order mark and multi-line cells.

Run from the repository's root:

    python3 scripts/fuzz_seed.py

Files are named by the SHA-1 of their contents, as libFuzzer names what it adds.
"""

import glob
import hashlib
import json
import os
import re
import sqlite3
import tempfile

CORPUS = "fuzz/corpus"


def save(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


# A Rust string literal: raw (r"…", r#"…"#) or with escapes.
LITERAL = re.compile(r'r(#*)"(.*?)"\1|"((?:[^"\\]|\\.)*)"', re.S)


def rust_strings(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    for m in LITERAL.finditer(source):
        if m.group(2) is not None:
            yield m.group(2)
            continue
        text = re.sub(r"\\\n\s*", "", m.group(3))  # a line continuation
        try:
            yield text.encode("latin1", "backslashreplace").decode("unicode_escape")
        except UnicodeError:
            continue


def sqlite_log(statements):
    """The bytes of a small database (512-byte pages) made by `statements`."""
    fd, path = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    try:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA page_size=512")
        for sql in statements:
            conn.execute(sql)
        conn.commit()
        conn.execute("VACUUM")
        conn.close()
        return read(path)
    finally:
        os.remove(path)


def main():
    conds = []
    with open("tests/data/oracle/corpus-parse.jsonl", encoding="utf-8") as f:
        conds = [json.loads(line)["cond"] for line in f if line.strip()]
    for cond in conds:
        save("parse", cond)
        # next_window reads 16 bytes of parameters first: some from the text's hash.
        save("next_window", hashlib.sha1(cond.encode()).digest()[:16] + cond.encode())

    save("lint_text", read("examples/statements.txt"))
    for i in range(0, len(conds), 8):
        save("lint_text", "\n".join(conds[i : i + 8]) + "\n")

    python = glob.glob("tests/data/python/**/*.py", recursive=True)
    python += ["bindings/python/python/tminus/rocketry.py", "bindings/python/tests/test_rocketry.py"]
    for path in python:
        save("lint_python", read(path))
    rust = glob.glob("src/lint/**/*.rs", recursive=True) + glob.glob("tests/cli/*.rs")
    rust += glob.glob("bindings/python/src/*.rs")
    for path in rust:
        for text in rust_strings(path):
            if "\n" in text and ("rocketry" in text or "@app.task" in text):
                save("lint_python", text)

    for path in glob.glob("tests/data/history/*"):
        if not path.endswith(".py"):
            save("history", read(path))
    save("history", sqlite_log([
        "CREATE TABLE tasks (id INTEGER PRIMARY KEY, task_name TEXT, action TEXT, created REAL)",
        "INSERT INTO tasks (task_name, action, created) VALUES ('fetch', 'run', 1710151500.25), "
        "('fetch', 'success', 1710151505), ('report', 'fail', '1710151600.5')",
    ]))
    save("history", sqlite_log([
        "CREATE TABLE log (task_name, action, created)",
        "INSERT INTO log VALUES ('a', 'run', 0), ('a', 'crash', NULL), (1, 'run', 2.5), "
        "('b', X'00', 'x')",
        "CREATE VIEW tasks AS SELECT * FROM log",
    ]))
    save("history", sqlite_log([
        "CREATE TABLE tasks (task_name TEXT, action TEXT, created REAL, "
        "shown TEXT AS (datetime(created, 'unixepoch')))",
        "INSERT INTO tasks (task_name, action, created) VALUES ('x', 'terminate', -1e10), "
        "('x', 'inaction', 253402300800)",
    ]))
    save("history",
         '{"task": "t", "action": "run", "at": "2024-03-31T03:30"}\n'
         '{"task": "t", "action": "success", "at": "2024-10-27T03:30:00.123456789"}\n'
         "# a comment\n\n"
         '{"task": "u", "action": "fail", "at": 1710151500.0000005}\r\n')
    save("history",
         '{"task": "t", "action": "run", "at": "2024-03-11 10:05:00+02"}\n'
         '{"task": "t", "action": "run", "at": "2024-03-11"}')
    save("history",
         "\ufefftask_name,action,created,msg\r\n"
         'fetch,run,1710151500.4565208,"a\r\nb"\r\n'
         "fetch,success,1710151505,\r\n")

    for target in sorted(os.listdir(CORPUS)):
        print(target, len(os.listdir(os.path.join(CORPUS, target))))


if __name__ == "__main__":
    main()
