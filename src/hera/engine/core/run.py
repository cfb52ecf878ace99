"""`WorkflowRun`: the in-memory state of one running workflow (its nodes, scopes, parallelism gates), which the
scheduler thread mutates and persists incrementally (only changed node rows are written).
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hera.engine.core.nodes import FULFILLED, PARALLELISM_TYPES, continues_on, fulfilled, param_text
from hera.engine.core.render import Scope
from hera.engine.core.templates import TmplCtx, apply_defaults
from hera.engine.durations import now_rfc3339, parse_rfc3339
from hera.engine.naming import display_name, node_id, pod_name

if TYPE_CHECKING:
    from hera.engine.scheduler import Scheduler

Done = Callable[[dict[str, Any]], None]


@dataclass
class Req:
    """A request to run a template as node `name` (what Argo's executeTemplate receives)."""

    name: str
    holder: dict[str, Any]
    tctx: TmplCtx
    args: dict[str, Any]
    boundary_id: str | None
    on_done: Done
    link_from: list[str] = field(default_factory=list)
    locals: dict[str, Any] = field(default_factory=dict)
    is_exit: bool = False
    flag: dict[str, Any] | None = None
    on_created: Callable[[dict[str, Any]], None] | None = None
    #: The holder is a step (steps template) or a task (dag template): used for scope keys.
    kind: str = ""
    #: Called instead of starting when the boundary's failFast stopped new work.
    on_cancel: Callable[[], None] | None = None
    #: The boundary node id whose template failFast governs this request, if any.
    failfast_key: str | None = None


_STRFTIME_CHARS = "aAbBcCdDeFgGhHIjklmMnprRStTuUVwWxXyYzZ"


class WorkflowRun:
    """One workflow being executed: nodes by id, dirty sets for persistence, global scope, gates."""

    def __init__(self, sched: Scheduler, wf: dict[str, Any], spec: dict[str, Any]) -> None:
        self.sched = sched
        self.wf = wf
        meta = wf["metadata"]
        self.uid: str = meta["uid"]
        self.name: str = meta["name"]
        self.namespace: str = meta.get("namespace") or "default"
        self.status: dict[str, Any] = wf.setdefault("status", {})
        self.nodes: dict[str, dict[str, Any]] = self.status.setdefault("nodes", {})
        self.spec = spec
        self.dirty: set[str] = set()
        self.wf_dirty = True
        self.body_dirty = False
        self.finished = False
        self.shutdown: str | None = (wf.get("spec") or {}).get("shutdown") or None
        self.suspended = bool((wf.get("spec") or {}).get("suspend"))
        self.globals = Scope()
        self.root_ctx = TmplCtx(spec.get("templates") or [], f"local/{self.name}", sched.template_lookup(self.namespace))
        self._defaults_cache: dict[int, dict[str, Any]] = {}
        # parallelism gates
        self.active_pods = 0
        self.active_children: dict[str, int] = {}
        self.pod_waiters: deque[Callable[[], None]] = deque()
        self.boundary_waiters: dict[str, deque[Callable[[], None]]] = {}
        self.suspend_waiters: deque[Callable[[], None]] = deque()
        # live controllers
        self.pods: dict[str, Any] = {}
        self.suspends: dict[str, Any] = {}
        self.daemons: dict[str, list[Any]] = {}
        self.observers: dict[str, list[Callable[[dict[str, Any]], None]]] = {}
        self.timers: list[Any] = []
        self.deadline_passed = False
        self.deadline_at: float | None = None
        self.failfast_tripped: set[str] = set()
        self.holders: dict[str, dict[str, Any]] = {}
        self.node_templates: dict[str, dict[str, Any]] = {}
        self.started_mono = time.monotonic()
        #: Variables every node process gets (code directories on PYTHONPATH, nesting markers).
        self.node_env: dict[str, str] = {}
        #: Read-only binds of the user's code directories that the node's private /tmp would hide.
        self.code_binds: list[tuple[str, str]] = []
        self._count_existing()

    # -- persistence -----------------------------------------------------------------------------------
    def touch(self, node: dict[str, Any]) -> None:
        """Mark a node as changed (it is written at the next flush)."""
        self.dirty.add(node["id"])
        self.sched.mark_dirty(self)

    def touch_wf(self, *, body: bool = False) -> None:
        """Mark the workflow status (and with `body`, its spec/metadata) as changed."""
        self.wf_dirty = True
        if body:
            self.body_dirty = True
        self.sched.mark_dirty(self)

    # -- nodes -----------------------------------------------------------------------------------------
    def node_by_name(self, name: str) -> dict[str, Any] | None:
        """The node called `name`, if it exists."""
        return self.nodes.get(node_id(self.name, name))

    def create_node(
        self,
        name: str,
        type_: str,
        *,
        boundary_id: str | None,
        tctx: TmplCtx | None = None,
        holder: dict[str, Any] | None = None,
        phase: str = "Pending",
        message: str | None = None,
        inputs: dict[str, Any] | None = None,
        flag: dict[str, Any] | None = None,
        template_name: str | None = None,
    ) -> dict[str, Any]:
        """Create (or reset, when it exists) the node `name` and persist it."""
        nid = node_id(self.name, name)
        boundary = self.nodes.get(boundary_id) if boundary_id else None
        now = now_rfc3339()
        node: dict[str, Any] = {
            "id": nid,
            "name": name,
            "displayName": display_name(name, boundary["name"] if boundary else None),
            "type": type_,
            "phase": phase,
            "startedAt": now,
        }
        if holder is not None:
            self.holders[nid] = holder
            if holder.get("templateRef"):
                node["templateRef"] = holder["templateRef"]
            elif holder.get("template"):
                node["templateName"] = holder["template"]
        if template_name and "templateName" not in node and "templateRef" not in node:
            node["templateName"] = template_name
        if tctx is not None:
            node["templateScope"] = tctx.scope
        if boundary_id:
            node["boundaryID"] = boundary_id
        if message:
            node["message"] = message
        if inputs:
            node["inputs"] = inputs
        if flag:
            node["nodeFlag"] = flag
        if phase in FULFILLED:
            node["finishedAt"] = now
        old = self.nodes.get(nid)
        if old is not None:
            if old.get("children"):
                node["children"] = old["children"]
            if not fulfilled(old):
                self._uncount(old)
        self.nodes[nid] = node
        self._count(node)
        self.touch(node)
        return node

    def add_child(self, parent_id: str | None, child_id: str) -> None:
        """Add a `children` edge (once)."""
        if not parent_id:
            return
        parent = self.nodes.get(parent_id)
        if parent is None:
            return
        children = parent.setdefault("children", [])
        if child_id not in children:
            children.append(child_id)
            self.touch(parent)

    def mark(self, node: dict[str, Any], phase: str, message: str | None = None) -> None:
        """Set a node's phase (and message); fulfilled phases get `finishedAt` and release gates."""
        was_fulfilled = fulfilled(node)
        old_phase = node.get("phase")
        node["phase"] = phase
        if message is not None:
            if message:
                node["message"] = message
            else:
                node.pop("message", None)
        if phase in FULFILLED and not node.get("finishedAt"):
            node["finishedAt"] = now_rfc3339()
        self.touch(node)
        if not was_fulfilled and fulfilled(node):
            self._uncount(node)
            if phase in ("Failed", "Error"):
                self._trip_fail_fast(node)
            self._release_gates(node)
        if old_phase != phase:
            for fn in self.observers.get(node["id"], ()):
                self.sched.post(fn, node)

    def _trip_fail_fast(self, node: dict[str, Any]) -> None:
        """A failed child of a steps/dag template with `failFast: true` stops new children at once."""
        b = node.get("boundaryID")
        if not b or b in self.failfast_tripped:
            return
        tmpl = self.node_templates.get(b)
        if not tmpl or not tmpl.get("failFast"):
            return
        if node.get("type") not in PARALLELISM_TYPES and node.get("type") not in ("Retry", "TaskGroup", "Skipped"):
            return
        holder = self.holders.get(node["id"])
        if holder is not None and continues_on(holder, node.get("phase")):
            return
        self.failfast_tripped.add(b)
        # everything queued under this boundary is cancelled now rather than one by one
        q = self.boundary_waiters.pop(b, None)
        while q:
            self.sched.post(q.popleft())

    def kick(self) -> None:
        """Release queued starts while there is room (after a queued start was cancelled)."""
        limit = self.spec.get("parallelism")
        try:
            n = int(limit) if limit else 0
        except (TypeError, ValueError):
            n = 0
        if self.pod_waiters and (n <= 0 or self.active_pods < n):
            self.sched.post(self.pod_waiters.popleft())

    def observe(self, nid: str, fn: Callable[[dict[str, Any]], None]) -> None:
        """Call `fn(node)` (via the event queue) whenever node `nid` changes phase."""
        self.observers.setdefault(nid, []).append(fn)

    def pod_name(self, node: dict[str, Any]) -> str:
        """The node's pod name (v2 naming), which names its process and run directory."""
        return pod_name(self.name, node["name"], node.get("templateName") or (node.get("templateRef") or {}).get("template"))

    # -- parallelism gates -----------------------------------------------------------------------------
    def _count_existing(self) -> None:
        for node in self.nodes.values():
            self._count(node)

    def _count(self, node: dict[str, Any]) -> None:
        if fulfilled(node):
            return
        if node.get("type") == "Pod":
            self.active_pods += 1
        b = node.get("boundaryID")
        if b and node.get("type") in PARALLELISM_TYPES:
            self.active_children[b] = self.active_children.get(b, 0) + 1

    def _uncount(self, node: dict[str, Any]) -> None:
        if node.get("type") == "Pod":
            self.active_pods = max(0, self.active_pods - 1)
        b = node.get("boundaryID")
        if b and node.get("type") in PARALLELISM_TYPES:
            self.active_children[b] = max(0, self.active_children.get(b, 0) - 1)

    def _release_gates(self, node: dict[str, Any]) -> None:
        if node.get("type") == "Pod":
            limit = self.spec.get("parallelism")
            while self.pod_waiters and (not limit or self.active_pods < int(limit)):
                self.sched.post(self.pod_waiters.popleft())
                if limit:
                    break
        b = node.get("boundaryID")
        if b and b in self.boundary_waiters:
            q = self.boundary_waiters[b]
            if q:
                self.sched.post(q.popleft())

    def gate(self, boundary_id: str | None, is_leaf: bool, retry: Callable[[], None]) -> bool:
        """True when a new node may start now; otherwise `retry` is queued until a slot frees up."""
        if self.suspended:
            self.suspend_waiters.append(retry)
            return False
        if boundary_id:
            bnode = self.nodes.get(boundary_id)
            tmpl = self.node_templates.get(boundary_id)
            limit = tmpl.get("parallelism") if tmpl else None
            if limit is not None and bnode is not None:
                try:
                    n = int(limit)
                except (TypeError, ValueError):
                    n = 0
                if n > 0 and self.active_children.get(boundary_id, 0) >= n:
                    self.boundary_waiters.setdefault(boundary_id, deque()).append(retry)
                    return False
        if is_leaf:
            limit = self.spec.get("parallelism")
            if limit:
                try:
                    n = int(limit)
                except (TypeError, ValueError):
                    n = 0
                if n > 0 and self.active_pods >= n:
                    self.pod_waiters.append(retry)
                    return False
        return True

    def resume_waiters(self) -> None:
        """After a workflow-level resume: start what was held back."""
        while self.suspend_waiters:
            self.sched.post(self.suspend_waiters.popleft())

    # -- templates -------------------------------------------------------------------------------------
    def with_defaults(self, tmpl: dict[str, Any]) -> dict[str, Any]:
        """`tmpl` merged over `spec.templateDefaults` (cached per template)."""
        defaults = self.spec.get("templateDefaults")
        if not defaults:
            return tmpl
        key = id(tmpl)
        out = self._defaults_cache.get(key)
        if out is None:
            out = apply_defaults(tmpl, defaults)
            self._defaults_cache[key] = out
        return out

    # -- global scope ----------------------------------------------------------------------------------
    def build_globals(self) -> None:
        """Fill the global scope (`workflow.*`) from metadata, spec arguments and global outputs."""
        meta = self.wf["metadata"]
        spec = self.spec
        g: dict[str, Any] = {
            "workflow.name": self.name,
            "workflow.namespace": self.namespace,
            "workflow.uid": self.uid,
            "workflow.mainEntrypoint": spec.get("entrypoint", ""),
            "workflow.status": "Running",
        }
        if spec.get("serviceAccountName"):
            g["workflow.serviceAccountName"] = spec["serviceAccountName"]
        if spec.get("priority") is not None:
            g["workflow.priority"] = str(spec["priority"])
        params = []
        for p in (spec.get("arguments") or {}).get("parameters") or []:
            value = p.get("value")
            if value is None:
                value = self.sched.param_from_config(self.namespace, p)
            if value is None:
                value = p.get("default")
            if value is not None:
                g[f"workflow.parameters.{p['name']}"] = param_text(value)
            params.append({**p, "value": param_text(value)} if value is not None else p)
        for a in (spec.get("arguments") or {}).get("artifacts") or []:
            if a.get("name"):
                # `{{workflow.artifacts.<name>}}` in an artifact argument's `from` refers to it
                g[f"workflow.artifacts.{a['name']}"] = a
        params_json = json.dumps(params, separators=(",", ":"))
        g["workflow.parameters"] = params_json
        g["workflow.parameters.json"] = params_json
        for kind in ("annotations", "labels"):
            values = meta.get(kind) or {}
            for k, v in values.items():
                g[f"workflow.{kind}.{k}"] = v
            text = json.dumps(values, separators=(",", ":"))
            g[f"workflow.{kind}.json"] = text
            g[f"workflow.{kind}"] = text
        created = meta.get("creationTimestamp") or now_rfc3339()
        g["workflow.creationTimestamp"] = created
        ts = parse_rfc3339(created) or time.time()
        tm = time.gmtime(ts)
        for ch in _STRFTIME_CHARS:
            try:
                g[f"workflow.creationTimestamp.{ch}"] = time.strftime("%" + ch, tm)
            except ValueError:
                pass
        g["workflow.creationTimestamp.RFC3339"] = created
        g["workflow.creationTimestamp.s"] = str(int(ts))
        scheduled = (meta.get("annotations") or {}).get("workflows.argoproj.io/scheduled-time")
        if scheduled:
            g["workflow.scheduledTime"] = scheduled
        outputs = self.status.get("outputs") or {}
        for p in outputs.get("parameters") or []:
            if p.get("value") is not None:
                g[f"workflow.outputs.parameters.{p['name']}"] = p["value"]
        for a in outputs.get("artifacts") or []:
            g[f"workflow.outputs.artifacts.{a['name']}"] = a
        self.globals.update(g)

    def set_duration(self) -> None:
        """Refresh `workflow.duration` (seconds since start, as text)."""
        started = parse_rfc3339(self.status.get("startedAt")) or time.time()
        self.globals.update({"workflow.duration": f"{max(0.0, time.time() - started):.6f}"})

    def export_global(self, kind: str, name: str, value: Any) -> None:
        """Copy an output with `globalName` into status.outputs and the global scope (later writers win)."""
        outputs = self.status.setdefault("outputs", {})
        items = outputs.setdefault(kind, [])
        entry = {"name": name, "value": value} if kind == "parameters" else {**value, "name": name}
        for i, item in enumerate(items):
            if item.get("name") == name:
                items[i] = entry
                break
        else:
            items.append(entry)
        self.globals.update({f"workflow.outputs.{kind}.{name}": value})
        self.touch_wf()
