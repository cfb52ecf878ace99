"""`Suspend`: a template that pauses the workflow for a duration or until resumed (optionally asking inputs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

from hera.workflows._mixins import CallableTemplateMixin, IOMixin, TemplateMixin
from hera.workflows.parameter import Parameter

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["Suspend"]


@dataclass(kw_only=True)
class Suspend(CallableTemplateMixin, IOMixin, TemplateMixin):
    """A `suspend:` template; `intermediate_parameters` become inputs and supplied outputs (for approvals)."""

    duration: Optional[Union[int, str]] = None
    intermediate_parameters: list[Parameter] = field(default_factory=list)

    def _input_items(self) -> list[Any]:
        return super()._input_items() + list(self.intermediate_parameters)

    def _output_items(self) -> list[Any]:
        from hera.workflows import models as m

        out = super()._output_items()
        for p in self.intermediate_parameters:
            out.append(
                m.Parameter(name=p.name, description=p.description, value_from=m.ValueFrom(supplied=m.SuppliedValueFrom()))
            )
        return out

    def _build_template(self) -> m.Template:
        from hera.workflows import models as m

        duration = None if self.duration is None else str(self.duration)
        return self._make_template(
            suspend=m.SuspendTemplate(duration=duration),
            inputs=self._build_inputs(),
            outputs=self._build_outputs(),
        )
