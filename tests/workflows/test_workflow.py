"""Workflow kinds: metadata/spec fields, arguments mapping (§3.4), template kinds, volumes, hooks, equality."""

from __future__ import annotations

import textwrap
import warnings

import pytest
import yaml
from pydantic import BaseModel

from hera.shared import global_config, register_pre_build_hook
from hera.workflows import (
    Artifact,
    ClusterWorkflowTemplate,
    Container,
    CronWorkflow,
    EmptyDirVolume,
    Env,
    ExistingVolume,
    Parameter,
    S3Artifact,
    Steps,
    Volume,
    Workflow,
    WorkflowTemplate,
)
from hera.workflows import models as m


class Point(BaseModel):
    x: int


def spec(w: Workflow) -> dict:
    return w.to_dict()["spec"]


def test_arguments_mapping() -> None:
    w = Workflow(
        name="w",
        arguments=[
            {"i": 1, "f": 1.5, "b": True, "n": None, "d": {"k": [1]}, "p": Point(x=1)},
            {"renamed": Parameter(name="old", value="v"), "model": m.Parameter(name="x", value="mv")},
            {"art": Artifact(name="old", from_="{{workflow.artifacts.a}}")},
            Parameter(name="desc", value="v", default="dropped", description="kept", enum=["v"]),
            S3Artifact(name="s3", bucket="b", key="k"),
        ],
    )
    args = spec(w)["arguments"]
    assert args["parameters"] == [
        {"name": "i", "value": "1"},
        {"name": "f", "value": "1.5"},
        {"name": "b", "value": "true"},
        {"name": "n", "value": "null"},
        {"name": "d", "value": '{"k": [1]}'},
        {"name": "p", "value": '{"x": 1}'},
        {"name": "renamed", "value": "v"},
        {"name": "model", "value": "mv"},
        {"name": "desc", "value": "v", "description": "kept", "enum": ["v"]},
    ]
    assert args["artifacts"] == [
        {"name": "art", "from": "{{workflow.artifacts.a}}"},
        {"name": "s3", "s3": {"bucket": "b", "key": "k"}},
    ]
    assert w.get_parameter("i").value == "{{workflow.parameters.i}}"
    with pytest.raises(KeyError):
        w.get_parameter("art")


def test_workflow_template_keeps_input_form_of_arguments() -> None:
    wt = WorkflowTemplate(
        name="wt",
        entrypoint="e",
        arguments=[Parameter(name="s", default="d", description="x"), {"v": True}],
        labels={"a": "b"},
    )
    d = wt.to_dict()
    assert (d["kind"], d["apiVersion"], d["metadata"]) == ("WorkflowTemplate", "argoproj.io/v1alpha1", {"name": "wt", "labels": {"a": "b"}})
    assert d["spec"]["arguments"]["parameters"] == [
        {"name": "s", "default": "d", "description": "x"},
        {"name": "v", "value": "true"},
    ]
    with pytest.raises(ValueError, match="status"):
        WorkflowTemplate(name="x", status=m.WorkflowStatus())


def test_cluster_workflow_template_is_never_namespaced() -> None:
    assert ClusterWorkflowTemplate(name="c").to_dict()["kind"] == "ClusterWorkflowTemplate"
    with pytest.raises(ValueError, match="namespace"):
        ClusterWorkflowTemplate(name="c", namespace="ns")
    global_config.namespace = "argo"
    with pytest.raises(ValueError, match="namespace"):
        ClusterWorkflowTemplate(name="c")
    assert Workflow(name="w").namespace == "argo"


