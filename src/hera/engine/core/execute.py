"""Argo's executeTemplate for an event-driven engine: resolve the template, apply gates (suspend, shutdown,
parallelism), process inputs, check memoization, wrap retries, and dispatch on the template type.

Re-entrant: a node that exists and is fulfilled is reused (its outputs reported again), which is how a
restarted engine carries a workflow on from its stored nodes.
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

from hera.engine.core.io import InputError, process_inputs
from hera.engine.core.nodes import completed, fulfilled, param_text
from hera.engine.core.render import ExpressionError, Scope, eval_expr, render, render_text
from hera.engine.core.run import Req, WorkflowRun
from hera.engine.core.templates import TemplateError, TmplCtx, template_type
from hera.engine.durations import parse_duration, parse_rfc3339
from hera.engine.naming import node_id, pod_name

LEAF_TYPES = frozenset({"container", "containerSet", "script", "resource", "data", "http", "plugin"})
_NODE_TYPE = {
    "container": "Pod",
    "containerSet": "Pod",
    "script": "Pod",
    "resource": "Pod",
    "data": "Pod",
    "steps": "Steps",
    "dag": "DAG",
    "suspend": "Suspend",
    "http": "HTTP",
    "plugin": "Plugin",
}


def node_type_of(tmpl: dict[str, Any]) -> str:
    """The NodeStatus type a template's node gets."""
    return _NODE_TYPE.get(template_type(tmpl) or "", "Pod")


def _link(run: WorkflowRun, req: Req, node: dict[str, Any]) -> None:
    for parent in req.link_from:
        run.add_child(parent, node["id"])
    if req.on_created is not None:
        req.on_created(node)


def error_node(run: WorkflowRun, req: Req, message: str, *, type_: str = "Skipped", name: str | None = None) -> None:
    """Create node `req.name` as Error with `message` and report it done."""
    node = run.create_node(
        name or req.name,
        type_,
        boundary_id=req.boundary_id,
        tctx=req.tctx,
        holder=req.holder,
        phase="Error",
        message=message,
        flag=req.flag,
    )
    _link(run, req, node)
    run.sched.post(req.on_done, node)


def execute(run: WorkflowRun, req: Req) -> None:
    """Run `req` (create its node, or reuse it when it already exists and is fulfilled)."""
    existing = run.nodes.get(node_id(run.name, req.name))
    if existing is not None and fulfilled(existing):
        if req.on_created is not None:
            req.on_created(existing)
        run.sched.post(req.on_done, existing)
        return
    try:
        tmpl, ctx = req.tctx.resolve(req.holder)
    except TemplateError as e:
        error_node(run, req, str(e))
        return
    tmpl = run.with_defaults(tmpl)
    ttype = template_type(tmpl)
    if ttype is None:
        error_node(run, req, "template type unspecified. choose one of: container, containerSet, steps, dag, script, resource, data, suspend, http, plugin")
        return
    if existing is None:
        if req.failfast_key is not None and req.failfast_key in run.failfast_tripped:
            if req.on_cancel is not None:
                run.sched.post(req.on_cancel)
            run.kick()
            return
        if run.shutdown and not req.is_exit:
            node = run.create_node(
                req.name,
                "Skipped",
                boundary_id=req.boundary_id,
                tctx=ctx,
                holder=req.holder,
                phase="Failed",
                message=f"workflow shutdown with strategy: {run.shutdown}",
                flag=req.flag,
            )
            _link(run, req, node)
            run.sched.post(req.on_done, node)
            return
        if run.deadline_passed and not req.is_exit:
            node = run.create_node(
                req.name,
                "Skipped",
                boundary_id=req.boundary_id,
                tctx=ctx,
                holder=req.holder,
                phase="Failed",
                message="Step exceeded its deadline",
                flag=req.flag,
            )
            _link(run, req, node)
            run.sched.post(req.on_done, node)
            return
        if not run.gate(req.boundary_id, ttype in LEAF_TYPES, lambda: execute(run, req)):
            return
    retry = tmpl.get("retryStrategy")
    if retry is None:
        retry = run.spec.get("retryStrategy")
    if retry is not None and ttype not in ("suspend",):
        from hera.engine.core.retry import RetryCtl

        RetryCtl(run, req, tmpl, ctx, retry, existing).start()
        return
    run_template(run, req, req.name, tmpl, ctx, existing=existing, link_from=req.link_from, on_done=req.on_done)


