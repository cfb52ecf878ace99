"""`EventsService`: the Argo Server's Argo Events operations (event sources, sensors, events), with info,
version and artifact downloads, configured like `WorkflowsService` (arguments, global_config, environment).

These operations are the event ones of Argo Workflows' swagger.json (the Argo Events spec itself has no REST
paths); the embedded engine answers them 501, so use it against an Argo Server with Argo Events installed.
"""

from __future__ import annotations

from hera.events._service_ops import EventsServiceOps
from hera.workflows._client.errors import InvalidResponse, ServerTimeout, ServerUnreachable

__all__ = ["EventsService", "InvalidResponse", "ServerTimeout", "ServerUnreachable"]


class EventsService(EventsServiceOps):
    """Sync client of the Argo Server's EventSource, Sensor, Event, Info and Artifact operations."""
