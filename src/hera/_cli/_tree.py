"""Rendering a workflow's node tree for the terminal (rich) and as plain lines (pipes, CI logs)."""

from __future__ import annotations

import time
from typing import Any

from hera.engine.durations import parse_rfc3339

SYMBOLS = {
    "Succeeded": ("✔", "green"),
    "Failed": ("✖", "red"),
    "Error": ("⚠", "red"),
    "Skipped": ("○", "dim"),
    "Omitted": ("○", "dim"),
    "Running": ("●", "cyan"),
    "Pending": ("◷", "yellow"),
}
HIDDEN_TYPES = ("StepGroup",)


def duration(node: dict[str, Any], now: float | None = None) -> str:
    """A short human duration of a node (or workflow status) from startedAt to finishedAt (or now)."""
    start = parse_rfc3339(node.get("startedAt"))
    if start is None:
        return ""
    end = parse_rfc3339(node.get("finishedAt")) or (now or time.time())
    secs = max(0, int(end - start))
    if secs < 60:
        return f"{secs}s"
    if secs < 3600:
        return f"{secs // 60}m{secs % 60:02d}s"
    return f"{secs // 3600}h{(secs % 3600) // 60:02d}m"


def tree_rows(wf: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(depth, node) rows in display order: steps/DAG children by boundary, retries and loops by edges."""
    status = wf.get("status") or {}
    nodes: dict[str, dict[str, Any]] = status.get("nodes") or {}
    if not nodes:
        return []
    by_boundary: dict[str, list[dict[str, Any]]] = {}
    nested: set[str] = set()
    for n in nodes.values():
        if n.get("type") in ("Retry", "TaskGroup", "Pod"):
            for c in n.get("children") or []:
                child = nodes.get(c)
                if child is not None and (
                    n["type"] != "Pod" or child.get("type") == "Container"
                ) and not (child.get("nodeFlag") or {}).get("hooked"):
                    nested.add(c)
    for n in nodes.values():
        if n["id"] in nested or n.get("type") in HIDDEN_TYPES:
            continue
        by_boundary.setdefault(n.get("boundaryID") or "", []).append(n)
    for items in by_boundary.values():
        items.sort(key=lambda n: (n.get("startedAt") or "", n.get("name") or ""))
    rows: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()

    def walk(node: dict[str, Any], depth: int) -> None:
        if node["id"] in seen:
            return
        seen.add(node["id"])
        rows.append((depth, node))
        kids: list[dict[str, Any]] = []
        if node.get("type") in ("Retry", "TaskGroup", "Pod"):
            kids = [nodes[c] for c in node.get("children") or [] if c in nested and c in nodes]
        kids += by_boundary.get(node["id"], [])
        for k in kids:
            walk(k, depth + 1)

    for top in by_boundary.get("", []):
        walk(top, 0)
    return rows


def plain_line(node: dict[str, Any], depth: int = 0) -> str:
    """One node as a plain text line."""
    sym = SYMBOLS.get(node.get("phase", ""), ("?", ""))[0]
    parts = [f"{'  ' * depth}{sym} {node.get('displayName')}", node.get("phase", ""), duration(node)]
    if node.get("message"):
        parts.append(node["message"])
    return "  ".join(p for p in parts if p)


def render_rich(wf: dict[str, Any], *, max_rows: int | None = None) -> Any:
    """A rich Table of the node tree (phase, name, template, duration, message)."""
    from rich.table import Table
    from rich.text import Text

    meta = wf.get("metadata") or {}
    status = wf.get("status") or {}
    phase = status.get("phase") or "Pending"
    sym, color = SYMBOLS.get(phase, ("?", ""))
    title = Text.assemble((f"{sym} ", color), (meta.get("name", ""), "bold"), f"  {phase}  {duration(status)}")
    if status.get("progress"):
        title.append(f"  {status['progress']}")
    table = Table(title=title, title_justify="left", box=None, pad_edge=False, show_header=True, header_style="dim")
    table.add_column("STEP")
    table.add_column("TEMPLATE", style="dim")
    table.add_column("DURATION", justify="right")
    table.add_column("MESSAGE", overflow="fold")
    rows = tree_rows(wf)
    shown = rows if max_rows is None or len(rows) <= max_rows else rows[: max(1, max_rows - 1)]
    for depth, node in shown:
        s, c = SYMBOLS.get(node.get("phase", ""), ("?", ""))
        name = Text.assemble("  " * depth, (f"{s} ", c), node.get("displayName", ""))
        tmpl = node.get("templateName") or (node.get("templateRef") or {}).get("template") or ""
        table.add_row(name, tmpl, duration(node), node.get("message", ""))
    if len(shown) < len(rows):
        rest = rows[len(shown) :]
        counts: dict[str, int] = {}
        for _, n in rest:
            counts[n.get("phase", "")] = counts.get(n.get("phase", ""), 0) + 1
        table.add_row(Text(f"… {len(rest)} more: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())), style="dim"))
    return table


def summary(wf: dict[str, Any]) -> tuple[str, list[str]]:
    """(headline, failure lines) for the end of a run."""
    meta = wf.get("metadata") or {}
    status = wf.get("status") or {}
    nodes = list((status.get("nodes") or {}).values())
    counts: dict[str, int] = {}
    for n in nodes:
        if n.get("type") in ("Pod", "Suspend", "HTTP", "Skipped"):
            counts[n.get("phase", "")] = counts.get(n.get("phase", ""), 0) + 1
    head = f"{meta.get('name')} {status.get('phase')} in {duration(status)}"
    if counts:
        head += " (" + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) + ")"
    if status.get("message"):
        head += f": {status['message']}"
    failures = [
        f"{n.get('displayName')}: {n.get('phase')} {n.get('message', '')}".rstrip()
        for n in nodes
        if n.get("phase") in ("Failed", "Error") and n.get("type") in ("Pod", "Skipped", "Suspend", "HTTP")
    ]
    return head, failures
