"""Reading the args file: the substituted `{{inputs.parameters}}`, a JSON list of `{"name", "value"}` objects."""

from __future__ import annotations

import json

from hera.workflows._runner.errors import RunnerError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def read_inputs(path: str) -> dict[str, Any]:
    """The input parameters by name. An empty file or `null` means none; entries without name or value are skipped."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RunnerError(f"cannot read the args file {path!r}: {reason}") from None
    except UnicodeDecodeError as exc:
        raise RunnerError(f"cannot read the args file {path!r}: not UTF-8 text ({exc.reason})") from None
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise RunnerError(f"the args file {path!r} is not JSON: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, list):
        raise RunnerError(
            f'the args file {path!r} must hold a JSON list of {{"name": ..., "value": ...}} objects, '
            f"found a JSON {type(data).__name__}"
        )
    inputs: dict[str, Any] = {}
    for entry in data:
        if isinstance(entry, dict) and "name" in entry and "value" in entry:
            inputs[str(entry["name"])] = entry["value"]
    return inputs
