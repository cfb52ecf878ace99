"""expr-lang: a table of expressions with the results expr-lang's language definition documents."""

from __future__ import annotations

import math
from typing import Any

import pytest

from hera.engine.expressions import ExpressionError, compile_expression, evaluate, evaluate_bool

ENV: dict[str, Any] = {
    "n": 7,
    "s": "hello",
    "nothing": None,
    "arr": [1, 2, 3, 4, 5],
    "users": [{"name": "ann", "age": 31}, {"name": "bob", "age": 25}, {"name": "cy", "age": 40}],
    "m": {"a": 1, "b-c": 2, "inner": {"x": "deep"}},
    "inputs": {"parameters": {"foo": "10", "should-print": "true", "list": '["a", "b"]'}},
    "steps": {"flip-coin": {"outputs": {"result": "heads"}}, "heads": {"outputs": {"result": "H"}}},
}

CASES: list[tuple[str, Any]] = [
    # literals
    ("42", 42),
    ("0x2A", 42),
    ("0o52", 42),
    ("0b101010", 42),
    ("1_000_000", 1000000),
    ("0.5", 0.5),
    (".5", 0.5),
    ("1e3", 1000.0),
    ('"a\\tb"', "a\tb"),
    ("'single'", "single"),
    ('"\\u00e9"', "é"),
    ("`raw\\n`", "raw\\n"),
    ("true", True),
    ("nil", None),
    ("[1, 'two', [3]]", [1, "two", [3]]),
    ("{a: 1, 'b': 2, (s): 3}", {"a": 1, "b": 2, "hello": 3}),
    ("[1, 2,]", [1, 2]),
    ("{1: 'a'}", {"1": "a"}),
    # arithmetic and precedence
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("7 / 2", 3.5),
    ("6 / 3", 2.0),
    ("7 % 3", 1),
    ("-7 % 3", -1),
    ("2 ** 3", 8.0),
    ("2 ^ 3", 8.0),
    ("2 ** 3 ** 2", 512.0),
    ("-2 ** 2", -4.0),
    ("n - 10", -3),
    ("1 + 2.5", 3.5),
    ("'a' + 'b'", "ab"),
    ("[1] + [2]", [1, 2]),
    # comparison
    ("1 == 1.0", True),
    ("'1' == 1", False),
    ("nil == nil", True),
    ("nothing == nil", True),
    ("1 != 2", True),
    ("2 <= 2", True),
    ("'abc' < 'abd'", True),
    ("[1, 2] == [1, 2]", True),
    ("1 < 2 < 3", True),
    ("3 > 2 > 2", False),
    ("{a: 1} == {a: 1}", True),
    # logic
    ("true && false", False),
    ("true and not false", True),
    ("!true", False),
    ("false || true", True),
    ("false or false", False),
    ("false && (1 / 0 > 0)", False),
    ("true || nothing.x", True),
    ("not (1 > 2)", True),
    # conditional and nil coalescing
    ("n > 5 ? 'big' : 'small'", "big"),
    ("n > 9 ? 'big' : n > 5 ? 'medium' : 'small'", "medium"),
    ("nil ?? 'fallback'", "fallback"),
    ("0 ?? 1", 0),
    ("m.missing ?? 'd'", "d"),
    ("nothing.deeper.still ?? 'safe'", "safe"),
    ("nothing?.x", None),
    ("m?.inner.x", "deep"),
    # membership and strings
    ("2 in arr", True),
    ("'a' in m", True),
    ("'z' not in ['a']", True),
    ("'ell' in ['hello']", False),
    ("s contains 'ell'", True),
    ("s startsWith 'he'", True),
    ("s endsWith 'lo'", True),
    ("s matches '^h.*o$'", True),
    ("s not matches 'x'", True),
    ("'imminent node shutdown' matches 'imminent node shutdown|pod deleted'", True),
    # ranges, members, slices
    ("1..3", [1, 2, 3]),
    ("3..1", []),
    ("m.inner.x", "deep"),
    ("m['b-c']", 2),
    ("m.missing", None),
    ("arr[0]", 1),
    ("arr[-1]", 5),
    ("arr[1:3]", [2, 3]),
    ("arr[:2]", [1, 2]),
    ("arr[3:]", [4, 5]),
    ("s[1:3]", "el"),
    ("users[1].name", "bob"),
    ("inputs.parameters['should-print'] == 'true'", True),
    ('inputs.parameters["should-print"]', "true"),
    ("steps['flip-coin'].outputs.result", "heads"),
    ("$env.n", 7),
    ("'n' in $env", True),
    # predicates
    ("filter(1..6, # % 2 == 0)", [2, 4, 6]),
    ("map([1, 2], # * 10)", [10, 20]),
    ("map(users, .name)", ["ann", "bob", "cy"]),
    ("filter(users, .age > 30) | map(.name)", ["ann", "cy"]),
    ("all([2, 4], {# % 2 == 0})", True),
    ("all([], # > 0)", True),
    ("any(arr, # > 4)", True),
    ("any([], # > 0)", False),
    ("none(arr, # > 5)", True),
    ("one(arr, # == 3)", True),
    ("count(arr, # > 2)", 3),
    ("find(arr, # > 2)", 3),
    ("find(arr, # > 9)", None),
    ("findIndex(arr, # > 2)", 2),
    ("findIndex(arr, # > 9)", None),
    ("findLast(arr, # < 4)", 3),
    ("findLastIndex(arr, # < 4)", 2),
    ("sum(arr)", 15),
    ("sum(users, .age)", 96),
    ("reduce(1..4, #acc + #)", 10),
    ("reduce(1..4, #acc + #, 100)", 110),
    ("map(arr, #index)", [0, 1, 2, 3, 4]),
    ("groupBy(users, .age > 30)[true] | map(.name)", ["ann", "cy"]),
    ("sortBy(users, .age) | map(.name)", ["bob", "ann", "cy"]),
    ("map(filter(arr, # > 3), {# * 2})", [8, 10]),
    ("map([[1, 2]], #[1])", [2]),
    # builtins
    ("len(arr)", 5),
    ("len('héllo')", 5),
    ("len(m)", 3),
    ("abs(-3)", 3),
    ("int('42')", 42),
    ("int(3.9)", 3),
    ("float('1.5')", 1.5),
    ("string(1.5)", "1.5"),
    ("string(42)", "42"),
    ("string(true)", "true"),
    ("trim('  x  ')", "x"),
    ("trim('__x__', '_')", "x"),
    ("trimPrefix('HelloWorld', 'Hello')", "World"),
    ("trimSuffix('HelloWorld', 'World')", "Hello"),
    ("upper('a')", "A"),
    ("lower('A')", "a"),
    ("split('a,b,c', ',')", ["a", "b", "c"]),
    ("split('a,b,c', ',', 2)", ["a", "b,c"]),
    ("splitAfter('a,b', ',')", ["a,", "b"]),
    ("join(['a', 'b'], '-')", "a-b"),
    ("join(['a', 'b'])", "ab"),
    ("replace('aXbX', 'X', '-')", "a-b-"),
    ("repeat('ab', 2)", "abab"),
    ("indexOf('apple pie', 'pie')", 6),
    ("lastIndexOf('apple pie apple', 'apple')", 10),
    ("hasPrefix('abc', 'ab')", True),
    ("hasSuffix('abc', 'bc')", True),
    ("keys({a: 1, b: 2})", ["a", "b"]),
    ("values({a: 1, b: 2})", [1, 2]),
    ("toPairs({a: 1})", [["a", 1]]),
    ("fromPairs([['a', 1]])", {"a": 1}),
    ("max(1, 5, 3)", 5),
    ("min(4, 2.5)", 2.5),
    ("max([3, 9])", 9),
    ("round(2.5)", 3.0),
    ("ceil(1.2)", 2.0),
    ("floor(1.8)", 1.0),
    ("mean([1, 2, 3, 4])", 2.5),
    ("median([3, 1, 2])", 2.0),
    ("first(arr)", 1),
    ("last(arr)", 5),
    ("first([])", None),
    ("take(arr, 2)", [1, 2]),
    ("sort([3, 1, 2])", [1, 2, 3]),
    ("sort([3, 1, 2], 'desc')", [3, 2, 1]),
    ("concat([1], [2, 3])", [1, 2, 3]),
    ("flatten([1, [2, [3]]])", [1, 2, 3]),
    ("uniq([1, 1, 2])", [1, 2]),
    ("reverse([1, 2])", [2, 1]),
    ("get(m, 'a')", 1),
    ("get(arr, 10)", None),
    ("get({type: 'x'}, 'type') ?? 'always'", "x"),
    ("get({}, 'type') ?? 'always'", "always"),
    ("type(1)", "int"),
    ("type(1.0)", "float"),
    ("type('s')", "string"),
    ("type(nil)", "nil"),
    ("type([])", "array"),
    ("type({})", "map"),
    ("toJSON([1, 'a'])", '[\n  1,\n  "a"\n]'),
    ("fromJSON('{\"a\": [1, 2]}')", {"a": [1, 2]}),
    ("toBase64('Hello World')", "SGVsbG8gV29ybGQ="),
    ("fromBase64('SGVsbG8gV29ybGQ=')", "Hello World"),
    ("bitand(0b1010, 0b1100)", 0b1000),
    ("bitnot(0b1010)", -0b1011),
    ("duration('1h').Seconds()", 3600.0),
    ("date('2023-08-14').Year()", 2023),
    ("date('2023-08-14T10:00:00Z') > date('2023-08-14')", True),
    ("(date('2023-08-14T10:00:00Z') - date('2023-08-14T09:30:00Z')).Minutes()", 30.0),
    ("date('2023-08-14T10:05:00Z').Format('15:04 02/01/2006')", "10:05 14/08/2023"),
    ("now() - duration('1h') < now()", True),
    # pipes, let
    ("'a,b' | split(',') | join('-')", "a-b"),
    ("inputs.parameters.list | fromJSON() | join('\",\"')", 'a","b'),
    ("let x = 2; x * 3", 6),
    ("let name = 'World'; let greet = 'Hello'; greet + ', ' + name", "Hello, World"),
    # comments
    ("1 /* one */ + 1 // two", 2),
    # Argo's additions
    ("asInt(inputs.parameters.foo) * 10", 100),
    ("asInt('12.7')", 12),
    ("asFloat('1.5') * 2", 3.0),
    ("toJson({b: 1, a: [true, nil]})", '{"a":[true,null],"b":1}'),
    ("toJson('<&>')", '"\\u003c\\u0026\\u003e"'),
    ("toJson(1.0)", "1"),
    ("jsonpath('{\"a\": {\"b\": [10, 20]}}', '$.a.b[1]')", 20),
    ("sprig.trim('  x ')", "x"),
    ("sprig.add(1, '2', 3.9)", 6),
    ("concat(['always'], 'true' == 'true' ? ['test'] : []) | toJSON()", '[\n  "always",\n  "test"\n]'),
    (
        "steps['flip-coin'].outputs.result == 'heads' ? steps.heads.outputs.result : steps.tails.outputs.result",
        "H",
    ),
]


