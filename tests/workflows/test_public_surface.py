"""The importable surface of spec §1/§2/§6: public names, submodules, io.v1/io.v2, serialization, removals."""

from __future__ import annotations

import importlib
import warnings

import pytest

import hera.workflows as hw
from hera.shared import global_config

SUBMODULES = (
    "workflow workflow_template cluster_workflow_template cron_workflow container script resource suspend "
    "http_template data container_set steps dag task parameter artifact archive env env_from resources volume "
    "retry_strategy metrics user_container operator workflow_status service async_service exceptions protocol "
    "io converters validators models"
).split()


def test_all_98_names_resolve() -> None:
    assert len(hw.__all__) == 98
    for name in hw.__all__:
        assert getattr(hw, name) is not None, name


@pytest.mark.parametrize("name", SUBMODULES)
def test_public_submodules_import(name: str) -> None:
    assert importlib.import_module(f"hera.workflows.{name}") is not None


def test_io_modules() -> None:
    from pydantic import BaseModel
    from pydantic.v1 import BaseModel as BaseModelV1

    from hera.workflows import io
    from hera.workflows.io import v1, v2

    # io.Input/Output are the pydantic v2 classes; v1 has the same names on pydantic.v1
    assert io.Input is v2.Input and io.Output is v2.Output
    assert hw.Input is v2.Input and hw.Output is v2.Output
    assert issubclass(v2.Input, BaseModel) and issubclass(v2.Output, BaseModel)
    assert issubclass(v1.Input, BaseModelV1) and issubclass(v1.Output, BaseModelV1)
    assert v1.Output().exit_code == 0 and v1.Output().result is None
    assert v2.Output().exit_code == 0 and v2.Output().result is None


def test_serialization_names() -> None:
    import json

    from pydantic import BaseModel

    from hera.shared.serialization import MISSING, PydanticEncoder, serialize

    class P(BaseModel):
        x: int

    assert serialize(MISSING) is MISSING
    assert serialize("s") == "s" and serialize(1) == "1" and serialize(None) == "null"
    assert serialize({"a": [1]}) == '{"a": [1]}'
    assert json.dumps({"p": P(x=2)}, cls=PydanticEncoder) == '{"p": {"x": 2}}'


@pytest.mark.parametrize("name", ["TemplateRef", "RunnerInput", "RunnerOutput", "TemplateSet", "TemplateNameConflict"])
def test_removed_names_are_absent(name: str) -> None:
    assert not hasattr(hw, name)
    with pytest.raises(AttributeError):
        getattr(hw, name)


@pytest.mark.parametrize(
    "method",
    ["dag", "steps", "script", "container_template", "data_template", "http_template", "resource_template",
     "suspend_template", "set_entrypoint"],
)
def test_retired_decorator_methods_are_absent(method: str) -> None:
    assert not hasattr(hw.Workflow, method)


def test_other_removals() -> None:
    from hera.workflows import protocol

    assert not hasattr(hw.Artifact, "as_name")
    assert not hasattr(protocol, "TTemplate")


def test_exceptions_share_a_base() -> None:
    from hera.workflows.exceptions import WorkflowsException

    for cls in (hw.InvalidType, hw.InvalidTemplateCall, hw.InvalidDispatchType, hw.NodeNameConflict):
        assert issubclass(cls, WorkflowsException) and issubclass(cls, Exception)


def test_experimental_features_is_deprecated_and_inert() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        flags = global_config.experimental_features
    assert [str(w.message) for w in caught] == [
        "experimental_features is not used as there are no experimental features."
    ]
    assert caught[0].category is DeprecationWarning
    assert dict(flags) == {}


def test_converters() -> None:
    from hera.workflows.converters import convert_binary_units, convert_decimal_units

    assert convert_decimal_units("500m") == 0.5
    assert convert_decimal_units("2k") == 2000.0
    assert convert_decimal_units(3) == 3.0
    assert convert_binary_units("1Ki") == 1024.0
    assert convert_binary_units("1.5Gi") == 1.5 * 2**30
    with pytest.raises(ValueError, match="binary unit"):
        convert_binary_units("1G")
    with pytest.raises(ValueError, match="CPU quantity"):
        convert_decimal_units("1x")


def test_validators() -> None:
    from hera.workflows.validators import validate_name, validate_storage_units

    assert validate_name("my-flow") == "my-flow"
    assert validate_name("my-flow-", generate_name=True) == "my-flow-"
    with pytest.raises(ValueError, match="RFC 1123"):
        validate_name("My_Flow")
    with pytest.raises(ValueError, match="no more than 63"):
        validate_name("x" * 64)
    assert validate_storage_units("10Gi") == "10Gi"
    with pytest.raises(ValueError, match="binary unit"):
        validate_storage_units("10G")