def test_cron_workflow_layout_and_schedule_shim() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with CronWorkflow(
            name="c",
            schedule="0 * * * *",
            timezone="UTC",
            concurrency_policy="Forbid",
            cron_suspend=True,
            entrypoint="s",
            service_account_name="sa",
        ) as w:
            Container(name="s", image="alpine")
    assert any(issubclass(x.category, DeprecationWarning) and "schedules=[...]" in str(x.message) for x in caught)
    assert w.schedules == ["0 * * * *"] and w.schedule is None
    assert w.to_dict() == yaml.safe_load(
        textwrap.dedent(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: CronWorkflow
            metadata: {name: c}
            spec:
              concurrencyPolicy: Forbid
              suspend: true
              timezone: UTC
              schedules: ['0 * * * *']
              workflowSpec:
                entrypoint: s
                serviceAccountName: sa
                templates:
                - name: s
                  container: {image: alpine}
            """
        )
    )


def test_name_length_limit() -> None:
    Workflow(name="a" * 63)
    with pytest.raises(ValueError, match="63"):
        Workflow(name="a" * 64)
    with pytest.raises(ValueError, match="generate_name"):
        Workflow(generate_name="g" * 64)


def test_globals_and_image_pull_secrets() -> None:
    global_config.namespace = "ns"
    global_config.service_account_name = "sa"
    global_config.api_version = "argoproj.io/v1alpha1"
    w = Workflow(name="w", image_pull_secrets=["a", m.LocalObjectReference(name="b")])
    d = w.to_dict()
    assert d["metadata"] == {"name": "w", "namespace": "ns"}
    assert d["spec"] == {"serviceAccountName": "sa", "imagePullSecrets": [{"name": "a"}, {"name": "b"}]}
    assert Workflow(name="w", image_pull_secrets="one").to_dict()["spec"]["imagePullSecrets"] == [{"name": "one"}]


def test_pvc_templates_from_workflow_and_templates() -> None:
    shared = Volume(name="shared", size="1Gi", mount_path="/s")
    with Workflow(name="w", volumes=[Volume(name="wf", size="2Gi"), ExistingVolume(name="e", claim_name="c")]) as w:
        Container(name="a", image="x", volumes=[shared, EmptyDirVolume(name="tmp", mount_path="/tmp")])
        Container(name="b", image="x", volumes=[shared])
    first = spec(w)
    assert [p["metadata"]["name"] for p in first["volumeClaimTemplates"]] == ["wf", "shared"]
    assert first["volumes"] == [{"name": "e", "persistentVolumeClaim": {"claimName": "c"}}]
    a = first["templates"][0]
    assert a["volumes"] == [{"name": "tmp", "emptyDir": {}}]
    assert a["container"]["volumeMounts"] == [{"name": "shared", "mountPath": "/s"}, {"name": "tmp", "mountPath": "/tmp"}]
    assert spec(w) == first  # building is idempotent


def test_pre_build_hooks_and_class_defaults() -> None:
    global_config.set_class_defaults(Container, image_pull_policy="always", command=["sh"])

    @register_pre_build_hook
    def label(c: Container) -> Container:
        c.labels = {"team": "x"}
        return c

    with Workflow(name="w") as w:
        Container(name="c", image="alpine", command=["echo"])
        Container(name="d")
    c, d = spec(w)["templates"]
    assert c["container"] == {"image": "alpine", "imagePullPolicy": "Always", "command": ["echo"]}
    assert d["container"]["command"] == ["sh"] and d["container"]["image"] == "python:3.10"
    assert c["metadata"] == {"labels": {"team": "x"}}

    @register_pre_build_hook
    def broken(c: Container) -> Container:
        return None  # type: ignore[return-value]

    with pytest.raises(RuntimeError, match="returned None"):
        w.to_dict()


def test_env_value_from_input_adds_an_input_parameter() -> None:
    c = Container(
        name="c",
        image="x",
        inputs=[Parameter(name="x")],
        env=[Env(name="E2", value_from_input=Parameter(name="x", value="{{inputs.parameters.x}}")), {"D": 1}],
    )
    t = c._build_template().model_dump(exclude_none=True, by_alias=True)
    extra = t["inputs"]["parameters"][1]
    assert extra["name"].startswith("E2-") and extra["value"] == "{{inputs.parameters.x}}"
    assert t["container"]["env"][0] == {"name": "E2", "value": f"{{{{inputs.parameters.{extra['name']}}}}}"}
    assert t["container"]["env"][1] == {"name": "D", "value": "1"}


def test_equality_quirks() -> None:
    a = Workflow(name="w", entrypoint="e")
    b = Workflow(name="w", entrypoint="e")
    assert a == b and a != Workflow(name="w", entrypoint="f")
    wt = WorkflowTemplate(name="t")
    assert wt == WorkflowTemplate(name="t")  # field-wise


def test_on_exit_and_templates_by_model() -> None:
    with Workflow(name="w", entrypoint="s") as w:
        handler = Container(name="bye", image="x")
        with Steps(name="s"):
            Container(name="c", image="x")(on_exit=handler)
    w.templates.append(m.Template(name="raw", suspend=m.SuspendTemplate()))
    w.on_exit = handler
    d = spec(w)
    assert d["onExit"] == "bye"
    assert d["templates"][1]["steps"] == [[{"name": "c", "template": "c", "onExit": "bye"}]]
    assert d["templates"][-1] == {"name": "raw", "suspend": {}}


def test_links() -> None:
    global_config.host = "https://argo.example.com/"
    w = Workflow(name="w", namespace="ns")
    assert w.get_workflow_link() == "https://argo.example.com/workflows/ns/w?tab=workflow"
    c = CronWorkflow(name="c", namespace="ns", schedules=["* * * * *"])
    assert c.get_workflow_link() == "https://argo.example.com/cron-workflows/ns/c"
