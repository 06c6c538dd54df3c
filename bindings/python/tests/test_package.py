"""The package as shipped: type stubs that match the module, py.typed, docstring examples."""

import ast
import doctest
import inspect
from pathlib import Path

import tminus
from tminus import _tminus

PACKAGE = Path(tminus.__file__).parent
# Aliases the stub defines for its signatures only.
STUB_ONLY = {"Severity", "ActionName", "Instant", "Record", "Zone", "ConditionCallable",
             "Conditions", "HistoryArg", "NextAnswer"}


def stub():
    return ast.parse((PACKAGE / "_tminus.pyi").read_text())


def public(names):
    return {n for n in names if not n.startswith("_")}


def test_py_typed_is_shipped():
    assert (PACKAGE / "py.typed").exists()


def test_every_native_name_has_a_stub_and_back():
    tree = stub()
    stubbed = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            stubbed.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            stubbed.add(node.target.id)
        elif isinstance(node, ast.Assign):
            stubbed.update(t.id for t in node.targets)
    assert public(dir(_tminus)) == public(stubbed) - STUB_ONLY


def test_every_class_member_has_a_stub():
    for node in stub().body:
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(_tminus, node.name)
        if issubclass(cls, BaseException):
            continue  # their attributes are set on each instance
        members = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        members |= {n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
        runtime = public(n for n in dir(cls) if n not in dir(Exception))
        assert public(members) == runtime, node.name


def test_stub_signatures_name_the_runtime_keywords():
    for node in stub().body:
        if not isinstance(node, ast.ClassDef) or node.name in ("ParseError", "HistoryError"):
            continue
        cls = getattr(_tminus, node.name)
        for fn in node.body:
            if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("__") and fn.name != "__init__":
                continue
            if any(isinstance(d, ast.Name) and d.id == "property" for d in fn.decorator_list):
                continue
            target = cls if fn.name == "__init__" else getattr(cls, fn.name)
            try:
                runtime = inspect.signature(target)
            except (TypeError, ValueError):
                continue
            stubbed = [a.arg for a in fn.args.args + fn.args.kwonlyargs if a.arg not in ("self",)]
            assert stubbed == [p for p in runtime.parameters if p != "self"], f"{node.name}.{fn.name}"


def test_docstring_examples_run():
    failures, tried = doctest.testmod(tminus)
    assert tried > 0 and failures == 0
