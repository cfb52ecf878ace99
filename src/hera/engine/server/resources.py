"""Handlers of Argo's WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow, Info, ArchivedWorkflow and
Artifact services over the Engine."""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

from starlette.responses import Response

from hera.engine.server.context import Call
from hera.engine.server.errors import ApiError
from hera.engine.server.workflows import list_body
from hera.exceptions import NotFound

_DONE = ("Succeeded", "Failed", "Error")
ARGO_API_VERSION = "v4.1.2"  # the Argo Server API this server speaks (swagger.json of that release)


def _required(body: dict[str, Any], field: str, model: str) -> dict[str, Any]:
    value = body.get(field)
    if not value:
        raise ApiError(400, f"invalid {model}: {field}: required field missing")
    return value  # type: ignore[no-any-return]


def _dry_run(body: dict[str, Any]) -> bool:
    return bool((body.get("createOptions") or {}).get("dryRun"))


def _name_pattern(items: list[dict[str, Any]], pattern: str | None) -> list[dict[str, Any]]:
    if not pattern:
        return items
    return [o for o in items if pattern in ((o.get("metadata") or {}).get("name") or "")]


# -- WorkflowTemplates ---------------------------------------------------------------------------------
def list_workflow_templates(c: Call) -> Any:
    """GET /api/v1/workflow-templates/{namespace}."""
    items, token = c.engine.list_workflow_templates(c.namespace or None, **c.list_options())
    return list_body(_name_pattern(items, c.q("namePattern")), token)


def create_workflow_template(c: Call) -> Any:
    """POST /api/v1/workflow-templates/{namespace} (createOptions.dryRun only lints)."""
    body = c.body("WorkflowTemplateCreateRequest")
    template = _required(body, "template", "WorkflowTemplateCreateRequest")
    if _dry_run(body):
        return c.engine.lint_workflow_template(c.namespace, template)
    return c.engine.create_workflow_template(c.namespace, template)


def lint_workflow_template(c: Call) -> Any:
    """POST /api/v1/workflow-templates/{namespace}/lint."""
    body = c.body("WorkflowTemplateLintRequest")
    return c.engine.lint_workflow_template(c.namespace, _required(body, "template", "WorkflowTemplateLintRequest"))


def get_workflow_template(c: Call) -> Any:
    """GET /api/v1/workflow-templates/{namespace}/{name}."""
    return c.engine.get_workflow_template(c.namespace, c.path["name"])


def update_workflow_template(c: Call) -> Any:
    """PUT /api/v1/workflow-templates/{namespace}/{name}."""
    body = c.body("WorkflowTemplateUpdateRequest")
    template = _required(body, "template", "WorkflowTemplateUpdateRequest")
    return c.engine.update_workflow_template(c.namespace, c.path["name"], template)


def delete_workflow_template(c: Call) -> Any:
    """DELETE /api/v1/workflow-templates/{namespace}/{name}."""
    c.engine.delete_workflow_template(c.namespace, c.path["name"])
    return {}


# -- ClusterWorkflowTemplates --------------------------------------------------------------------------
def list_cluster_workflow_templates(c: Call) -> Any:
    """GET /api/v1/cluster-workflow-templates."""
    items, token = c.engine.list_cluster_workflow_templates(**c.list_options())
    return list_body(items, token)


def create_cluster_workflow_template(c: Call) -> Any:
    """POST /api/v1/cluster-workflow-templates."""
    body = c.body("ClusterWorkflowTemplateCreateRequest")
    template = _required(body, "template", "ClusterWorkflowTemplateCreateRequest")
    if _dry_run(body):
        return c.engine.lint_cluster_workflow_template(template)
    return c.engine.create_cluster_workflow_template(template)


def lint_cluster_workflow_template(c: Call) -> Any:
    """POST /api/v1/cluster-workflow-templates/lint."""
    body = c.body("ClusterWorkflowTemplateLintRequest")
    return c.engine.lint_cluster_workflow_template(_required(body, "template", "ClusterWorkflowTemplateLintRequest"))


def get_cluster_workflow_template(c: Call) -> Any:
    """GET /api/v1/cluster-workflow-templates/{name}."""
    return c.engine.get_cluster_workflow_template(c.path["name"])


def update_cluster_workflow_template(c: Call) -> Any:
    """PUT /api/v1/cluster-workflow-templates/{name}."""
    body = c.body("ClusterWorkflowTemplateUpdateRequest")
    template = _required(body, "template", "ClusterWorkflowTemplateUpdateRequest")
    return c.engine.update_cluster_workflow_template(c.path["name"], template)


def delete_cluster_workflow_template(c: Call) -> Any:
    """DELETE /api/v1/cluster-workflow-templates/{name}."""
    c.engine.delete_cluster_workflow_template(c.path["name"])
    return {}


