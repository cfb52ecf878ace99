"""The DAG dependency operators and the `depends` strings they produce (spec §3.3)."""

from __future__ import annotations

import pytest

from hera.workflows import DAG, Container, Operator, Task, TaskResult, Workflow, WorkflowStatus
from hera.workflows.models import Sequence


@pytest.fixture
def tasks() -> dict[str, Task]:
    with Workflow(name="w"):
        c = Container(name="c", image="alpine")
        with DAG(name="d"):
            return {n: c(name=n) for n in ("A", "B", "C", "D", "E", "Q", "R", "X", "Z")}


def test_chain_and_lists(tasks: dict[str, Task]) -> None:
    A, B, C, D = tasks["A"], tasks["B"], tasks["C"], tasks["D"]
    assert (A >> [B, C] >> D) is D
    assert (B.depends, C.depends, D.depends) == ("A", "A", "B && C")


def test_list_with_strings(tasks: dict[str, Task]) -> None:
    ["A.Failed", tasks["C"]] >> tasks["Q"]
    assert tasks["Q"].depends == "A.Failed && C"


def test_twice_is_an_error(tasks: dict[str, Task]) -> None:
    tasks["A"] >> tasks["B"]
    with pytest.raises(ValueError, match="A already in B's depends"):
        tasks["A"] >> tasks["B"]


def test_or(tasks: dict[str, Task]) -> None:
    assert tasks["A"] | tasks["B"] == "(A || B)"
    assert tasks["A"] | "x" == "A || x"


def test_next_with_on_and_operator(tasks: dict[str, Task]) -> None:
    tasks["X"].next(tasks["B"], on=TaskResult.failed)
    tasks["A"].next(tasks["B"], operator=Operator.or_)
    assert tasks["B"].depends == "X.Failed || A"
    tasks["C"].next(tasks["D"], on=TaskResult.failed | TaskResult.errored | TaskResult.failed)
    assert tasks["D"].depends == "(C.Failed || C.Errored)"


def test_on_success_failure_error_give_the_argument_the_dependency(tasks: dict[str, Task]) -> None:
    tasks["A"].on_success(tasks["X"])
    tasks["B"].on_failure(tasks["X"])
    tasks["C"].on_error(tasks["X"])
    assert tasks["X"].depends == "A.Succeeded && B.Failed && C.Errored"


def test_on_other_result_and_workflow_status(tasks: dict[str, Task]) -> None:
    tasks["Z"].on_other_result(tasks["A"], "hello")
    assert (tasks["Z"].depends, tasks["Z"].when) == ("A", "{{tasks.A.outputs.result}} == hello")
    tasks["Q"].on_workflow_status(WorkflowStatus.succeeded)
    tasks["Q"].on_workflow_status(WorkflowStatus.failed, Operator.not_equal)
    assert tasks["Q"].when == "{{workflow.status}} == Succeeded && {{workflow.status}} != Failed"


def test_fan_out_results(tasks: dict[str, Task]) -> None:
    with pytest.raises(ValueError, match="fanned-out"):
        tasks["X"].when_any_succeeded(tasks["A"])
    tasks["X"].with_sequence = Sequence(count="3")
    tasks["X"].when_any_succeeded(tasks["A"])
    tasks["X"].when_all_failed(tasks["B"])
    assert (tasks["A"].depends, tasks["B"].depends) == ("X.AnySucceeded", "X.AllFailed")


@pytest.mark.parametrize("method", ["when_any_succeeded", "when_all_failed"])
def test_fan_out_result_on_a_plain_task_is_an_assertion_error(tasks: dict[str, Task], method: str) -> None:
    # Hera asserts the task fans out; code catching AssertionError (or ValueError) keeps working
    with pytest.raises(AssertionError, match="fanned-out"):
        getattr(tasks["X"], method)(tasks["A"])
    assert tasks["A"].depends is None


def test_set_next_defaults(tasks: dict[str, Task]) -> None:
    A, B, R = tasks["A"], tasks["B"], tasks["R"]
    with Task.set_next_defaults(operator=Operator.or_, on=TaskResult.succeeded | TaskResult.skipped):
        A >> R
        B >> R
    assert R.depends == "(A.Succeeded || A.Skipped) || (B.Succeeded || B.Skipped)"
    A >> tasks["C"]
    assert tasks["C"].depends == "A"  # defaults restored


def test_rendered_dag(tasks: dict[str, Task]) -> None:
    tasks["A"] >> tasks["B"]
    t = Task(name="legacy", template="c", dependencies=["A"])
    dag = DAG(name="x", tasks=[tasks["A"], tasks["B"], t], fail_fast=False, target="B")
    built = dag._build_template().model_dump(exclude_none=True, by_alias=True)
    assert built == {
        "name": "x",
        "failFast": False,
        "dag": {
            "failFast": False,
            "target": "B",
            "tasks": [
                {"name": "A", "template": "c"},
                {"name": "B", "template": "c", "depends": "A"},
                {"name": "legacy", "template": "c", "dependencies": ["A"]},
            ],
        },
    }
