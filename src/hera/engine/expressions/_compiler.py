"""Compiles an expr-lang AST into nested Python closures (fast to run many times against new envs)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from hera.engine.expressions import _runtime as rt
from hera.engine.expressions._gofmt import go_sprint
from hera.engine.expressions._parser import Node
from hera.engine.expressions._runtime import EvalError

__all__ = ["Ctx", "compile_node"]

Fn = Callable[["Ctx"], Any]


class Ctx:
    """Evaluation state: the environment, the closure pointer (`#`, `#acc`, `#index`) and `let` variables."""

    __slots__ = ("acc", "env", "extras", "index", "lets", "ptr")

    def __init__(self, env: Mapping[str, Any], extras: Mapping[str, Any]) -> None:
        self.env = env
        self.extras = extras
        self.ptr: Any = None
        self.acc: Any = None
        self.index: Any = None
        self.lets: dict[str, Any] = {}


class _NilChain(Exception):
    """Raised by `?.` on nil; caught at the end of the chain, which then yields nil."""


_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def go_regex(pattern: str) -> re.Pattern[str]:
    """Compile an RE2-style pattern with Python's `re` (cached)."""
    compiled = _REGEX_CACHE.get(pattern)
    if compiled is None:
        try:
            compiled = re.compile(pattern)
        except re.error as e:
            raise EvalError(f"error parsing regexp: {e}: `{pattern}`") from None
        if len(_REGEX_CACHE) < 1024:
            _REGEX_CACHE[pattern] = compiled
    return compiled


def _with_pos(fn: Fn, pos: int) -> Fn:
    def run(c: Ctx) -> Any:
        try:
            return fn(c)
        except EvalError as e:
            if e.pos is None:
                e.pos = pos
            raise

    return run


def _bool(v: Any, op: str) -> bool:
    if v is True or v is False:
        return v
    raise EvalError(f"invalid operation: {op} (non-bool value {go_sprint(v)} of type {rt.go_type(v)})")


def _string_op(op: str, a: Any, b: Any) -> tuple[str, str]:
    if isinstance(a, str) and isinstance(b, str):
        return a, b
    raise EvalError(f"invalid operation: {op} (mismatched types {rt.go_type(a)} and {rt.go_type(b)})")


def _in(a: Any, b: Any) -> bool:
    if isinstance(b, (list, tuple)):
        return any(rt.equal(a, x) for x in b)
    if isinstance(b, dict):
        try:
            return a in b
        except TypeError:
            return False
    if b is None:
        return False
    raise EvalError(f"invalid operation: in (mismatched types {rt.go_type(a)} and {rt.go_type(b)})")


def _range(a: Any, b: Any) -> list[int]:
    if not (isinstance(a, int) and isinstance(b, int)) or isinstance(a, bool) or isinstance(b, bool):
        raise EvalError(f"invalid operation: .. (mismatched types {rt.go_type(a)} and {rt.go_type(b)})")
    return list(range(a, b + 1))


def _contains(text: str, sub: str) -> bool:
    return sub in text


def _matches(a: Any, b: Any) -> bool:
    text, pattern = _string_op("matches", a, b)
    return go_regex(pattern).search(text) is not None


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "==": rt.equal,
    "!=": lambda a, b: not rt.equal(a, b),
    "<": lambda a, b: rt.compare("<", a, b),
    "<=": lambda a, b: rt.compare("<=", a, b),
    ">": lambda a, b: rt.compare(">", a, b),
    ">=": lambda a, b: rt.compare(">=", a, b),
    "+": rt.add,
    "-": rt.sub,
    "*": rt.mul,
    "/": rt.div,
    "%": rt.mod,
    "**": rt.pow_,
    "^": rt.pow_,
    "in": _in,
    "..": _range,
    "matches": _matches,
    "contains": lambda a, b: _contains(*_string_op("contains", a, b)),
    "startsWith": lambda a, b: str.startswith(*_string_op("startsWith", a, b)),
    "endsWith": lambda a, b: str.endswith(*_string_op("endsWith", a, b)),
}


def compile_node(node: Node, safe: bool = False) -> Fn:
    """A closure computing `node`; `safe` makes member access on nil yield nil (left side of `??`)."""
    fn = _compile(node, safe)
    if node.kind in ("lit", "ptr", "array", "map", "closure"):
        return fn
    return _with_pos(fn, node.pos)


