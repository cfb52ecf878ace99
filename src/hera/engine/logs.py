"""Reading node logs from the state directory (`<state>/logs/<workflow uid>/<node id>.log`), with follow."""

from __future__ import annotations

import bisect
import re
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hera.engine.core.nodes import fulfilled
from hera.engine.durations import parse_rfc3339
from hera.engine.executors.host import _TIME_RECORD, TIMES_SUFFIX
from hera.engine.naming import pod_name as make_pod_name
from hera.exceptions import BadRequest

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
    timestamps: bool = False,
    since_time: float | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield `{"podName", "content"}` for every log line of the selected nodes; with `timestamps`, each
    content starts with the RFC 3339 time its output was read (as Kubernetes' `timestamps` option does).
    `since_seconds` / `since_time` (epoch seconds) keep only lines written since then."""
    try:
        pattern = re.compile(grep) if grep else None
    except re.error as e:
        raise BadRequest(f"grep {grep!r} is not a valid regular expression: {e}") from None
    wf = engine.get_workflow(namespace, name)
    uid = wf["metadata"]["uid"]
    done_nodes: set[str] = set()
    cutoff = time.time() - since_seconds if since_seconds else None
    if since_time is not None:
        cutoff = max(cutoff or since_time, since_time)
    while True:
        for node in _pods(wf):
            nid = node["id"]
            if nid in done_nodes or not _matches(name, node, pod_name):
                continue
            if cutoff is not None:
                finished = parse_rfc3339(node.get("finishedAt"))
                if finished is not None and finished + 1 < cutoff:  # finishedAt has whole seconds
                    done_nodes.add(nid)
                    continue
            reader = _Reader(log_path(engine.state_dir, uid, nid), node_pod_name(name, node), pattern, timestamps, cutoff)
            if follow and not fulfilled(node):
                yield from _follow_file(engine, namespace, name, nid, reader)
            else:
                lines = reader.read(final=True)
                yield from (deque(lines, maxlen=max(0, tail_lines)) if tail_lines is not None else lines)
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


def format_time(t: float) -> str:
    """RFC 3339 with nanoseconds, as Kubernetes prefixes timestamped log lines."""
    secs = int(t)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{int((t - secs) * 1e9):09d}Z"


class _Reader:
    """Reads one node's log file from where it left off, as whole lines (optionally with their times)."""

    def __init__(
        self, path: Path, pname: str, pattern: re.Pattern[str] | None, timestamps: bool, since: float | None = None
    ) -> None:
        self.path = path
        self.since = since
        self.pname = pname
        self.pattern = pattern
        self.timestamps = timestamps
        self.pos = 0
        self.partial = b""
        self.times: list[tuple[int, float]] = []

    def _load_times(self) -> None:
        try:
            data = Path(str(self.path) + TIMES_SUFFIX).read_bytes()
        except OSError:
            return
        size = _TIME_RECORD.size
        self.times = [_TIME_RECORD.unpack_from(data, i) for i in range(0, len(data) - size + 1, size)]

    def _time_at(self, offset: int) -> float:
        i = bisect.bisect_right(self.times, (offset, float("inf"))) - 1
        if i >= 0:
            return self.times[i][1]
        return self.times[0][1] if self.times else 0.0

    def read(self, *, final: bool = False) -> list[dict[str, Any]]:
        """The complete lines written since the last call (with `final`, the unterminated last one too)."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                chunk = f.read()
        except OSError:
            chunk = b""
        start = self.pos - len(self.partial)
        self.pos += len(chunk)
        data = self.partial + chunk
        lines = data.split(b"\n")
        self.partial = lines.pop()
        if final and self.partial:
            lines.append(self.partial)
            self.partial = b""
        timed = self.timestamps or self.since is not None
        if timed and lines:
            self._load_times()
        out = []
        offset = start
        for raw in lines:
            line = (raw[:-1] if raw.endswith(b"\r") else raw).decode("utf-8", errors="replace")
            if self.pattern is None or self.pattern.search(line):
                when = self._time_at(offset) if timed else 0.0
                if self.since is not None and self.times and when < self.since:
                    offset += len(raw) + 1
                    continue
                if self.timestamps:
                    line = f"{format_time(when)} {line}"
                out.append({"podName": self.pname, "content": line})
            offset += len(raw) + 1
        return out


def _follow_file(engine: Engine, namespace: str, name: str, nid: str, reader: _Reader) -> Iterator[dict[str, Any]]:
    while True:
        yield from reader.read()
        wf = engine.get_workflow(namespace, name)
        node = ((wf.get("status") or {}).get("nodes") or {}).get(nid)
        if node is None or fulfilled(node) or (wf.get("status") or {}).get("phase") in _DONE:
            yield from reader.read(final=True)
            return
        time.sleep(0.2)
