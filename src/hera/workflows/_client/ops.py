"""`Op`: one operation of the Argo Server REST API, as the generated service methods describe it."""

from __future__ import annotations

import importlib
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
