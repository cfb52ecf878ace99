"""The base of hera's error hierarchy: every error says where the problem is."""

from __future__ import annotations


class HeraError(Exception):
    """Base class of every error hera raises on purpose."""


class HeraValidationError(HeraError, ValueError):
    """Invalid input, located by workflow / template / task / field so users can find it.

    It subclasses ValueError so code written for Hera (which raises ValueError) keeps working.
    """

    def __init__(
        self,
        message: str,
        *,
        workflow: str | None = None,
        template: str | None = None,
        task: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.workflow = workflow
        self.template = template
        self.task = task
        self.field = field
        super().__init__(self._render())

    @property
    def location(self) -> str:
        """`workflow 'w', template 't', task 'x', field 'f'` for the parts that are known."""
        parts = []
        for label, value in (
            ("workflow", self.workflow),
            ("template", self.template),
            ("task", self.task),
            ("field", self.field),
        ):
            if value:
                parts.append(f"{label} '{value}'")
        return ", ".join(parts)

    def _render(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message
