"""``python -m tminus lint ...``: the linter of the ``tminus`` binary, from ``pip install`` alone.

Same arguments, findings, output formats (text, json, sarif, github) and exit codes as
``tminus lint`` (0 clean, 1 findings, 2 usage or I/O error), because it is the same Rust
code: a Python project gets its CI linter and pre-commit hook without installing the
binary. The other commands of the binary are not offered here.
"""

import os
import sys
from typing import List, Optional

from ._tminus import lint_command

USAGE = """usage: python -m tminus lint [FILES]... [-e STATEMENT]... [OPTIONS]

Checks Rocketry-style statements: given with -e, in text files (one per line), in the
Python sources of a Rocketry app, or in the .py files of directories.
`python -m tminus lint --help` lists the options. The other commands of tminus
(parse, next, eval, ...) come with the `tminus` binary.
"""


def _stdin() -> bytes:
    return sys.stdin.buffer.read()


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def main(argv: Optional[List[str]] = None) -> int:
    """Runs ``python -m tminus`` with ``argv`` (default: the process's arguments) and
    returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        (sys.stdout if args else sys.stderr).write(USAGE)
        return 0 if args else 2
    if args[0] != "lint":
        sys.stderr.write(f"error: unknown command {args[0]!r}\n\n{USAGE}")
        return 2
    code, out, err = lint_command(args[1:], stdin=_stdin, color=_color())
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return code


if __name__ == "__main__":
    sys.exit(main())