@pytest.mark.parametrize(("expression", "expected"), CASES, ids=[c[0] for c in CASES])
def test_evaluate(expression: str, expected: Any) -> None:
    result = evaluate(expression, ENV)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("'a' + 1", "mismatched types string and int"),
        ("1 and true", "non-bool"),
        ("arr[10]", "index out of range"),
        ("nothing.x", "cannot fetch x from <nil>"),
        ("unknownVar + 1", "unknown name unknownVar"),
        ("1 % 0", "integer divide by zero"),
        ("1.5 % 2", "mismatched types float64 and int"),
        ("int('x')", "invalid syntax"),
        ("1 < 'a'", "mismatched types int and string"),
        ("'a' matches '('", "error parsing regexp"),
        ("nope(1)", "unknown func nope"),
        ("fromJSON('{')", "fromJSON"),
        ("1 > 0 ? 'a'", "expected :"),
        ("(1 + 2", "expected )"),
        ("1 +", "unexpected end of expression"),
        ("'unterminated", "literal not terminated"),
        ("#", "outside a predicate"),
        ("nil ?? 1 + 2", "cannot be mixed"),
    ],
)
def test_errors_name_the_expression(expression: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(expression, ENV)
    error = info.value
    assert fragment in str(error)
    assert error.expression == expression
    assert repr(expression) in str(error)


def test_error_position_points_at_the_problem() -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate("1 + 2 +", {})
    assert info.value.position == 7
    with pytest.raises(ExpressionError) as info:
        evaluate("n + missing", ENV)
    assert info.value.position == 4


def test_division_by_zero_follows_go_floats() -> None:
    assert evaluate("1 / 0", {}) == math.inf
    assert evaluate("-1 / 0", {}) == -math.inf
    assert math.isnan(evaluate("0 / 0", {}))


def test_programs_are_cached_and_list_their_variables() -> None:
    program = compile_expression("steps['flip-coin'].outputs.result == 'x' && asInt(inputs.parameters.foo) > item.n")
    assert compile_expression(program.source) is program
    assert program.variables == {"steps.flip-coin.outputs.result", "inputs.parameters.foo", "item.n"}
    assert compile_expression("map(arr, #.x) | filter(# > lim)").variables == {"arr", "lim"}


def test_evaluate_bool() -> None:
    assert evaluate_bool("n > 1", ENV) is True
    with pytest.raises(ExpressionError, match="expected a boolean"):
        evaluate_bool("n", ENV)


def test_retry_expression_from_the_corpus() -> None:
    expression = (
        "asInt(lastRetry.exitCode) > 1 && lastRetry.status != \"Error\" && asInt(lastRetry.duration) < 120 && "
        "(false == true || lastRetry.message matches 'imminent node shutdown|pod deleted')"
    )
    env = {"lastRetry": {"exitCode": "2", "status": "Failed", "duration": "5", "message": "pod deleted"}}
    assert evaluate_bool(expression, env) is True
    env["lastRetry"]["exitCode"] = "1"
    assert evaluate_bool(expression, env) is False


def test_cron_when_with_times() -> None:
    from datetime import datetime, timedelta, timezone

    expression = "cronworkflow.lastScheduledTime == nil || (now() - cronworkflow.lastScheduledTime).Seconds() > 360"
    assert evaluate_bool(expression, {"cronworkflow": {"lastScheduledTime": None}}) is True
    recent = datetime.now(timezone.utc) - timedelta(seconds=60)
    assert evaluate_bool(expression, {"cronworkflow": {"lastScheduledTime": recent}}) is False
    old = datetime.now(timezone.utc) - timedelta(hours=1)
    assert evaluate_bool(expression, {"cronworkflow": {"lastScheduledTime": old}}) is True
