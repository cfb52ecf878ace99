"""Turning the fields of an `Input`/`Output` model into template Parameters and Artifacts (any pydantic major).

The v1 and v2 bases differ only in how fields are listed; each gives `FieldSpec`s and this module does the rest.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Union

from hera.shared.serialization import MISSING, serialize
from hera.workflows.artifact import Artifact
from hera.workflows.parameter import Parameter

__all__ = ["INPUT_ARTIFACTS_DIRECTORY", "FieldSpec", "as_arguments", "input_artifacts", "input_parameters", "outputs"]

INPUT_ARTIFACTS_DIRECTORY = "/tmp/hera-inputs/artifacts"
_SPECIAL_OUTPUT_FIELDS = ("exit_code", "result")


class FieldSpec(NamedTuple):
    """One model field: its name, its hera annotation (Parameter/Artifact or None) and its default (or MISSING)."""

    name: str
    annotation: Union[Parameter, Artifact, None]
    default: Any


def hera_annotation(metadata: Any) -> Union[Parameter, Artifact, None]:
    """The first Parameter or Artifact among `Annotated[...]` metadata, or None."""
    for meta in metadata:
        if isinstance(meta, (Parameter, Artifact)):
            return meta
    return None


def input_parameters(specs: list[FieldSpec]) -> list[Parameter]:
    """The input Parameters of the fields (artifact fields excluded), in field order; defaults serialised."""
    out: list[Parameter] = []
    for spec in specs:
        ann = spec.annotation
        if isinstance(ann, Artifact):
            continue
        if isinstance(ann, Parameter):
            param = ann.with_name(ann.name or spec.name)
            if spec.default is not MISSING:
                param.default = serialize(spec.default)
        else:
            param = Parameter(name=spec.name, default=spec.default)
        out.append(param)
    return out


def input_artifacts(specs: list[FieldSpec]) -> list[Artifact]:
    """The input Artifacts of the fields, with the runner's default path when none is given."""
    out: list[Artifact] = []
    for spec in specs:
        ann = spec.annotation
        if isinstance(ann, Artifact):
            art = ann.with_name(ann.name or spec.name)
            if art.path is None:
                art.path = f"{INPUT_ARTIFACTS_DIRECTORY}/{art.name}"
            out.append(art)
    return out


def as_arguments(specs: list[FieldSpec], values: dict[str, Any]) -> list[Parameter]:
    """An instance's values as argument Parameters named like the template inputs (artifact fields skipped)."""
    out: list[Parameter] = []
    for spec in specs:
        ann = spec.annotation
        if isinstance(ann, Artifact):
            continue
        name = ann.name if isinstance(ann, Parameter) and ann.name else spec.name
        out.append(Parameter(name=name, value=values[spec.name]))
    return out


def outputs(specs: list[FieldSpec]) -> list[Union[Parameter, Artifact]]:
    """The output Parameters/Artifacts of the fields other than `exit_code` and `result`, in field order."""
    out: list[Union[Parameter, Artifact]] = []
    for spec in specs:
        if spec.name in _SPECIAL_OUTPUT_FIELDS:
            continue
        ann = spec.annotation
        if ann is None:
            out.append(Parameter(name=spec.name))
        else:
            out.append(ann.with_name(ann.name or spec.name))
    return out
