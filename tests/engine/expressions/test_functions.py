"""Argo's expression functions: sprig (subject last, loose conversions), jsonpath, and Go text forms."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from hera.engine.expressions import ExpressionError, evaluate
from hera.engine.expressions._gofmt import (
    format_duration,
    go_float_g,
    go_float_json,
    go_json,
    go_sprint,
    go_time_format,
    go_time_parse,
    parse_duration,
)

SPRIG: list[tuple[str, Any]] = [
    ("sprig.trim('  a  ')", "a"),
    ("sprig.trimAll('$', '$5.00$')", "5.00"),
    ("sprig.trimPrefix('-', '-x')", "x"),
    ("sprig.trimSuffix('-', 'x-')", "x"),
    ("sprig.upper('a')", "A"),
    ("sprig.lower('A')", "a"),
    ("sprig.title('hello world')", "Hello World"),
    ("sprig.replace(' ', '-', 'a b c')", "a-b-c"),
    ("sprig.contains('cat', 'catch')", True),
    ("sprig.hasPrefix('ca', 'cat')", True),
    ("sprig.hasSuffix('at', 'cat')", True),
    ("sprig.repeat(3, 'ab')", "ababab"),
    ("sprig.substr(0, 5, 'hello world')", "hello"),
    ("sprig.trunc(5, 'hello world')", "hello"),
    ("sprig.nospace('a b  c')", "abc"),
    ("sprig.quote('a', 'b')", '"a" "b"'),
    ("sprig.squote('a')", "'a'"),
    ("sprig.cat('a', 1, 'b')", "a 1 b"),
    ("sprig.indent(2, 'a\\nb')", "  a\n  b"),
    ("sprig.join('-', ['a', 'b'])", "a-b"),
    ("sprig.split('$', 'foo$bar')", {"_0": "foo", "_1": "bar"}),
    ("sprig.splitList('$', 'foo$bar')", ["foo", "bar"]),
    ("sprig.toString(1.5)", "1.5"),
    ("sprig.toString(1000000.0)", "1e+06"),
    ("sprig.atoi('42')", 42),
    ("sprig.atoi('x')", 0),
    ("sprig.int('7')", 7),
    ("sprig.int(7.9)", 7),
    ("sprig.float64('1.5')", 1.5),
    ("sprig.add(1, 2, 3)", 6),
    ("sprig.add1(1)", 2),
    ("sprig.sub(5, 3)", 2),
    ("sprig.mul(2, 3, 4)", 24),
    ("sprig.div(7, 2)", 3),
    ("sprig.div(-7, 2)", -3),
    ("sprig.mod(7, 3)", 1),
    ("sprig.max(1, 9, 3)", 9),
    ("sprig.min(4, 2, 8)", 2),
    ("sprig.maxf(1.5, 2.5)", 2.5),
    ("sprig.default('d', '')", "d"),
    ("sprig.default('d', 'given')", "given"),
    ("sprig.default('d')", "d"),
    ("sprig.empty('')", True),
    ("sprig.empty(0)", True),
    ("sprig.empty([1])", False),
    ("sprig.coalesce('', nil, 'x')", "x"),
    ("sprig.ternary('yes', 'no', true)", "yes"),
    ("sprig.list(1, 'a')", [1, "a"]),
    ("sprig.dict('a', 1, 'b', 2)", {"a": 1, "b": 2}),
    ("sprig.get(sprig.dict('a', 1), 'a')", 1),
    ("sprig.get(sprig.dict('a', 1), 'z')", ""),
    ("sprig.hasKey(sprig.dict('a', 1), 'a')", True),
    ("sprig.keys(sprig.dict('a', 1))", ["a"]),
    ("sprig.first([1, 2])", 1),
    ("sprig.last([1, 2])", 2),
    ("sprig.rest([1, 2, 3])", [2, 3]),
    ("sprig.initial([1, 2, 3])", [1, 2]),
    ("sprig.append([1], 2)", [1, 2]),
    ("sprig.prepend([1], 0)", [0, 1]),
    ("sprig.concat([1], [2])", [1, 2]),
    ("sprig.uniq([1, 1, 2])", [1, 2]),
    ("sprig.without([1, 2, 3], 2)", [1, 3]),
    ("sprig.has(2, [1, 2])", True),
    ("sprig.compact(['', 'a', nil])", ["a"]),
    ("sprig.until(3)", [0, 1, 2]),
    ("sprig.seq(3)", "1 2 3"),
    ("sprig.sortAlpha(['b', 'a'])", ["a", "b"]),
    ("sprig.b64enc('hello')", "aGVsbG8="),
    ("sprig.b64dec('aGVsbG8=')", "hello"),
    ("sprig.toJson(sprig.dict('b', 1, 'a', 2))", '{"a":2,"b":1}'),
    ("sprig.fromJson('[1]')", [1]),
    ("sprig.sha256sum('abc')", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("sprig.regexMatch('^[a-z]+$', 'abc')", True),
    ("sprig.regexFind('[0-9]+', 'ab12cd34')", "12"),
    ("sprig.regexFindAll('[0-9]+', 'ab12cd34', -1)", ["12", "34"]),
    ("sprig.regexReplaceAll('a(x*)b', '-ab-axxb-', '${1}W')", "-W-xxW-"),
    ("sprig.regexSplit('z+', 'pizza', -1)", ["pi", "a"]),
    ("sprig.typeOf(1)", "int"),
    ("sprig.typeOf('s')", "string"),
    ("sprig.kindOf([])", "slice"),
    ("sprig.semverCompare('>=1.2.0', '1.3.1')", True),
    ("sprig.plural('one', 'many', 2)", "many"),
    ("sprig.duration(95)", "1m35s"),
]


@pytest.mark.parametrize(("expression", "expected"), SPRIG, ids=[s[0] for s in SPRIG])
def test_sprig(expression: str, expected: Any) -> None:
    assert evaluate(expression, {}) == expected


def test_sprig_dates() -> None:
    when = datetime(2024, 3, 5, 14, 7, 9, tzinfo=timezone.utc)
    env = {"t": when, "epoch": 1700000000}
    assert evaluate("sprig.date('2006-01-02', t)", env) == "2024-03-05"
    assert evaluate("sprig.date('2006', epoch)", env) == "2023"
    assert evaluate("sprig.unixEpoch(t)", env) == str(int(when.timestamp()))
    assert evaluate("sprig.htmlDate(t)", env) == "2024-03-05"
    # anything that is not a time or a Unix timestamp formats the current time, as sprig does
    assert evaluate("sprig.date('2006', '1999-01-01T00:00:00Z')", env) == str(datetime.now().year)


def test_sprig_fail_raises() -> None:
    with pytest.raises(ExpressionError, match="boom"):
        evaluate("sprig.fail('boom')", {})


CONFIG = '{"employees": [{"name": "Baris", "age":43},{"name": "Mo", "age": 42}, {"name": "Jai", "age" :44}]}'


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.employees[0].name", "Baris"),
        ("$.employees[-1].age", 44),
        ("$.employees[*].name", ["Baris", "Mo", "Jai"]),
        ("$.employees[0:1]", [{"name": "Baris", "age": 43}, {"name": "Mo", "age": 42}]),  # both ends inclusive
        ('$.employees[?(@.name=="Baris")].age', [43]),
        ("$.employees[?(@.age>42 && @.age<44)].age", [43]),
        ("$.employees[?(@.age<43 || @.name=='Jai')].name", ["Mo", "Jai"]),
        ("$.employees[0,2].name", ["Baris", "Jai"]),
        ("$", {"employees": [{"name": "Baris", "age": 43}, {"name": "Mo", "age": 42}, {"name": "Jai", "age": 44}]}),
    ],
)
def test_jsonpath(path: str, expected: Any) -> None:
    assert evaluate("jsonpath(config, path)", {"config": CONFIG, "path": path}) == expected


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("$.nope", "key error: nope not found"),
        ("$.employees[7]", "index out of range"),
        ("$.employees[1:9]", "out of range"),
        ("employees", "must start with $"),
        ("$..name", "not supported"),
    ],
)
def test_jsonpath_errors(path: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate("jsonpath(config, path)", {"config": CONFIG, "path": path})
    assert fragment in str(info.value)


def test_corpus_snippet_reusing_verbose_expressions() -> None:
    """examples/expression-reusing-verbose-snippets.yaml: temps 34, 27, 15, 57, 46 → avg 35.8, min 15, max 57."""
    weather = '{"weekWeather": "' + base64.b64encode(b'{"temps": [34, 27, 15, 57, 46]}\n').decode() + '"}'
    expression = """map([
        jsonpath(sprig.b64dec(jsonpath(workflow.parameters.weather, '$.weekWeather')), '$.temps')
      ], {
        toJson({
          avg: sprig.add(#[0], #[1], #[2], #[3], #[4]) / 5,
          min: sprig.min(#[0], #[1], #[2], #[3], #[4]),
          max: sprig.max(#[0], #[1], #[2], #[3], #[4])
        })
    })[0]"""
    week = evaluate(expression, {"workflow": {"parameters": {"weather": weather}}})
    assert week == '{"avg":35.8,"max":57,"min":15}'
    assert evaluate("jsonpath(w, '$.avg')", {"w": week}) == 35.8


# -- Go text forms -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "g", "json_text"),
    [
        (1.0, "1", "1"),
        (0.5, "0.5", "0.5"),
        (35.8, "35.8", "35.8"),
        (123456.0, "123456", "123456"),
        (1e6, "1e+06", "1000000"),
        (1234567.0, "1.234567e+06", "1234567"),
        (1e20, "1e+20", "100000000000000000000"),
        (1e21, "1e+21", "1e+21"),
        (1e-5, "1e-05", "0.00001"),
        (1e-7, "1e-07", "1e-7"),
        (-2.5, "-2.5", "-2.5"),
        (0.0, "0", "0"),
    ],
)
def test_go_float_text(value: float, g: str, json_text: str) -> None:
    assert go_float_g(value) == g
    assert go_float_json(value) == json_text


def test_go_json_and_sprint() -> None:
    assert go_json({"b": [1, 2.0, None], "a": "<x>"}) == '{"a":"\\u003cx\\u003e","b":[1,2,null]}'
    assert go_json({"a": [1]}, indent="  ") == '{\n  "a": [\n    1\n  ]\n}'
    assert go_json("é\n") == '"é\\n"'
    assert go_sprint([1, "a", None]) == "[1 a <nil>]"
    assert go_sprint({"b": 1, "a": 2}) == "map[a:2 b:1]"
    assert go_sprint(True) == "true"


def test_durations() -> None:
    assert parse_duration("1h2m3.5s") == timedelta(hours=1, minutes=2, seconds=3.5)
    assert parse_duration("300ms") == timedelta(milliseconds=300)
    assert parse_duration("-1.5h") == timedelta(hours=-1.5)
    assert format_duration(timedelta(hours=1, minutes=2, seconds=3.5)) == "1h2m3.5s"
    assert format_duration(timedelta(seconds=90)) == "1m30s"
    assert format_duration(timedelta(milliseconds=1500)) == "1.5s"
    assert format_duration(timedelta(milliseconds=300)) == "300ms"
    assert format_duration(timedelta(0)) == "0s"
    with pytest.raises(ValueError):
        parse_duration("5 minutes")


def test_go_time_layouts() -> None:
    t = datetime(2024, 3, 5, 14, 7, 9, 120000, tzinfo=timezone.utc)
    assert go_time_format(t, "2006-01-02T15:04:05Z07:00") == "2024-03-05T14:07:09Z"
    assert go_time_format(t, "Mon Jan _2 3:04PM .000") == "Tue Mar  5 2:07PM .120"
    assert go_time_format(t, "January 2, 2006") == "March 5, 2024"
    assert go_time_format(t.astimezone(timezone(timedelta(hours=2))), "15:04 -07:00") == "16:07 +02:00"
    parsed = go_time_parse("2024-03-05T14:07:09+02:00", "2006-01-02T15:04:05Z07:00")
    assert parsed == datetime(2024, 3, 5, 12, 7, 9, tzinfo=timezone.utc)
    assert go_time_parse("05/03/24", "02/01/06") == datetime(2024, 3, 5, tzinfo=timezone.utc)
