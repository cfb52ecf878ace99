"""Workflow/WorkflowTemplate/CronWorkflow server methods, through the real client, against the real engine's
REST server (with a recorder in front to see what goes over the wire) or, for phases no healthy engine
reports, a tiny real HTTP server scripted by the test."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hera.workflows import Container, CronWorkflow, Workflow, WorkflowTemplate
from hera.workflows.async_service import AsyncWorkflowsService
from hera.workflows.service import WorkflowsService
from tests.server._support import ThreadServer, TinyServer

Call = tuple[str, str, Any]


class Recorder:
    """ASGI middleware noting (method, path, JSON body) of every request before the real app answers it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: list[Call] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        self.calls.append((scope["method"], scope["path"], json.loads(body) if body else None))
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ThreadServer, Recorder]]:
    from hera.engine.server import create_app

    recorder = Recorder(create_app(state_dir=tmp_path_factory.mktemp("authoring"), start_engine_on_startup=True))
    with ThreadServer(recorder) as server:
        yield server, recorder


@pytest.fixture
def svc(served: tuple[ThreadServer, Recorder]) -> Iterator[WorkflowsService]:
    served[1].calls.clear()
    with WorkflowsService(host=served[0].url) as s:
        yield s


def _phases(phases: list[str | None]) -> Any:
    queue = list(phases)

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        if method == "POST":
            wf = json.loads(body)["workflow"]
            wf["metadata"]["name"] = wf["metadata"]["generateName"] + "abcde"
            return 200, {}, wf
        if "workflow-events" in path:
            return 501, {}, {"code": 12, "message": "no watch here"}
        phase = queue.pop(0) if queue else "Running"
        status = {"phase": phase} if phase else {}
        return 200, {}, {"metadata": {"name": path.rsplit("/", 1)[1]}, "spec": {}, "status": status}

    return answer


def test_create_sets_name_and_wait_polls_until_completed() -> None:
    with TinyServer(_phases([None, "Pending", "Running", "SomethingNew", "Failed"])) as tiny:
        w = Workflow(generate_name="hello-", namespace="argo", entrypoint="c", workflows_service=WorkflowsService(host=tiny.url))
        with w:
            Container(name="c", image="alpine")
        done = w.create(wait=True, poll_interval=0)
    assert w.name == "hello-abcde"
    assert done.status.phase == "Failed"
    calls = [(method, path) for method, path, _, _ in tiny.requests if "workflow-events" not in path]
    assert calls == [("POST", "/api/v1/workflows/argo")] + [("GET", "/api/v1/workflows/argo/hello-abcde")] * 5
    sent = json.loads(tiny.requests[0][3])["workflow"]
    assert sent["spec"]["templates"][0]["container"]["image"] == "alpine"


def test_wait_timeout_and_namespace_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGO_NAMESPACE", raising=False)
    with TinyServer(_phases(["Running"] * 100)) as tiny:
        svc = WorkflowsService(host=tiny.url)
        w = Workflow(name="w", namespace="argo", workflows_service=svc)
        with pytest.raises(TimeoutError):
            w.wait(poll_interval=0, timeout=0.01)
        with pytest.raises(ValueError, match="namespace"):
            Workflow(name="w", workflows_service=svc).lint()


def test_lint_sends_the_built_workflow(svc: WorkflowsService, served: tuple[ThreadServer, Recorder]) -> None:
    with Workflow(name="w", namespace="ns", entrypoint="c", workflows_service=svc) as w:
        Container(name="c", image="alpine")
    linted = w.lint()
    assert linted.metadata.name == "w"
    method, path, body = served[1].calls[-1]
    assert (method, path) == ("POST", "/api/v1/workflows/ns/lint") and body["workflow"]["metadata"]["name"] == "w"


def test_workflow_template_update_creates_then_updates_with_resource_version(
    svc: WorkflowsService, served: tuple[ThreadServer, Recorder]
) -> None:
    with WorkflowTemplate(name="t", namespace="ns", entrypoint="c", workflows_service=svc) as wt:
        Container(name="c", image="alpine")
    first = wt.update()
    second = wt.update()
    calls = served[1].calls
    assert [(m, p) for m, p, _ in calls] == [
        ("GET", "/api/v1/workflow-templates/ns/t"),
        ("POST", "/api/v1/workflow-templates/ns"),
        ("GET", "/api/v1/workflow-templates/ns/t"),
        ("PUT", "/api/v1/workflow-templates/ns/t"),
    ]
    assert calls[-1][2]["template"]["metadata"]["resourceVersion"] == first.metadata.resource_version
    assert second.metadata.resource_version != first.metadata.resource_version


def test_create_as_workflow_and_cron_create(svc: WorkflowsService, served: tuple[ThreadServer, Recorder]) -> None:
    with WorkflowTemplate(
        name="t" * 60, namespace="ns", entrypoint="e", workflows_service=svc, arguments={"a": 1}
    ) as wt:
        Container(name="e", image="alpine", command=["true"])
    created = wt.create_as_workflow()
    sent = served[1].calls[-1][2]["workflow"]
    assert sent["kind"] == "Workflow" and sent["metadata"]["generateName"] == "t" * 58 and "name" not in sent["metadata"]
    assert created.metadata.name.startswith("t" * 58) and len(created.metadata.name) == 63
    with CronWorkflow(name="c", namespace="ns", schedules=["* * * * *"], entrypoint="e", workflows_service=svc) as cw:
        Container(name="e", image="alpine", command=["true"])
    cw.create()
    method, path, body = served[1].calls[-1]
    assert (method, path) == ("POST", "/api/v1/cron-workflows/ns") and body["cronWorkflow"]["spec"]["schedules"] == ["* * * * *"]
    assert svc.get_cron_workflow("c", namespace="ns").spec.schedules == ["* * * * *"]
    svc.delete_cron_workflow("c", namespace="ns")


def test_async_methods_use_an_async_service(served: tuple[ThreadServer, Recorder]) -> None:
    async def main() -> Any:
        async with AsyncWorkflowsService(host=served[0].url) as asvc:
            with Workflow(generate_name="a-", namespace="ns", entrypoint="c", workflows_service=asvc) as w:
                Container(name="c", image="alpine", command=["true"])
            return w, await w.async_create(wait=True, poll_interval=0)

    w, result = asyncio.run(main())
    assert result.status.phase == "Succeeded" and w.name == result.metadata.name and w.name.startswith("a-")


def test_constructing_a_workflow_imports_no_http_client() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom hera.workflows import Workflow, Container\n"
        "with Workflow(name='w') as w:\n    Container(name='c', image='x')\nw.to_dict()\n"
        "print(any(m in sys.modules for m in ('httpx', 'hera.workflows.service')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_default_service_is_built_on_first_access_from_global_config(tmp_path: Path) -> None:
    # A program that only compiles must not import the HTTP client; one that reads w.workflows_service gets a
    # real WorkflowsService built from global_config (as in Hera), the same object on every access.
    code = textwrap.dedent(
        """
        import json, sys
        from hera.shared import global_config
        from hera.workflows import Workflow
        global_config.host = "https://argo.example:2746"
        w = Workflow(name="x", namespace="ns")
        before = "httpx" in sys.modules
        svc = w.workflows_service
        print(json.dumps([before, type(svc).__name__, svc.host, svc is w.workflows_service]))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert json.loads(out.stdout) == [False, "WorkflowsService", "https://argo.example:2746", True]
