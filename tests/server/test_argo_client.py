"""`hera server` against a client nobody here wrote: Argo's own generated Python client (`argo-workflows` on
PyPI) creates, lists, reads and waits for workflows, and reads their logs."""

from __future__ import annotations

import time

import pytest

argo_workflows = pytest.importorskip("argo_workflows")

from argo_workflows.api import workflow_service_api, workflow_template_service_api  # noqa: E402
from argo_workflows.api_client import ApiClient  # noqa: E402
from argo_workflows.configuration import Configuration  # noqa: E402
from argo_workflows.exceptions import ApiException  # noqa: E402
from argo_workflows.model.io_argoproj_workflow_v1alpha1_script_template import (  # noqa: E402
    IoArgoprojWorkflowV1alpha1ScriptTemplate,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_template import IoArgoprojWorkflowV1alpha1Template  # noqa: E402
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow import IoArgoprojWorkflowV1alpha1Workflow  # noqa: E402
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_create_request import (  # noqa: E402
    IoArgoprojWorkflowV1alpha1WorkflowCreateRequest,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_spec import (  # noqa: E402
    IoArgoprojWorkflowV1alpha1WorkflowSpec,
)
from argo_workflows.model.object_meta import ObjectMeta  # noqa: E402

from tests.server._support import ThreadServer, serve_engine  # noqa: E402

TOKEN = "argo-client-token"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> object:
    with serve_engine(tmp_path_factory.mktemp("argo-client"), auth_token=TOKEN) as server:
        yield server


def _client(server: ThreadServer, token: str | None = TOKEN) -> ApiClient:
    config = Configuration(host=server.url)
    if token:
        config.api_key["BearerToken"] = token
        config.api_key_prefix["BearerToken"] = "Bearer"
    return ApiClient(config)


def test_official_client_creates_lists_and_reads(api: ThreadServer) -> None:
    client = _client(api)
    service = workflow_service_api.WorkflowServiceApi(client)
    manifest = IoArgoprojWorkflowV1alpha1Workflow(
        metadata=ObjectMeta(generate_name="official-", labels={"made-by": "argo-workflows"}),
        spec=IoArgoprojWorkflowV1alpha1WorkflowSpec(
            entrypoint="main",
            templates=[
                IoArgoprojWorkflowV1alpha1Template(
                    name="main",
                    script=IoArgoprojWorkflowV1alpha1ScriptTemplate(
                        image="python:3.11", command=["python"], source="print('hi from argo client')"
                    ),
                )
            ],
        ),
    )
    created = service.create_workflow(
        "default", IoArgoprojWorkflowV1alpha1WorkflowCreateRequest(workflow=manifest)
    )
    name = created.metadata.name
    assert name.startswith("official-")

    deadline = time.monotonic() + 30
    phase = None
    while time.monotonic() < deadline:
        wf = service.get_workflow("default", name)
        phase = wf.status.phase if wf.get("status") else None
        if phase in ("Succeeded", "Failed", "Error"):
            break
        time.sleep(0.1)
    assert phase == "Succeeded"
    node = next(iter(wf.status.nodes.values()))
    assert node.outputs.result == "hi from argo client"

    listed = service.list_workflows("default", list_options_label_selector="made-by=argo-workflows")
    assert [w.metadata.name for w in listed["items"]] == [name]

    templates = workflow_template_service_api.WorkflowTemplateServiceApi(client)
    assert templates.list_workflow_templates("default")["items"] == []


def test_official_client_sees_errors_and_auth(api: ThreadServer) -> None:
    service = workflow_service_api.WorkflowServiceApi(_client(api))
    with pytest.raises(ApiException) as missing:
        service.get_workflow("default", "does-not-exist")
    assert missing.value.status == 404 and "does-not-exist" in missing.value.body
    anonymous = workflow_service_api.WorkflowServiceApi(_client(api, token=None))
    with pytest.raises(ApiException) as refused:
        anonymous.list_workflows("default")
    assert refused.value.status == 401
