"""Loop expansion: `withItems`, `withParam` and `withSequence` items, and the scope each item defines."""

from __future__ import annotations

import json
from typing import Any

from hera.engine.core.nodes import param_text
from hera.engine.core.render import Scope, render, render_text

LOOP_KEYS = ("withItems", "withParam", "withSequence")


class LoopError(Exception):
    """A loop whose items cannot be computed (the step/task becomes Error with this message)."""


def is_loop(holder: dict[str, Any]) -> bool:
    """True when a step/task has a loop field."""
    return any(holder.get(k) is not None for k in LOOP_KEYS)


def loop_items(holder: dict[str, Any], scope: Scope) -> list[Any]:
    """The items of a step/task's loop, in order; raises LoopError."""
    if holder.get("withItems") is not None:
        items = holder["withItems"]
        if not isinstance(items, list):
            raise LoopError("withItems must be a list")
        return [render(i, scope) for i in items]
    if holder.get("withParam") is not None:
        raw = holder["withParam"]
        text = render_text(raw, scope, strict_refs=True) if isinstance(raw, str) else json.dumps(raw)
        try:
            value = json.loads(text)
        except ValueError:
            raise LoopError(f"withParam value could not be parsed as a JSON list: {text.strip()[:200]}") from None
        if not isinstance(value, list):
            raise LoopError(f"withParam value could not be parsed as a JSON list: {text.strip()[:200]}")
        return value
    seq = holder.get("withSequence") or {}
    return sequence_items(render(seq, scope))


def _int(v: Any, what: str) -> int:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        raise LoopError(f"withSequence.{what} must be an integer, got {v!r}") from None


def sequence_items(seq: dict[str, Any]) -> list[str]:
    """`withSequence` values as strings: `count` from `start`, or `start`..`end` inclusive (counting down too)."""
    fmt = seq.get("format") or "%d"
    start = _int(seq.get("start", 0) or 0, "start")
    if seq.get("count") not in (None, "") and seq.get("end") not in (None, ""):
        raise LoopError("withSequence: only one of count or end can be defined")
    if seq.get("count") not in (None, ""):
        count = _int(seq["count"], "count")
        values = list(range(start, start + count))
    elif seq.get("end") not in (None, ""):
        end = _int(seq["end"], "end")
        values = list(range(start, end + 1)) if end >= start else list(range(start, end - 1, -1))
    else:
        raise LoopError("withSequence: count or end must be defined")
    try:
        return [fmt % v for v in values]
    except (TypeError, ValueError):
        raise LoopError(f"withSequence: invalid format {fmt!r}") from None


def item_text(item: Any) -> str:
    """`{{item}}` text: strings raw, numbers and booleans as JSON, maps and lists as compact JSON."""
    if isinstance(item, str):
        return item
    return json.dumps(item, separators=(",", ":")) if isinstance(item, dict | list) else param_text(item)


def item_scope(item: Any) -> dict[str, Any]:
    """Scope entries for one loop item: `item`, and `item.<key>` for map items."""
    out: dict[str, Any] = {"item": item_text(item)}
    if isinstance(item, dict):
        for k, v in item.items():
            out[f"item.{k}"] = item_text(v)
            if isinstance(v, dict):
                for k2, v2 in v.items():
                    out[f"item.{k}.{k2}"] = item_text(v2)
    return out


def strip_loop(holder: dict[str, Any]) -> dict[str, Any]:
    """The step/task without its loop fields."""
    return {k: v for k, v in holder.items() if k not in LOOP_KEYS}


def mentions_item(text: Any) -> bool:
    """True when a value refers to `item`."""
    s = json.dumps(text) if not isinstance(text, str) else text
    return "item" in s
