"""Node phase predicates and small helpers over Argo NodeStatus dicts."""

from __future__ import annotations

from typing import Any

COMPLETED = frozenset({"Succeeded", "Failed", "Error"})
FULFILLED = frozenset({"Succeeded", "Failed", "Error", "Skipped", "Omitted"})
FAILED_OR_ERROR = frozenset({"Failed", "Error"})
WORKFLOW_DONE = frozenset({"Succeeded", "Failed", "Error"})

#: Node types that count as "active children" for template parallelism.
PARALLELISM_TYPES = frozenset({"Pod", "Steps", "DAG"})


def fulfilled(node: dict[str, Any]) -> bool:
    """Completed, Skipped or Omitted, or a daemoned node that is no longer Pending."""
    phase = node.get("phase")
    if phase in FULFILLED:
        return True
    return bool(node.get("daemoned")) and phase != "Pending"


def completed(node: dict[str, Any]) -> bool:
    """Succeeded, Failed or Error."""
    return node.get("phase") in COMPLETED


def failed_or_error(node: dict[str, Any]) -> bool:
    """Failed or Error."""
    return node.get("phase") in FAILED_OR_ERROR


def workflow_phase_of(node_phase: str) -> str:
    """The workflow phase that a root node phase maps to."""
    if node_phase in ("Succeeded", "Skipped", "Omitted"):
        return "Succeeded"
    return node_phase or "Running"


def continues_on(holder: dict[str, Any] | None, phase: str | None) -> bool:
    """True when a step/task's `continueOn` covers `phase` (Failed → failed, Error → error)."""
    if not holder:
        return False
    co = holder.get("continueOn") or {}
    if phase == "Failed":
        return bool(co.get("failed"))
    if phase == "Error":
        return bool(co.get("error"))
    return False


def param_text(value: Any) -> str:
    """A parameter value as Argo stores it (AnyString): strings as they are, others as JSON text."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, separators=(",", ":"))
