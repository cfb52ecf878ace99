"""Value serialisation shared by the authoring layer and the runner: `serialize`, `MISSING`, `PydanticEncoder`.

Kept free of pydantic and the models at import time: the runner imports it on every task start.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MISSING", "PydanticEncoder", "serialize"]


_INF = float("inf")
_NINF = float("-inf")


class _MissingType:
    """The type of `MISSING`: marks a value that was never set (distinct from an explicit `None`)."""

    _instance: _MissingType | None = None

    def __new__(cls) -> _MissingType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __copy__(self) -> _MissingType:
        return self

    def __deepcopy__(self, memo: Any) -> _MissingType:
        return self

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _MissingType()
"""Sentinel for "not given": a Parameter whose value is MISSING renders no `value` key at all."""


class PydanticEncoder(json.JSONEncoder):
    """A JSON encoder that also encodes pydantic models (v2 `model_dump`, v1 `dict`) without importing pydantic."""

    def default(self, o: Any) -> Any:
        dump = getattr(o, "model_dump", None)
        if callable(dump) and hasattr(type(o), "model_fields"):
            return dump(mode="json")
        legacy = getattr(o, "dict", None)
        if callable(legacy) and hasattr(type(o), "__fields__"):
            return json.loads(o.json())
        return super().default(o)


def serialize(value: Any) -> Any:
    """Render `value` as Argo text: strings unchanged, `MISSING` kept, anything else as JSON (`None` → `"null"`).

    Objects JSON cannot encode fall back to `str(value)`, so a custom object still yields readable text.
    """
    if value is MISSING:
        return MISSING
    cls = value.__class__
    if cls is str:
        return value
    if cls is int or cls is float:
        return repr(value) if value == value and value not in (_INF, _NINF) else json.dumps(value)
    if cls is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, cls=PydanticEncoder)
    except (TypeError, ValueError):
        return str(value)
