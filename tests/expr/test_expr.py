"""hera.expr renders Python-built expressions as Argo `expr` text (spec §3.14), with expr-lang's precedence."""

from __future__ import annotations

import pytest

from hera.expr import C, P, g, it, sprig


def test_identifiers_and_format_specs() -> None:
    assert str(g.inputs.parameters) == "inputs.parameters"
    assert f"{g.inputs.parameters:$}" == "{{inputs.parameters}}"
    assert f"{g.inputs.parameters.value}" == "inputs.parameters.value"
    assert f"{g.workflow.parameters.config.jsonpath('$.a'):=}" == "{{=jsonpath(workflow.parameters.config, '$.a')}}"


def test_unknown_format_spec_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown format spec '>10'"):
        f"{g.x:>10}"


def test_data_template_transformation_of_spec_3_13() -> None:
    assert str(g.data.filter(it.ends_with("main.log"))) == "filter(data, {# endsWith 'main.log'})"


@pytest.mark.parametrize(
    ("expression", "text"),
    [
        (g.items.map(it * 2), "map(items, {# * 2})"),
        (g.items.all(it > 0), "all(items, {# > 0})"),
        (g.items.any(it == "x"), "any(items, {# == 'x'})"),
        (g.items.none(it.starts_with("a")), "none(items, {# startsWith 'a'})"),
        (g.items.one(it.matches("^a.*")), "one(items, {# matches '^a.*'})"),
        (g.items.count(it.name.contains("b")), "count(items, {#.name contains 'b'})"),
        (g.x.length(), "len(x)"),
        (g.x.as_int(), "asInt(x)"),
        (g.x.as_float(), "asFloat(x)"),
        (g.x.string(), "string(x)"),
        (g.x.to_json(), "toJson(x)"),
        (g.x.jsonpath("$.a").as_float(), "asFloat(jsonpath(x, '$.a'))"),
        (g.x.in_(["a", "b"]), "x in ['a', 'b']"),
        (g.x.not_in(g.ys), "x not in ys"),
        ((g.x > 1).check("big", "small"), "x > 1 ? 'big' : 'small'"),
        (sprig.trim(g.inputs.parameters.x), "sprig.trim(inputs.parameters.x)"),
        (g.inputs.parameters["my-param"], "inputs.parameters['my-param']"),
        (g["a-b"][0], "$env['a-b'][0]"),
        (g["plain"].x, "plain.x"),
        (g.s[1:3], "s[1:3]"),
        (g.s[:2], "s[:2]"),
        (g.f(1, "a"), "f(1, 'a')"),
    ],
)
def test_methods_and_access(expression: object, text: str) -> None:
    assert str(expression) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("hello", "'hello'"),
        (103, "103"),
        (2.5, "2.5"),
        (0.5, "0.5"),
        ([1, 2, 3], "[1, 2, 3]"),
        ({"foo": "bar"}, "{'foo': 'bar'}"),
        (True, "true"),
        (False, "false"),
        (None, "nil"),
    ],
)
def test_constants(value: object, text: str) -> None:
    assert str(C(value)) == text


def test_python_constants_next_to_nodes_become_literals() -> None:
    assert str(C(1) + 2) == "1 + 2"
    assert str(1 + g.a) == "1 + a"
    assert str(10 - g.a) == "10 - a"
    assert str(2**g.a) == "2 ** a"


def test_unsupported_constants_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot use a object"):
        C(object())
    with pytest.raises(ValueError, match="no literal for nan"):
        C(float("nan"))


@pytest.mark.parametrize(
    ("expression", "text"),
    [
        (g.a + g.b * 2, "a + b * 2"),
        ((g.a + g.b) * 2, "(a + b) * 2"),
        (g.a - (g.b - g.c), "a - (b - c)"),
        ((g.a - g.b) - g.c, "a - b - c"),
        (g.a / g.b % g.c, "a / b % c"),
        (g.a ** (g.b**2), "a ** b ** 2"),
        ((g.a**g.b) ** 2, "(a ** b) ** 2"),
        ((g.a == 1) & (g.b == 2) | ~g.c, "a == 1 && b == 2 || !c"),
        ((g.a | g.b) & g.c, "(a || b) && c"),
        (g.a | (g.b & g.c), "a || b && c"),
        (~(g.a == 1), "!(a == 1)"),
        (~g.s.contains("x"), "!(s contains 'x')"),
        (-g.a * 2, "-a * 2"),
        ((-g.a) ** 2, "(-a) ** 2"),
        (-(g.a**2), "-(a ** 2)"),
        (g.a * -1, "a * -1"),
        ((g.a + 1).as_int(), "asInt(a + 1)"),
        ((g.a + g.b).c, "(a + b).c"),
        (P(g.a + 1), "(a + 1)"),
        (P(g.a) + 1, "(a) + 1"),
        ((g.x > 1).check(1, 2) + 1, "(x > 1 ? 1 : 2) + 1"),
        ((g.x > 1).check(g.y, (g.z > 2).check(3, 4)), "x > 1 ? y : z > 2 ? 3 : 4"),
        ((g.x + 1 > 2) & g.ok, "x + 1 > 2 && ok"),
    ],
)
def test_parentheses_only_where_expr_precedence_needs_them(expression: object, text: str) -> None:
    assert str(expression) == text


def test_it_alone_and_member_access() -> None:
    assert str(g.xs.map(it)) == "map(xs, {#})"
    assert str(g.xs.filter(it.status == "Failed")) == "filter(xs, {#.status == 'Failed'})"


def test_private_attribute_names_are_not_expression_members() -> None:
    with pytest.raises(AttributeError):
        _ = g.x._private
    assert not hasattr(g, "__deepcopy__")
