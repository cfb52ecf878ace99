"""`Input` and `Output`: pydantic models whose fields become a runner script's template inputs and outputs.

Plain fields become Parameters named after the field; `Annotated[T, Parameter(...)]` / `Annotated[T, Artifact(...)]`
rename them or add metadata; a Python default becomes the Parameter's `default`.
"""

from __future__ import annotations

from typing import Any, Union

from pydantic import BaseModel, ConfigDict

from hera.shared.serialization import MISSING, serialize
from hera.workflows.artifact import Artifact
from hera.workflows.parameter import Parameter

__all__ = ["Input", "Output"]

INPUT_ARTIFACTS_DIRECTORY = "/tmp/hera-inputs/artifacts"


def _field_annotation(info: Any) -> Union[Parameter, Artifact, None]:
    for meta in info.metadata:
        if isinstance(meta, (Parameter, Artifact)):
            return meta
    return None


def _default_of(info: Any) -> Any:
    if info.default_factory is not None:
        return info.default_factory()
    if info.is_required():
        return MISSING
    return info.default


class Input(BaseModel):
    """Base of a runner script's single input model: each field is one template input."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    @classmethod
    def _get_parameters(cls) -> list[Parameter]:
        """The input Parameters of the fields (artifact fields excluded), in field order."""
        out: list[Parameter] = []
        for field_name, info in cls.model_fields.items():
            ann = _field_annotation(info)
            if isinstance(ann, Artifact):
                continue
            default = _default_of(info)
            if isinstance(ann, Parameter):
                param = ann.with_name(ann.name or field_name)
                if default is not MISSING:
                    param.default = serialize(default)
            else:
                param = Parameter(name=field_name, default=default)
            out.append(param)
        return out

    @classmethod
    def _get_artifacts(cls) -> list[Artifact]:
        """The input Artifacts of the fields, with the runner's default path when none is given."""
        out: list[Artifact] = []
        for field_name, info in cls.model_fields.items():
            ann = _field_annotation(info)
            if isinstance(ann, Artifact):
                art = ann.with_name(ann.name or field_name)
                if art.path is None:
                    art.path = f"{INPUT_ARTIFACTS_DIRECTORY}/{art.name}"
                out.append(art)
        return out

    def _get_as_arguments(self) -> list[Parameter]:
        """This instance's values as argument Parameters (artifact fields are left to the caller)."""
        out: list[Parameter] = []
        for field_name, info in type(self).model_fields.items():
            ann = _field_annotation(info)
            if isinstance(ann, Artifact):
                continue
            name = ann.name if isinstance(ann, Parameter) and ann.name else field_name
            out.append(Parameter(name=name, value=getattr(self, field_name)))
        return out


class Output(BaseModel):
    """Base of a runner script's output model: `exit_code` and `result` are special, other fields are outputs."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    exit_code: int = 0
    result: Any = None

    @classmethod
    def _get_outputs(cls) -> list[Union[Parameter, Artifact]]:
        """The output Parameters/Artifacts of the fields other than `exit_code` and `result`, in field order."""
        out: list[Union[Parameter, Artifact]] = []
        for field_name, info in cls.model_fields.items():
            if field_name in ("exit_code", "result"):
                continue
            ann = _field_annotation(info)
            if ann is None:
                out.append(Parameter(name=field_name))
            else:
                out.append(ann.with_name(ann.name or field_name))
        return out
