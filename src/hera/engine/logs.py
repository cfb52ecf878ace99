"""Reading node logs from the state directory (`<state>/logs/<workflow uid>/<node id>.log`), with follow."""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hera.engine.core.nodes import fulfilled
from hera.engine.durations import parse_rfc3339
from hera.engine.naming import pod_name as make_pod_name

if TYPE_CHECKING:
    from hera.engine.api import Engine

_DONE = ("Succeeded", "Failed", "Error")


def node_pod_name(wf_name: str, node: dict[str, Any]) -> str:
    """The pod name Argo gives a Pod node (the `podName` of its log lines)."""
    tname = node.get("templateName") or (node.get("templateRef") or {}).get("template")
    return make_pod_name(wf_name, node["name"], tname)


def log_path(state_dir: Path, uid: str, node_id: str) -> Path:
    """Where a node's log file lives."""
    return state_dir / "logs" / uid / f"{node_id}.log"


def _pods(wf: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = (wf.get("status") or {}).get("nodes") or {}
    pods = [n for n in nodes.values() if n.get("type") == "Pod"]
    return sorted(pods, key=lambda n: (n.get("startedAt") or "", n.get("name") or ""))


def _matches(wf_name: str, node: dict[str, Any], selector: str | None) -> bool:
    if not selector:
        return True
    return selector in (node_pod_name(wf_name, node), node.get("id"), node.get("displayName"), node.get("name"))


def iter_workflow_logs(
    engine: Engine,
    namespace: str,
    name: str,
    *,
    pod_name: str | None = None,
    follow: bool = False,
    grep: str | None = None,
    tail_lines: int | None = None,
    since_seconds: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield `{"podName", "content"}` for every log line of the selected nodes."""
    pattern = re.compile(grep) if grep else None
    wf = engine.get_workflow(namespace, name)
    uid = wf["metadata"]["uid"]
    done_nodes: set[str] = set()
    cutoff = time.time() - since_seconds if since_seconds else None
    while True:
        for node in _pods(wf):
            nid = node["id"]
            if nid in done_nodes or not _matches(name, node, pod_name):
                continue
            if cutoff is not None:
                finished = parse_rfc3339(node.get("finishedAt"))
                if finished is not None and finished < cutoff:
                    done_nodes.add(nid)
                    continue
            pname = node_pod_name(name, node)
            path = log_path(engine.state_dir, uid, nid)
            if follow and not fulfilled(node):
                yield from _follow_file(engine, namespace, name, nid, path, pname, pattern)
            else:
                yield from _read_file(path, pname, pattern, tail_lines)
            done_nodes.add(nid)
        if not follow:
            return
        wf = engine.get_workflow(namespace, name)
        if (wf.get("status") or {}).get("phase") in _DONE:
            remaining = [n for n in _pods(wf) if n["id"] not in done_nodes and _matches(name, n, pod_name)]
            if not remaining:
                return
            continue
        time.sleep(0.2)


def _lines(data: str, pname: str, pattern: re.Pattern[str] | None) -> Iterator[dict[str, Any]]:
    for line in data.splitlines():
        if pattern is None or pattern.search(line):
            yield {"podName": pname, "content": line}


def _read_file(path: Path, pname: str, pattern: re.Pattern[str] | None, tail: int | None) -> Iterator[dict[str, Any]]:
    try:
        data = path.read_text(errors="replace")
    except OSError:
        return
    if tail is not None:
        yield from deque(_lines(data, pname, pattern), maxlen=max(0, tail))
    else:
        yield from _lines(data, pname, pattern)


def _follow_file(
    engine: Engine,
    namespace: str,
    name: str,
    nid: str,
    path: Path,
    pname: str,
    pattern: re.Pattern[str] | None,
) -> Iterator[dict[str, Any]]:
    pos = 0
    partial = ""
    while True:
        try:
            with open(path, errors="replace") as f:
                f.seek(pos)
                chunk = f.read()
                pos = f.tell()
        except OSError:
            chunk = ""
        if chunk:
            text = partial + chunk
            lines = text.split("\n")
            partial = lines.pop()
            for line in lines:
                if pattern is None or pattern.search(line):
                    yield {"podName": pname, "content": line}
        wf = engine.get_workflow(namespace, name)
        node = ((wf.get("status") or {}).get("nodes") or {}).get(nid)
        if node is None or fulfilled(node) or (wf.get("status") or {}).get("phase") in _DONE:
            try:
                with open(path, errors="replace") as f:
                    f.seek(pos)
                    rest = f.read()
            except OSError:
                rest = ""
            text = partial + rest
            for line in text.splitlines():
                if pattern is None or pattern.search(line):
                    yield {"podName": pname, "content": line}
            return
        time.sleep(0.2)
