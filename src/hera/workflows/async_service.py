"""`AsyncWorkflowsService`: `WorkflowsService` with async methods (httpx.AsyncClient), the same surface.

Request/response methods are coroutines (`await svc.get_workflow(name)`); streaming methods return async
iterators (`async for entry in svc.workflow_logs(name): ...`). `host="local"` runs the embedded engine's
server on the caller's event loop, streaming.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hera.workflows._async_service_ops import AsyncWorkflowsServiceOps
from hera.workflows._client.errors import InvalidResponse, ServerTimeout, ServerUnreachable
from hera.workflows._client.waiting import wait_async

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["AsyncWorkflowsService", "InvalidResponse", "ServerTimeout", "ServerUnreachable"]


class AsyncWorkflowsService(AsyncWorkflowsServiceOps):
    """Async client of the Argo Server REST API, or of the embedded engine with `host="local"`.

    Same constructor as `WorkflowsService`; an async context manager (`await close()` on exit).
    """

    async def wait_workflow(
        self, name: str, namespace: str | None = None, *, timeout: float | None = None, poll_interval: float = 5.0
    ) -> m.Workflow:
        """Async `WorkflowsService.wait_workflow`."""
        return await wait_async(self, name, namespace, timeout, poll_interval)  # type: ignore[no-any-return]

    def get_workflow_link(self, name: str, namespace: str | None = None) -> str:
        """`<host>/workflows/<namespace>/<name>?tab=workflow`."""
        return f"{self._link_base()}/workflows/{namespace or self.namespace}/{name}?tab=workflow"

    def get_cron_workflow_link(self, name: str, namespace: str | None = None) -> str:
        """`<host>/cron-workflows/<namespace>/<name>`."""
        return f"{self._link_base()}/cron-workflows/{namespace or self.namespace}/{name}"
