"""Evaluation of DAG `depends` logic (and legacy `dependencies`) against the outcomes of dependency tasks.

Argo waits until **every** task named in the expression is fulfilled (Succeeded, Failed, Error, Skipped,
Omitted, or daemoned and no longer Pending; the caller may hold a task back while its hooks or onExit
still run), then evaluates the logic once: true → run the task, false → the task is Omitted.
A bare `A` means `(A.Succeeded || A.Skipped || A.Daemoned)`, plus `|| A.Failed` / `|| A.Errored` when A
has `continueOn.failed` / `continueOn.error`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Union

from hera.lint.depends import And, DependsExpr, DependsNode, Not, Or, TaskRef, depends_of_task, parse_depends

__all__ = ["FULFILLED_PHASES", "TaskOutcome", "evaluate_depends", "task_results"]

#: Node phases that count as fulfilled on their own.
FULFILLED_PHASES = frozenset({"Succeeded", "Failed", "Error", "Skipped", "Omitted"})


class TaskOutcome:
    """What `depends` needs to know about a dependency task's node.

    phase: Argo node phase (Pending, Running, Succeeded, Failed, Error, Skipped, Omitted).
    daemoned: the node is a daemon that is up (counts as fulfilled unless Pending).
    children: phases of the children when the task is a loop (TaskGroup); None otherwise.
    fulfilled: override the derived value, e.g. False while the task's hooks or onExit are still running.
    """

    __slots__ = ("children", "daemoned", "fulfilled", "phase")

    def __init__(
        self,
        phase: str,
        daemoned: bool = False,
        children: Sequence[str] | None = None,
        fulfilled: bool | None = None,
    ) -> None:
        self.phase = phase
        self.daemoned = daemoned
        self.children = children
        self.fulfilled = fulfilled

    def __repr__(self) -> str:
        return f"TaskOutcome({self.phase!r}, daemoned={self.daemoned}, children={self.children!r})"

    def is_fulfilled(self) -> bool:
        """Argo's Fulfilled(): completed, skipped, omitted, or a daemoned node that is not Pending."""
        if self.fulfilled is not None:
            return self.fulfilled
        return self.phase in FULFILLED_PHASES or (self.daemoned and self.phase != "Pending")


def task_results(outcome: TaskOutcome) -> dict[str, bool]:
    """The result flags `X.<Result>` of one task (Succeeded, Failed, Errored, ..., AnySucceeded, AllFailed)."""
    phase = "Error" if outcome.phase == "Errored" else outcome.phase
    children = outcome.children
    any_succeeded = bool(children) and any(p == "Succeeded" for p in children or ())
    all_failed = bool(children) and all(p == "Failed" for p in children or ())
    return {
        "Succeeded": phase == "Succeeded",
        "Failed": phase == "Failed",
        "Errored": phase == "Error",
        "Skipped": phase == "Skipped",
        "Omitted": phase == "Omitted",
        "Daemoned": outcome.daemoned and phase != "Pending",
        "AnySucceeded": any_succeeded,
        "AllFailed": all_failed,
    }


Lookup = Union[Mapping[str, TaskOutcome], Callable[[str], Union[TaskOutcome, None]]]


def _continue_on(spec: Any) -> tuple[bool, bool]:
    if not spec:
        return False, False
    if isinstance(spec, Mapping):
        return bool(spec.get("failed")), bool(spec.get("error"))
    return bool(getattr(spec, "failed", False)), bool(getattr(spec, "error", False))


def evaluate_depends(
    depends: DependsExpr | str | Mapping[str, Any],
    outcomes: Lookup,
    *,
    continue_on: Mapping[str, Any] | None = None,
) -> bool | None:
    """Decide whether a DAG task may run.

    depends: a parsed expression, a `depends` string, or the DAG task dict itself (`depends` or
      `dependencies`).
    outcomes: task name → TaskOutcome (a mapping or a function); a missing name means "no node yet".
    continue_on: task name → that dependency task's `continueOn` (dict or object with failed/error).
    Returns True (run), False (never satisfiable: the task is Omitted) or None (not decidable yet).
    """
    if isinstance(depends, str):
        expr = parse_depends(depends)
    elif isinstance(depends, DependsExpr):
        expr = depends
    else:
        expr = depends_of_task(depends)
    if expr.root is None:
        return True
    get = outcomes.get if isinstance(outcomes, Mapping) else outcomes
    flags: dict[str, dict[str, bool]] = {}
    for name in expr.task_names():
        outcome = get(name)
        if outcome is None or not outcome.is_fulfilled():
            return None
        flags[name] = task_results(outcome)
    return _eval(expr.root, flags, continue_on or {})


def _eval(node: DependsNode, flags: dict[str, dict[str, bool]], continue_on: Mapping[str, Any]) -> bool:
    if isinstance(node, TaskRef):
        results = flags[node.task]
        if node.result is not None:
            return results[node.result]
        if results["Succeeded"] or results["Skipped"] or results["Daemoned"]:
            return True
        failed_ok, error_ok = _continue_on(continue_on.get(node.task))
        return (failed_ok and results["Failed"]) or (error_ok and results["Errored"])
    if isinstance(node, Not):
        return not _eval(node.operand, flags, continue_on)
    if isinstance(node, And):
        return all(_eval(op, flags, continue_on) for op in node.operands)
    if isinstance(node, Or):
        return any(_eval(op, flags, continue_on) for op in node.operands)
    raise TypeError(f"unexpected depends node {node!r}")
