"""Hera programs run unchanged, as separate processes: the server methods of Workflow, WorkflowTemplate,
ClusterWorkflowTemplate and CronWorkflow (and their async twins) against the embedded engine (no host
anywhere) and against `hera server` over HTTP (global_config.host/token/namespace, as Hera's docs set them)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server._support import HeraServerProcess, free_port

PROGRAM = '''
import asyncio, sys
from hera.shared import global_config
from hera.workflows import ClusterWorkflowTemplate, CronWorkflow, Steps, Workflow, WorkflowTemplate, script

if len(sys.argv) > 1:
    global_config.host, global_config.token, global_config.namespace = sys.argv[1], "prog-token", "argo"
NS = global_config.namespace


@script()
def hello(name: str):
    print(f"hello {name}")


def flow(cls, **kw):
    with cls(entrypoint="s", arguments={"name": "x"}, **kw) as w:
        with Steps(name="s"):
            hello(arguments={"name": "{{workflow.parameters.name}}"})
    return w


def cluster(name):
    global_config.namespace = None  # a ClusterWorkflowTemplate refuses any namespace
    try:
        return flow(ClusterWorkflowTemplate, name=name)
    finally:
        global_config.namespace = NS


w = flow(Workflow, generate_name="prog-")
print("lint", w.lint().kind)
done = w.create(wait=True, poll_interval=1)
print("create", w.name == done.metadata.name, done.status.phase)
print("wait", w.wait().status.phase)
wt = flow(WorkflowTemplate, name="prog-tpl")
print("wt", wt.lint().kind, wt.create().metadata.name, wt.get().metadata.name, wt.update().metadata.name)
run = wt.create_as_workflow(wait=True, poll_interval=1)
print("as-workflow", run.metadata.name.startswith("prog-tpl"), run.status.phase)
cwt = cluster("prog-ctpl")
print("cwt", cwt.lint().kind, cwt.update().metadata.name, cwt.get().metadata.name, cwt.update().metadata.name)
cw = flow(CronWorkflow, name="prog-cron", schedules=["0 0 1 1 *"])
print("cron", cw.lint().kind, cw.create().metadata.name, cw.get().spec.schedules, cw.update().metadata.name)


async def main():
    aw = flow(Workflow, generate_name="prog-async-")
    print("async-lint", (await aw.async_lint()).kind)
    print("async-create", (await aw.async_create(poll_interval=1)).status.phase, (await aw.async_wait()).status.phase)
    awt = flow(WorkflowTemplate, name="prog-atpl")
    print("async-wt", (await awt.async_update()).metadata.name, (await awt.async_get()).metadata.name,
          (await awt.async_lint()).kind)
    acw = flow(CronWorkflow, name="prog-acron", schedules=["0 0 1 1 *"])
    print("async-cron", (await acw.async_create()).metadata.name, (await acw.async_update()).metadata.name,
          (await acw.async_get()).metadata.name, (await acw.async_lint()).kind)
    acwt = cluster("prog-actpl")
    print("async-cwt", (await acwt.async_create()).metadata.name, (await acwt.async_update()).metadata.name,
          (await acwt.async_get()).metadata.name, (await acwt.async_lint()).kind)

asyncio.run(main())
'''

EXPECTED = """lint Workflow
create True Succeeded
wait Succeeded
wt WorkflowTemplate prog-tpl prog-tpl prog-tpl
as-workflow True Succeeded
cwt ClusterWorkflowTemplate prog-ctpl prog-ctpl prog-ctpl
cron CronWorkflow prog-cron ['0 0 1 1 *'] prog-cron
async-lint Workflow
async-create Succeeded Succeeded
async-wt prog-atpl prog-atpl WorkflowTemplate
async-cron prog-acron prog-acron prog-acron CronWorkflow
async-cwt prog-actpl prog-actpl prog-actpl ClusterWorkflowTemplate
"""


def _run(tmp_path: Path, *args: str) -> str:
    (tmp_path / "prog.py").write_text(PROGRAM)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARGO_")}
    env["HERA_STATE_DIR"] = str(tmp_path / "local-state")
    done = subprocess.run(
        [sys.executable, "prog.py", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_hera_program_runs_on_the_embedded_engine(tmp_path: Path) -> None:
    assert _run(tmp_path) == EXPECTED


@pytest.fixture
def server(tmp_path: Path) -> Iterator[HeraServerProcess]:
    proc = HeraServerProcess(tmp_path / "server-state", free_port(), "--auth-token", "prog-token").start("prog-token")
    try:
        yield proc
    finally:
        proc.kill()


def test_a_hera_program_runs_against_hera_server(tmp_path: Path, server: HeraServerProcess) -> None:
    assert _run(tmp_path, server.url) == EXPECTED
    assert not (tmp_path / "local-state").exists()  # nothing ran in-process


def test_async_methods_of_a_workflow_given_a_sync_service_go_to_that_services_server() -> None:
    import asyncio
    import json
    from typing import Any

    from hera.workflows import Container, Workflow, WorkflowsService
    from tests.server._support import TinyServer

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        wf = json.loads(body)["workflow"] if body else {"metadata": {"name": "twin-abc"}, "spec": {}}
        wf["metadata"].setdefault("name", "twin-abc")
        return 200, {}, wf

    with TinyServer(answer) as tiny:
        svc = WorkflowsService(host=tiny.url, namespace="argo", token="twin-token")
        with Workflow(generate_name="twin-", entrypoint="c", workflows_service=svc) as w:
            Container(name="c", image="alpine")
        created = asyncio.run(w.async_create(wait=False))
        asyncio.run(w.async_lint())
        assert created.metadata.name == "twin-abc" and w.workflows_service is svc  # the sync service stays
        assert [(r[0], r[1]) for r in tiny.requests] == [
            ("POST", "/api/v1/workflows/argo"), ("POST", "/api/v1/workflows/argo/lint")
        ]
        assert all(r[2]["authorization"] == "Bearer twin-token" for r in tiny.requests)


def test_cron_update_retries_when_the_controller_wrote_between_its_get_and_put() -> None:
    import asyncio
    import json
    from typing import Any

    from hera.workflows import Container, CronWorkflow, WorkflowsService
    from tests.server._support import TinyServer

    state = {"rv": 1, "conflicts": 0}

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        doc = {"metadata": {"name": "c", "resourceVersion": str(state["rv"])}, "spec": {"schedules": ["* * * * *"], "workflowSpec": {}}}
        if method == "GET":
            return 200, {}, doc
        sent = json.loads(body)["cronWorkflow"]["metadata"]["resourceVersion"]
        if state["conflicts"] < 1 or sent != str(state["rv"]):
            state["conflicts"] += 1
            state["rv"] += 1  # the controller set the status meanwhile
            return 409, {}, {"code": 10, "message": 'Operation cannot be fulfilled on cronworkflows.argoproj.io "c": the object has been modified'}
        state["rv"] += 1
        return 200, {}, {**doc, "metadata": {"name": "c", "resourceVersion": str(state["rv"])}}

    with TinyServer(answer) as tiny:
        with CronWorkflow(name="c", namespace="argo", schedules=["* * * * *"], entrypoint="e",
                          workflows_service=WorkflowsService(host=tiny.url)) as cw:
            Container(name="e", image="alpine")
        assert cw.update().metadata.resource_version == "3"
        assert [r[0] for r in tiny.requests] == ["GET", "PUT", "GET", "PUT"]
        state["conflicts"] = 0
        tiny.requests.clear()
        assert asyncio.run(cw.async_update()).metadata.resource_version == "5"
        assert [r[0] for r in tiny.requests] == ["GET", "PUT", "GET", "PUT"]
