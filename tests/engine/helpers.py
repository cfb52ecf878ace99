"""Helpers for the engine tests: run a document on a real engine and look its nodes up by display name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hera.engine import Engine


def load(text: str) -> dict[str, Any]:
    """A YAML document as a dict."""
    doc: dict[str, Any] = yaml.safe_load(text)
    return doc


def run(engine: Engine, doc: dict[str, Any] | str, timeout: float = 60, namespace: str = "default") -> dict[str, Any]:
    """Submit a workflow and wait for it; returns the final workflow."""
    if isinstance(doc, str):
        doc = load(doc)
    wf = engine.create_workflow(namespace, doc)
    return engine.wait_workflow(namespace, wf["metadata"]["name"], timeout=timeout)


def nodes_by_display(wf: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Nodes keyed by display name (the way cluster tests look nodes up)."""
    return {n["displayName"]: n for n in (wf.get("status") or {}).get("nodes", {}).values()}


def param(node: dict[str, Any], name: str) -> str | None:
    """An output parameter's value."""
    for p in (node.get("outputs") or {}).get("parameters") or []:
        if p["name"] == name:
            return p.get("value")
    return None


def logs(engine: Engine, wf: dict[str, Any]) -> list[str]:
    """Every log line of a finished workflow."""
    return [e["content"] for e in engine.workflow_logs("default", wf["metadata"]["name"])]


ARGO = Path(__file__).resolve().parents[3] / "shared" / "argo"
