"""Value → string rules shared by the leaf classes: strings stay as they are, anything else becomes JSON."""

from __future__ import annotations

import json
from typing import Any


def _json_default(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)  # pydantic v2 models
    if callable(dump):
        return dump(mode="json", by_alias=True, exclude_none=True)
    dump_v1 = getattr(value, "dict", None)  # pydantic v1 models
    if callable(dump_v1):
        return dump_v1()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def to_str(value: Any) -> str:
    """`value` as Argo expects it in a string field: str unchanged, everything else JSON (`3` → `"3"`)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, default=_json_default)
