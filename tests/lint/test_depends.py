"""The `depends` parser: the AST, referenced task names, and errors that name the expression."""

from __future__ import annotations

import pytest

from hera.lint.depends import (
    And,
    DependsSyntaxError,
    Not,
    Or,
    TaskRef,
    depends_of_task,
    from_dependencies,
    parse_depends,
)


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("A", TaskRef("A")),
        ("  my-task  ", TaskRef("my-task")),
        ("A.Succeeded", TaskRef("A", "Succeeded")),
        ("A && B", And((TaskRef("A"), TaskRef("B")))),
        ("A || B.Failed", Or((TaskRef("A"), TaskRef("B", "Failed")))),
        ("!A.Skipped", Not(TaskRef("A", "Skipped"))),
        # && binds tighter than ||
        ("A || B && C", Or((TaskRef("A"), And((TaskRef("B"), TaskRef("C")))))),
        ("(A || B) && C", And((Or((TaskRef("A"), TaskRef("B"))), TaskRef("C")))),
        (
            "stage-a && (stage-b || stage-b.Omitted)",
            And((TaskRef("stage-a"), Or((TaskRef("stage-b"), TaskRef("stage-b", "Omitted"))))),
        ),
        ("G.AnySucceeded && !G.AllFailed", And((TaskRef("G", "AnySucceeded"), Not(TaskRef("G", "AllFailed"))))),
        ("", None),
    ],
)
def test_parse(text: str, root: object) -> None:
    assert parse_depends(text).root == root


def test_task_names_are_unique_and_ordered() -> None:
    expr = parse_depends("b && (a.Succeeded || a.Failed) && c || b.Skipped")
    assert expr.task_names() == ["b", "a", "c"]
    assert [str(r) for r in expr.refs()] == ["b", "a.Succeeded", "a.Failed", "c", "b.Skipped"]


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        ("A &&", "unexpected end of expression", 4),
        ("A & B", "unexpected character '&'", 2),
        ("(A || B", "missing ')'", 7),
        ("A B", "unexpected 'B'", 2),
        ("A.Succeded", "unknown task result 'Succeded'", 1),
        ("A)", "unexpected ')'", 1),
        ("&& A", "unexpected '&&'", 0),
    ],
)
def test_syntax_errors_name_the_expression(text: str, fragment: str, position: int) -> None:
    with pytest.raises(DependsSyntaxError) as info:
        parse_depends(text)
    error = info.value
    assert fragment in str(error)
    assert repr(text) in str(error)
    assert error.position == position
    assert isinstance(error, ValueError)


def test_legacy_dependencies_mean_and() -> None:
    assert from_dependencies(["A", "B"]).root == And((TaskRef("A"), TaskRef("B")))
    assert from_dependencies(["A"]).root == TaskRef("A")
    assert from_dependencies([]).root is None


def test_depends_of_task_prefers_depends() -> None:
    assert depends_of_task({"depends": "x.Failed"}).root == TaskRef("x", "Failed")
    assert depends_of_task({"dependencies": ["x", "y"]}).task_names() == ["x", "y"]
    assert depends_of_task({"name": "lonely"}).root is None


def test_round_trip_text() -> None:
    assert str(parse_depends("A&&(B||!C.Failed)")) == "A && (B || !C.Failed)"
