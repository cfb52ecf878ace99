"""EventsService: Argo Events operations typed with hera.events.models; the embedded engine answers 501."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hera.events import models as em
from hera.events.async_service import AsyncEventsService
from hera.events.service import EventsService
from hera.exceptions import NotImplemented as NotImplementedErr
from tests.server._support import TinyServer


def test_event_sources_parse_into_events_models() -> None:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        if method == "GET" and path.startswith("/api/v1/event-sources/argo"):
            return 200, {}, {"metadata": {}, "items": [{"metadata": {"name": "webhook"}, "spec": {}}]}
        if "/stream/sensors/argo/logs" in path:
            return 200, {}, iter([b'{"result": {"sensorName": "s", "msg": "one"}}\n', b'{"result": {"sensorName": "s", "msg": "two"}}\n'])
        return 404, {}, {"code": 5, "message": "nope"}

    with TinyServer(answer) as tiny, EventsService(host=tiny.url, namespace="argo") as svc:
        listed = svc.list_event_sources()
        assert isinstance(listed, em.EventSourceList) and listed.items[0].metadata.name == "webhook"
        assert [e.msg for e in svc.sensors_logs(name="s")] == ["one", "two"]

        async def main() -> Any:
            async with AsyncEventsService(host=tiny.url, namespace="argo") as asvc:
                return await asvc.list_event_sources()

        assert asyncio.run(main()).items[0].metadata.name == "webhook"


def test_the_embedded_engine_says_it_does_not_run_argo_events() -> None:
    with pytest.raises(NotImplementedErr, match="Argo Events"):
        EventsService().list_sensors()
    from hera.engine.server.local import close_local_apps

    close_local_apps()
