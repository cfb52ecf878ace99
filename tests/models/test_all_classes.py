"""Every exported class of both model packages validates a minimal instance and dumps it back unchanged."""

from __future__ import annotations

import enum
import types
import typing
from datetime import datetime
from typing import Any

import pytest
from pydantic import BaseModel, RootModel

import hera.events.models as events_models
import hera.workflows.models as workflows_models

CLASSES = [(module, name) for module in (workflows_models, events_models) for name in module.__all__]


def _value(annotation: Any) -> Any:
    """A small valid JSON-like value for a type."""
    if annotation is Any:
        return "x"
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return _value(next(a for a in typing.get_args(annotation) if a is not type(None)))
    if origin is list:
        return []
    if origin is dict or annotation is dict:
        return {}
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation)).value
        if issubclass(annotation, RootModel):
            return _value(annotation.model_fields["root"].annotation)
        if issubclass(annotation, BaseModel):
            return _minimal(annotation)
    return {str: "x", int: 1, float: 1.5, bool: True, datetime: "2024-01-01T00:00:00Z"}[annotation]


def _minimal(model: type[BaseModel]) -> dict[str, Any]:
    return {
        info.alias or name: _value(info.annotation) for name, info in model.model_fields.items() if info.is_required()
    }


@pytest.mark.parametrize(("module", "name"), CLASSES, ids=[f"{m.__name__.split('.')[1]}.{n}" for m, n in CLASSES])
def test_minimal_instance(module: Any, name: str) -> None:
    cls = getattr(module, name)
    assert cls.__module__ == module.__name__ and cls.__qualname__ == name
    if issubclass(cls, enum.Enum):
        assert all(isinstance(member.value, str) for member in cls)
        return
    cls.model_rebuild()  # resolves every reference
    if issubclass(cls, RootModel):
        value = _value(cls.model_fields["root"].annotation)
        assert cls(value).model_dump() == value
        return
    data = _minimal(cls)
    assert cls.model_validate(data).model_dump(by_alias=True, exclude_none=True) == data


def test_json_schema_carries_the_spec_descriptions() -> None:
    schema = workflows_models.Parameter.model_json_schema(by_alias=True)
    assert schema["description"].startswith("Parameter indicate a passed string parameter")
    assert schema["properties"]["valueFrom"]["description"] == "ValueFrom is the source for the output parameter's value"
    assert schema["required"] == ["name"]
