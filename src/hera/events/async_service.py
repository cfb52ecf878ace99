"""`AsyncEventsService`: `EventsService` with async methods (httpx.AsyncClient)."""

from __future__ import annotations

from hera.events._async_service_ops import AsyncEventsServiceOps
from hera.workflows._client.errors import InvalidResponse, ServerTimeout, ServerUnreachable

__all__ = ["AsyncEventsService", "InvalidResponse", "ServerTimeout", "ServerUnreachable"]


class AsyncEventsService(AsyncEventsServiceOps):
    """Async client of the Argo Server's EventSource, Sensor, Event, Info and Artifact operations."""
