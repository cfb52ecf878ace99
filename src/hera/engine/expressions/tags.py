"""`{{...}}` substitution with Argo's rules: simple tags by literal lookup, `{{=expr}}` by expr-lang.

Unresolved tags follow Argo's `allowUnresolved` mode by default (left verbatim for a later pass, e.g.
`{{item}}`, `{{outputs.*}}`, `{{pod.name}}`); `strict` turns them into errors, for all tags or only for
tags under given prefixes (Argo's "missing steps./tasks. reference" case, which the engine requeues).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from hera.engine.expressions._gofmt import go_json, go_sprint
from hera.engine.expressions.errors import AbsentValueError, ExpressionError, UnresolvedTagError
from hera.engine.expressions.expr import Program, compile_expression
from hera.engine.expressions.scope import ABSENT, Scope
from hera.lint.tags import find_tags, has_tags, iter_tags, single_tag

__all__ = [
    "LATE_VARIABLES",
    "find_tags",
    "has_tags",
    "render_value",
    "single_tag",
    "substitute",
    "substitute_object",
]

#: Variables that exist only in later passes: an expression tag mentioning one of them while it is not in
#: scope stays verbatim (Argo: `item`, `retries`, `lastRetry.*`, `workflow.status`, `workflow.failures`).
LATE_VARIABLES: tuple[str, ...] = ("item", "retries", "lastRetry", "workflow.status", "workflow.failures")

def render_value(value: Any) -> str:
    """How a value is written into text: strings as they are, anything else as Go's JSON (`true`, `3`, `[..]`)."""
    if isinstance(value, str):
        return value
    try:
        return go_json(value)
    except ValueError:
        return go_sprint(value)


def _is_strict_for(name: str, strict: bool | Collection[str]) -> bool:
    if strict is True:
        return True
    if not strict:
        return False
    return any(name == p.rstrip(".") or name.startswith(p) for p in strict)  # type: ignore[union-attr]


def _mentions(program: Program, prefix: str) -> bool:
    return any(v == prefix or v.startswith(prefix + ".") for v in program.variables)


def substitute(
    text: str,
    scope: Scope | Mapping[str, Any],
    *,
    strict: bool | Collection[str] = False,
    keep: Collection[str] = (),
) -> str:
    """Replace the tags in `text` using `scope` (a Scope or a flat dict of dotted keys).

    - Simple tag `{{ name }}`: the value of `name` (strings as is, other values as JSON text). A value
      marked `ABSENT` raises `AbsentValueError` (§8.3).
    - Expression tag `{{=expr}}`: expr-lang over `scope.nested()`; a string result is inserted as is,
      any other result as JSON text.
    - Unresolved tags (unknown name; expression that fails, gives nil, or mentions a late variable such
      as `item` not in scope) stay verbatim, unless `strict` applies: `strict=True` makes every unresolved
      tag an error; `strict=("steps.", "tasks.")` only tags under those prefixes (for expressions: those
      that read a variable under them). Tags under a `keep` prefix always stay verbatim.
      Errors: `UnresolvedTagError` (simple tags), `ExpressionError` (expressions).
    """
    if "{{" not in text:
        return text
    if not isinstance(scope, Scope):
        scope = Scope(scope)
    out: list[str] = []
    last = 0
    for tag in iter_tags(text):
        out.append(text[last : tag.start])
        last = tag.end
        if tag.is_expression:
            out.append(_expression_tag(tag.body, scope, strict, keep))
        else:
            out.append(_simple_tag(tag.body, scope, strict, keep))
    out.append(text[last:])
    return "".join(out)


def _simple_tag(body: str, scope: Scope, strict: bool | Collection[str], keep: Collection[str]) -> str:
    name = body.strip()
    value = scope.get(name, _MISSING)
    if value is not _MISSING:
        if value is ABSENT:
            raise AbsentValueError(name)
        return render_value(value)
    # Argo resolves a nested tag such as `{{steps.{{item}}.x}}` one level: `{{steps.` + value + rest
    nested_at = body.rfind("{{")
    if nested_at > 0:
        inner = scope.get(body[nested_at + 2 :], _MISSING)
        if isinstance(inner, str):
            return "{{" + body[:nested_at] + inner
    if any(name.startswith(k) for k in keep) or not _is_strict_for(name, strict):
        return "{{" + body + "}}"
    raise UnresolvedTagError(name)


_MISSING: Any = object()


def _expression_tag(body: str, scope: Scope, strict: bool | Collection[str], keep: Collection[str]) -> str:
    source = body[1:]
    verbatim = "{{" + body + "}}"
    try:
        program = compile_expression(source)
    except ExpressionError:
        if strict is True:
            raise
        return verbatim
    if strict is True:
        tag_strict = True
    elif strict:
        tag_strict = any(_mentions(program, p.rstrip(".")) for p in strict)  # type: ignore[union-attr]
    else:
        tag_strict = False
    if keep and any(_mentions(program, k.rstrip(".")) for k in keep):
        tag_strict = False
    flat = scope
    for late in LATE_VARIABLES:
        if _mentions(program, late) and not _has_prefix(flat, late):
            if tag_strict:
                raise UnresolvedTagError("=" + source, f"expression {source!r} refers to {late}, which is not set yet")
            return verbatim
    try:
        result = program.run(scope.nested())
    except ExpressionError:
        if tag_strict:
            raise
        return verbatim
    if result is None:
        if tag_strict:
            raise ExpressionError("expression evaluated to nil", source, None)
        return verbatim
    return render_value(result)


def _has_prefix(scope: Scope, name: str) -> bool:
    if name in scope:
        return True
    prefix = name + "."
    return any(k.startswith(prefix) for k in scope.flat)


def substitute_object(
    obj: Any,
    scope: Scope | Mapping[str, Any],
    *,
    strict: bool | Collection[str] = False,
    keep: Collection[str] = (),
) -> Any:
    """`substitute` applied to every string (values and keys) inside dicts and lists; returns a new object.

    Parts without tags are shared, not copied.
    """
    if not isinstance(scope, Scope):
        scope = Scope(scope)
    return _walk(obj, scope, strict, keep)


def _walk(obj: Any, scope: Scope, strict: bool | Collection[str], keep: Collection[str]) -> Any:
    if isinstance(obj, str):
        return substitute(obj, scope, strict=strict, keep=keep) if "{{" in obj else obj
    if isinstance(obj, dict):
        changed = False
        out: dict[Any, Any] = {}
        for k, v in obj.items():
            nk = substitute(k, scope, strict=strict, keep=keep) if isinstance(k, str) and "{{" in k else k
            nv = _walk(v, scope, strict, keep)
            changed = changed or nk is not k or nv is not v
            out[nk] = nv
        return out if changed else obj
    if isinstance(obj, list):
        items = [_walk(v, scope, strict, keep) for v in obj]
        return items if any(a is not b for a, b in zip(items, obj)) else obj
    return obj

