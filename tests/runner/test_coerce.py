"""The fast validator gives what pydantic's lax mode gives, for the JSON types it handles without pydantic."""

from __future__ import annotations

import enum
import os
from pathlib import Path, PurePosixPath
from typing import Any, Literal, Optional, Union

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from hera.workflows._runner import coerce
from hera.workflows._runner.errors import shorten
from hera.workflows._runner.outputs import write_atomic


class Color(enum.Enum):
    red = "red"
    one = 1


class Pt(BaseModel):
    x: int
    y: int = 0


CASES: list[tuple[Any, list[Any]]] = [
    (int, [7, True, 1.0, 1.5, "5", " 5 ", "5.0", "5.5", "1e3", "0x10", "1_000", "-3", None, "abc", [1], float("inf")]),
    (float, [1.5, 2, True, "1.5", "inf", " 2 ", "abc", None, [1.0]]),
    (bool, [True, 1, 0, 2, 1.0, 0.5, "true", "True", "yes", "on", "1", "0", "f", "n", "no", "off", "maybe", None]),
    (str, ["x", 1, 1.5, True, None, [1]]),
    (type(None), [None, 0, "null"]),
    (list, [[1, "a"], (1, 2), "abc", {"a": 1}]),
    (dict, [{"a": 1}, [("a", 1)], "x"]),
    (list[int], [[1, "2", 3.0], [1, "x"], [True], "[1]"]),
    (list[str], [["a"], [1]]),
    (dict[str, int], [{"a": "1"}, {"a": "x"}, []]),
    (dict[int, str], [{"1": "a"}, {"x": "a"}]),
    (tuple[int, str], [[1, "a"], [1], [1, "a", 2]]),
    (tuple[int, ...], [[1, 2, "3"], []]),
    (set[int], [[1, 2, 2]]),
    (Optional[int], [None, 1, "2", "x"]),
    (Optional[list[int]], [None, [1]]),
    (Union[int, str], ["5", 5, 5.5, True, None]),
    (Union[str, int], [5, "5"]),
    (Union[int, float], [1.0, 1, True, "1.5"]),
    (Union[float, int], [1, 1.0]),
    (Union[bool, int], [1, True, "true", 1.0, 2]),
    (Union[int, bool], [1, True, "true"]),
    (Union[list[int], list[str]], [["a"], [1], [1.5]]),
    (int | None, [None, 3]),
    (Literal["a", "b"], ["a", "c", 1]),
    (Literal[1, 2], [1, 3, True, 1.0]),
    (Any, [1, "x", None, {"a": [1]}]),
    (Color, ["red", 1, "blue"]),
    (Pt, [{"x": 1}, {"x": "2", "y": 3}, {"y": 1}, "x", [1]]),
    (list[Pt], [[{"x": 1}, {"x": 2}], [{"x": "bad"}]]),
    (dict[str, Pt], [{"a": {"x": 1}}]),
    (Optional[Pt], [None, {"x": 1}]),
    (Path, ["/a/b", 1]),
    (bytes, ["abc"]),
]


def _outcome(fn: Any, tp: Any, value: Any) -> tuple[str, Any]:
    try:
        result = fn(tp, value)
    except (ValidationError, coerce.Mismatch):
        return ("error", None)
    return ("ok", (type(result), result))


@pytest.mark.parametrize(("tp", "values"), CASES, ids=[coerce.type_name(tp) for tp, _ in CASES])
def test_fast_path_agrees_with_pydantic(tp: Any, values: list[Any]) -> None:
    adapter = TypeAdapter(tp)
    for value in values:
        ours = _outcome(coerce.coerce, tp, value)
        theirs = _outcome(lambda _tp, v: adapter.validate_python(v), tp, value)
        assert ours == theirs, (coerce.type_name(tp), value)


@pytest.mark.parametrize(("tp", "values"), CASES, ids=[coerce.type_name(tp) for tp, _ in CASES])
def test_fast_path_handles_the_common_types_without_pydantic(tp: Any, values: list[Any]) -> None:
    # Every case above must be served by the fast path itself (no `_Unsupported` fallback to pydantic).
    for value in values:
        try:
            coerce.coerce(tp, value)
        except coerce.Mismatch:
            pass


def test_other_types_go_to_pydantic_whole() -> None:
    from datetime import date
    from decimal import Decimal

    assert coerce.validate(date, "2024-01-02") == date(2024, 1, 2)
    assert coerce.validate(list[Decimal], ["1.5"]) == [Decimal("1.5")]
    assert coerce.validate(Union[Pt, int], {"x": 1}) == Pt(x=1)
    with pytest.raises(coerce.Mismatch) as info:
        coerce.validate(date, "not a date")
    assert "Input should be a valid date" in info.value.explain()


def test_from_text_uses_json_then_the_raw_text() -> None:
    assert coerce.from_text(int, "5") == 5
    assert coerce.from_text(Literal["1"], "1") == "1"  # JSON 1 does not fit, the raw text does
    assert coerce.from_text(Union[int, str], "abc") == "abc"
    assert coerce.from_text(PurePosixPath, "/x") == PurePosixPath("/x")
    with pytest.raises(coerce.Mismatch):
        coerce.from_text(int, "abc")


def test_pydantic_v1_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("hera__pydantic_mode", "1")
    assert coerce.from_text(int, "5") == 5
    assert coerce.from_text(list[int], '["1", 2]') == [1, 2]
    with pytest.raises(coerce.Mismatch):
        coerce.from_text(int, "x")


@pytest.mark.parametrize(
    ("tp", "name"),
    [
        (int, "int"),
        (list[int], "list[int]"),
        (dict[str, Pt], "dict[str, Pt]"),
        (Optional[int], "Optional[int]"),
        (int | None, "Optional[int]"),
        (Union[int, str, None], "Union[int, str, None]"),
        (Literal["a", 1], "Literal['a', 1]"),
        (tuple[int, ...], "tuple[int, ...]"),
        (Any, "Any"),
    ],
)
def test_type_names_read_as_written(tp: Any, name: str) -> None:
    assert coerce.type_name(tp) == name


def test_matches_checks_returned_values_against_annotations() -> None:
    assert coerce.matches(int, 1) and not coerce.matches(int, "1")
    assert coerce.matches(float, 1) and not coerce.matches(float, True)
    assert coerce.matches(list[int], [1]) and not coerce.matches(list[int], (1,))
    assert coerce.matches(Optional[Pt], None) and coerce.matches(Optional[Pt], Pt(x=1))
    assert coerce.matches(Literal["a"], "a") and not coerce.matches(Literal["a"], "b")


def test_shorten_keeps_error_lines_short() -> None:
    assert shorten("abc") == "'abc'"
    long = shorten("x" * 500)
    assert len(long) == 60 and long.endswith("...")


def test_atomic_write_leaves_old_content_when_the_rename_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "parameters" / "p"
    write_atomic(str(target), b"old")
    assert target.read_bytes() == b"old"

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(str(target), b"new content")
    assert target.read_bytes() == b"old"  # a reader never sees a half-written value
    assert sorted(p.name for p in target.parent.iterdir()) == ["p"]  # the temporary file is gone
