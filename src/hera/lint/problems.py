"""What the linter reports: `Problem` (one finding, located) and `WorkflowValidationError` (all of them)."""

from __future__ import annotations

from collections.abc import Sequence

from hera.shared.errors import HeraValidationError

__all__ = ["Problem", "WorkflowValidationError"]


class Problem:
    """One validation finding: a message plus where it is (workflow, template, task or step, field path).

    `rule` is a short identifier of the check (e.g. `unknown-template`), handy for filtering and tests.
    """

    __slots__ = ("field", "message", "rule", "task", "template", "workflow")

    def __init__(
        self,
        message: str,
        workflow: str | None = None,
        template: str | None = None,
        task: str | None = None,
        field: str | None = None,
        rule: str = "",
    ) -> None:
        self.message = message
        self.workflow = workflow
        self.template = template
        self.task = task
        self.field = field
        self.rule = rule

    def _key(self) -> tuple[str | None, ...]:
        return (self.message, self.workflow, self.template, self.task, self.field, self.rule)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Problem({self.rule or 'problem'}: {self})"

    @property
    def location(self) -> str:
        """`workflow 'w', template 't', task 'x', field 'f'` for the parts that are known."""
        parts = [
            f"{label} '{value}'"
            for label, value in (
                ("workflow", self.workflow),
                ("template", self.template),
                ("task", self.task),
                ("field", self.field),
            )
            if value
        ]
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class WorkflowValidationError(HeraValidationError):
    """Raised by `validate_workflow`: lists every problem found; `.problems` holds them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        first = self.problems[0] if self.problems else Problem("invalid workflow")
        if len(self.problems) == 1:
            message = first.message
        else:
            message = f"{len(self.problems)} problems:\n" + "\n".join(f"  - {p}" for p in self.problems)
        single = len(self.problems) == 1
        super().__init__(
            message,
            workflow=first.workflow,
            template=first.template if single else None,
            task=first.task if single else None,
            field=first.field if single else None,
        )
