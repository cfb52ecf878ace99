"""The service methods take their arguments as Hera's do: names, order (positional calls included), defaults,
and the other spellings of query parameters; each call checked on the wire against a real HTTP server."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from hera.events.service import EventsService
from hera.workflows import models as m
from hera.workflows.async_service import AsyncWorkflowsService
from hera.workflows.service import WorkflowsService
from tests.server._support import TinyServer

WF = {"metadata": {"name": "w", "namespace": "argo"}, "spec": {}}


@pytest.fixture(scope="module")
def tiny() -> Iterator[TinyServer]:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        if "/log" in path:
            return 200, {}, iter([b'{"result": {"content": "x", "podName": "p"}}\n'])
        if method == "GET" and path.split("?")[0] == "/api/v1/workflows/argo":
            return 200, {}, {"metadata": {}, "items": None}
        if method == "DELETE":
            return 200, {}, {}
        return 200, {}, WF

    with TinyServer(answer) as server:
        yield server


@pytest.fixture
def svc(tiny: TinyServer) -> Iterator[WorkflowsService]:
    tiny.requests.clear()
    with WorkflowsService(host=tiny.url, namespace="argo") as s:
        yield s


def _sent(tiny: TinyServer) -> tuple[str, str, list[tuple[str, str]]]:
    method, target, _, _ = tiny.requests[-1]
    url = urlsplit(target)
    return method, url.path, parse_qsl(url.query)


def _names(fn: Any) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p not in ("self", "aliases")]


@pytest.mark.parametrize(
    ("method", "required", "optional"),
    [
        ("get_workflow", ["name"], ["namespace", "resource_version", "fields", "uid"]),
        ("create_workflow", ["req"], ["namespace"]),
        ("lint_workflow", ["req"], ["namespace"]),
        ("list_workflows", [], ["namespace", "label_selector", "field_selector", "watch", "allow_watch_bookmarks",
                                "resource_version", "resource_version_match", "timeout_seconds", "limit", "continue_"]),
        ("delete_workflow", ["name"], ["namespace", "grace_period_seconds", "uid", "resource_version",
                                       "orphan_dependents", "propagation_policy", "dry_run"]),
        ("workflow_logs", ["name"], ["namespace", "pod_name", "container", "follow", "previous", "since_seconds",
                                     "seconds", "nanos", "timestamps", "tail_lines", "limit_bytes"]),
        ("pod_logs", ["name", "pod_name"], ["namespace", "container", "follow"]),
        ("update_workflow_template", ["name", "req"], ["namespace"]),
        ("get_cluster_workflow_template", ["name"], ["resource_version"]),
        ("create_cron_workflow", ["req"], ["namespace"]),
        ("get_archived_workflow", ["uid"], ["namespace", "name"]),
        ("get_artifact_file", ["id_discriminator", "id", "node_id", "artifact_name", "artifact_discriminator"],
         ["namespace"]),
    ],
)  # fmt: skip
def test_argument_names_order_and_defaults_are_heras(method: str, required: list[str], optional: list[str]) -> None:
    for cls in (WorkflowsService, AsyncWorkflowsService):
        params = inspect.signature(getattr(cls, method)).parameters
        names = _names(getattr(cls, method))
        assert names[: len(required) + len(optional)] == required + optional, (cls.__name__, names)
        for n in required + optional:
            assert params[n].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, (method, n)
            assert (params[n].default is inspect.Parameter.empty) is (n in required), (method, n)


def test_query_options_may_be_passed_positionally_in_swagger_order(tiny: TinyServer, svc: WorkflowsService) -> None:
    svc.list_workflows("argo", "app=x", "status.phase=Running")
    assert _sent(tiny) == (
        "GET", "/api/v1/workflows/argo",
        [("listOptions.labelSelector", "app=x"), ("listOptions.fieldSelector", "status.phase=Running")],
    )  # fmt: skip
    svc.get_workflow("w", "argo", "42")
    assert _sent(tiny) == ("GET", "/api/v1/workflows/argo/w", [("getOptions.resourceVersion", "42")])
    svc.delete_workflow("w", None, 0)
    assert _sent(tiny) == ("DELETE", "/api/v1/workflows/argo/w", [("deleteOptions.gracePeriodSeconds", "0")])


def test_spec_names_and_their_other_spellings_reach_the_same_query_parameter(tiny: TinyServer, svc: WorkflowsService) -> None:
    expected = [("listOptions.labelSelector", "a=b"), ("listOptions.limit", "5"), ("listOptions.continue", "tok")]
    spellings: list[dict[str, Any]] = [
        {"label_selector": "a=b", "limit": 5, "continue_": "tok"},
        {"list_options_label_selector": "a=b", "list_options_limit": "5", "list_options_continue": "tok"},
        {"labelSelector": "a=b", "limit": "5", "continue": "tok"},
    ]
    for kwargs in spellings:
        svc.list_workflows(**kwargs)
        assert _sent(tiny) == ("GET", "/api/v1/workflows/argo", expected), kwargs
    for kwargs in ({"seconds": 10, "nanos": 5}, {"since_time_seconds": 10, "since_time_nanos": 5}):
        list(svc.workflow_logs("w", **kwargs))
        assert _sent(tiny)[2] == [("logOptions.sinceTime.seconds", "10"), ("logOptions.sinceTime.nanos", "5")]
    svc.delete_workflow("w", preconditions_uid="u-1", delete_options_dry_run=["All"])
    assert _sent(tiny)[2] == [("deleteOptions.preconditions.uid", "u-1"), ("deleteOptions.dryRun", "All")]


def test_unknown_or_repeated_options_fail_like_python_keyword_arguments(tiny: TinyServer, svc: WorkflowsService) -> None:
    tiny.requests.clear()
    with pytest.raises(TypeError, match=r"list_workflows\(\) got an unexpected keyword argument 'label_selectr'.*'label_selector'"):
        svc.list_workflows(label_selectr="a=b")
    with pytest.raises(TypeError, match="'label_selector' twice"):
        svc.list_workflows(label_selector="a=b", list_options_label_selector="c=d")
    with pytest.raises(TypeError, match="unexpected keyword argument 'follw'"):
        svc.workflow_logs("w", follw=True)  # raised when called, not when iterated
    assert tiny.requests == []  # nothing was sent


def test_async_methods_take_the_same_spellings(tiny: TinyServer) -> None:
    async def main() -> None:
        async with AsyncWorkflowsService(host=tiny.url, namespace="argo") as svc:
            await svc.list_workflows("argo", list_options_field_selector="metadata.name=w")
            with pytest.raises(TypeError, match="unexpected keyword argument"):
                await svc.get_workflow("w", resourceversion="1")

    asyncio.run(main())
    assert _sent(tiny)[2] == [("listOptions.fieldSelector", "metadata.name=w")]


def test_answers_are_models_and_an_empty_list_has_items(svc: WorkflowsService) -> None:
    listed = svc.list_workflows()
    assert isinstance(listed, m.WorkflowList) and listed.items == []
    assert isinstance(svc.get_workflow("w"), m.Workflow)
    entries = list(svc.workflow_logs("w"))
    assert [type(e) for e in entries] == [m.V1alpha1LogEntry] and entries[0].pod_name == "p"


def test_links_follow_heras_shape() -> None:
    svc = WorkflowsService(host="https://argo.example:2746/", namespace="argo")
    assert svc.get_workflow_link("w") == "https://argo.example:2746/workflows/argo/w?tab=workflow"
    assert svc.get_cron_workflow_link("c") == "https://argo.example:2746/cron-workflows/argo/c"
    assert svc.get_workflow_link("w", namespace="other") == "https://argo.example:2746/workflows/other/w?tab=workflow"


def test_events_service_takes_the_same_conventions(tiny: TinyServer) -> None:
    with EventsService(host=tiny.url, namespace="argo") as svc:
        names = _names(EventsService.list_event_sources)
        assert names[:3] == ["namespace", "label_selector", "field_selector"]
        with pytest.raises(TypeError, match="unexpected keyword argument"):
            svc.list_sensors(lable_selector="x")
        svc.delete_sensor("s", None, 3)
    assert _sent(tiny) == ("DELETE", "/api/v1/sensors/argo/s", [("deleteOptions.gracePeriodSeconds", "3")])
