"""`Input` and `Output` on pydantic v2: a runner script's single input model and its return model.

Plain fields become Parameters named after the field; `Annotated[T, Parameter(...)]` / `Annotated[T, Artifact(...)]`
rename them or add metadata; a Python default becomes the Parameter's `default`.
"""

from __future__ import annotations

from typing import Any, Union

from pydantic import BaseModel, ConfigDict

from hera.shared.serialization import MISSING
from hera.workflows.artifact import Artifact
from hera.workflows.io import _fields
from hera.workflows.parameter import Parameter

__all__ = ["Input", "Output"]


def _specs(cls: type[BaseModel]) -> list[_fields.FieldSpec]:
    out = []
    for name, info in cls.model_fields.items():
        if info.default_factory is not None:
            default: Any = info.default_factory()  # type: ignore[call-arg]
        elif info.is_required():
            default = MISSING
        else:
            default = info.default
        out.append(_fields.FieldSpec(name, _fields.hera_annotation(info.metadata), default))
    return out


class Input(BaseModel):
    """Base of a runner script's single input model: each field is one template input."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    @classmethod
    def _get_parameters(cls) -> list[Parameter]:
        """The input Parameters of the fields (artifact fields excluded), in field order."""
        return _fields.input_parameters(_specs(cls))

    @classmethod
    def _get_artifacts(cls) -> list[Artifact]:
        """The input Artifacts of the fields, with the runner's default path when none is given."""
        return _fields.input_artifacts(_specs(cls))

    def _get_as_arguments(self) -> list[Parameter]:
        """This instance's values as argument Parameters (artifact fields are left to the caller)."""
        return _fields.as_arguments(_specs(type(self)), dict(self.__dict__))


class Output(BaseModel):
    """Base of a runner script's output model: `exit_code` and `result` are special, other fields are outputs."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    exit_code: int = 0
    result: Any = None

    @classmethod
    def _get_outputs(cls) -> list[Union[Parameter, Artifact]]:
        """The output Parameters/Artifacts of the fields other than `exit_code` and `result`, in field order."""
        return _fields.outputs(_specs(cls))