def template_name_of(holder: dict[str, Any], tmpl: dict[str, Any]) -> str | None:
    """The template name Argo uses for pod names: the holder's `template`, its templateRef's, or the template's."""
    if holder.get("template"):
        return str(holder["template"])
    ref = holder.get("templateRef")
    if ref and ref.get("template"):
        return str(ref["template"])
    return tmpl.get("name")


def prepare(
    run: WorkflowRun,
    req: Req,
    name: str,
    tmpl: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any], Scope]:
    """(rendered template, resolved inputs, scope) for running `tmpl` as node `name`; raises InputError."""
    local: dict[str, Any] = {
        "node.name": name,
        "pod.name": pod_name(run.name, name, template_name_of(req.holder, tmpl)),
    }
    if req.locals:
        local.update(req.locals)
    if extra:
        local.update(extra)
    base = run.globals.child(local)
    inputs, values = process_inputs(tmpl, req.args, base, lambda p: run.sched.param_from_config(run.namespace, p))
    scope = base.child(values)
    try:
        rendered = render(tmpl, scope)
    except ExpressionError as e:
        raise InputError(str(e)) from None
    return rendered, inputs, scope


def run_template(
    run: WorkflowRun,
    req: Req,
    name: str,
    tmpl: dict[str, Any],
    ctx: TmplCtx,
    *,
    existing: dict[str, Any] | None,
    link_from: list[str],
    on_done: Any,
    extra_locals: dict[str, Any] | None = None,
    flag: dict[str, Any] | None = None,
) -> None:
    """Process inputs, check memoization, and start the controller for the template's type as node `name`."""
    ttype = template_type(tmpl) or ""
    sub = Req(
        name=name,
        holder=req.holder,
        tctx=ctx,
        args=req.args,
        boundary_id=req.boundary_id,
        on_done=on_done,
        link_from=link_from,
        locals=req.locals,
        is_exit=req.is_exit,
        flag=flag if flag is not None else req.flag,
        on_created=req.on_created if name == req.name else None,
        kind=req.kind,
        on_cancel=req.on_cancel,
        failfast_key=req.failfast_key,
    )
    try:
        rendered, inputs, scope = prepare(run, req, name, tmpl, extra_locals)
    except InputError as e:
        error_node(run, sub, str(e), type_=node_type_of(tmpl), name=name)
        return
    node_inputs = {k: v for k, v in inputs.items() if not k.startswith("_")}
    memo = rendered.get("memoize")
    memo_status: dict[str, Any] | None = None
    if memo and existing is None:
        hit = _memo_lookup(run, memo)
        if hit is not None:
            node = run.create_node(
                name,
                node_type_of(tmpl),
                boundary_id=sub.boundary_id,
                tctx=ctx,
                holder=sub.holder,
                phase="Succeeded",
                inputs=node_inputs or None,
                flag=sub.flag,
                template_name=tmpl.get("name"),
            )
            node["outputs"] = hit
            node["memoizationStatus"] = {
                "hit": True,
                "key": str(memo.get("key", "")),
                "cacheName": ((memo.get("cache") or {}).get("configMap") or {}).get("name", ""),
            }
            _link(run, sub, node)
            export_globals(run, rendered, hit)
            run.sched.post(on_done, node)
            return
        memo_status = {
            "hit": False,
            "key": str(memo.get("key", "")),
            "cacheName": ((memo.get("cache") or {}).get("configMap") or {}).get("name", ""),
        }
    if existing is not None and existing.get("type") == node_type_of(tmpl) and ttype not in LEAF_TYPES:
        node = existing
        run.node_templates[node["id"]] = rendered
    else:
        rerun = existing is not None and str(existing.get("message", "")).startswith("re-run")
        node = run.create_node(
            name,
            node_type_of(tmpl),
            boundary_id=sub.boundary_id,
            tctx=ctx,
            holder=sub.holder,
            phase="Pending" if ttype in LEAF_TYPES or ttype == "suspend" else "Running",
            inputs=node_inputs or None,
            flag=sub.flag,
            template_name=tmpl.get("name"),
            message=existing.get("message") if rerun and existing is not None else None,
        )
        if existing is not None and existing.get("startedAt"):
            node["startedAt"] = existing["startedAt"]
        run.node_templates[node["id"]] = rendered
        _link(run, sub, node)
    if memo_status is not None:
        node["memoizationStatus"] = memo_status
    finisher = Finisher(run, node, rendered, on_done, memo if memo_status is not None else None)
    if ttype in ("container", "script", "containerSet"):
        from hera.engine.core.pod import PodCtl

        PodCtl(run, sub, node, rendered, scope, inputs, finisher).start()
    elif ttype == "steps":
        from hera.engine.core.steps import StepsCtl

        StepsCtl(run, sub, node, rendered, ctx, scope, finisher).start()
    elif ttype == "dag":
        from hera.engine.core.dag import DagCtl

        DagCtl(run, sub, node, rendered, ctx, scope, finisher).start()
    elif ttype == "suspend":
        from hera.engine.core.suspend import SuspendCtl

        SuspendCtl(run, sub, node, rendered, scope, finisher).start()
    elif ttype == "http":
        from hera.engine.core.http import HttpCtl

        HttpCtl(run, sub, node, rendered, scope, finisher).start()
    elif ttype == "data":
        from hera.engine.core.data import DataCtl

        DataCtl(run, sub, node, rendered, scope, finisher).start()
    elif ttype == "resource":
        finisher.finish(
            "Error",
            "resource templates need a Kubernetes cluster: the local engine cannot run kubectl actions"
            " (run this workflow on an Argo cluster)",
        )
    else:
        finisher.finish("Error", f"{ttype} templates are not supported by the local engine")


