"""Expression tree of the Python → Argo `expr` transpiler, rendered with the fewest parentheses `expr` needs.

Python operators on nodes build the tree (`g.a + 1`, `~x`, `a & b`); `str(node)` renders it in expr-lang
syntax; `f"{node:$}"` wraps it as `{{...}}` and `f"{node:=}"` as `{{=...}}`.
"""

from __future__ import annotations

import math
import re
from typing import Any

# expr-lang binary operator precedence (higher binds tighter); `**` is right-associative.
_BINARY_PRECEDENCE = {
    "||": 10,
    "&&": 15,
    "==": 20,
    "!=": 20,
    "<": 20,
    ">": 20,
    "<=": 20,
    ">=": 20,
    "in": 20,
    "not in": 20,
    "contains": 20,
    "startsWith": 20,
    "endsWith": 20,
    "matches": 20,
    "+": 30,
    "-": 30,
    "*": 60,
    "/": 60,
    "%": 60,
    "**": 100,
}
_UNARY_PRECEDENCE = {"!": 50, "-": 90, "+": 90}
_TERNARY = 0
_ATOM = 1000  # literals, identifiers, member access, calls, parentheses
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _literal(value: Any) -> str:
    """A Python constant (or nested list/dict of them and nodes) as an expr literal."""
    if isinstance(value, Node):
        return value._render()
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"expr has no literal for {value!r}")
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(str(k))}: {_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot use a {type(value).__name__} in an expr expression: {value!r}")


def _node(value: Any) -> Node:
    """`value` as a node: nodes as they are, Python constants as `Constant`."""
    return value if isinstance(value, Node) else Constant(value)


def _wrap(node: Node, min_precedence: int) -> str:
    text = node._render()
    return f"({text})" if node._precedence < min_precedence else text


class Node:
    """Base of every expression node; Python operators and methods build bigger expressions."""

    _precedence: int = _ATOM

    def _render(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self._render()

    def __repr__(self) -> str:
        return f"<expr {self._render()}>"

    def __format__(self, format_spec: str) -> str:
        if format_spec == "":
            return self._render()
        if format_spec == "$":
            return "{{" + self._render() + "}}"
        if format_spec == "=":
            return "{{=" + self._render() + "}}"
        raise ValueError(f"unknown format spec {format_spec!r} for an expr expression; use '', '$' or '='")

    # -- member access, indexing, calls ---------------------------------------------------------
    def __getattr__(self, name: str) -> Node:
        if name.startswith("_"):
            raise AttributeError(name)
        return Member(self, name)

    def __getitem__(self, key: Any) -> Node:
        if isinstance(key, slice):
            if key.step is not None:
                raise ValueError("expr slices have no step")
            return Slice(self, key.start, key.stop)
        return Index(self, key)

    def __call__(self, *args: Any) -> Node:
        return Call(self, args)

    # -- arithmetic -----------------------------------------------------------------------------
    def __add__(self, other: Any) -> Node:
        return Binary("+", self, other)

    def __radd__(self, other: Any) -> Node:
        return Binary("+", other, self)

    def __sub__(self, other: Any) -> Node:
        return Binary("-", self, other)

    def __rsub__(self, other: Any) -> Node:
        return Binary("-", other, self)

    def __mul__(self, other: Any) -> Node:
        return Binary("*", self, other)

    def __rmul__(self, other: Any) -> Node:
        return Binary("*", other, self)

    def __truediv__(self, other: Any) -> Node:
        return Binary("/", self, other)

    def __rtruediv__(self, other: Any) -> Node:
        return Binary("/", other, self)

    def __mod__(self, other: Any) -> Node:
        return Binary("%", self, other)

    def __rmod__(self, other: Any) -> Node:
        return Binary("%", other, self)

    def __pow__(self, other: Any) -> Node:
        return Binary("**", self, other)

    def __rpow__(self, other: Any) -> Node:
        return Binary("**", other, self)

    def __neg__(self) -> Node:
        return Unary("-", self)

    def __pos__(self) -> Node:
        return Unary("+", self)

    # -- comparisons and logic ------------------------------------------------------------------
    def __eq__(self, other: Any) -> Node:  # type: ignore[override]
        return Binary("==", self, other)

    def __ne__(self, other: Any) -> Node:  # type: ignore[override]
        return Binary("!=", self, other)

    def __lt__(self, other: Any) -> Node:
        return Binary("<", self, other)

    def __le__(self, other: Any) -> Node:
        return Binary("<=", self, other)

    def __gt__(self, other: Any) -> Node:
        return Binary(">", self, other)

    def __ge__(self, other: Any) -> Node:
        return Binary(">=", self, other)

    def __and__(self, other: Any) -> Node:
        return Binary("&&", self, other)

    def __rand__(self, other: Any) -> Node:
        return Binary("&&", other, self)

    def __or__(self, other: Any) -> Node:
        return Binary("||", self, other)

    def __ror__(self, other: Any) -> Node:
        return Binary("||", other, self)

    def __invert__(self) -> Node:
        return Unary("!", self)

    __hash__ = object.__hash__

    # -- string and membership operators --------------------------------------------------------
    def contains(self, other: Any) -> Node:
        """`self contains other`."""
        return Binary("contains", self, other)

    def starts_with(self, other: Any) -> Node:
        """`self startsWith other`."""
        return Binary("startsWith", self, other)

    def ends_with(self, other: Any) -> Node:
        """`self endsWith other`."""
        return Binary("endsWith", self, other)

    def matches(self, pattern: Any) -> Node:
        """`self matches pattern` (a regular expression)."""
        return Binary("matches", self, pattern)

    def in_(self, other: Any) -> Node:
        """`self in other`."""
        return Binary("in", self, other)

    def not_in(self, other: Any) -> Node:
        """`self not in other`."""
        return Binary("not in", self, other)

    # -- builtin functions ----------------------------------------------------------------------
    def length(self) -> Node:
        """`len(self)`."""
        return Function("len", (self,))

    def as_int(self) -> Node:
        """`asInt(self)`."""
        return Function("asInt", (self,))

    def as_float(self) -> Node:
        """`asFloat(self)`."""
        return Function("asFloat", (self,))

    def string(self) -> Node:
        """`string(self)`."""
        return Function("string", (self,))

    def to_json(self) -> Node:
        """`toJson(self)`."""
        return Function("toJson", (self,))

    def jsonpath(self, path: Any) -> Node:
        """`jsonpath(self, path)`."""
        return Function("jsonpath", (self, path))

    def check(self, if_true: Any, if_false: Any) -> Node:
        """`self ? if_true : if_false`."""
        return Ternary(self, if_true, if_false)

    def map(self, predicate: Any) -> Node:
        """`map(self, {predicate})`; use `it` (`#`) for the current element."""
        return Function("map", (self, Closure(predicate)))

    def filter(self, predicate: Any) -> Node:
        """`filter(self, {predicate})`."""
        return Function("filter", (self, Closure(predicate)))

    def all(self, predicate: Any) -> Node:
        """`all(self, {predicate})`."""
        return Function("all", (self, Closure(predicate)))

    def any(self, predicate: Any) -> Node:
        """`any(self, {predicate})`."""
        return Function("any", (self, Closure(predicate)))

    def none(self, predicate: Any) -> Node:
        """`none(self, {predicate})`."""
        return Function("none", (self, Closure(predicate)))

    def one(self, predicate: Any) -> Node:
        """`one(self, {predicate})`."""
        return Function("one", (self, Closure(predicate)))

    def count(self, predicate: Any) -> Node:
        """`count(self, {predicate})`."""
        return Function("count", (self, Closure(predicate)))


class Constant(Node):
    """A literal: str, number, bool, None (`nil`), list or dict."""

    def __init__(self, value: Any) -> None:
        _literal(value)  # refuse unsupported values now, not at render time
        self._value = value
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            self._precedence = _UNARY_PRECEDENCE["-"]

    def _render(self) -> str:
        return _literal(self._value)


class Identifier(Node):
    """A name in the evaluation environment (`workflow`, `inputs`, `sprig`, ...)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _render(self) -> str:
        return self._name


class Global(Node):
    """The root `g`: `g.x` is the identifier `x`; `g['a-b']` reaches names that are not identifiers."""

    def __getattr__(self, name: str) -> Node:
        if name.startswith("_"):
            raise AttributeError(name)
        return Identifier(name)

    def __getitem__(self, key: Any) -> Node:
        if isinstance(key, str) and _IDENTIFIER.match(key):
            return Identifier(key)
        return Index(Identifier("$env"), key)

    def _render(self) -> str:
        return ""


class It(Node):
    """The current element inside a closure (`#`)."""

    def _render(self) -> str:
        return "#"


class Member(Node):
    """`obj.name`."""

    def __init__(self, obj: Node, name: str) -> None:
        self._obj, self._name = obj, name

    def _render(self) -> str:
        return f"{_wrap(self._obj, _ATOM)}.{self._name}"


class Index(Node):
    """`obj[key]`."""

    def __init__(self, obj: Node, key: Any) -> None:
        self._obj, self._key = obj, _node(key)

    def _render(self) -> str:
        return f"{_wrap(self._obj, _ATOM)}[{self._key._render()}]"


class Slice(Node):
    """`obj[start:stop]` (either bound may be omitted)."""

    def __init__(self, obj: Node, start: Any, stop: Any) -> None:
        self._obj = obj
        self._start = None if start is None else _node(start)
        self._stop = None if stop is None else _node(stop)

    def _render(self) -> str:
        start = "" if self._start is None else self._start._render()
        stop = "" if self._stop is None else self._stop._render()
        return f"{_wrap(self._obj, _ATOM)}[{start}:{stop}]"


class Call(Node):
    """`func(args...)`, e.g. `sprig.trim(x)`."""

    def __init__(self, func: Node, args: tuple[Any, ...]) -> None:
        self._func, self._args = func, tuple(_node(a) for a in args)

    def _render(self) -> str:
        return f"{_wrap(self._func, _ATOM)}({', '.join(a._render() for a in self._args)})"


class Function(Node):
    """A builtin function call `name(args...)` (`len`, `map`, `jsonpath`, ...)."""

    def __init__(self, name: str, args: tuple[Any, ...]) -> None:
        self._name, self._args = name, tuple(_node(a) for a in args)

    def _render(self) -> str:
        return f"{self._name}({', '.join(a._render() for a in self._args)})"


class Closure(Node):
    """A predicate `{body}` for the builtins that take one."""

    def __init__(self, body: Any) -> None:
        self._body = _node(body)

    def _render(self) -> str:
        return "{" + self._body._render() + "}"


class Parentheses(Node):
    """Explicit parentheses `(inner)`."""

    def __init__(self, inner: Any) -> None:
        self._inner = _node(inner)

    def _render(self) -> str:
        return f"({self._inner._render()})"


class Unary(Node):
    """`!x`, `-x`, `+x`; the operand is parenthesised unless it is atomic."""

    def __init__(self, op: str, operand: Any) -> None:
        self._op, self._operand = op, _node(operand)
        self._precedence = _UNARY_PRECEDENCE[op]

    def _render(self) -> str:
        return f"{self._op}{_wrap(self._operand, _ATOM)}"


class Binary(Node):
    """`left op right`, parenthesising an operand only where expr's precedence would regroup it."""

    def __init__(self, op: str, left: Any, right: Any) -> None:
        self._op, self._left, self._right = op, _node(left), _node(right)
        self._precedence = _BINARY_PRECEDENCE[op]

    def _render(self) -> str:
        p = self._precedence
        if self._op == "**":  # right-associative
            left, right = _wrap(self._left, p + 1), _wrap(self._right, p)
        else:
            left, right = _wrap(self._left, p), _wrap(self._right, p + 1)
        return f"{left} {self._op} {right}"


class Ternary(Node):
    """`cond ? if_true : if_false`."""

    _precedence = _TERNARY

    def __init__(self, cond: Any, if_true: Any, if_false: Any) -> None:
        self._cond, self._true, self._false = _node(cond), _node(if_true), _node(if_false)

    def _render(self) -> str:
        return f"{_wrap(self._cond, _TERNARY + 1)} ? {self._true._render()} : {self._false._render()}"


def C(value: Any) -> Node:
    """A constant: `C("hello")` → `'hello'`, `C([1, 2])` → `[1, 2]`, `C(None)` → `nil`."""
    return _node(value)


def P(value: Any) -> Node:
    """Parentheses around an expression: `P(g.a + g.b) * 2` → `(a + b) * 2`."""
    return Parentheses(value)
