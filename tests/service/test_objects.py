"""What users call on workflow objects and on the control methods, against our server over real HTTP and on
the local transport: the answers show the change just made, links follow the service's host."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from hera.engine.server.local import close_local_apps
from hera.shared import global_config
from hera.workflows import Container, CronWorkflow, Workflow
from hera.workflows import models as m
from hera.workflows.service import WorkflowsService
from tests.server._support import ThreadServer, serve_engine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    with serve_engine(tmp_path_factory.mktemp("objects")) as s:
        yield s


@pytest.fixture(params=["http", "local"])
def svc(request: pytest.FixtureRequest, server: ThreadServer) -> Iterator[WorkflowsService]:
    host = server.url if request.param == "http" else "local"
    with WorkflowsService(host=host, namespace="argo") as s:
        yield s
    if request.param == "local":
        close_local_apps()


def _paused(svc: WorkflowsService) -> str:
    """A running workflow busy for a minute (resume would end a suspend step, so a sleep holds it)."""
    with Workflow(generate_name="ctl-", entrypoint="main", workflows_service=svc) as w:
        Container(name="main", image="alpine:3", command=["sleep", "60"])
    w.create()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        wf = svc.get_workflow(str(w.name))
        if wf.status and wf.status.phase == "Running":
            return str(w.name)
        time.sleep(0.05)
    raise AssertionError(f"{w.name} did not start")


def test_suspend_resume_and_stop_answer_the_changed_workflow(svc: WorkflowsService) -> None:
    name = _paused(svc)
    for _ in range(3):  # the answer is read after the change is committed, every time
        suspended = svc.suspend_workflow(name, m.WorkflowSuspendRequest())
        assert isinstance(suspended, m.Workflow) and suspended.spec.suspend is True
        resumed = svc.resume_workflow(name, m.WorkflowResumeRequest())
        assert not resumed.spec.suspend
    stopped = svc.stop_workflow(name, m.WorkflowStopRequest())
    assert stopped.spec.shutdown == "Stop"
    assert svc.wait_workflow(name, timeout=30, poll_interval=1).status.phase == "Failed"


def test_links_come_from_the_service_the_objects_use(server: ThreadServer) -> None:
    wf = Workflow(name="w", entrypoint="main")
    cron = CronWorkflow(name="c", schedules=["0 0 * * *"], entrypoint="main")
    # no host anywhere: the embedded engine, as the service's own link says
    assert wf.get_workflow_link() == "local/workflows/default/w?tab=workflow"
    assert cron.get_workflow_link() == "local/cron-workflows/default/c"
    global_config.host = server.url.replace("http://", "http://admin:s3cret@") + "/"
    wf = Workflow(name="w", entrypoint="main", namespace="argo")
    cron = CronWorkflow(name="c", schedules=["0 0 * * *"], entrypoint="main", namespace="argo")
    assert wf.get_workflow_link() == f"{server.url}/workflows/argo/w?tab=workflow"  # no credentials shown
    assert cron.get_workflow_link() == f"{server.url}/cron-workflows/argo/c"


def test_objects_round_trip_through_the_server(svc: WorkflowsService) -> None:
    with CronWorkflow(name="nightly", schedules=["0 0 * * *"], entrypoint="main", workflows_service=svc) as cron:
        Container(name="main", image="alpine:3", command=["true"])
    assert isinstance(cron.update(), m.CronWorkflow)  # absent: created
    cron.schedules = ["0 1 * * *"]
    cron.update()
    cron.schedules = ["0 2 * * *"]
    assert cron.update().spec.schedules == ["0 2 * * *"]
    assert svc.suspend_cron_workflow("nightly", m.CronWorkflowSuspendRequest()).spec.suspend is True
    assert not svc.resume_cron_workflow("nightly", m.CronWorkflowResumeRequest()).spec.suspend
    assert cron.get_workflow_link() == svc.get_cron_workflow_link("nightly")
    assert isinstance(svc.delete_cron_workflow("nightly"), m.CronWorkflowDeletedResponse)
