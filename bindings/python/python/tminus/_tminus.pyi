"""Type stubs of the native module `tminus._tminus` (re-exported by `tminus`)."""

from datetime import datetime, timedelta, tzinfo
from os import PathLike
from typing import (
    Any,
    Callable,
    Dict,
    Final,
    Iterable,
    List,
    Literal,
    Mapping,
    Optional,
    Tuple,
    Union,
    final,
)

__version__: Final[str]

Severity = Literal["error", "warning", "note"]
ActionName = Literal["run", "success", "fail", "terminate", "inaction", "crash"]
Instant = Union[datetime, str, float, int]
"""A record's time: a datetime (naive: civil time in `tz`), ISO 8601 text or POSIX seconds."""
Record = Union[Tuple[str, str, Instant], Mapping[str, Any]]
"""`(task, action, at)` or `{"task": ..., "action": ..., "at": ...}` (`task` optional)."""
Zone = Union[str, tzinfo]
"""An IANA zone name, or a `zoneinfo.ZoneInfo`."""
ConditionCallable = Callable[..., bool]
"""`func(at: datetime, *args: str) -> bool` behind a custom condition."""
Conditions = Union[Iterable[str], Mapping[str, Optional[ConditionCallable]]]
HistoryArg = Union["History", Iterable[Record], None]

class ParseError(ValueError):
    """A statement that does not parse; `str()` draws the diagnostics."""

    diagnostics: List[Diagnostic]
    statement: str

class HistoryError(ValueError):
    """A task log that cannot be read (the message names the file, line and field)."""

