"""`Op`: one operation of the Argo Server REST API, as the generated service methods describe it; and the other
spellings of its query parameters that the methods accept through `**aliases`."""

from __future__ import annotations

import difflib
import importlib
import keyword
import re
from functools import lru_cache
from typing import Any, NamedTuple


class Op(NamedTuple):
    """An API operation: HTTP method, path template, answer model, and how the client may treat it."""

    name: str  # Argo's operation name, e.g. "GetWorkflow"
    method: str
    path: str  # e.g. "/api/v1/workflows/{namespace}/{name}"
    model: str | None  # "workflows:Workflow", "events:EventSource"; None for raw bytes
    stream: bool = False  # newline-delimited `{"result": ...}` lines
    idempotent: bool = False  # safe to send again after a dropped connection or a 502/503/504
    all_namespaces: bool = False  # an empty namespace means every namespace (list and watch calls)


_MODELS: dict[str, Any] = {}


def model_class(ref: str | None) -> Any:
    """The model class of an `Op.model` reference (None stays None)."""
    if ref is None:
        return None
    cls = _MODELS.get(ref)
    if cls is None:
        package, name = ref.split(":", 1)
        cls = getattr(importlib.import_module(f"hera.{package}.models"), name)
        _MODELS[ref] = cls
    return cls


def snake(name: str) -> str:
    """`labelSelector` -> `label_selector`, `insecureSkipTLSVerifyBackend` -> `insecure_skip_tls_verify_backend`
    (the rule of scripts/generate_models.py, which names the generated arguments)."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", s)
    return re.sub(r"\W", "_", s).lower()


def argument_name(wire: str) -> str:
    """The generated argument of query parameter `wire`: its last part in snake_case (`continue` -> `continue_`)."""
    name = snake(wire.rsplit(".", 1)[-1])
    return name + "_" if keyword.iskeyword(name) else name


@lru_cache(maxsize=256)
def _aliases(wires: tuple[str, ...]) -> dict[str, str | None]:
    """Other spellings -> query parameter: the snake_case of every dotted suffix (`list_options_label_selector`,
    `since_time_seconds`) and the last part as sent (`labelSelector`, `continue`). None marks an ambiguous one."""
    table: dict[str, str | None] = {}
    canonical = {argument_name(w) for w in wires}
    for wire in wires:
        parts = wire.split(".")
        names = {"_".join(snake(p) for p in parts[i:]) for i in range(len(parts))} | {parts[-1]}
        for name in names - canonical:
            table[name] = wire if table.get(name, wire) == wire else None
    return table


def resolve_aliases(op: Op, query: dict[str, Any], aliases: dict[str, Any]) -> dict[str, Any]:
    """`query` (wire name -> value) with the values given under other spellings; TypeError for an unknown one
    or for an option given twice, as Python reports a bad keyword argument."""
    if not aliases:
        return query
    table = _aliases(tuple(query))
    method = snake(op.name)
    for name, value in aliases.items():
        wire = table.get(name)
        if wire is None:
            known = [argument_name(w) for w in query]
            if name in table:
                raise TypeError(f"{method}() got an ambiguous keyword argument {name!r}; use one of {known}")
            close = difflib.get_close_matches(name, known + list(table), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(f"{method}() got an unexpected keyword argument {name!r}{hint}")
        if value is None:
            continue
        if query.get(wire) is not None:
            raise TypeError(f"{method}() got {argument_name(wire)!r} twice (also as {name!r})")
        query[wire] = value
    return query
