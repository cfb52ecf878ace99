"""Template kinds other than Container/Script: Suspend, Resource, HTTP, Data, ContainerSet (spec §2.3, §3.13)."""

from __future__ import annotations

import pytest
import yaml

from hera.workflows import (
    DAG,
    HTTP,
    ContainerNode,
    ContainerSet,
    Data,
    Parameter,
    Resource,
    S3Artifact,
    Steps,
    Suspend,
    Task,
    Workflow,
)
from hera.workflows import models as m
from hera.workflows.exceptions import InvalidType


def build(t: object) -> dict:
    return t._build_template().model_dump(exclude_none=True, by_alias=True)  # type: ignore[attr-defined]


def test_suspend_intermediate_parameters() -> None:
    s = Suspend(
        name="approve",
        duration=30,
        intermediate_parameters=[Parameter(name="ok", description="approve?"), Parameter(name="d", enum=["a", "b"], default="a")],
    )
    assert build(s) == {
        "name": "approve",
        "inputs": {"parameters": [{"name": "ok", "description": "approve?"}, {"name": "d", "default": "a", "enum": ["a", "b"]}]},
        "outputs": {
            "parameters": [
                {"name": "ok", "description": "approve?", "valueFrom": {"supplied": {}}},
                {"name": "d", "valueFrom": {"supplied": {}}},
            ]
        },
        "suspend": {"duration": "30"},
    }
    assert build(Suspend(name="gate")) == {"name": "gate", "suspend": {}}
    with Workflow(name="w"):
        with Steps(name="s"):
            step = s()
    assert step.get_parameter("ok").value == "{{steps.approve.outputs.parameters.ok}}"


def test_resource_manifest_from_workflow_object() -> None:
    child = Workflow(generate_name="c-", entrypoint="e", arguments={"x": "{{workflow.name}}"})
    r = Resource(name="r", action="create", manifest=child, set_owner_reference=True, flags=["--x"])
    t = build(r)
    assert t["resource"]["action"] == "create" and t["resource"]["flags"] == ["--x"]
    manifest = t["resource"]["manifest"]
    assert "'{{" not in manifest
    assert yaml.safe_load(manifest.replace("{{workflow.name}}", "N"))["spec"]["arguments"] == {
        "parameters": [{"name": "x", "value": "N"}]
    }


def test_http_and_data() -> None:
    h = HTTP(
        name="h",
        url="https://x",
        method="POST",
        headers=[m.V1alpha1HTTPHeader(name="A", value="b")],
        timeout_seconds=5,
        insecure_skip_verify=False,
    )
    assert build(h)["http"] == {
        "url": "https://x",
        "method": "POST",
        "headers": [{"name": "A", "value": "b"}],
        "timeoutSeconds": 5,
        "insecureSkipVerify": False,
    }
    d = Data(name="d", source=S3Artifact(name="s3", bucket="b", key="k"), transformations=["filter(data, {# > 1})"])
    assert build(d)["data"] == {
        "source": {"artifactPaths": {"name": "s3", "s3": {"bucket": "b", "key": "k"}}},
        "transformation": [{"expression": "filter(data, {# > 1})"}],
    }


def test_container_set_nodes_and_dependencies() -> None:
    with Workflow(name="w") as w:
        with ContainerSet(name="cs") as cs:
            a = ContainerNode(name="a", image="alpine", command=["echo", "a"])
            b = ContainerNode(name="b", image="alpine")
            c = ContainerNode(name="c")
            a >> [b, c]
            [c, b] >> ContainerNode(name="z", image="alpine")
            with pytest.raises(InvalidType, match="only ContainerNodes"):
                Task(name="bad", template="x")
    assert len(cs.containers) == 4
    containers = w.to_dict()["spec"]["templates"][0]["containerSet"]["containers"]
    assert containers[1] == {"name": "b", "image": "alpine", "dependencies": ["a"]}
    assert containers[2]["image"] == "python:3.10"
    assert containers[3]["dependencies"] == ["b", "c"]


def test_template_input_references() -> None:
    d = DAG(name="d", inputs=[Parameter(name="p"), {"q": "1"}])
    assert d.get_parameter("p").value == "{{inputs.parameters.p}}"
    assert build(d)["inputs"] == {"parameters": [{"name": "p"}, {"name": "q", "value": "1"}]}
    with pytest.raises(KeyError):
        d.get_parameter("nope")
    with pytest.raises(KeyError):
        d.get_artifact("p")
