"""Workflow/WorkflowTemplate/CronWorkflow server methods call the service surface of spec §5 as documented.

`hera.workflows.service` is another module's job; these tests use a small stand-in with the same method names
and check what the authoring layer sends and how `wait` polls.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hera.exceptions import NotFound
from hera.workflows import Container, CronWorkflow, Workflow, WorkflowTemplate
from hera.workflows import models as m


class StandIn:
    """Records calls; answers get_workflow with the queued phases."""

    def __init__(self, phases: list[str | None] | None = None) -> None:
        self.calls: list[tuple[str, Any, dict[str, Any]]] = []
        self.phases = list(phases or [])
        self.host = "http://argo.local"
        self.namespace = None
        self.stored: dict[str, Any] = {}

    def _record(self, name: str, arg: Any, **kw: Any) -> None:
        self.calls.append((name, arg, kw))

    def create_workflow(self, req: m.WorkflowCreateRequest, namespace: str | None = None) -> m.Workflow:
        self._record("create_workflow", req, namespace=namespace)
        wf = req.workflow.model_copy(deep=True)
        wf.metadata.name = (wf.metadata.generate_name or "") + "abcde"
        return wf

    def get_workflow(self, name: str, namespace: str | None = None) -> m.Workflow:
        self._record("get_workflow", name, namespace=namespace)
        phase = self.phases.pop(0) if self.phases else "Succeeded"
        return m.Workflow(metadata=m.ObjectMeta(name=name), spec=m.WorkflowSpec(), status=m.WorkflowStatus(phase=phase))

    def lint_workflow(self, req: m.WorkflowLintRequest, namespace: str | None = None) -> m.Workflow:
        self._record("lint_workflow", req, namespace=namespace)
        return req.workflow

    def get_workflow_template(self, name: str, namespace: str | None = None) -> m.WorkflowTemplate:
        self._record("get_workflow_template", name, namespace=namespace)
        if name not in self.stored:
            raise NotFound("not found")
        return self.stored[name]

    def create_workflow_template(self, req: m.WorkflowTemplateCreateRequest, namespace: str | None = None) -> Any:
        self._record("create_workflow_template", req, namespace=namespace)
        self.stored[req.template.metadata.name] = req.template.model_copy(
            update={"metadata": m.ObjectMeta(name=req.template.metadata.name, resource_version="7")}
        )
        return req.template

    def update_workflow_template(self, name: str, req: m.WorkflowTemplateUpdateRequest, namespace: str | None = None) -> Any:
        self._record("update_workflow_template", req, namespace=namespace, template_name=name)
        return req.template

    def create_cron_workflow(self, req: m.CreateCronWorkflowRequest, namespace: str | None = None) -> Any:
        self._record("create_cron_workflow", req, namespace=namespace)
        return req.cron_workflow


def test_create_sets_name_and_wait_polls_until_completed() -> None:
    svc = StandIn(phases=[None, "Pending", "Running", "SomethingNew", "Failed"])
    w = Workflow(generate_name="hello-", namespace="argo", entrypoint="c", workflows_service=svc)
    with w:
        Container(name="c", image="alpine")
    done = w.create(wait=True, poll_interval=0)
    assert w.name == "hello-abcde"
    assert done.status.phase == "Failed"
    kinds = [c[0] for c in svc.calls]
    assert kinds == ["create_workflow"] + ["get_workflow"] * 5
    sent = svc.calls[0][1].workflow
    assert sent.spec.templates[0].container.image == "alpine" and svc.calls[0][2] == {"namespace": "argo"}


def test_wait_timeout_and_namespace_required() -> None:
    svc = StandIn(phases=["Running"] * 100)
    w = Workflow(name="w", namespace="argo", workflows_service=svc)
    with pytest.raises(TimeoutError):
        w.wait(poll_interval=0, timeout=0.01)
    with pytest.raises(ValueError, match="namespace"):
        Workflow(name="w", workflows_service=StandIn()).lint()


def test_lint_sends_the_built_workflow() -> None:
    svc = StandIn()
    Workflow(name="w", namespace="ns", workflows_service=svc).lint()
    assert svc.calls[0][0] == "lint_workflow" and svc.calls[0][1].workflow.metadata.name == "w"


def test_workflow_template_update_creates_then_updates_with_resource_version() -> None:
    svc = StandIn()
    wt = WorkflowTemplate(name="t", namespace="ns", workflows_service=svc)
    wt.update()
    wt.update()
    kinds = [c[0] for c in svc.calls]
    assert kinds == ["get_workflow_template", "create_workflow_template", "get_workflow_template", "update_workflow_template"]
    assert svc.calls[-1][1].template.metadata.resource_version == "7"


def test_create_as_workflow_and_cron_create() -> None:
    svc = StandIn()
    wt = WorkflowTemplate(name="t" * 60, namespace="ns", entrypoint="e", workflows_service=svc, arguments={"a": 1})
    wt.create_as_workflow()
    sent = svc.calls[0][1].workflow
    assert sent.kind == "Workflow" and sent.metadata.generate_name == "t" * 58 and sent.metadata.name is None
    CronWorkflow(name="c", namespace="ns", schedules=["* * * * *"], workflows_service=svc).create()
    assert svc.calls[-1][0] == "create_cron_workflow" and svc.calls[-1][1].cron_workflow.spec.schedules == ["* * * * *"]


def test_async_methods_use_an_async_service() -> None:
    class AsyncStandIn(StandIn):
        async def create_workflow(self, req: Any, namespace: str | None = None) -> Any:  # type: ignore[override]
            return StandIn.create_workflow(self, req, namespace)

        async def get_workflow(self, name: str, namespace: str | None = None) -> Any:  # type: ignore[override]
            return StandIn.get_workflow(self, name, namespace)

    svc = AsyncStandIn(phases=["Running", "Succeeded"])
    w = Workflow(generate_name="a-", namespace="ns", workflows_service=svc)
    result = asyncio.run(w.async_create(wait=True, poll_interval=0))
    assert result.status.phase == "Succeeded" and w.name == "a-abcde"


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
