"""Reads fragments of the acceptance suite's expected YAML (recorded from Hera 7.1.0) for the leaf tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

EXPECTED = Path(__file__).resolve().parents[3] / ".." / "shared" / "acceptance" / "expected"


@cache
def _document(stem: str) -> dict[str, Any]:
    with open(EXPECTED / f"{stem}.yaml") as f:
        return yaml.safe_load(f)


def spec(stem: str) -> dict[str, Any]:
    """`spec` of the expected workflow `stem` (e.g. `16_env_sources`)."""
    return _document(stem)["spec"]


def template(stem: str, name: str) -> dict[str, Any]:
    """The template called `name` in the expected workflow `stem`."""
    for t in spec(stem)["templates"]:
        if t.get("name") == name:
            return t
    raise KeyError(f"{stem} has no template {name!r}")


def dump(model: Any) -> Any:
    """What `to_dict()` does to a model: aliases, None dropped."""
    return model.model_dump(exclude_none=True, by_alias=True)
