"""Evaluating `depends` / `dependencies` against dependency outcomes (argo-semantics.md §6)."""

from __future__ import annotations

import pytest

from hera.engine.expressions import TaskOutcome, evaluate_depends
from hera.engine.expressions.depends import task_results

S, F, E = TaskOutcome("Succeeded"), TaskOutcome("Failed"), TaskOutcome("Error")
SK, OM, RUN, PEND = TaskOutcome("Skipped"), TaskOutcome("Omitted"), TaskOutcome("Running"), TaskOutcome("Pending")


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [(S, True), (SK, True), (F, False), (E, False), (OM, False), (TaskOutcome("Running", daemoned=True), True)],
)
def test_bare_name_means_succeeded_skipped_or_daemoned(outcome: TaskOutcome, expected: bool) -> None:
    assert evaluate_depends("A", {"A": outcome}) is expected


def test_not_decidable_until_every_dependency_is_fulfilled() -> None:
    # Argo waits for every named task, even when the answer is already known
    assert evaluate_depends("A || B", {"A": S, "B": RUN}) is None
    assert evaluate_depends("A", {}) is None
    assert evaluate_depends("A", {"A": PEND}) is None
    assert evaluate_depends("A", {"A": TaskOutcome("Pending", daemoned=True)}) is None
    assert evaluate_depends("A", {"A": TaskOutcome("Succeeded", fulfilled=False)}) is None  # hooks still running
    assert evaluate_depends("A || B", {"A": S, "B": F}) is True


@pytest.mark.parametrize(
    ("expression", "outcomes", "expected"),
    [
        ("A.Succeeded", {"A": S}, True),
        ("A.Failed", {"A": F}, True),
        ("A.Failed", {"A": E}, False),
        ("A.Errored", {"A": E}, True),
        ("A.Skipped", {"A": SK}, True),
        ("A.Omitted", {"A": OM}, True),
        ("A && B", {"A": S, "B": SK}, True),
        ("A && B", {"A": S, "B": F}, False),
        ("A && (C.Succeeded || C.Failed)", {"A": S, "C": F}, True),
        ("B.Failed && C", {"B": F, "C": S}, True),
        ("!A.Failed", {"A": S}, True),
        ("stage-a && (stage-b || stage-b.Omitted)", {"stage-a": S, "stage-b": OM}, True),
        ("stage-a && (stage-b || stage-b.Skipped)", {"stage-a": S, "stage-b": OM}, False),
        ("producer.Succeeded || producer.Skipped", {"producer": SK}, True),
    ],
)
def test_result_operands(expression: str, outcomes: dict[str, TaskOutcome], expected: bool) -> None:
    assert evaluate_depends(expression, outcomes) is expected


def test_loop_results() -> None:
    group = TaskOutcome("Failed", children=["Failed", "Succeeded"])
    assert evaluate_depends("G.AnySucceeded", {"G": group}) is True
    assert evaluate_depends("G.AllFailed", {"G": group}) is False
    all_failed = TaskOutcome("Failed", children=["Failed", "Failed"])
    assert evaluate_depends("G.AllFailed", {"G": all_failed}) is True
    # Error does not count as Failed; an empty group is neither
    assert task_results(TaskOutcome("Failed", children=["Failed", "Error"]))["AllFailed"] is False
    assert task_results(TaskOutcome("Succeeded", children=[]))["AllFailed"] is False
    assert task_results(TaskOutcome("Failed"))["AnySucceeded"] is False  # not a loop


def test_continue_on_widens_the_default_expansion() -> None:
    assert evaluate_depends("A", {"A": F}, continue_on={"A": {"failed": True}}) is True
    assert evaluate_depends("A", {"A": E}, continue_on={"A": {"failed": True}}) is False
    assert evaluate_depends("A", {"A": E}, continue_on={"A": {"error": True}}) is True
    assert evaluate_depends("A.Succeeded", {"A": F}, continue_on={"A": {"failed": True}}) is False


def test_task_dicts_and_legacy_dependencies() -> None:
    task = {"name": "c", "dependencies": ["a", "b"]}
    assert evaluate_depends(task, {"a": S, "b": SK}) is True
    assert evaluate_depends(task, {"a": S, "b": F}, continue_on={"b": {"failed": True}}) is True
    assert evaluate_depends(task, {"a": S, "b": OM}) is False
    assert evaluate_depends({"name": "root"}, {}) is True
    assert evaluate_depends({"depends": "a.Failed"}, lambda name: F) is True
