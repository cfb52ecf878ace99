"""`jsonpath(jsonText, path)`, Argo's expression function, with the semantics of the Go library Argo uses.

Supported: `$`, `.key`, `[n]` (negative from the end), `[a:b]` (both ends **inclusive**, as in
oliveagle/jsonpath), `[*]` / `.*`, `[i,j]`, and filters `[?(@.k op value)]` with `== != < <= > >= =~`,
combined with `&&` / `||`. A missing key in an object is an error; after a wildcard, slice or filter the
following steps apply to every element.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from hera.engine.expressions._runtime import EvalError

__all__ = ["jsonpath", "lookup"]


class _Many(list):  # type: ignore[type-arg]
    """A result set produced by a wildcard, slice or filter (later steps map over it)."""


def jsonpath(json_text: Any, path: Any) -> Any:
    """Parse `json_text` and return what `path` selects (Argo's `jsonpath(...)`)."""
    if not isinstance(json_text, str):
        raise EvalError(f"jsonpath: expected a JSON string, got {type(json_text).__name__}")
    try:
        data = json.loads(json_text)
    except ValueError as e:
        raise EvalError(f"jsonpath: invalid JSON: {e}") from None
    return lookup(data, path)


def lookup(data: Any, path: Any) -> Any:
    """Apply `path` to already-parsed data."""
    if not isinstance(path, str):
        raise EvalError("jsonpath: the path must be a string")
    result = data
    for step in _steps(path):
        result = _apply(result, step)
    return list(result) if isinstance(result, _Many) else result


@lru_cache(maxsize=256)
def _steps(path: str) -> tuple[tuple[str, Any], ...]:
    text = path.strip()
    if not text.startswith("$"):
        raise EvalError(f"jsonpath: path must start with $: {path!r}")
    i, n = 1, len(text)
    steps: list[tuple[str, Any]] = []
    while i < n:
        c = text[i]
        if c == ".":
            if text.startswith("..", i):
                raise EvalError(f"jsonpath: recursive descent '..' is not supported: {path!r}")
            j = i + 1
            while j < n and text[j] not in ".[":
                j += 1
            name = text[i + 1 : j]
            if not name:
                raise EvalError(f"jsonpath: empty key in {path!r}")
            steps.append(("all", None) if name == "*" else ("key", name))
            i = j
        elif c == "[":
            j = _close_bracket(text, i, path)
            steps.append(_bracket(text[i + 1 : j].strip(), path))
            i = j + 1
        else:
            raise EvalError(f"jsonpath: unexpected {c!r} at {i} in {path!r}")
    return tuple(steps)


def _close_bracket(text: str, start: int, path: str) -> int:
    depth, quote = 0, ""
    for j in range(start, len(text)):
        c = text[j]
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
    raise EvalError(f"jsonpath: unclosed '[' in {path!r}")


def _bracket(body: str, path: str) -> tuple[str, Any]:
    if body == "*":
        return ("all", None)
    if body.startswith("?(") and body.endswith(")"):
        return ("filter", _parse_filter(body[2:-1], path))
    if body[:1] in "'\"" and body[-1:] == body[:1]:
        return ("key", body[1:-1])
    if ":" in body:
        parts = body.split(":")
        if len(parts) != 2:
            raise EvalError(f"jsonpath: only support one range(from, to): {body!r}")
        try:
            lo = int(parts[0]) if parts[0].strip() else None
            hi = int(parts[1]) if parts[1].strip() else None
        except ValueError:
            raise EvalError(f"jsonpath: invalid range {body!r}") from None
        return ("range", (lo, hi))
    if "," in body:
        try:
            return ("indexes", tuple(int(x) for x in body.split(",")))
        except ValueError:
            raise EvalError(f"jsonpath: invalid indexes {body!r}") from None
    try:
        return ("index", int(body))
    except ValueError:
        raise EvalError(f"jsonpath: invalid index {body!r} in {path!r}") from None


_COMPARE = re.compile(r"^\s*(@(?:\.[\w-]+|\[[^\]]*\])*)\s*(==|!=|<=|>=|<|>|=~)\s*(.+?)\s*$")
_EXISTS = re.compile(r"^\s*(@(?:\.[\w-]+)*)\s*$")


def _parse_filter(expr: str, path: str) -> Any:
    ors = [part for part in _split_logical(expr, "||")]
    return [[_parse_condition(cond, path) for cond in _split_logical(part, "&&")] for part in ors]


def _split_logical(expr: str, op: str) -> list[str]:
    out, quote, start, i = [], "", 0, 0
    while i < len(expr):
        c = expr[i]
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif expr.startswith(op, i):
            out.append(expr[start:i])
            start = i + len(op)
            i += len(op)
            continue
        i += 1
    out.append(expr[start:])
    return out


def _parse_condition(cond: str, path: str) -> tuple[tuple[str, ...], str | None, Any]:
    m = _COMPARE.match(cond)
    if m:
        keys = tuple(k for k in re.split(r"\.", m.group(1)[1:]) if k)
        raw = m.group(3)
        value: Any
        if raw[:1] in "'\"" and raw[-1:] == raw[:1]:
            value = raw[1:-1]
        elif m.group(2) == "=~" and raw.startswith("/"):
            value = raw.strip("/")
        else:
            try:
                value = json.loads(raw)
            except ValueError:
                raise EvalError(f"jsonpath: cannot parse filter value {raw!r} in {path!r}") from None
        return keys, m.group(2), value
    m = _EXISTS.match(cond)
    if m:
        return tuple(k for k in m.group(1)[1:].split(".") if k), None, None
    raise EvalError(f"jsonpath: unsupported filter {cond!r} in {path!r}")


def _get_path(obj: Any, keys: tuple[str, ...]) -> tuple[bool, Any]:
    for k in keys:
        if isinstance(obj, dict) and k in obj:
            obj = obj[k]
        else:
            return False, None
    return True, obj


def _test(item: Any, cond: tuple[tuple[str, ...], str | None, Any]) -> bool:
    keys, op, value = cond
    found, actual = _get_path(item, keys)
    if not found:
        return False
    if op is None:
        return True
    if op == "=~":
        return isinstance(actual, str) and re.search(str(value), actual) is not None
    num = (int, float)
    if isinstance(actual, num) and isinstance(value, num) and not isinstance(actual, bool):
        a, b = float(actual), float(value)
    elif isinstance(actual, str) and isinstance(value, str):
        a, b = actual, value  # type: ignore[assignment]
    else:
        return op == "!=" if op in ("==", "!=") else False
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _apply(current: Any, step: tuple[str, Any]) -> Any:
    if isinstance(current, _Many):
        out = _Many()
        for item in current:
            try:
                res = _apply(item, step)
            except EvalError:
                if step[0] == "key":
                    continue
                raise
            if isinstance(res, _Many):
                out.extend(res)
            else:
                out.append(res)
        return out
    kind, arg = step
    if kind == "key":
        if isinstance(current, dict):
            if arg not in current:
                raise EvalError(f"key error: {arg} not found in object")
            return current[arg]
        if isinstance(current, list):
            return _Many(x[arg] for x in current if isinstance(x, dict) and arg in x)
        raise EvalError(f"key error: {arg} not found in object")
    if kind == "all":
        if isinstance(current, list):
            return _Many(current)
        if isinstance(current, dict):
            return _Many(current.values())
        raise EvalError("object is not Slice")
    if not isinstance(current, list):
        raise EvalError("object is not Slice")
    length = len(current)
    if kind == "index":
        i = arg + length if arg < 0 else arg
        if not 0 <= i < length:
            raise EvalError(f"index out of range: len: {length}, idx: {arg}")
        return current[i]
    if kind == "indexes":
        out = _Many()
        for idx in arg:
            i = idx + length if idx < 0 else idx
            if not 0 <= i < length:
                raise EvalError(f"index out of range: len: {length}, idx: {idx}")
            out.append(current[i])
        return out
    if kind == "range":
        lo, hi = arg
        lo = 0 if lo is None else (lo + length if lo < 0 else lo)
        hi = length - 1 if hi is None else (hi + length if hi < 0 else hi)
        if not 0 <= lo < length:
            raise EvalError(f"index [from] out of range: len: {length}, from: {arg[0]}")
        if not 0 <= hi < length:
            raise EvalError(f"index [to] out of range: len: {length}, to: {arg[1]}")
        return _Many(current[lo : hi + 1])
    if kind == "filter":
        return _Many(x for x in current if any(all(_test(x, c) for c in conj) for conj in arg))
    raise EvalError(f"jsonpath: unsupported step {kind}")
