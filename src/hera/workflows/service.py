"""`WorkflowsService`: the Argo Server REST API (every operation of swagger.json) for a cluster, or for the
embedded engine when no cluster is named.

    from hera.workflows.service import WorkflowsService
    svc = WorkflowsService()                       # host "local": the embedded engine, in-process
    svc = WorkflowsService(host="https://argo.example.com:2746", token="...", namespace="argo")

Settings come from the arguments, then `global_config`, then the argo CLI's environment variables
(`ARGO_SERVER`, `ARGO_TOKEN`, `ARGO_NAMESPACE`, `ARGO_INSECURE_SKIP_VERIFY`, `ARGO_BASE_HREF`, `ARGO_SECURE`);
see docs/client.md. Methods take request models (`WorkflowCreateRequest(workflow=...)`) and return models;
streaming calls (`workflow_logs`, `pod_logs`, `watch_workflows`, ...) return iterators that yield items as the
server sends them. Errors: `hera.exceptions` (the server's answer), `ServerUnreachable`, `ServerTimeout`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hera.workflows._client.errors import InvalidResponse, ServerTimeout, ServerUnreachable
from hera.workflows._client.waiting import wait_sync
from hera.workflows._service_ops import WorkflowsServiceOps

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["InvalidResponse", "ServerTimeout", "ServerUnreachable", "WorkflowsService"]


class WorkflowsService(WorkflowsServiceOps):
    """Sync client of the Argo Server REST API (httpx), or of the embedded engine with `host="local"`.

    `WorkflowsService(host=None, verify_ssl=None, token=None, client_certs=None, namespace=None, session=None,
    *, timeout=30.0, retries=4, stream_timeout=None)`; a context manager (`close()` on exit).
    """

    def wait_workflow(
        self, name: str, namespace: str | None = None, *, timeout: float | None = None, poll_interval: float = 5.0
    ) -> m.Workflow:
        """Block until the workflow is Succeeded, Failed or Error and return it.

        Pending, Running, no phase and unknown phases keep waiting. The workflow is watched between polls, so
        its end is seen at once. Connection failures are retried until `timeout` (seconds; None waits for
        ever), after which TimeoutError is raised.
        """
        return wait_sync(self, name, namespace, timeout, poll_interval)  # type: ignore[no-any-return]

    def get_workflow_link(self, name: str, namespace: str | None = None) -> str:
        """`<host>/workflows/<namespace>/<name>?tab=workflow` (the Argo UI's page of the workflow)."""
        return f"{self._link_base()}/workflows/{namespace or self.namespace or 'default'}/{name}?tab=workflow"

    def get_cron_workflow_link(self, name: str, namespace: str | None = None) -> str:
        """`<host>/cron-workflows/<namespace>/<name>`."""
        return f"{self._link_base()}/cron-workflows/{namespace or self.namespace or 'default'}/{name}"
