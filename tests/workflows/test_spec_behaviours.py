"""Behaviours and quirks of spec §2-3 and the appendix, checked with programs written for this file."""

from __future__ import annotations

import warnings
from typing import Annotated

import pytest

from hera.workflows import (
    DAG,
    Container,
    ContainerNode,
    ContainerSet,
    CronWorkflow,
    Parallel,
    Parameter,
    Step,
    Steps,
    Task,
    Volume,
    Workflow,
    WorkflowTemplate,
    parallel,
    script,
)
from hera.workflows import models as m


def test_step_section_example() -> None:
    # spec §3.6
    with Workflow(name="w", entrypoint="s", on_exit="exit-handler") as w:
        c = Container(name="c", image="alpine")
        with Steps(name="s") as s:
            with s.parallel():
                c(name="p1")
                c(name="p2")
            Step(name="ref", template_ref=m.TemplateRef(name="my-wft", template="tmpl"), arguments={"x": 1})
            Step(
                name="e",
                template=c,
                on_exit="bye",
                hooks={"exit": m.LifecycleHook(template="bye")},
                continue_on=m.ContinueOn(failed=True),
                when="{{steps.gen.outputs.result}} == x",
            )
    spec = w.to_dict()["spec"]
    assert spec["onExit"] == "exit-handler"
    steps = spec["templates"][1]["steps"]
    assert steps == [
        [{"name": "p1", "template": "c"}, {"name": "p2", "template": "c"}],
        [
            {
                "name": "ref",
                "arguments": {"parameters": [{"name": "x", "value": "1"}]},
                "templateRef": {"name": "my-wft", "template": "tmpl"},
            }
        ],
        [
            {
                "name": "e",
                "onExit": "bye",
                "template": "c",
                "when": "{{steps.gen.outputs.result}} == x",
                "continueOn": {"failed": True},
                "hooks": {"exit": {"template": "bye"}},
            }
        ],
    ]


def test_top_level_parallel_is_a_no_op_but_parallel_class_groups() -> None:
    # appendix quirk 1
    with Workflow(name="w") as w:
        c = Container(name="c", image="a")
        with Steps(name="s"):
            with parallel():
                c(name="a")
                c(name="b")
            with Parallel():
                c(name="x")
                c(name="y")
    steps = w.to_dict()["spec"]["templates"][1]["steps"]
    assert [[s["name"] for s in group] for group in steps] == [["a"], ["b"], ["x", "y"]]


def test_workflow_template_ref() -> None:
    w = Workflow(generate_name="x-", workflow_template_ref=m.WorkflowTemplateRef(name="my-wt"), arguments={"a": 1})
    assert w.to_dict()["spec"] == {
        "arguments": {"parameters": [{"name": "a", "value": "1"}]},
        "workflowTemplateRef": {"name": "my-wt"},
    }


def test_inline_task_registers_the_unnamed_template() -> None:
    # appendix quirk 5
    with Workflow(name="w") as w:
        with DAG(name="d"):
            Task(name="i", inline=Container(image="busybox", command=["echo"]))
    templates = w.to_dict()["spec"]["templates"]
    assert templates[0]["dag"]["tasks"] == [
        {"name": "i", "inline": {"container": {"image": "busybox", "command": ["echo"]}}}
    ]
    assert templates[1] == {"container": {"image": "busybox", "command": ["echo"]}}


def test_volume_on_workflow_and_template_duplicates_claims_template_only_merges() -> None:
    # appendix quirk 6
    with Workflow(name="w", volumes=[Volume(name="v", size="1Gi", mount_path="/v")]) as w:
        Container(name="a", image="x", volumes=[Volume(name="v", size="1Gi", mount_path="/v")])
        Container(name="b", image="x", volumes=[Volume(name="t", size="2Gi", mount_path="/t")])
        Container(name="c", image="x", volumes=[Volume(name="t", size="2Gi", mount_path="/t")])
    names = [c["metadata"]["name"] for c in w.to_dict()["spec"]["volumeClaimTemplates"]]
    assert names == ["v", "v", "t"]
    assert w.to_dict() == w.to_dict()  # idempotent across builds


def test_equality_quirk() -> None:
    # appendix quirk 7: Workflow compares documents, the dataclass subclasses compare fields
    with Workflow(name="w", entrypoint="c") as w:
        Container(name="c", image="a")
    assert Workflow.from_yaml(w.to_yaml()) == w
    with WorkflowTemplate(name="wt", entrypoint="c") as wt:
        Container(name="c", image="a")
    loaded = WorkflowTemplate.from_yaml(wt.to_yaml())
    assert loaded.to_dict() == wt.to_dict()
    assert loaded != wt  # its templates are models, the original's are hera objects


def test_inline_script_variable_names_come_from_parameter_names() -> None:
    # appendix quirk 2: a kebab-case annotation name yields (invalid) Python, as Hera does
    @script()
    def kebab(a: Annotated[int, Parameter(name="a-param")]) -> None:
        print(a)

    source = kebab.template._build_template().script.source  # type: ignore[attr-defined]
    assert "try: a-param = json.loads(r'''{{inputs.parameters.a-param}}''')" in source


def test_cron_workflow_schedule_shim_and_round_trip() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cw = CronWorkflow(
            name="cw",
            schedule="0 * * * *",
            concurrency_policy="Replace",
            timezone="UTC",
            entrypoint="e",
            cron_suspend=True,
            cron_workflow_metadata=m.ObjectMeta(labels={"team": "a"}),
        )
    assert [str(w.message) for w in caught] == [
        "CronWorkflowSpec.schedule was removed in Argo Workflows v4; use `schedules=[...]` instead. "
        "Hera will translate this for you in v7 but will remove the shim in v8."
    ]
    assert cw.schedules == ["0 * * * *"] and cw.schedule is None
    with cw:
        Container(name="e", image="alpine")
    spec = cw.to_dict()["spec"]
    assert spec["schedules"] == ["0 * * * *"] and spec["suspend"] is True
    assert spec["workflowMetadata"] == {"labels": {"team": "a"}}
    assert spec["workflowSpec"]["entrypoint"] == "e"
    loaded = CronWorkflow.from_yaml(cw.to_yaml())
    assert loaded.cron_workflow_metadata == m.ObjectMeta(labels={"team": "a"})
    assert loaded.to_dict() == cw.to_dict()


def test_container_set_dependencies() -> None:
    with ContainerSet(name="cs") as cs:
        a = ContainerNode(name="a", image="alpine")
        b = ContainerNode(name="b", image="alpine")
        c = ContainerNode(name="c", image="alpine")
        a >> [c, b]
        [b, a] >> c
        a.next(b)
    nodes = cs._build_template().container_set.containers  # type: ignore[union-attr]
    assert [(n.name, n.dependencies) for n in nodes] == [("a", None), ("b", ["a"]), ("c", ["a", "b"])]


def test_template_called_under_bare_workflow() -> None:
    from hera.workflows.exceptions import InvalidTemplateCall

    @script()
    def f() -> None:
        print(1)

    @script()
    def d() -> None:
        print(2)

    with Workflow(name="w") as w:
        f()
        f()
        d()
        c = Container(name="c", image="a")
        with pytest.raises(InvalidTemplateCall, match="Callable Template 'c' is not callable under a Workflow"):
            c()
    assert [t["name"] for t in w.to_dict()["spec"]["templates"]] == ["f", "f", "d", "c"]
    with pytest.raises(InvalidTemplateCall, match="is not under a Workflow, Steps, Parallel, or DAG context"):
        c()
