"""`Input` and `Output` on `pydantic.v1` (pydantic 2's bundled v1 API), for models written against pydantic 1.

Same behaviour as `hera.workflows.io.v2`; importable only where `pydantic.v1` is (Python < 3.14).
"""

from __future__ import annotations

import typing
from typing import Any, Union

try:
    from pydantic.v1 import BaseModel
except ImportError as e:  # pragma: no cover - Python 3.14+ or a pydantic without the v1 API
    raise ImportError(
        "hera.workflows.io.v1 needs `pydantic.v1`, which this Python/pydantic does not provide; "
        "use hera.workflows.io.v2 (or hera.workflows.io) instead"
    ) from e

from hera.shared.serialization import MISSING
from hera.workflows.artifact import Artifact
from hera.workflows.io import _fields
from hera.workflows.parameter import Parameter

__all__ = ["Input", "Output"]


def _metadata(cls: type, name: str) -> tuple[Any, ...]:
    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except Exception:
        hints = {}
    annotation = hints.get(name)
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[1:]
    return ()


def _specs(cls: Any) -> list[_fields.FieldSpec]:
    out = []
    for name, field in cls.__fields__.items():
        if field.default_factory is not None:
            default: Any = field.default_factory()
        elif field.required:
            default = MISSING
        else:
            default = field.default
        out.append(_fields.FieldSpec(name, _fields.hera_annotation(_metadata(cls, name)), default))
    return out


class Input(BaseModel):
    """Base of a runner script's single input model (pydantic v1): each field is one template input."""

    class Config:
        arbitrary_types_allowed = True

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
    """Base of a runner script's output model (pydantic v1): `exit_code` and `result` are special."""

    class Config:
        arbitrary_types_allowed = True

    exit_code: int = 0
    result: Any = None

    @classmethod
    def _get_outputs(cls) -> list[Union[Parameter, Artifact]]:
        """The output Parameters/Artifacts of the fields other than `exit_code` and `result`, in field order."""
        return _fields.outputs(_specs(cls))