class TemplateCtl:
    """What the controller of a suspend, http or data template holds: its run, request, node, rendered
    template, scope and finisher."""

    def __init__(
        self, run: WorkflowRun, req: Req, node: dict[str, Any], tmpl: dict[str, Any], scope: Scope, finisher: Finisher
    ) -> None:
        self.run = run
        self.req = req
        self.node = node
        self.tmpl = tmpl
        self.scope = scope
        self.finisher = finisher


class Finisher:
    """Completes a node: sets outputs, exports global outputs, saves memoized outputs, reports done."""

    def __init__(
        self, run: WorkflowRun, node: dict[str, Any], tmpl: dict[str, Any], on_done: Any, memo: dict[str, Any] | None
    ) -> None:
        self.run = run
        self.node = node
        self.tmpl = tmpl
        self.on_done = on_done
        self.memo = memo
        self.done = False

    def finish(self, phase: str, message: str | None = None, outputs: dict[str, Any] | None = None) -> None:
        """Set the final phase (once) and report the node done to its caller."""
        if self.done:
            return
        self.done = True
        run, node = self.run, self.node
        if outputs:
            node["outputs"] = outputs
        if phase == "Succeeded" or (outputs and phase in ("Failed", "Error")):
            export_globals(run, self.tmpl, node.get("outputs") or {})
        if phase == "Succeeded" and self.memo is not None:
            _memo_save(run, self.memo, node.get("outputs") or {})
        run.mark(node, phase, message)
        run.node_templates.pop(node["id"], None)
        run.sched.post(self.on_done, node)


def export_globals(run: WorkflowRun, tmpl: dict[str, Any], outputs: dict[str, Any]) -> None:
    """Copy outputs declared with `globalName` into the workflow's global outputs."""
    declared = tmpl.get("outputs") or {}
    if not declared:
        return
    values = {p["name"]: p.get("value") for p in outputs.get("parameters") or []}
    for p in declared.get("parameters") or []:
        g = p.get("globalName")
        if g and values.get(p["name"]) is not None:
            run.export_global("parameters", g, values[p["name"]])
    arts = {a["name"]: a for a in outputs.get("artifacts") or []}
    for a in declared.get("artifacts") or []:
        g = a.get("globalName")
        if g and a["name"] in arts:
            run.export_global("artifacts", g, arts[a["name"]])


