"""`when` conditions: govaluate semantics with Argo's bare-word rule (argo-semantics.md §7)."""

from __future__ import annotations

import pytest

from hera.engine.expressions import Scope, WhenError, evaluate_when, substitute

TRUE_FALSE: list[tuple[str, bool]] = [
    ("", True),
    ("true", True),
    ("false", False),
    # bare words are string literals
    ("heads == heads", True),
    ("heads == tails", False),
    ("Succeeded != Succeeded", False),
    ("tails =~ tai", True),
    ("heads !~ tai", True),
    # numbers are float64
    ("1 == 1.0", True),
    ("5 < 10", True),
    ("10 >= 10", True),
    ("1 + 1 == 2", True),
    ("7 % 4 == 3", True),
    ("2 ** 3 == 8", True),
    ("10 / 4 == 2.5", True),
    ("-1 < 0", True),
    # strings never equal numbers; two strings compare lexicographically
    ('"1" == 1', False),
    ('"5" < "10"', False),
    ('"abc" < "abd"', True),
    # quoting
    ("'single' == \"single\"", True),
    ('"{{tasks.check-running.outputs.result}}" != "failed"', True),
    ('"has spaces" == "has spaces"', True),
    # booleans
    ("true == true", True),
    ("True == true", False),
    ("true && false", False),
    ("false || true", True),
    ("!false", True),
    ("!(1 == 2)", True),
    ("1 == 1 && 2 == 2 || false", True),
    ("a != b && c == c", True),
    # concatenation with a string
    ('"a" + 1 == "a1"', True),
    ('1 + "a" == "1a"', True),
    # ternary, coalescing, membership
    ("(1 == 1) ? true : false", True),
    ("(1 == 2) ? true : false", False),
    ("2 in (1, 2, 3)", True),
    ("x in (a, b)", False),
    ("x IN (x, y)", True),
    # bitwise
    ("(6 & 3) == 2", True),
    ("(1 << 3) == 8", True),
    # date-looking strings become Unix times, so equal instants are equal
    ('"2021-01-01" == "2021-01-01 00:00"', True),
    ('"2021-01-02" > "2021-01-01"', True),
    # bracketed words are one string
    ("[foo bar] == [foo bar]", True),
]


@pytest.mark.parametrize(("condition", "expected"), TRUE_FALSE, ids=[c for c, _ in TRUE_FALSE])
def test_conditions(condition: str, expected: bool) -> None:
    assert evaluate_when(condition) is expected


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        ("foo-bar == x", "cannot be used with the modifier '-', it is not a number"),
        ("hello world == x", "Cannot transition token types from VARIABLE [hello] to VARIABLE [world]"),
        ("{{item}} == x", "Invalid token: '{{'"),
        ("1 + a", "Expected boolean evaluation for '1 + a'. Got 1a"),
        ("1 == 1 ? 2 : 3", "Got 2"),
        ("heads", "Got heads"),
        ("   ", "Got <nil>"),
        ("a.b == c", "Unable to access unexported field 'b'"),
        ("A.B == c", "No parameter 'A' found"),
        ("1.2.3 == x", "Unable to parse numeric value '1.2.3'"),
        ("!heads", "Cannot transition token types from PREFIX [!] to STRING [heads]"),
        ("(1 == 1", "Unbalanced parenthesis"),
        ("1 ==", "Unexpected end of expression"),
        ("'open == x", "Unclosed string literal"),
        ("f(1) == 1", "Undefined function f"),
        ("1 < a", "cannot be used with the comparator '<', it is not a number"),
        ("true && 1", "cannot be used with the logical operator '&&', it is not a bool"),
        ("1 in 1", "it is not an array"),
        ("x =~ '('", "Unable to compile regexp"),
        ("1 ==-1", "Invalid token: '==-'"),
    ],
)
def test_errors(condition: str, fragment: str) -> None:
    with pytest.raises(WhenError) as info:
        evaluate_when(condition)
    assert fragment in str(info.value)
    assert condition in str(info.value)


def test_unresolved_tag_hint() -> None:
    with pytest.raises(WhenError) as info:
        evaluate_when("{{steps.x.outputs.result}} == y")
    assert "hint: try wrapping the affected expression in quotes" in str(info.value)


def test_substitute_then_evaluate_like_argo() -> None:
    scope = Scope({"steps.flip-coin.outputs.result": "heads", "inputs.parameters.num": "3", "item.evenness": "odd"})
    assert evaluate_when(substitute("{{steps.flip-coin.outputs.result}} == heads", scope)) is True
    assert evaluate_when(substitute("{{steps.flip-coin.outputs.result}} == tails", scope)) is False
    assert evaluate_when(substitute("{{inputs.parameters.num}} != 1 && {{inputs.parameters.num}} != 2", scope)) is True
    assert evaluate_when(substitute("{{item.evenness}} == even", scope)) is False
    # an expression tag inside when
    scope = Scope({"inputs.parameters.should-print": "true", "workflow.parameters.data": ""})
    assert evaluate_when(substitute("{{= inputs.parameters[\"should-print\"] == 'true'}}", scope)) is True
    assert evaluate_when(substitute("{{= workflow.parameters.data != '' }}", scope)) is False
    # a value with a dash must be quoted
    scope = Scope({"steps.job.outputs.parameters.status": "NOT-DONE"})
    with pytest.raises(WhenError):
        evaluate_when(substitute("{{steps.job.outputs.parameters.status}} == SUCCESS", scope))
    quoted = substitute('"{{steps.job.outputs.parameters.status}}" == "SUCCESS"', scope)
    assert evaluate_when(quoted) is False
