"""Kubernetes-style label and field selectors, and Argo's node field selectors (`displayName=x,phase=Running`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from hera.exceptions import BadRequest

Predicate = Callable[[Mapping[str, str]], bool]

_SET_RE = re.compile(r"^\s*([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")


def _split_top(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts: list[str] = []
    depth = 0
    cur = ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def _in(key: str, values: set[str], inside: bool, labels: Mapping[str, str]) -> bool:
    return (labels.get(key) in values) == inside


def _equals(key: str, value: str, equal: bool, labels: Mapping[str, str]) -> bool:
    return (labels.get(key) == value) == equal


def _exists(key: str, present: bool, labels: Mapping[str, str]) -> bool:
    return (key in labels) == present


def parse_label_selector(text: str | None) -> Predicate:
    """A predicate over a label map for `a=b,c!=d,e in (x,y),f notin (z),g,!h`; BadRequest on bad syntax."""
    if not text or not text.strip():
        return lambda labels: True
    checks: list[Predicate] = []
    for part in _split_top(text):
        m = _SET_RE.match(part)
        if m:
            key, op, values_text = m.group(1), m.group(2), m.group(3)
            values = {v.strip() for v in values_text.split(",") if v.strip()}
            checks.append(partial(_in, key, values, op == "in"))
            continue
        if "!=" in part:
            key, value = (s.strip() for s in part.split("!=", 1))
            checks.append(partial(_equals, key, value, False))
        elif "==" in part or "=" in part:
            key, value = (s.strip() for s in part.split("==" if "==" in part else "=", 1))
            checks.append(partial(_equals, key, value, True))
        elif part.startswith("!"):
            checks.append(partial(_exists, part[1:].strip(), False))
        elif re.match(r"^[A-Za-z0-9._/-]+$", part):
            checks.append(partial(_exists, part, True))
        else:
            raise BadRequest(f"invalid label selector {text!r}: cannot parse {part!r}")
    return lambda labels: all(c(labels) for c in checks)


def parse_equality_selector(text: str | None, *, what: str = "field selector") -> list[tuple[str, str, bool]]:
    """`k=v,k2!=v2` as (key, value, equal) triples; BadRequest on bad syntax."""
    out: list[tuple[str, str, bool]] = []
    if not text:
        return out
    for part in _split_top(text):
        if "!=" in part:
            key, value = part.split("!=", 1)
            out.append((key.strip(), value.strip(), False))
        elif "==" in part:
            key, value = part.split("==", 1)
            out.append((key.strip(), value.strip(), True))
        elif "=" in part:
            key, value = part.split("=", 1)
            out.append((key.strip(), value.strip(), True))
        else:
            raise BadRequest(f"invalid {what} {text!r}: expected key=value in {part!r}")
    return out


def _lookup(obj: Any, dotted: str) -> str | None:
    cur = obj
    for part in dotted.split("."):
        if isinstance(cur, Mapping):
            cur = cur.get(part)
        else:
            return None
        if cur is None:
            return None
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def workflow_field_predicate(text: str | None) -> Callable[[Mapping[str, Any]], bool]:
    """Predicate over a workflow object for field selectors such as `metadata.name=x,status.phase!=Running`."""
    triples = parse_equality_selector(text)
    if not triples:
        return lambda obj: True

    def check(obj: Mapping[str, Any]) -> bool:
        for key, value, equal in triples:
            if (_lookup(obj, key) == value) != equal:
                return False
        return True

    return check


def node_field_predicate(text: str | None) -> Callable[[Mapping[str, Any]], bool]:
    """Predicate over a node status for Argo's node field selectors.

    Keys are node fields (`displayName`, `name`, `id`, `phase`, `templateName`, `type`, `boundaryID`) or
    `inputs.parameters.<name>.value`.
    """
    triples = parse_equality_selector(text, what="node field selector")

    def check(node: Mapping[str, Any]) -> bool:
        for key, value, equal in triples:
            if key.startswith("inputs.parameters.") and key.endswith(".value"):
                pname = key[len("inputs.parameters.") : -len(".value")]
                actual = None
                for p in (node.get("inputs") or {}).get("parameters") or []:
                    if p.get("name") == pname:
                        actual = p.get("value")
                got = None if actual is None else str(actual)
            else:
                got = _lookup(node, key)
            if (got == value) != equal:
                return False
        return True

    return check
