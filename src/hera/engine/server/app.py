"""`create_app`: the Argo Server REST API (swagger.json paths) over hera's embedded engine, as a Starlette app.

Served by uvicorn for `hera server`, and driven in-process by the client's local transport
(`WorkflowsService(host="local")`). Workflows, workflow templates, cluster workflow templates, cron workflows,
logs, watch, info/version/userinfo, the archive (the store's finished workflows) and output/input artifacts
are served; the other operations of the API answer 501 with the reason. Errors use Argo's
`{"code", "message"}` shape.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hera.engine.server import resources as r
from hera.engine.server import workflows as w
from hera.engine.server.auth import BearerAuth
from hera.engine.server.context import error_response, json_endpoint, not_implemented, stream_endpoint
from hera.engine.server.holder import EngineHolder

_EVENTS = "EventSources and Sensors belong to Argo Events, which the embedded engine does not run"
_BINDINGS = "WorkflowEventBindings (workflows started by events) are not supported"
_SYNC = "synchronization limits are cluster configuration (ConfigMaps); put them in the engine's local store"


def _routes() -> list[Route]:
    j, s = json_endpoint, stream_endpoint
    routes = [
        # WorkflowService
        Route("/api/v1/workflows", j(w.list_workflows), methods=["GET"]),
        Route("/api/v1/workflows/", j(w.list_workflows), methods=["GET"]),
        Route("/api/v1/workflows/{namespace}", j(w.list_workflows), methods=["GET"]),
        Route("/api/v1/workflows/{namespace}", j(w.create_workflow), methods=["POST"]),
        Route("/api/v1/workflows/{namespace}/lint", j(w.lint_workflow), methods=["POST"]),
        Route("/api/v1/workflows/{namespace}/submit", j(w.submit_workflow), methods=["POST"]),
        Route("/api/v1/workflows/{namespace}/{name}", j(w.get_workflow), methods=["GET"]),
        Route("/api/v1/workflows/{namespace}/{name}", j(w.delete_workflow), methods=["DELETE"]),
        Route("/api/v1/workflows/{namespace}/{name}/log", s(w.workflow_logs), methods=["GET"]),
        Route("/api/v1/workflows/{namespace}/{name}/{action}", j(w.workflow_action), methods=["PUT"]),
        Route("/api/v1/workflows/{namespace}/{name}/{podName}/log", s(w.workflow_logs), methods=["GET"]),
        Route("/api/v1/workflow-events/", s(w.watch), methods=["GET"]),
        Route("/api/v1/workflow-events/{namespace}", s(w.watch), methods=["GET"]),
        # WorkflowTemplateService
        Route("/api/v1/workflow-templates/", j(r.list_workflow_templates), methods=["GET"]),
        Route("/api/v1/workflow-templates/{namespace}", j(r.list_workflow_templates), methods=["GET"]),
        Route("/api/v1/workflow-templates/{namespace}", j(r.create_workflow_template), methods=["POST"]),
        Route("/api/v1/workflow-templates/{namespace}/lint", j(r.lint_workflow_template), methods=["POST"]),
        Route("/api/v1/workflow-templates/{namespace}/{name}", j(r.get_workflow_template), methods=["GET"]),
        Route("/api/v1/workflow-templates/{namespace}/{name}", j(r.update_workflow_template), methods=["PUT"]),
        Route("/api/v1/workflow-templates/{namespace}/{name}", j(r.delete_workflow_template), methods=["DELETE"]),
        # ClusterWorkflowTemplateService
        Route("/api/v1/cluster-workflow-templates", j(r.list_cluster_workflow_templates), methods=["GET"]),
        Route("/api/v1/cluster-workflow-templates", j(r.create_cluster_workflow_template), methods=["POST"]),
        Route("/api/v1/cluster-workflow-templates/lint", j(r.lint_cluster_workflow_template), methods=["POST"]),
        Route("/api/v1/cluster-workflow-templates/{name}", j(r.get_cluster_workflow_template), methods=["GET"]),
        Route("/api/v1/cluster-workflow-templates/{name}", j(r.update_cluster_workflow_template), methods=["PUT"]),
        Route(
            "/api/v1/cluster-workflow-templates/{name}", j(r.delete_cluster_workflow_template), methods=["DELETE"]
        ),
        # CronWorkflowService
        Route("/api/v1/cron-workflows/", j(r.list_cron_workflows), methods=["GET"]),
        Route("/api/v1/cron-workflows/{namespace}", j(r.list_cron_workflows), methods=["GET"]),
        Route("/api/v1/cron-workflows/{namespace}", j(r.create_cron_workflow), methods=["POST"]),
        Route("/api/v1/cron-workflows/{namespace}/lint", j(r.lint_cron_workflow), methods=["POST"]),
        Route("/api/v1/cron-workflows/{namespace}/{name}", j(r.get_cron_workflow), methods=["GET"]),
        Route("/api/v1/cron-workflows/{namespace}/{name}", j(r.update_cron_workflow), methods=["PUT"]),
        Route("/api/v1/cron-workflows/{namespace}/{name}", j(r.delete_cron_workflow), methods=["DELETE"]),
        Route("/api/v1/cron-workflows/{namespace}/{name}/resume", j(r.resume_cron_workflow), methods=["PUT"]),
        Route("/api/v1/cron-workflows/{namespace}/{name}/suspend", j(r.suspend_cron_workflow), methods=["PUT"]),
        # InfoService
        Route("/api/v1/info", j(r.get_info), methods=["GET"]),
        Route("/api/v1/version", j(r.get_version), methods=["GET"]),
        Route("/api/v1/userinfo", j(r.get_user_info), methods=["GET"]),
        Route("/api/v1/tracking/event", j(r.collect_event), methods=["POST"]),
        # ArchivedWorkflowService
        Route("/api/v1/archived-workflows", j(r.list_archived_workflows), methods=["GET"]),
        Route("/api/v1/archived-workflows-label-keys", j(r.list_archived_workflow_label_keys), methods=["GET"]),
        Route("/api/v1/archived-workflows-label-values", j(r.list_archived_workflow_label_values), methods=["GET"]),
        Route("/api/v1/archived-workflows/{uid}", j(r.get_archived_workflow), methods=["GET"]),
        Route("/api/v1/archived-workflows/{uid}", j(r.delete_archived_workflow), methods=["DELETE"]),
        Route("/api/v1/archived-workflows/{uid}/resubmit", j(r.resubmit_archived_workflow), methods=["PUT"]),
        Route("/api/v1/archived-workflows/{uid}/retry", j(r.retry_archived_workflow), methods=["PUT"]),
        # ArtifactService
        Route("/artifacts/{namespace}/{name}/{nodeId}/{artifactName}", j(r.get_output_artifact), methods=["GET"]),
        Route("/input-artifacts/{namespace}/{name}/{nodeId}/{artifactName}", j(r.get_input_artifact), methods=["GET"]),
        Route("/artifacts-by-uid/{uid}/{nodeId}/{artifactName}", j(r.get_output_artifact_by_uid), methods=["GET"]),
        Route(
            "/input-artifacts-by-uid/{uid}/{nodeId}/{artifactName}", j(r.get_input_artifact_by_uid), methods=["GET"]
        ),
    ]
    unserved = [
        ("/api/v1/stream/events/{namespace}", ["GET"], "WatchEvents", "there are no Kubernetes events locally"),
        ("/api/v1/events/{namespace}/{discriminator}", ["POST"], "ReceiveEvent", _BINDINGS),
        ("/api/v1/workflow-event-bindings/{namespace}", ["GET"], "ListWorkflowEventBindings", _BINDINGS),
        ("/api/v1/event-sources/{namespace}", ["GET", "POST"], "EventSourceService", _EVENTS),
        ("/api/v1/event-sources/{namespace}/{name}", ["GET", "PUT", "DELETE"], "EventSourceService", _EVENTS),
        ("/api/v1/stream/event-sources/{namespace}", ["GET"], "WatchEventSources", _EVENTS),
        ("/api/v1/stream/event-sources/{namespace}/logs", ["GET"], "EventSourcesLogs", _EVENTS),
        ("/api/v1/sensors/{namespace}", ["GET", "POST"], "SensorService", _EVENTS),
        ("/api/v1/sensors/{namespace}/{name}", ["GET", "PUT", "DELETE"], "SensorService", _EVENTS),
        ("/api/v1/stream/sensors/{namespace}", ["GET"], "WatchSensors", _EVENTS),
        ("/api/v1/stream/sensors/{namespace}/logs", ["GET"], "SensorsLogs", _EVENTS),
        ("/api/v1/sync/{namespace}", ["POST"], "SyncService", _SYNC),
        ("/api/v1/sync/{namespace}/{key}", ["GET", "PUT", "DELETE"], "SyncService", _SYNC),
        (
            "/artifact-files/{namespace}/{idDiscriminator}/{id}/{nodeId}/{artifactDiscriminator}/{artifactName}",
            ["GET"],
            "GetArtifactFile",
            "browsing artifact files is not served; use /artifacts/{namespace}/{name}/{nodeId}/{artifactName}",
        ),
    ]
    routes += [Route(path, not_implemented(op, why), methods=methods) for path, methods, op, why in unserved]
    return routes


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    if status == 404:
        return error_response(404, f"no such API path: {request.method} {request.url.path}")
    if status == 405:
        return error_response(405, f"method {request.method} is not allowed on {request.url.path}")
    return error_response(status, str(getattr(exc, "detail", exc)))


def create_app(
    engine: Any = None,
    *,
    state_dir: str | os.PathLike[str] | None = None,
    options: Any = None,
    auth_token: str | None = None,
    start_engine_on_startup: bool = False,
) -> Starlette:
    """The REST app over `engine`, or over an Engine for `state_dir` made on first use (closed on shutdown).

    `auth_token` makes every request need `Authorization: Bearer <token>`. With `start_engine_on_startup`, an
    ASGI server's lifespan start makes (and starts) the engine at once, so cron schedules and interrupted
    workflows carry on before the first request.
    """
    holder = EngineHolder(engine, state_dir=state_dir, options=options)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if start_engine_on_startup:
            await run_in_threadpool(holder.get)
        try:
            yield
        finally:
            await run_in_threadpool(holder.close)

    middleware = [Middleware(BearerAuth, token=auth_token)] if auth_token else []
    app = Starlette(
        routes=_routes(),
        middleware=middleware,
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.holder = holder
    return app