# -- CronWorkflows -------------------------------------------------------------------------------------
def list_cron_workflows(c: Call) -> Any:
    """GET /api/v1/cron-workflows/{namespace}."""
    items, token = c.engine.list_cron_workflows(c.namespace or None, **c.list_options())
    return list_body(items, token)


def create_cron_workflow(c: Call) -> Any:
    """POST /api/v1/cron-workflows/{namespace}."""
    body = c.body("CreateCronWorkflowRequest")
    cron = _required(body, "cronWorkflow", "CreateCronWorkflowRequest")
    if _dry_run(body):
        return c.engine.lint_cron_workflow(c.namespace, cron)
    return c.engine.create_cron_workflow(c.namespace, cron)


def lint_cron_workflow(c: Call) -> Any:
    """POST /api/v1/cron-workflows/{namespace}/lint."""
    body = c.body("LintCronWorkflowRequest")
    return c.engine.lint_cron_workflow(c.namespace, _required(body, "cronWorkflow", "LintCronWorkflowRequest"))


def get_cron_workflow(c: Call) -> Any:
    """GET /api/v1/cron-workflows/{namespace}/{name}."""
    return c.engine.get_cron_workflow(c.namespace, c.path["name"])


def update_cron_workflow(c: Call) -> Any:
    """PUT /api/v1/cron-workflows/{namespace}/{name}."""
    body = c.body("UpdateCronWorkflowRequest")
    cron = _required(body, "cronWorkflow", "UpdateCronWorkflowRequest")
    return c.engine.update_cron_workflow(c.namespace, c.path["name"], cron)


def delete_cron_workflow(c: Call) -> Any:
    """DELETE /api/v1/cron-workflows/{namespace}/{name}."""
    c.engine.delete_cron_workflow(c.namespace, c.path["name"])
    return {}


def suspend_cron_workflow(c: Call) -> Any:
    """PUT /api/v1/cron-workflows/{namespace}/{name}/suspend."""
    c.body("CronWorkflowSuspendRequest")
    return c.engine.suspend_cron_workflow(c.namespace, c.path["name"])


def resume_cron_workflow(c: Call) -> Any:
    """PUT /api/v1/cron-workflows/{namespace}/{name}/resume."""
    c.body("CronWorkflowResumeRequest")
    return c.engine.resume_cron_workflow(c.namespace, c.path["name"])


# -- Info ----------------------------------------------------------------------------------------------
def get_info(c: Call) -> Any:
    """GET /api/v1/info."""
    return {"links": [], "columns": [], "modals": {}, "navColor": ""}


def get_version(c: Call) -> Any:
    """GET /api/v1/version: the Argo API level served, and hera's own version as the build."""
    import hera

    return {
        "version": f"{ARGO_API_VERSION}+hera.{hera.__version__}",
        "buildDate": "",
        "gitCommit": "",
        "gitTag": ARGO_API_VERSION,
        "gitTreeState": "",
        "goVersion": f"python{platform.python_version()}",
        "compiler": platform.python_implementation().lower(),
        "platform": f"{platform.system().lower()}/{platform.machine()}",
    }


def get_user_info(c: Call) -> Any:
    """GET /api/v1/userinfo: the embedded engine has no users."""
    return {}


def collect_event(c: Call) -> Any:
    """POST /api/v1/tracking/event: accepted and dropped (the UI's usage tracking)."""
    c.body("CollectEventRequest")
    return {}


# -- Archived workflows: the finished workflows of the store --------------------------------------------
def _finished(c: Call, namespace: str | None) -> list[dict[str, Any]]:
    items, _ = c.engine.list_workflows(namespace or None, label_selector=c.q("listOptions.labelSelector"))
    return [wf for wf in items if (wf.get("status") or {}).get("phase") in _DONE]


def _by_uid(c: Call) -> dict[str, Any]:
    uid = c.path["uid"]
    try:
        wf = c.engine.get_workflow_by_uid(uid)
    except NotFound:
        wf = None
    ns = c.q("namespace")
    if wf is None or (wf.get("status") or {}).get("phase") not in _DONE or (ns and wf["metadata"].get("namespace") != ns):
        raise ApiError(404, f"archived workflow {uid} not found")
    return wf


def list_archived_workflows(c: Call) -> Any:
    """GET /api/v1/archived-workflows: finished workflows (namespace and namePrefix filters)."""
    items = _finished(c, c.q("namespace"))
    prefix = c.q("namePrefix")
    if prefix:
        items = [wf for wf in items if wf["metadata"].get("name", "").startswith(prefix)]
    start = int(c.q("listOptions.continue") or 0)
    limit = c.q_int("listOptions.limit")
    page = items[start : start + limit] if limit else items[start:]
    token = str(start + limit) if limit and start + limit < len(items) else None
    return list_body(page, token)


