"""Answers into models: tolerant of fields newer than our models, strict about everything else.

The generated models forbid unknown fields (right for documents users write). An Argo Server newer than the
models may add fields to what it returns; `parse` drops those (only those) and validates again, so a newer
server does not break the client. Streams are grpc-gateway lines: `{"result": ...}` or `{"error": ...}`.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from hera.exceptions import exception_from_status_code
from hera.workflows._client.errors import InvalidResponse

_MAX_PASSES = 8


def _drop(data: Any, loc: tuple[Any, ...]) -> bool:
    node = data
    for step in loc[:-1]:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        # other steps are union member tags: stay on this node
    if isinstance(node, dict) and loc and loc[-1] in node:
        del node[loc[-1]]
        return True
    return False


def parse(model: Any, data: Any) -> Any:
    """`model` validated from `data`; unknown fields are dropped, other mismatches raise InvalidResponse.

    A list answer without items (Argo sends `"items": null` for an empty list) has `items == []`.
    """
    if isinstance(data, dict) and model.__name__.endswith("List"):
        if data.get("items") is None:
            data["items"] = []
        if data.get("metadata") is None:
            data["metadata"] = {}
    for _ in range(_MAX_PASSES):
        try:
            return model.model_validate(data)
        except ValidationError as err:
            errors = err.errors(include_url=False)
            unknown = [e["loc"] for e in errors if e["type"] == "extra_forbidden"]
            if len(unknown) != len(errors) or not all([_drop(data, tuple(loc)) for loc in unknown]):
                first = errors[0]
                where = ".".join(str(p) for p in first["loc"])
                raise InvalidResponse(
                    f"the server's answer is not a valid {model.__name__}: {where + ': ' if where else ''}{first['msg']}"
                ) from None
    raise InvalidResponse(f"the server's answer is not a valid {model.__name__}")


def parse_line(line: str | bytes, model: Any, *, raw: bool = False) -> Any:
    """One stream line: the `result` as `model` (or the dict when `raw`); an `error` line raises."""
    try:
        obj = json.loads(line)
    except ValueError:
        raise InvalidResponse(f"the server sent a stream line that is not JSON: {str(line)[:200]!r}") from None
    if not isinstance(obj, dict):
        raise InvalidResponse("the server sent a stream line that is not a JSON object")
    if obj.get("error"):
        err = obj["error"]
        status = int(err.get("http_code") or 500) if isinstance(err, dict) else 500
        message = err.get("message", "") if isinstance(err, dict) else str(err)
        raise exception_from_status_code(status, f"Server returned status code {status} with message: `{message}`")
    result = obj.get("result", obj)
    if raw or model is None:
        return result
    return parse(model, result)
