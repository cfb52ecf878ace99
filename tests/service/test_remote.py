"""Our client against our server over real HTTP on localhost: workflows, waiting, logs, templates, cron,
errors and auth, sync and async."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from hera.exceptions import AlreadyExists, BadRequest, NotFound, Unauthorized
from hera.workflows import models as m
from hera.workflows.async_service import AsyncWorkflowsService
from hera.workflows.service import WorkflowsService
from tests.server._support import ThreadServer, serve_engine

TOKEN = "remote-test-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    with serve_engine(tmp_path_factory.mktemp("remote"), auth_token=TOKEN) as s:
        yield s


@pytest.fixture
def svc(server: ThreadServer) -> Iterator[WorkflowsService]:
    with WorkflowsService(host=server.url, token=TOKEN, namespace="argo") as s:
        yield s


def script(source: str, generate_name: str = "r-", **meta: Any) -> m.Workflow:
    return m.Workflow(
        metadata=m.ObjectMeta(generate_name=generate_name, **meta),
        spec=m.WorkflowSpec(
            entrypoint="main",
            templates=[m.Template(name="main", script=m.ScriptTemplate(image="python:3.11", command=["python"], source=source))],
        ),
    )


def test_create_wait_get_list_delete(svc: WorkflowsService) -> None:
    created = svc.create_workflow(m.WorkflowCreateRequest(workflow=script("print(6 * 7)", labels={"k": "v"})))
    name = created.metadata.name
    assert isinstance(created, m.Workflow) and name.startswith("r-") and created.metadata.namespace == "argo"
    done = svc.wait_workflow(name, timeout=30)
    assert done.status.phase == "Succeeded"
    assert [n.outputs.result for n in done.status.nodes.values()] == ["42"]
    assert svc.get_workflow(name).metadata.uid == created.metadata.uid
    listed = svc.list_workflows(label_selector="k=v")
    assert isinstance(listed, m.WorkflowList) and [w.metadata.name for w in listed.items] == [name]
    svc.delete_workflow(name)
    with pytest.raises(NotFound, match=name):
        svc.get_workflow(name)


def test_logs_are_streamed(svc: WorkflowsService) -> None:
    source = "import time\nfor i in range(3):\n    print(f'line {i}', flush=True)\n    time.sleep(0.6)"
    name = svc.create_workflow(m.WorkflowCreateRequest(workflow=script(source))).metadata.name
    start = time.monotonic()
    arrivals = []
    for entry in svc.workflow_logs(name, follow=True):
        assert isinstance(entry, m.V1alpha1LogEntry)
        arrivals.append((time.monotonic() - start, entry.content))
    assert [c for _, c in arrivals] == ["line 0", "line 1", "line 2"]
    assert arrivals[-1][0] - arrivals[0][0] > 0.9  # each line came as it was printed
    node = next(iter(svc.get_workflow(name).status.nodes.values()))
    pod = [e.content for e in svc.pod_logs(name, node.id)]
    assert pod == ["line 0", "line 1", "line 2"]
    assert [e.content for e in svc.workflow_logs(name, grep="2")] == ["line 2"]


def test_errors_carry_the_server_message(svc: WorkflowsService) -> None:
    with pytest.raises(NotFound) as missing:
        svc.get_workflow("nope")
    assert missing.value.status_code == 404 and 'workflows.argoproj.io "nope" not found' in str(missing.value)
    fixed = script("pass")
    fixed.metadata = m.ObjectMeta(name="fixed-name")
    svc.create_workflow(m.WorkflowCreateRequest(workflow=fixed))
    with pytest.raises(AlreadyExists, match="fixed-name"):
        svc.create_workflow(m.WorkflowCreateRequest(workflow=fixed))
    broken = script("pass")
    broken.spec.entrypoint = "nowhere"
    with pytest.raises(BadRequest, match="nowhere"):
        svc.lint_workflow(m.WorkflowLintRequest(workflow=broken))
    with pytest.raises(BadRequest, match="unknown field"):
        svc.create_workflow({"workflow": {"metadata": {"name": "x"}, "spec": {"bogus": 1}}})  # type: ignore[arg-type]


def test_auth_is_required(server: ThreadServer) -> None:
    with WorkflowsService(host=server.url, namespace="argo") as anonymous, pytest.raises(Unauthorized):
        anonymous.list_workflows()
    with WorkflowsService(host=server.url, namespace="argo", token="wrong") as wrong, pytest.raises(Unauthorized):
        wrong.get_version()


def test_templates_and_cron(svc: WorkflowsService) -> None:
    body = script("print('tpl')").spec
    wt = m.WorkflowTemplate(metadata=m.ObjectMeta(name="remote-tpl"), spec=body)
    created = svc.create_workflow_template(m.WorkflowTemplateCreateRequest(template=wt))
    assert isinstance(created, m.WorkflowTemplate)
    got = svc.get_workflow_template("remote-tpl")
    got.metadata.labels = {"rev": "2"}
    updated = svc.update_workflow_template("remote-tpl", m.WorkflowTemplateUpdateRequest(template=got))
    assert updated.metadata.labels == {"rev": "2"}
    with pytest.raises(AlreadyExists):  # stale resourceVersion
        svc.update_workflow_template("remote-tpl", m.WorkflowTemplateUpdateRequest(template=got))
    assert [t.metadata.name for t in svc.list_workflow_templates().items] == ["remote-tpl"]
    run = svc.submit_workflow(m.WorkflowSubmitRequest(resource_kind="WorkflowTemplate", resource_name="remote-tpl"))
    assert svc.wait_workflow(run.metadata.name, timeout=30).status.phase == "Succeeded"
    svc.delete_workflow_template("remote-tpl")
    with pytest.raises(NotFound):
        svc.get_workflow_template("remote-tpl")

    cwt = m.ClusterWorkflowTemplate(metadata=m.ObjectMeta(name="remote-ctpl"), spec=body)
    svc.create_cluster_workflow_template(m.ClusterWorkflowTemplateCreateRequest(template=cwt))
    assert svc.get_cluster_workflow_template("remote-ctpl").metadata.name == "remote-ctpl"
    assert "remote-ctpl" in [t.metadata.name for t in svc.list_cluster_workflow_templates().items]

    cron = m.CronWorkflow(
        metadata=m.ObjectMeta(name="remote-cron"), spec=m.CronWorkflowSpec(schedules=["*/5 * * * *"], workflow_spec=body)
    )
    svc.create_cron_workflow(m.CreateCronWorkflowRequest(cron_workflow=cron))
    assert svc.suspend_cron_workflow("remote-cron", m.CronWorkflowSuspendRequest()).spec.suspend is True
    assert svc.resume_cron_workflow("remote-cron", m.CronWorkflowResumeRequest()).spec.suspend is False
    assert [c.metadata.name for c in svc.list_cron_workflows().items] == ["remote-cron"]
    svc.delete_cron_workflow("remote-cron")
    assert svc.list_cron_workflows().items in (None, [])


def test_async_client(server: ThreadServer) -> None:
    async def main() -> None:
        async with AsyncWorkflowsService(host=server.url, token=TOKEN, namespace="argo") as svc:
            created = await svc.create_workflow(m.WorkflowCreateRequest(workflow=script("print('async')")))
            done = await svc.wait_workflow(created.metadata.name, timeout=30)
            assert done.status.phase == "Succeeded"
            lines = [e.content async for e in svc.workflow_logs(created.metadata.name)]
            assert lines == ["async"]
            with pytest.raises(NotFound):
                await svc.get_workflow("nope")
            assert (await svc.get_version()).version.startswith("v4.1.2")

    asyncio.run(main())
