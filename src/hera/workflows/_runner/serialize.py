"""Values to Argo text, with the rules of `hera.shared.serialization.serialize` (kept in step by a parity test).

Strings stay as they are; anything else becomes JSON (pydantic models through `model_dump(mode="json")`); what
JSON cannot encode falls back to `str(value)`. Local so the runner does not import the shared package's config.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _Encoder(json.JSONEncoder):
    """JSON that also encodes pydantic v2 (`model_dump`) and v1 (`.json()`) models, without importing pydantic."""

    def default(self, o: Any) -> Any:
        dump = getattr(o, "model_dump", None)
        if callable(dump) and hasattr(type(o), "model_fields"):
            return dump(mode="json")
        legacy = getattr(o, "dict", None)
        if callable(legacy) and hasattr(type(o), "__fields__"):
            return json.loads(o.json())
        return super().default(o)


def to_text(value: Any) -> str:
    """`value` as the text of an Argo parameter or the runner's stdout result."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, cls=_Encoder)
    except (TypeError, ValueError):
        return str(value)