def list_archived_workflow_label_keys(c: Call) -> Any:
    """GET /api/v1/archived-workflows-label-keys."""
    keys = {k for wf in _finished(c, c.q("namespace")) for k in (wf["metadata"].get("labels") or {})}
    return {"items": sorted(keys)}


def list_archived_workflow_label_values(c: Call) -> Any:
    """GET /api/v1/archived-workflows-label-values (`listOptions.labelSelector` names the key)."""
    key = c.q("listOptions.labelSelector")
    if not key:
        raise ApiError(400, "listOptions.labelSelector must name the label key")
    items, _ = c.engine.list_workflows(c.q("namespace") or None)
    values = {
        (wf["metadata"].get("labels") or {})[key]
        for wf in items
        if (wf.get("status") or {}).get("phase") in _DONE and key in (wf["metadata"].get("labels") or {})
    }
    return {"items": sorted(values)}


def get_archived_workflow(c: Call) -> Any:
    """GET /api/v1/archived-workflows/{uid}."""
    return _by_uid(c)


def delete_archived_workflow(c: Call) -> Any:
    """DELETE /api/v1/archived-workflows/{uid}."""
    wf = _by_uid(c)
    c.engine.delete_workflow(wf["metadata"]["namespace"], wf["metadata"]["name"])
    return {}


def resubmit_archived_workflow(c: Call) -> Any:
    """PUT /api/v1/archived-workflows/{uid}/resubmit."""
    body = c.body("ResubmitArchivedWorkflowRequest")
    wf = _by_uid(c)
    meta = wf["metadata"]
    return c.engine.resubmit_workflow(
        meta["namespace"], meta["name"], memoized=bool(body.get("memoized")), parameters=body.get("parameters")
    )


def retry_archived_workflow(c: Call) -> Any:
    """PUT /api/v1/archived-workflows/{uid}/retry."""
    body = c.body("RetryArchivedWorkflowRequest")
    wf = _by_uid(c)
    meta = wf["metadata"]
    return c.engine.retry_workflow(
        meta["namespace"],
        meta["name"],
        restart_successful=bool(body.get("restartSuccessful")),
        node_field_selector=body.get("nodeFieldSelector"),
        parameters=body.get("parameters"),
    )


# -- Artifacts (raw bytes from the local artifact repository) --------------------------------------------
def _workflow_by_uid(c: Call, uid: str) -> dict[str, Any]:
    return c.engine.get_workflow_by_uid(uid)


def _artifact(c: Call, wf: dict[str, Any], side: str) -> Response:
    from hera.engine.artifacts import ArtifactError, read_bytes

    node_id, art_name = c.path["nodeId"], c.path["artifactName"]
    nodes = (wf.get("status") or {}).get("nodes") or {}
    node = nodes.get(node_id) or next(
        (n for n in nodes.values() if node_id in (n.get("name"), n.get("displayName"))), None
    )
    if node is None:
        raise ApiError(404, f"node {node_id!r} not found in workflow {wf['metadata'].get('name')!r}")
    arts = (node.get(side) or {}).get("artifacts") or []
    art = next((a for a in arts if a.get("name") == art_name), None)
    if art is None:
        kind = "output" if side == "outputs" else "input"
        raise ApiError(404, f"{kind} artifact {art_name!r} not found on node {node_id!r}")
    engine = c.engine
    opt = getattr(engine.options, "artifact_dir", None)
    root = Path(opt) if opt else engine.state_dir / "artifacts"
    try:
        data = read_bytes(art, root)
    except (ArtifactError, OSError) as e:
        raise ApiError(404, f"artifact {art_name!r} of node {node_id!r} cannot be read: {e}") from None
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"content-disposition": f'attachment; filename="{art_name}"'},
    )


def get_output_artifact(c: Call) -> Any:
    """GET /artifacts/{namespace}/{name}/{nodeId}/{artifactName}."""
    return _artifact(c, c.engine.get_workflow(c.namespace, c.path["name"]), "outputs")


def get_input_artifact(c: Call) -> Any:
    """GET /input-artifacts/{namespace}/{name}/{nodeId}/{artifactName}."""
    return _artifact(c, c.engine.get_workflow(c.namespace, c.path["name"]), "inputs")


def get_output_artifact_by_uid(c: Call) -> Any:
    """GET /artifacts-by-uid/{uid}/{nodeId}/{artifactName}."""
    return _artifact(c, _workflow_by_uid(c, c.path["uid"]), "outputs")


def get_input_artifact_by_uid(c: Call) -> Any:
    """GET /input-artifacts-by-uid/{uid}/{nodeId}/{artifactName}."""
    return _artifact(c, _workflow_by_uid(c, c.path["uid"]), "inputs")
