"""`host="local"`: the same client on an in-process transport to the engine's server (no socket)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hera.engine.server.local import close_local_apps
from hera.exceptions import NotFound
from hera.workflows import DAG, Workflow, script
from hera.workflows import models as m
from hera.workflows.async_service import AsyncWorkflowsService
from hera.workflows.service import ServerTimeout, WorkflowsService


@pytest.fixture(autouse=True)
def _close_engines() -> Iterator[None]:
    yield
    close_local_apps()


@script()
def multiply(a: int, b: int) -> None:
    print(a * b)


def test_create_wait_with_no_cluster_runs_on_the_embedded_engine(tmp_path: Path) -> None:
    with Workflow(generate_name="local-", entrypoint="main") as w:
        with DAG(name="main"):
            first = multiply(name="first", arguments={"a": 6, "b": 7})
            second = multiply(name="second", arguments={"a": 2, "b": 3})
            first >> second
    done = w.create(wait=True, poll_interval=1)
    assert isinstance(done, m.Workflow) and done.status.phase == "Succeeded"
    results = {n.display_name: n.outputs.result for n in done.status.nodes.values() if n.type == "Pod"}
    assert results == {"first": "42", "second": "6"}
    assert w.name == done.metadata.name and done.metadata.namespace == "default"
    assert (tmp_path / "state" / "state.db").exists()  # the engine of HERA_STATE_DIR ran it


def test_local_streams_logs_as_they_are_printed() -> None:
    svc = WorkflowsService(host="local")
    source = "import time\nprint('a', flush=True)\ntime.sleep(1)\nprint('b', flush=True)"
    wf = m.Workflow(
        metadata=m.ObjectMeta(generate_name="stream-"),
        spec=m.WorkflowSpec(
            entrypoint="main",
            templates=[m.Template(name="main", script=m.ScriptTemplate(image="python:3.11", command=["python"], source=source))],
        ),
    )
    name = svc.create_workflow(m.WorkflowCreateRequest(workflow=wf)).metadata.name
    stamps = []
    for entry in svc.workflow_logs(name, follow=True):
        stamps.append((time.monotonic(), entry.content))
    assert [c for _, c in stamps] == ["a", "b"]
    assert stamps[1][0] - stamps[0][0] > 0.6


def test_stream_idle_timeout_and_leaving_a_watch_early() -> None:
    svc = WorkflowsService(host="local", stream_timeout=0.3)
    start = time.monotonic()
    with pytest.raises(ServerTimeout, match=r"sent nothing for 0\.3 s"):
        next(iter(svc.watch_workflows(field_selector="metadata.name=nothing-here")))
    assert time.monotonic() - start < 3
    wf = m.Workflow(
        metadata=m.ObjectMeta(generate_name="watched-"),
        spec=m.WorkflowSpec(entrypoint="main", templates=[m.Template(name="main", suspend=m.SuspendTemplate())]),
    )
    name = svc.create_workflow(m.WorkflowCreateRequest(workflow=wf)).metadata.name
    events = svc.watch_workflows(field_selector=f"metadata.name={name}")
    first = next(events)
    assert first.type == "ADDED" and first.object.metadata.name == name
    events.close()  # the client leaves while the workflow still runs
    assert svc.get_version().version  # the transport and the engine carry on
    svc.terminate_workflow(name, m.WorkflowTerminateRequest())


def test_local_errors_and_async_twin() -> None:
    svc = WorkflowsService()
    with pytest.raises(NotFound, match="nope"):
        svc.get_workflow("nope")

    async def main() -> list[str]:
        async with AsyncWorkflowsService() as asvc:
            wf = m.Workflow(
                metadata=m.ObjectMeta(generate_name="async-local-"),
                spec=m.WorkflowSpec(
                    entrypoint="main",
                    templates=[m.Template(name="main", script=m.ScriptTemplate(image="python:3.11", command=["python"], source="print('x')"))],
                ),
            )
            name = (await asvc.create_workflow(m.WorkflowCreateRequest(workflow=wf))).metadata.name
            done = await asvc.wait_workflow(name, timeout=30, poll_interval=1)
            assert done.status.phase == "Succeeded"
            return [e.content async for e in asvc.workflow_logs(name)]

    assert asyncio.run(main()) == ["x"]


def test_sync_local_client_works_inside_a_running_event_loop() -> None:
    async def notebook_cell() -> str:  # Jupyter runs cells inside an event loop
        return WorkflowsService(host="local").get_version().version

    assert asyncio.run(notebook_cell()).startswith("v4.1.2")


def test_async_local_streams_logs_as_they_are_printed() -> None:
    source = "import time\nprint('a', flush=True)\ntime.sleep(1)\nprint('b', flush=True)"

    async def main() -> list[tuple[float, str]]:
        async with AsyncWorkflowsService() as asvc:
            wf = m.Workflow(
                metadata=m.ObjectMeta(generate_name="astream-"),
                spec=m.WorkflowSpec(
                    entrypoint="main",
                    templates=[m.Template(name="main", script=m.ScriptTemplate(image="python:3.11", command=["python"], source=source))],
                ),
            )
            name = (await asvc.create_workflow(m.WorkflowCreateRequest(workflow=wf))).metadata.name
            return [(time.monotonic(), e.content) async for e in asvc.workflow_logs(name, follow=True)]

    stamps = asyncio.run(main())
    assert [c for _, c in stamps] == ["a", "b"] and stamps[1][0] - stamps[0][0] > 0.6
