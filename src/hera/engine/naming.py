"""Argo's node naming: FNV-32a node ids, pod names, loop item descriptions and display names.

Tests written for a cluster look nodes up by display name and compare ids, so these follow Argo exactly.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193


@lru_cache(maxsize=65536)
def fnv32a(text: str) -> int:
    """The 32-bit FNV-1a hash of `text` (UTF-8), as Argo uses for node ids and pod names."""
    h = _FNV_OFFSET
    for byte in text.encode():
        h ^= byte
        h = (h * _FNV_PRIME) & 0xFFFFFFFF
    return h


def node_id(wf_name: str, node_name: str) -> str:
    """Id of the node called `node_name`: the workflow name for the root, else `<wf>-<fnv32a(name)>`."""
    if node_name == wf_name:
        return wf_name
    return f"{wf_name}-{fnv32a(node_name)}"


def pod_name(wf_name: str, node_name: str, template_name: str | None) -> str:
    """Pod name (v2 naming): `<wf>-<template>-<fnv32a(node name)>`, trimmed like Kubernetes names."""
    if node_name == wf_name:
        return wf_name
    suffix = str(fnv32a(node_name))
    prefix = wf_name
    if template_name:
        prefix = f"{wf_name}-{template_name}"
    max_prefix = 253 - len(suffix) - 1
    if len(prefix) > max_prefix:
        prefix = prefix[:max_prefix]
    return f"{prefix}-{suffix}"


def _go_text(value: Any) -> str:
    """The text Go's fmt `%v` prints for a JSON-decoded value (lists as `[a b]`, maps as `map[k:v]`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + " ".join(_go_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go_text(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def item_description(item: Any) -> str:
    """How a loop item appears in its node name: `(i:<desc>)`, with `(`/`)` removed from the text."""
    if isinstance(item, dict):
        desc = ",".join(f"{k}:{_go_text(item[k])}" for k in sorted(item))
    elif isinstance(item, str):
        desc = item
    elif isinstance(item, bool | int | float):
        desc = json.dumps(item)
    else:
        desc = _go_text(item)
    return desc.replace("(", "").replace(")", "")


def loop_node_name(base: str, index: int, item: Any) -> str:
    """`<base>(<index>:<desc>)`: the name of one expansion of a loop."""
    return f"{base}({index}:{item_description(item)})"


def display_name(node_name: str, boundary_name: str | None) -> str:
    """The node name without its boundary node's name in front, and without a leading `[i].` or `.`."""
    if not boundary_name or not node_name.startswith(boundary_name) or node_name == boundary_name:
        return node_name
    rest = node_name[len(boundary_name) :]
    if rest.startswith("."):
        return rest[1:]
    if rest.startswith("["):
        close = rest.find("]")
        if close != -1 and rest[close + 1 : close + 2] == ".":
            return rest[close + 2 :]
    return rest
