"""`Resources` builds the `resources` of acceptance program 17 and refuses the units spec §2.5 refuses."""

from __future__ import annotations

import pytest

from hera.shared.errors import HeraValidationError
from hera.workflows.resources import Resources
from tests.workflows.leaves._expected import dump, template

STEM = "17_resources_gpu"


def test_cpu_memory_gpu_and_ephemeral_match_hera() -> None:
    r = Resources(
        cpu_request=4,
        cpu_limit=8,
        memory_request="16Gi",
        memory_limit="32Gi",
        gpus=2,
        ephemeral_request="20Gi",
        ephemeral_limit="50Gi",
    )
    assert dump(r.build()) == template(STEM, "train-resnet")["container"]["resources"]


def test_custom_gpu_flag_and_custom_resources_match_hera() -> None:
    r = Resources(gpus=1, gpu_flag="amd.com/gpu", custom_resources={"limits": {"hugepages-2Mi": "1Gi"}})
    assert dump(r.build()) == template(STEM, "train-rocm")["container"]["resources"]


def test_fractional_cpu_is_rendered_with_str() -> None:
    r = Resources(cpu_request=0.5, memory_request="512Mi", memory_limit="1Gi")
    assert dump(r.build()) == template(STEM, "prepare-shards")["script"]["resources"]


def test_custom_resources_merge_deeply_and_win() -> None:
    r = Resources(cpu_request="1", custom_resources={"requests": {"cpu": "2", "example.com/foo": 1}})
    assert dump(r.build()) == {"requests": {"cpu": "2", "example.com/foo": "1"}}


def test_empty_resources_build_an_empty_model() -> None:
    assert dump(Resources().build()) == {}


@pytest.mark.parametrize("value", ["500m", "0.25", "2", "1k", ".5", 0, 3, 1.5, "{{inputs.parameters.cpu}}"])
def test_valid_cpu_values(value: object) -> None:
    Resources(cpu_request=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "cpu_limit must be non-negative, got -1"),
        ("-1", "cpu_limit '-1' is not a valid CPU quantity"),
        ("2Gi", "cpu_limit '2Gi' is not a valid CPU quantity"),
        ("lots", "cpu_limit 'lots' is not a valid CPU quantity"),
        (True, "cpu_limit must be a number or a string"),
    ],
)
def test_invalid_cpu_values(value: object, message: str) -> None:
    with pytest.raises(HeraValidationError, match=message) as info:
        Resources(cpu_limit=value)  # type: ignore[arg-type]
    assert info.value.field == "cpu_limit"


@pytest.mark.parametrize("field", ["memory_request", "memory_limit", "ephemeral_request", "ephemeral_limit"])
@pytest.mark.parametrize("value", ["1G", "512M", "1024", "1gi", 1024])
def test_memory_and_storage_need_binary_units(field: str, value: object) -> None:
    with pytest.raises(HeraValidationError, match="binary unit") as info:
        Resources(**{field: value})  # type: ignore[arg-type]
    assert info.value.field == field
    assert repr(value) in str(info.value)


def test_binary_units_and_templates_are_accepted() -> None:
    Resources(memory_request="1.5Gi", memory_limit="2Gi", ephemeral_request="10Ki", ephemeral_limit="1Ei")
    Resources(memory_request="{{inputs.parameters.mem}}", memory_limit="1Gi")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cpu_request": "1500m", "cpu_limit": 1}, "cpu_request"),
        ({"memory_request": "2Gi", "memory_limit": "1024Mi"}, "memory_request"),
        ({"ephemeral_request": "1Ti", "ephemeral_limit": "1023Gi"}, "ephemeral_request"),
    ],
)
def test_request_above_limit_is_refused(kwargs: dict, field: str) -> None:
    with pytest.raises(HeraValidationError, match="must be smaller than or equal to") as info:
        Resources(**kwargs)
    assert info.value.field == field


def test_request_equal_to_limit_in_other_units_is_fine() -> None:
    Resources(cpu_request="1000m", cpu_limit=1, memory_request="1024Mi", memory_limit="1Gi")