def _memo_cache(memo: dict[str, Any]) -> str:
    return ((memo.get("cache") or {}).get("configMap") or {}).get("name") or "default"


def _memo_lookup(run: WorkflowRun, memo: dict[str, Any]) -> dict[str, Any] | None:
    key = str(memo.get("key", ""))
    if not key:
        return None
    entry = run.sched.store.cache_get(run.namespace, _memo_cache(memo), key)
    if entry is None:
        return None
    value, created = entry
    max_age = memo.get("maxAge")
    if max_age:
        try:
            if time.time() - created > parse_duration(max_age, field="memoize.maxAge"):
                return None
        except Exception:
            return None
    try:
        outputs: dict[str, Any] = json.loads(value)
    except ValueError:
        return None
    return outputs


def _memo_save(run: WorkflowRun, memo: dict[str, Any], outputs: dict[str, Any]) -> None:
    key = str(memo.get("key", ""))
    if key:
        run.sched.cache_put(run.namespace, _memo_cache(memo), key, json.dumps(outputs, separators=(",", ":")))


# -- shared helpers for steps / dag controllers --------------------------------------------------------
def compute_template_outputs(tmpl: dict[str, Any], scope: Scope) -> tuple[dict[str, Any] | None, str | None]:
    """(outputs, error message) of a steps/dag template from `valueFrom.parameter`/`expression` and artifacts."""
    from hera.engine.core.io import resolve_artifact_ref

    declared = tmpl.get("outputs") or {}
    out: dict[str, Any] = {}
    params = []
    for p in declared.get("parameters") or []:
        vf = p.get("valueFrom") or {}
        value: Any = None
        err: str | None = None
        if vf.get("parameter") is not None:
            try:
                value = render_text(str(vf["parameter"]), scope, strict_refs=True)
                if "{{" in value and value == vf["parameter"]:
                    err = f"unable to resolve outputs from scope: {vf['parameter']}"
                    value = None
            except ExpressionError as e:
                err = str(e)
        elif vf.get("expression") is not None:
            try:
                value = eval_expr(str(vf["expression"]), scope)
                if value is None:
                    err = f"expression {vf['expression']!r} evaluated to nil"
                else:
                    value = param_text(value)
            except ExpressionError as e:
                err = str(e)
        elif p.get("value") is not None:
            value = param_text(p["value"])
        if value is None:
            if vf.get("default") is not None:
                value = param_text(vf["default"])
            elif err is not None or vf:
                return None, err or f"unable to resolve output parameter {p['name']}"
        q = {k: v for k, v in p.items() if k != "valueFrom"} if value is not None else dict(p)
        if vf:
            q["valueFrom"] = vf
        if value is not None:
            q["value"] = value
        params.append(q)
    if params:
        out["parameters"] = params
    arts = []
    for a in declared.get("artifacts") or []:
        try:
            arts.append(resolve_artifact_ref(a, scope))
        except InputError as e:
            if a.get("optional"):
                continue
            return None, str(e)
    if arts:
        out["artifacts"] = arts
    return (out or None), None


def hostname() -> str:
    """The host name reported as the node's `hostNodeName` (read once)."""
    global _HOSTNAME
    if _HOSTNAME is None:
        _HOSTNAME = os.uname().nodename
    return _HOSTNAME


_HOSTNAME: str | None = None


_TRANSIENT = re.compile(os.environ.get("TRANSIENT_ERROR_PATTERN") or r"(?i)(connection reset|timeout|temporarily unavailable|too many requests)")


def is_transient(message: str | None) -> bool:
    """Whether an error message looks transient (OnTransientError retry policy)."""
    return bool(message and _TRANSIENT.search(message))


def started_seconds(node: dict[str, Any]) -> float:
    """Unix seconds of a node's startedAt (now when missing)."""
    return parse_rfc3339(node.get("startedAt")) or time.time()


__all__ = [
    "LEAF_TYPES",
    "Finisher",
    "completed",
    "compute_template_outputs",
    "error_node",
    "execute",
    "is_transient",
    "node_type_of",
    "prepare",
    "run_template",
]
