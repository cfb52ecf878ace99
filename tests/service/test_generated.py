"""The service methods are generated from swagger.json: the committed modules are what the generator makes,
every one of the 73 operations has a sync and an async method, and each sends its own HTTP method and path."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hera.events.async_service import AsyncEventsService
from hera.events.service import EventsService
from hera.workflows.async_service import AsyncWorkflowsService
from hera.workflows.service import InvalidResponse, WorkflowsService
from tests.server._support import TinyServer

REPO = Path(__file__).resolve().parents[2]
ARGO = REPO.parent / "shared" / "argo"
GENERATED = (
    "src/hera/workflows/_service_ops.py",
    "src/hera/workflows/_async_service_ops.py",
    "src/hera/events/_service_ops.py",
    "src/hera/events/_async_service_ops.py",
)
SPEC_METHODS = """list_workflows create_workflow lint_workflow submit_workflow get_workflow delete_workflow
resubmit_workflow resume_workflow retry_workflow set_workflow stop_workflow suspend_workflow terminate_workflow
workflow_logs pod_logs list_workflow_templates create_workflow_template lint_workflow_template get_workflow_template
update_workflow_template delete_workflow_template list_cluster_workflow_templates create_cluster_workflow_template
lint_cluster_workflow_template get_cluster_workflow_template update_cluster_workflow_template
delete_cluster_workflow_template list_cron_workflows create_cron_workflow lint_cron_workflow get_cron_workflow
update_cron_workflow delete_cron_workflow resume_cron_workflow suspend_cron_workflow list_archived_workflows
list_archived_workflow_label_keys list_archived_workflow_label_values get_archived_workflow delete_archived_workflow
resubmit_archived_workflow retry_archived_workflow create_sync_limit get_sync_limit update_sync_limit
delete_sync_limit get_artifact_file get_output_artifact get_output_artifact_by_uid get_input_artifact
get_input_artifact_by_uid get_info get_user_info get_version get_workflow_link get_cron_workflow_link close""".split()
EVENTS_METHODS = """list_event_source create_event_source get_event_source update_event_source delete_event_source
list_sensor create_sensor get_sensor update_sensor delete_sensor receive_event watch_event_sources
event_sources_logs watch_events watch_sensors sensors_logs get_info get_user_info get_version close""".split()


def _operations() -> list[tuple[str, str, str]]:
    swagger = json.loads((ARGO / "swagger.json").read_text())
    out = []
    for path, item in swagger["paths"].items():
        for method, op in item.items():
            name = op["operationId"].split("_", 1)[1]
            snake = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)).lower()
            out.append((snake, method.upper(), path))
    return out


def test_regenerating_gives_the_committed_files(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts/generate_service.py"), "--input", str(ARGO), "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    stale = [p for p in GENERATED if (tmp_path / p).read_bytes() != (REPO / p).read_bytes()]
    assert not stale, f"out of date, run scripts/generate_service.py: {stale}"


def test_all_73_operations_have_sync_and_async_methods_with_the_same_signature() -> None:
    ops = _operations()
    assert len(ops) == 73
    for name, _, _ in ops:
        sync, asyn = getattr(WorkflowsService, name), getattr(AsyncWorkflowsService, name)
        s_sig, a_sig = inspect.signature(sync), inspect.signature(asyn)
        assert s_sig.parameters == a_sig.parameters, name
        assert str(a_sig.return_annotation) == str(s_sig.return_annotation).replace("Iterator", "AsyncIterator"), name
        streaming = "Iterator" in str(s_sig.return_annotation)
        assert inspect.iscoroutinefunction(asyn) is not streaming, name
    for name in SPEC_METHODS:
        assert hasattr(WorkflowsService, name) and hasattr(AsyncWorkflowsService, name), name


def test_events_service_methods() -> None:
    renamed = {"list_event_source": "list_event_sources", "list_sensor": "list_sensors"}
    for name in EVENTS_METHODS:
        name = renamed.get(name, name)
        assert hasattr(EventsService, name) and hasattr(AsyncEventsService, name), name


def _args(method: Any) -> tuple[list[Any], dict[str, Any]]:
    from hera.events import models as em
    from hera.workflows import models as m

    args: list[Any] = []
    for p in inspect.signature(method).parameters.values():
        if p.kind is not p.POSITIONAL_OR_KEYWORD or p.default is not inspect.Parameter.empty:
            continue
        if p.name == "req":
            ann = str(p.annotation)
            module, cls = (em if ann.startswith("em.") else m), ann.split(".", 1)[1]
            args.append(getattr(module, cls)(root={}) if cls == "Item" else getattr(module, cls)())
        else:
            args.append(f"p-{p.name}")
    return args, {"namespace": "ns"} if "namespace" in inspect.signature(method).parameters else {}


def _expected_path(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda mt: "ns" if mt.group(1) == "namespace" else f"p-{_snake(mt.group(1))}", path)


def _snake(name: str) -> str:
    return re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name).lower()


@pytest.fixture(scope="module")
def recorder() -> Any:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        if "/log" in path or "/stream/" in path or "workflow-events" in path:
            return 200, {}, iter([])
        return 200, {}, {}

    with TinyServer(answer) as tiny:
        yield tiny


@pytest.mark.parametrize(("name", "method", "path"), _operations())
def test_each_operation_sends_its_method_and_path(recorder: TinyServer, name: str, method: str, path: str) -> None:
    svc = WorkflowsService(host=recorder.url, retries=0)
    fn = getattr(svc, name)
    args, kwargs = _args(fn)
    try:
        result = fn(*args, **kwargs)
        if inspect.isgenerator(result):
            list(result)
    except InvalidResponse:
        pass  # `{}` is not a valid answer for models with required fields: the request is what we check
    sent_method, sent_path, headers, body = recorder.requests[-1]
    assert (sent_method, sent_path.split("?")[0]) == (method, _expected_path(path))
    if method in ("POST", "PUT"):
        assert headers["content-type"] == "application/json" and isinstance(json.loads(body), dict | list)


def test_async_operation_sends_the_same_request(recorder: TinyServer) -> None:
    async def main() -> None:
        async with AsyncWorkflowsService(host=recorder.url, namespace="ns") as svc:
            await svc.list_workflows(label_selector="a=b", limit=5)
            await svc.delete_workflow("w", grace_period_seconds=3, dry_run=["All"])

    asyncio.run(main())
    (_, first, _, _), (_, second, _, _) = recorder.requests[-2:]
    assert first == "/api/v1/workflows/ns?listOptions.labelSelector=a%3Db&listOptions.limit=5"
    assert second == "/api/v1/workflows/ns/w?deleteOptions.gracePeriodSeconds=3&deleteOptions.dryRun=All"
