"""Handlers of Argo's WorkflowService over the Engine: create, list, get, delete, lint, submit, the control
actions (suspend, resume, stop, terminate, set, retry, resubmit), logs and the watch stream."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.concurrency import run_in_threadpool

from hera.engine.server.context import Call
from hera.engine.server.errors import ApiError
from hera.engine.server.streams import NDJSONStream, from_thread
from hera.engine.server.watch import check_selectors, watch_workflows

_DONE = ("Succeeded", "Failed", "Error")


def list_body(items: list[dict[str, Any]], token: str | None) -> dict[str, Any]:
    """A k8s list answer: `{"metadata": {"continue"?}, "items": [...]}`."""
    return {"metadata": {"continue": token} if token else {}, "items": items}


def _time_filter(items: list[dict[str, Any]], created_after: str | None, finished_before: str | None) -> list[dict[str, Any]]:
    from hera.engine.durations import parse_rfc3339

    after = parse_rfc3339(created_after) if created_after else None
    before = parse_rfc3339(finished_before) if finished_before else None
    if (created_after and after is None) or (finished_before and before is None):
        raise ApiError(400, "createdAfter and finishedBefore must be RFC 3339 times (e.g. 2024-01-02T03:04:05Z)")
    out = []
    for wf in items:
        if after is not None:
            created = parse_rfc3339((wf.get("metadata") or {}).get("creationTimestamp"))
            if created is None or created <= after:
                continue
        if before is not None:
            finished = parse_rfc3339((wf.get("status") or {}).get("finishedAt"))
            if finished is None or finished >= before:
                continue
        out.append(wf)
    return out


def list_workflows(c: Call) -> Any:
    """GET /api/v1/workflows/{namespace} (all namespaces without one)."""
    items, token = c.engine.list_workflows(
        c.namespace or None,
        field_selector=c.q("listOptions.fieldSelector"),
        **c.list_options(),
    )
    if c.q("createdAfter") or c.q("finishedBefore"):
        items = _time_filter(items, c.q("createdAfter"), c.q("finishedBefore"))
    return list_body(items, token)


def create_workflow(c: Call) -> Any:
    """POST /api/v1/workflows/{namespace}."""
    body = c.body("WorkflowCreateRequest")
    wf = body.get("workflow")
    if not wf:
        raise ApiError(400, "invalid WorkflowCreateRequest: workflow: required field missing")
    dry_run = bool(body.get("serverDryRun")) or bool((body.get("createOptions") or {}).get("dryRun"))
    return c.engine.create_workflow(c.namespace, wf, dry_run=dry_run, typed=True)


def lint_workflow(c: Call) -> Any:
    """POST /api/v1/workflows/{namespace}/lint."""
    body = c.body("WorkflowLintRequest")
    if not body.get("workflow"):
        raise ApiError(400, "invalid WorkflowLintRequest: workflow: required field missing")
    return c.engine.lint_workflow(c.namespace, body["workflow"])


def submit_workflow(c: Call) -> Any:
    """POST /api/v1/workflows/{namespace}/submit: a Workflow from a (Cluster)WorkflowTemplate or CronWorkflow."""
    body = c.body("WorkflowSubmitRequest")
    kind, name = body.get("resourceKind"), body.get("resourceName")
    if not kind or not name:
        raise ApiError(400, "invalid WorkflowSubmitRequest: resourceKind and resourceName are required")
    opts = body.get("submitOptions") or {}
    return c.engine.submit_from(
        c.namespace,
        kind,
        name,
        entrypoint=opts.get("entryPoint"),
        parameters=opts.get("parameters"),
        generate_name=opts.get("generateName"),
        labels=opts.get("labels"),
        name_override=opts.get("name"),
        annotations=opts.get("annotations"),
        service_account=opts.get("serviceAccount"),
        priority=opts.get("priority"),
        pod_priority_class_name=opts.get("podPriorityClassName"),
        owner_reference=opts.get("ownerReference"),
        artifacts=opts.get("artifacts"),
        dry_run=bool(opts.get("dryRun") or opts.get("serverDryRun")),
    )


def get_workflow(c: Call) -> Any:
    """GET /api/v1/workflows/{namespace}/{name}."""
    wf = c.engine.get_workflow(c.namespace, c.path["name"])
    uid = c.q("uid")
    if uid and wf["metadata"].get("uid") != uid:
        raise ApiError(404, f'workflows.argoproj.io "{c.path["name"]}" with uid {uid} not found')
    return wf


def delete_workflow(c: Call) -> Any:
    """DELETE /api/v1/workflows/{namespace}/{name}."""
    c.engine.delete_workflow(c.namespace, c.path["name"])
    return {}


def _output_parameters(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError as e:
        raise ApiError(400, f"invalid WorkflowSetRequest: outputParameters: not a JSON object ({e})") from None
    if not isinstance(value, dict):
        raise ApiError(400, "invalid WorkflowSetRequest: outputParameters: must be a JSON object of name: value")
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def workflow_action(c: Call) -> Any:
    """PUT /api/v1/workflows/{namespace}/{name}/{suspend|resume|stop|terminate|set|retry|resubmit}."""
    engine, ns, name, action = c.engine, c.namespace, c.path["name"], c.path["action"]
    if action == "suspend":
        c.body("WorkflowSuspendRequest")
        return engine.suspend_workflow(ns, name)
    if action == "resume":
        body = c.body("WorkflowResumeRequest")
        return engine.resume_workflow(ns, name, node_field_selector=body.get("nodeFieldSelector"))
    if action == "stop":
        body = c.body("WorkflowStopRequest")
        return engine.stop_workflow(
            ns, name, message=body.get("message"), node_field_selector=body.get("nodeFieldSelector")
        )
    if action == "terminate":
        c.body("WorkflowTerminateRequest")
        return engine.terminate_workflow(ns, name)
    if action == "set":
        body = c.body("WorkflowSetRequest")
        return engine.set_workflow(
            ns,
            name,
            node_field_selector=body.get("nodeFieldSelector") or "",
            phase=body.get("phase") or None,
            message=body.get("message"),
            output_parameters=_output_parameters(body.get("outputParameters")),
        )
    if action == "retry":
        body = c.body("WorkflowRetryRequest")
        return engine.retry_workflow(
            ns,
            name,
            restart_successful=bool(body.get("restartSuccessful")),
            node_field_selector=body.get("nodeFieldSelector"),
            parameters=body.get("parameters"),
        )
    if action == "resubmit":
        body = c.body("WorkflowResubmitRequest")
        return engine.resubmit_workflow(
            ns, name, memoized=bool(body.get("memoized")), parameters=body.get("parameters")
        )
    raise ApiError(404, f"unknown workflow action {action!r}")


async def workflow_logs(c: Call) -> Any:
    """GET /api/v1/workflows/{namespace}/{name}/log and .../{podName}/log: `LogEntry` lines, streamed."""
    engine = await run_in_threadpool(c.holder.get)
    ns, name = c.namespace, c.path["name"]
    await run_in_threadpool(engine.get_workflow, ns, name)  # 404 before the stream starts
    grep = c.q("grep")
    if grep:
        try:
            re.compile(grep)
        except re.error as e:
            raise ApiError(400, f"invalid grep pattern {grep!r}: {e}") from None
    pod = c.path.get("podName") or c.q("podName")
    follow = c.q_bool("logOptions.follow")
    tail = c.q_int("logOptions.tailLines")
    since = c.q_int("logOptions.sinceSeconds")
    container = c.q("logOptions.container") or "main"
    timestamps = c.q_bool("logOptions.timestamps")
    since_time = c.q_int("logOptions.sinceTime.seconds")

    def lines() -> Any:
        return engine.workflow_logs(
            ns,
            name,
            pod_name=pod,
            container=container,
            follow=follow,
            grep=grep,
            tail_lines=tail,
            since_seconds=since,
            timestamps=timestamps,
            since_time=float(since_time) if since_time is not None else None,
        )

    return NDJSONStream(from_thread(lines), batched=True)


async def watch(c: Call) -> Any:
    """GET /api/v1/workflow-events/{namespace}: WorkflowWatchEvent lines until the client leaves."""
    field_selector, label_selector = c.q("listOptions.fieldSelector"), c.q("listOptions.labelSelector")
    check_selectors(field_selector, label_selector)
    engine = await run_in_threadpool(c.holder.get)
    return NDJSONStream(
        watch_workflows(engine, c.namespace, field_selector=field_selector, label_selector=label_selector)
    )