def _compile(node: Node, safe: bool) -> Fn:
    kind = node.kind
    if kind == "lit":
        value = node.a
        return lambda c: value
    if kind == "ident":
        return _compile_ident(node.a)
    if kind == "ptr":
        return _compile_ptr(node.a)
    if kind == "member":
        return _compile_member(node, safe)
    if kind == "chain":
        inner = compile_node(node.a, safe)

        def chain(c: Ctx) -> Any:
            try:
                return inner(c)
            except _NilChain:
                return None

        return chain
    if kind == "slice":
        obj = compile_node(node.a, safe)
        lo = compile_node(node.b) if node.b is not None else (lambda c: None)
        hi = compile_node(node.c) if node.c is not None else (lambda c: None)
        return lambda c: rt.slice_(obj(c), lo(c), hi(c))
    if kind == "unary":
        return _compile_unary(node)
    if kind == "binary":
        return _compile_binary(node)
    if kind == "cond":
        cond, yes, no = compile_node(node.a), compile_node(node.b), compile_node(node.c)
        return lambda c: yes(c) if _bool(cond(c), "?:") else no(c)
    if kind == "elvis":
        left, right = compile_node(node.a), compile_node(node.b)

        def elvis(c: Ctx) -> Any:
            v = left(c)
            return right(c) if v is None or v is False else v

        return elvis
    if kind == "array":
        items = [compile_node(x) for x in node.a]
        return lambda c: [f(c) for f in items]
    if kind == "map":
        pairs = [(compile_node(k), compile_node(v)) for k, v in node.a]
        return lambda c: {k(c): v(c) for k, v in pairs}
    if kind == "call":
        from hera.engine.expressions._builtins import compile_call

        return compile_call(node, compile_node)
    if kind == "closure":
        return compile_node(node.a)
    if kind == "let":
        name, value, body = node.a, compile_node(node.b), compile_node(node.c)

        def let(c: Ctx) -> Any:
            old = c.lets.get(name, _MISSING)
            c.lets[name] = value(c)
            try:
                return body(c)
            finally:
                if old is _MISSING:
                    c.lets.pop(name, None)
                else:
                    c.lets[name] = old

        return let
    raise EvalError(f"unsupported expression node {kind}")


_MISSING = object()


def _compile_ident(name: str) -> Fn:
    if name == "$env":
        return lambda c: c.env

    def ident(c: Ctx) -> Any:
        lets = c.lets
        if lets and name in lets:
            return lets[name]
        env = c.env
        if name in env:
            return env[name]
        extras = c.extras
        if name in extras:
            return extras[name]
        raise EvalError(f"unknown name {name}")

    return ident


def _compile_ptr(name: str) -> Fn:
    if name == "":
        return lambda c: c.ptr
    if name == "acc":
        return lambda c: c.acc
    if name == "index":
        return lambda c: c.index
    raise EvalError(f"unknown pointer #{name}")


def _compile_member(node: Node, safe: bool) -> Fn:
    obj = compile_node(node.a, safe)
    key = compile_node(node.b)
    optional = bool(node.c)
    fetch = rt.fetch
    if node.b.kind == "lit":
        literal = node.b.a

        def member_lit(c: Ctx) -> Any:
            o = obj(c)
            if type(o) is dict:
                return o.get(literal)
            if o is None:
                if optional:
                    raise _NilChain
                if safe:
                    return None
            return fetch(o, literal)

        return member_lit

    def member(c: Ctx) -> Any:
        o = obj(c)
        if o is None:
            if optional:
                raise _NilChain
            if safe:
                return None
        return fetch(o, key(c))

    return member


def _compile_unary(node: Node) -> Fn:
    op, x = node.a, compile_node(node.b)
    if op == "not":
        return lambda c: not _bool(x(c), "!")
    if op == "-":

        def neg(c: Ctx) -> Any:
            v = x(c)
            if rt.is_number(v):
                return -v
            raise EvalError(f"invalid operation: -{rt.go_type(v)}")

        return neg

    def pos(c: Ctx) -> Any:
        v = x(c)
        if rt.is_number(v):
            return v
        raise EvalError(f"invalid operation: +{rt.go_type(v)}")

    return pos


def _compile_binary(node: Node) -> Fn:
    op = node.a
    if op == "??":
        left_safe, right_default = compile_node(node.b, safe=True), compile_node(node.c)

        def coalesce(c: Ctx) -> Any:
            v = left_safe(c)
            return right_default(c) if v is None else v

        return coalesce
    left, right = compile_node(node.b), compile_node(node.c)
    if op in ("and", "&&"):
        return lambda c: _bool(left(c), "&&") and _bool(right(c), "&&")
    if op in ("or", "||"):
        return lambda c: _bool(left(c), "||") or _bool(right(c), "||")
    fn = _BINARY[op]
    return lambda c: fn(left(c), right(c))
