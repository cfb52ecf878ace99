"""`Task` (a DAG node) with the dependency operators (`>>`, `|`, `next`, `on_success`, ...) and `TaskResult`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Union

from hera.shared.errors import HeraValidationError
from hera.workflows._context import _context
from hera.workflows._light import models_module
from hera.workflows._mixins import TemplateInvocatorSubNodeMixin

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["Task", "TaskResult"]


class TaskResult(str, Enum):
    """Results a `depends` condition can test (`task.Succeeded`, ...); combine them with `|`."""

    failed = "Failed"
    succeeded = "Succeeded"
    errored = "Errored"
    skipped = "Skipped"
    omitted = "Omitted"
    daemoned = "Daemoned"
    any_succeeded = "AnySucceeded"
    all_failed = "AllFailed"

    def __str__(self) -> str:
        return self.value

    def __or__(self, other: Any) -> _TaskResultGroup:  # type: ignore[override]
        return _TaskResultGroup((self,)) | other


class _TaskResultGroup(tuple):  # type: ignore[type-arg]
    """An ordered, de-duplicated `TaskResult | TaskResult | ...` (rendered `(t.A || t.B)`)."""

    def __or__(self, other: Any) -> _TaskResultGroup:  # type: ignore[override]
        items = list(self)
        others = list(other) if isinstance(other, _TaskResultGroup) else [other]
        for o in others:
            if not isinstance(o, TaskResult):
                raise TypeError(f"cannot combine TaskResult with {type(o).__name__}")
            if o not in items:
                items.append(o)
        return _TaskResultGroup(items)


class NotFannedOutError(HeraValidationError, AssertionError):
    """`when_any_succeeded`/`when_all_failed` on a task without a loop; an AssertionError as in Hera."""


_OnType = Union[TaskResult, _TaskResultGroup, None]
_TOKEN = re.compile(r"[A-Za-z0-9_\-]+(?:\.[A-Za-z]+)?")


def _op(operator: Any) -> str:
    return str(getattr(operator, "value", operator))


@dataclass(kw_only=True)
class Task(TemplateInvocatorSubNodeMixin):
    """A DAG task: invokes a template (object, name, `template_ref` or `inline`), with `depends`/`dependencies`."""

    depends: Optional[str] = None
    dependencies: Optional[list[str]] = None

    _subtype: ClassVar[str] = "tasks"
    _next_operator: ClassVar[Any] = None
    _next_on: ClassVar[Any] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _context.add_sub_node(self)

    # -- dependencies ---------------------------------------------------------------------------------
    @classmethod
    @contextmanager
    def set_next_defaults(cls, operator: Any = None, on: _OnType = None) -> Iterator[None]:
        """Within the block, `>>` and `next()` use this operator and `on` result by default."""
        old = (Task._next_operator, Task._next_on)
        Task._next_operator, Task._next_on = operator, on
        try:
            yield
        finally:
            Task._next_operator, Task._next_on = old

    def _condition(self, on: _OnType) -> str:
        if on is None:
            return self.name
        if isinstance(on, TaskResult):
            return f"{self.name}.{on.value}"
        results = list(on)
        if len(results) == 1:
            return f"{self.name}.{results[0].value}"
        return "(" + " || ".join(f"{self.name}.{r.value}" for r in results) + ")"

    def _get_dependency_tasks(self) -> list[str]:
        """Task names mentioned in `depends` (results such as `.Succeeded` stripped)."""
        if not self.depends:
            return []
        names = []
        for token in _TOKEN.findall(self.depends):
            names.append(token.split(".", 1)[0])
        return names

    def _append_depends(self, condition: str, operator: Any) -> None:
        if self.depends is None:
            self.depends = condition
        else:
            self.depends = f"{self.depends} {_op(operator)} {condition}"

    def next(self, other: Task, operator: Any = None, on: _OnType = None) -> Task:
        """Make `other` depend on this task (joined to an existing `depends` with `operator`, `&&` by default)."""
        if not isinstance(other, Task):
            raise HeraValidationError(f"can only add a Task as the next of a Task, got {type(other).__name__}")
        operator = operator if operator is not None else (Task._next_operator or "&&")
        on = on if on is not None else Task._next_on
        if other.depends is not None and self.name in other._get_dependency_tasks():
            raise HeraValidationError(f"{self.name} already in {other.name}'s depends: {other.depends}", task=other.name)
        other._append_depends(self._condition(on), operator)
        return other

    def __rshift__(self, other: Any) -> Any:
        if isinstance(other, Task):
            return self.next(other)
        if isinstance(other, (list, tuple)):
            for o in other:
                self.next(o)
            return other
        return NotImplemented

    def __rrshift__(self, other: Any) -> Task:
        items = other if isinstance(other, (list, tuple)) else [other]
        operator = Task._next_operator or "&&"
        for item in items:
            if isinstance(item, Task):
                item.next(self)
            elif isinstance(item, str):
                self._append_depends(item, operator)
            else:
                raise HeraValidationError(
                    f"cannot depend on {type(item).__name__} {item!r}; use Tasks or depends strings", task=self.name
                )
        return self

    def __or__(self, other: Any) -> str:
        if isinstance(other, Task):
            return f"({self.name} || {other.name})"
        if isinstance(other, str):
            return f"{self.name} || {other}"
        return NotImplemented

    def __ror__(self, other: Any) -> str:
        if isinstance(other, str):
            return f"{other} || {self.name}"
        return NotImplemented

    def on_success(self, other: Task) -> Task:
        """`other` runs when this task succeeds (`other.depends += "<self>.Succeeded"`)."""
        return self.next(other, on=TaskResult.succeeded)

    def on_failure(self, other: Task) -> Task:
        """`other` runs when this task fails."""
        return self.next(other, on=TaskResult.failed)

    def on_error(self, other: Task) -> Task:
        """`other` runs when this task errors."""
        return self.next(other, on=TaskResult.errored)

    def on_other_result(self, other: Task, value: str, operator: Any = "==") -> Task:
        """This task depends on `other` and runs when `other`'s result compares to `value`."""
        expression = f"{other.result} {_op(operator)} {value}"
        self.when = expression if not self.when else f"{self.when} && {expression}"
        other.next(self)
        return self

    def on_workflow_status(self, status: Any, op: Any = "==") -> Task:
        """Run only when `{{workflow.status}}` compares to `status` (for exit handlers)."""
        expression = f"{{{{workflow.status}}}} {_op(op)} {_op(status)}"
        self.when = expression if not self.when else f"{self.when} && {expression}"
        return self

    def _check_fanned_out(self) -> None:
        if self.with_param is None and self.with_sequence is None and self.with_items is None:
            raise NotFannedOutError(
                "when_any_succeeded/when_all_failed need a fanned-out task (with_param, with_sequence or with_items)",
                task=self.name,
            )

    def when_any_succeeded(self, other: Task) -> Task:
        """`other` runs when any expansion of this fanned-out task succeeded."""
        self._check_fanned_out()
        return self.next(other, on=TaskResult.any_succeeded)

    def when_all_failed(self, other: Task) -> Task:
        """`other` runs when every expansion of this fanned-out task failed."""
        self._check_fanned_out()
        return self.next(other, on=TaskResult.all_failed)

    # -- building -------------------------------------------------------------------------------------
    def _build_dag_task(self) -> m.DAGTask:
        m = models_module()

        fields = self._invocator_fields()
        fields["depends"] = self.depends
        fields["dependencies"] = self.dependencies
        return m.DAGTask(**{k: v for k, v in fields.items() if v is not None})