@final
class Diagnostic:
    """One finding about a statement; offsets count characters."""

    code: Final[str]
    severity: Final[Severity]
    message: Final[str]
    start: Final[int]
    end: Final[int]
    help: Final[Optional[str]]
    labels: Final[List[Tuple[int, int, str]]]
    statement: Final[str]
    path: Final[Optional[str]]
    line: Final[Optional[int]]
    column: Final[Optional[int]]
    def __init__(
        self,
        code: str,
        severity: Severity,
        message: str,
        *,
        start: int = 0,
        end: int = 0,
        help: Optional[str] = None,
        labels: Optional[List[Tuple[int, int, str]]] = None,
        statement: str = "",
        path: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None: ...
    def render(self) -> str:
        """Drawn as the CLI draws it (no colour)."""
    def __eq__(self, other: object) -> bool: ...

@final
class Window:
    """`[start, end)`: the statement is true from `start` until `end` (`None`: until a
    task event ends it, or beyond the horizon)."""

    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> Optional[datetime]: ...
    @property
    def duration(self) -> Optional[timedelta]: ...
    def __contains__(self, at: datetime) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

@final
class NeverType:
    """The type of `Never`: the statement can never be true (proved)."""

    def __bool__(self) -> Literal[False]: ...

Never: Final[NeverType]

@final
class WaitsOn:
    """Time alone will not make the statement true; one of `events` could."""

    @property
    def events(self) -> List[Dict[str, Any]]:
        """`{"task", "action"}`, `{"task", "running"}`, `{"scheduler": True}`,
        `{"param"}` or `{"predicate"}` dicts, as the CLI's JSON."""
    @property
    def tasks(self) -> List[str]: ...
    def __bool__(self) -> Literal[False]: ...

NextAnswer = Union[Window, NeverType, WaitsOn, None]

@final
class Statement:
    """A Rocketry-style scheduling statement, parsed and checked."""

    def __init__(self, text: str, *, conditions: Optional[Conditions] = ...) -> None: ...
    @property
    def source(self) -> str: ...
    @property
    def warnings(self) -> List[Diagnostic]: ...
    @property
    def tasks(self) -> List[str]: ...
    def is_true(
        self,
        at: datetime,
        *,
        task: str = "t",
        history: HistoryArg = ...,
        running: Optional[Iterable[str]] = ...,
        tz: Optional[Zone] = "UTC",
    ) -> bool: ...
    def next_window(
        self,
        after: datetime,
        *,
        task: str = "t",
        history: HistoryArg = ...,
        running: Optional[Iterable[str]] = ...,
        tz: Optional[Zone] = "UTC",
        horizon: Optional[timedelta] = None,
    ) -> NextAnswer: ...
    def windows(
        self,
        after: datetime,
        count: int,
        *,
        task: str = "t",
        history: HistoryArg = ...,
        running: Optional[Iterable[str]] = ...,
        tz: Optional[Zone] = "UTC",
        horizon: Optional[timedelta] = None,
    ) -> List[Window]: ...
    def explain(
        self,
        at: datetime,
        *,
        task: str = "t",
        history: HistoryArg = ...,
        running: Optional[Iterable[str]] = ...,
        tz: Optional[Zone] = "UTC",
        horizon: Optional[timedelta] = None,
    ) -> Dict[str, Any]: ...
    def simplify(self) -> Statement: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class History:
    """A task log: each task's records in time order."""

    def __init__(self, records: Optional[Iterable[Record]] = None, *, tz: Optional[Zone] = None) -> None: ...
    @staticmethod
    def load(
        path: Union[str, PathLike[str]],
        *,
        table: Optional[str] = None,
        tz: Optional[Zone] = None,
        running_from_log: bool = False,
    ) -> History: ...
    def record(self, task: str, action: ActionName, at: Instant, *, tz: Optional[Zone] = None) -> None: ...
    def set_running(self, task: str, running: bool = True) -> None: ...
    def set_param(self, key: str, value: Optional[str]) -> None: ...
    def set_scheduler(self, started: Instant, cycles: int = 0, *, tz: Optional[Zone] = None) -> None: ...
    def tasks(self) -> List[str]: ...
    def events(self, task: str) -> List[Tuple[ActionName, datetime]]: ...
    def running_from_log(self) -> List[str]: ...
    def __len__(self) -> int: ...

class Planner:
    """Plans the start conditions of many tasks for a scheduler."""

    def __init__(
        self,
        *,
        tz: Optional[Zone] = "UTC",
        now: Optional[datetime] = None,
        history: HistoryArg = None,
        horizon: Optional[timedelta] = None,
        resolution: Optional[timedelta] = None,
    ) -> None: ...
    def register(self, name: str, func: ConditionCallable, *, recheck: Optional[timedelta] = None) -> None: ...
    def insert(self, task: str, statement: Union[Statement, str]) -> bool: ...
    def remove(self, task: str) -> bool: ...
    def next_wake(self) -> Optional[datetime]: ...
    def due(self, now: datetime) -> List[str]: ...
    def advance(self, now: datetime) -> None: ...
    def record(self, task: str, action: ActionName, at: Instant) -> None: ...
    def set_param(self, key: str, value: Optional[str]) -> None: ...
    def predicate_changed(self, name: str) -> None: ...
    def is_running(self, task: str) -> bool: ...
    def planned(self, task: str) -> Optional[Dict[str, Any]]: ...
    @property
    def now(self) -> datetime: ...
    @property
    def stats(self) -> Dict[str, int]: ...
    def __len__(self) -> int: ...
    def __contains__(self, task: str) -> bool: ...

def lint(text: str, *, conditions: Optional[Conditions] = None) -> List[Diagnostic]:
    """Every diagnostic of one statement: its errors, or its warnings."""

def lint_in_app(
    text: str, *, conditions: Iterable[str] = ..., tasks: Optional[Iterable[str]] = None
) -> List[Diagnostic]:
    """`lint`, plus task names that are not among `tasks` (used by `tminus.rocketry`)."""

def lint_file(path: Union[str, PathLike[str]], *, conditions: Iterable[str] = ...) -> List[Diagnostic]:
    """The findings of `tminus lint path` on a Python source, at its lines and columns."""

def lint_command(
    argv: List[str], *, stdin: Optional[Callable[[], bytes]] = None, color: bool = False
) -> Tuple[int, str, str]:
    """`tminus lint ARGV...` as the binary runs it: `(exit code, stdout, stderr)`.
    `stdin` is called when the arguments read standard input (`-`, `--jsonl`)."""
