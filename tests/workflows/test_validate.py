"""`Workflow.validate()` finds offline what only Argo's server would refuse, and never changes `to_dict()`."""

from __future__ import annotations

import pytest

from hera.lint import WorkflowValidationError
from hera.workflows import DAG, Container, Parameter, Steps, Task, Workflow, WorkflowTemplate


def problems(w: Workflow) -> list[str]:
    return [str(p) for p in w.validation_problems()]


def test_a_valid_workflow_has_no_problems() -> None:
    with Workflow(generate_name="ok-", entrypoint="d") as w:
        c = Container(name="c", image="alpine", inputs=Parameter(name="x"), args=["{{inputs.parameters.x}}"])
        with DAG(name="d"):
            a = c(name="a", arguments={"x": 1})
            b = c(name="b", arguments={"x": a.result})
            a >> b
    w.validate()
    assert problems(w) == []


def test_task_referring_to_a_missing_template() -> None:
    with Workflow(name="w", entrypoint="d") as w:
        with DAG(name="d"):
            Task(name="t", template="nowhere")
    with pytest.raises(WorkflowValidationError) as e:
        w.validate()
    text = str(e.value)
    assert "nowhere" in text and "template 'd'" in text and "task 't'" in text
    w.to_dict()  # building is unaffected


def test_cycle_in_a_dag() -> None:
    with Workflow(name="w", entrypoint="d") as w:
        c = Container(name="c", image="alpine")
        with DAG(name="d"):
            a, b = c(name="a"), c(name="b")
            a >> b
            b >> a
    found = problems(w)
    assert found and any("cycle" in p.lower() for p in found)


def test_depends_naming_an_unknown_task() -> None:
    with Workflow(name="w", entrypoint="d") as w:
        c = Container(name="c", image="alpine")
        with DAG(name="d"):
            c(name="a", depends="ghost.Succeeded")
    found = problems(w)
    assert found and any("ghost" in p for p in found)


def test_undeclared_input_parameter() -> None:
    with Workflow(name="w", entrypoint="c") as w:
        Container(name="c", image="alpine", args=["{{inputs.parameters.missing}}"])
    found = problems(w)
    assert found and any("inputs.parameters.missing" in p for p in found)


def test_names_kubernetes_refuses() -> None:
    w = Workflow(name="Bad_Name", entrypoint="c", templates=[Container(name="c", image="alpine")])
    assert any("Bad_Name" in p for p in problems(w))
    with Workflow(name="w", entrypoint="s") as w2:
        c = Container(name="c", image="alpine")
        with Steps(name="s"):
            c(name="UPPER_and_underscore")
    assert problems(w2)


def test_unknown_entrypoint_on_a_template() -> None:
    wt = WorkflowTemplate(name="t", entrypoint="missing", templates=[Container(name="c", image="alpine")])
    assert any("missing" in p for p in problems(wt))
