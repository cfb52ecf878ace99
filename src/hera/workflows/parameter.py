"""`Parameter`: an Argo parameter as inputs, outputs and arguments see it.

Imports nothing heavy: the runner loads it (through user modules) on every task start; models load on build.
"""

from __future__ import annotations

from hera.shared.errors import HeraValidationError
from hera.shared.serialization import MISSING, serialize
from hera.workflows._light import LightRecord, models_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Optional, Union

    from hera.workflows import models as m

__all__ = ["Parameter"]


class Parameter(LightRecord):
    """An Argo parameter. `value`/`default` are serialised at construction: str as is, anything else as JSON."""

    name: Optional[str] = None
    value: Any = MISSING
    default: Any = MISSING
    description: Optional[str] = None
    enum: Optional[list[Any]] = None
    global_name: Optional[str] = None
    value_from: Optional[Union[m.ValueFrom, dict[str, Any]]] = None
    output: bool = False
    dumps: Optional[Callable[[Any], str]] = None
    loads: Optional[Callable[[str], Any]] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.value is not MISSING and self.value_from is not None:
            label = f"parameter {self.name!r}: " if self.name else "parameter: "
            raise HeraValidationError(f"{label}cannot specify both `value` and `value_from`", field="value_from")
        if self.value is not MISSING:
            self.value = serialize(self.value)
        if self.default is not MISSING:
            self.default = serialize(self.default)
        if self.enum is not None:
            self.enum = [serialize(e) for e in self.enum]

    def __str__(self) -> str:
        """The parameter's value, so a Parameter can be used inside f-strings and argument values."""
        if self.value is MISSING:
            raise ValueError(f"Parameter {self.name!r} has no value; cannot render it as a string")
        return str(self.value)

    def with_name(self, name: str) -> Parameter:
        """A copy of this parameter under another name."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.name = name
        return new

    @classmethod
    def from_model(cls, model: m.Parameter) -> Parameter:
        """A Parameter holding the fields of a `models.Parameter`."""
        return cls(
            name=model.name,
            value=model.value if model.value is not None else MISSING,
            default=model.default if model.default is not None else MISSING,
            description=model.description,
            enum=list(model.enum) if model.enum is not None else None,
            global_name=model.global_name,
            value_from=model.value_from,
        )

    # -- building ------------------------------------------------------------------------------------
    def _check_name(self) -> str:
        if not self.name:
            raise HeraValidationError("a Parameter needs a non-empty `name` to be built", field="parameters")
        return self.name

    def _value_from_model(self) -> Any:
        vf = self.value_from
        if vf is None or not isinstance(vf, dict):
            return vf
        m = models_module()

        return m.ValueFrom.model_validate(vf)

    def as_input(self) -> m.Parameter:
        """The template-input form: name, description, default, enum, value, valueFrom."""
        m = models_module()

        return m.Parameter(
            name=self._check_name(),
            description=self.description,
            default=_opt(self.default),
            enum=self.enum,
            value=_opt(self.value),
            value_from=self._value_from_model(),
        )

    def as_argument(self) -> m.Parameter:
        """The argument form: as `as_input` without `default`."""
        m = models_module()

        return m.Parameter(
            name=self._check_name(),
            description=self.description,
            enum=self.enum,
            value=_opt(self.value),
            value_from=self._value_from_model(),
        )

    def as_output(self) -> m.Parameter:
        """The template-output form: name, globalName, description, value, valueFrom."""
        m = models_module()

        return m.Parameter(
            name=self._check_name(),
            global_name=self.global_name,
            description=self.description,
            value=_opt(self.value),
            value_from=self._value_from_model(),
        )


def _opt(value: Any) -> Any:
    return None if value is MISSING else value
