"""Statement: parsing, canonical text, ParseError and its diagnostics, lint, simplify."""

import pytest

import tminus


def test_str_is_the_canonical_text_and_source_is_kept():
    s = tminus.Statement("daily between 10am and 2:00 pm & after tasks 'a', 'b'")
    assert str(s) == "daily between 10:00 and 14:00 & after task 'a' succeeded & after task 'b' succeeded"
    assert s.source == "daily between 10am and 2:00 pm & after tasks 'a', 'b'"
    assert tminus.Statement(str(s)) == s
    assert hash(tminus.Statement(str(s))) == hash(s)
    assert s.tasks == ["a", "b"]


def test_parse_error_carries_diagnostics_and_renders_them():
    with pytest.raises(tminus.ParseError) as caught:
        tminus.Statement("every 1 hour 30 minuts")
    err = caught.value
    assert isinstance(err, ValueError)
    [d] = err.diagnostics
    assert isinstance(d, tminus.Diagnostic)
    assert (d.code, d.severity) == ("tminus::unknown-unit", "error")
    assert d.message == "unknown unit `minuts`"
    assert "every 1 hour 30 minuts"[d.start:d.end] == "minuts"
    assert d.help == "did you mean `minutes`?"
    text = str(err)
    assert "[tminus::unknown-unit]" in text and "did you mean `minutes`?" in text
    assert err.statement == "every 1 hour 30 minuts"


def test_offsets_are_characters_not_bytes():
    text = "after task 'écrire' & every 10 minuts"
    [d] = tminus.lint(text)
    assert d.code == "tminus::unknown-unit"
    # `é` is two bytes: byte offsets would cut one character later.
    assert text[d.start:d.end] == "minuts"
    assert d.labels[0][:2] == (d.start, d.end)


def test_lint_returns_errors_or_optimizer_warnings():
    assert tminus.lint("daily between 10:00 and 12:00") == []
    [w] = tminus.lint("time of day between 10:00 and 12:00 & time of day after 09:00")
    assert (w.code, w.severity) == ("tminus::redundant-clause", "warning")
    assert w.help
    [never] = tminus.lint("time of day before 10:00 & time of day after 11:00")
    assert (never.code, never.severity) == ("tminus::never-true", "error")
    errors = tminus.lint("dialy")
    assert [e.severity for e in errors] == ["error"]
    assert "daily" in errors[0].help


def test_custom_conditions_are_registered_by_name():
    with pytest.raises(tminus.ParseError):
        tminus.Statement("daily & is business day")
    s = tminus.Statement("daily & is business day", conditions=["is business day"])
    assert str(s) == "daily & is business day"
    assert tminus.lint("file_exists('a.csv')", conditions=("file_exists",)) == []


def test_custom_condition_callables_are_asked():
    from datetime import datetime, timezone

    def business_day(at):
        return at.weekday() < 5

    s = tminus.Statement("is business day", conditions={"is business day": business_day})
    assert s.is_true(datetime(2024, 3, 15, 12, tzinfo=timezone.utc))
    assert not s.is_true(datetime(2024, 3, 16, 12, tzinfo=timezone.utc))

    def broken(at, *args):
        raise RuntimeError("boom")

    s = tminus.Statement("file_exists('x')", conditions={"file_exists": broken})
    with pytest.raises(RuntimeError, match="boom"):
        s.is_true(datetime(2024, 3, 16, 12, tzinfo=timezone.utc))


def test_warnings_of_a_valid_statement():
    s = tminus.Statement("time of day between 10:00 and 12:00 & time of day after 09:00")
    assert [w.code for w in s.warnings] == ["tminus::redundant-clause"]


def test_simplify_returns_an_equivalent_smaller_statement():
    s = tminus.Statement("time of day between 10:00 and 12:00 & time of day after 11:00")
    simple = s.simplify()
    assert isinstance(simple, tminus.Statement)
    assert str(simple) == "time of day between 11:00 and 12:00"
    assert str(tminus.Statement("true & daily").simplify()) == "daily"


def test_explain_is_a_nested_dict():
    from datetime import datetime

    s = tminus.Statement("daily between 10:00 and 12:00 & ~task 'report' is running")
    e = s.explain(datetime(2024, 3, 11, 10, 30), running=["report"])
    assert e["value"] is False
    assert [c["value"] for c in e["children"]] == [True, False]
    assert e["children"][0]["reading"] == "once a day, between 10:00 and 12:00"
    assert set(e) == {"statement", "reading", "value", "why", "next_change", "children"}
