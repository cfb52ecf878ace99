"""Request bodies: JSON parsed and validated with the generated models; a bad body is a 400 naming the field.

A body passes through its model (`WorkflowCreateRequest`, ...) and goes on to the engine as that model's JSON
form (Argo's camelCase names, nulls dropped), so snake_case keys that the models accept reach the engine in
Argo's spelling.
"""

from __future__ import annotations

import json
from typing import Any

from hera._documents import error_location
from hera.engine.server.errors import ApiError

_MAX_REASONS = 3


def parse_json(raw: bytes) -> Any:
    """The body as JSON (`{}` when empty); 400 when it is not JSON."""
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except RecursionError:
        raise ApiError(400, "request body is not valid JSON: nested too deeply") from None
    except ValueError as e:
        where = f" at line {e.lineno} column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
        raise ApiError(400, f"request body is not valid JSON{where}: {getattr(e, 'msg', e)}") from None


def validate(model_name: str, data: Any, *, package: str = "workflows") -> dict[str, Any]:
    """`data` checked against the generated model `model_name`; returns its JSON form (by alias, no nulls)."""
    from pydantic import ValidationError

    models: Any
    if package == "events":
        from hera.events import models
    else:
        from hera.workflows import models
    cls = getattr(models, model_name)
    if not isinstance(data, dict):
        raise ApiError(400, f"invalid {model_name}: the request body must be a JSON object, got {_type_name(data)}")
    try:
        obj = cls.model_validate(data)
    except ValidationError as err:
        raise ApiError(400, f"invalid {model_name}: {describe(err, data)}") from None
    out: dict[str, Any] = obj.model_dump(mode="json", by_alias=True, exclude_none=True)
    return out


def describe(err: Any, data: Any) -> str:
    """`workflow.spec.templates[0].name: required field missing; ...` from a pydantic ValidationError."""
    seen: dict[str, list[str]] = {}
    for item in err.errors(include_url=False):
        path, _ = error_location(data, item["loc"])
        seen.setdefault(path or "(body)", []).append(_reason(item))
    parts = [f"{path}: {' or '.join(dict.fromkeys(reasons))}" for path, reasons in seen.items()]
    text = "; ".join(parts[:_MAX_REASONS])
    if len(parts) > _MAX_REASONS:
        text += f" (+{len(parts) - _MAX_REASONS} more)"
    return text


def _reason(item: dict[str, Any]) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field missing"
    msg = str(item["msg"])
    return msg[:1].lower() + msg[1:]


def _type_name(value: Any) -> str:
    return {list: "a list", str: "a string", type(None): "null", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )
