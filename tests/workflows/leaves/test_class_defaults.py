"""Leaf classes honour `global_config.set_class_defaults` (applied before their own checks) and deep-copy cleanly."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest

from hera.expr import g, it
from hera.shared import global_config
from hera.shared.errors import HeraValidationError
from hera.workflows.resources import Resources
from hera.workflows.retry_strategy import RetryStrategy
from hera.workflows.volume import EmptyDirVolume, Volume


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    global_config.reset()
    yield
    global_config.reset()


def test_class_defaults_fill_unset_fields_only() -> None:
    global_config.set_class_defaults(RetryStrategy, limit=3, retry_policy="Always")
    assert RetryStrategy().build().limit.root == 3  # type: ignore[union-attr]
    explicit = RetryStrategy(limit=1)
    assert (explicit.limit, explicit.retry_policy) == (1, "Always")
    global_config.set_class_defaults(EmptyDirVolume, medium="Memory")
    assert EmptyDirVolume(name="x").medium == "Memory"


def test_class_defaults_are_validated_like_arguments() -> None:
    global_config.set_class_defaults(Resources, memory_limit="1G")
    with pytest.raises(HeraValidationError, match="memory_limit '1G'"):
        Resources()


def test_unknown_class_default_field_is_refused() -> None:
    with pytest.raises(ValueError, match="Unexpected fields for Volume: colour"):
        global_config.set_class_defaults(Volume, colour="red")


def test_deep_copies_build_the_same_models() -> None:
    volume = Volume(name="v", size="1Gi", mount_path="/v")
    clone = copy.deepcopy(volume)
    assert clone == volume and clone is not volume
    assert clone._build_persistent_volume_claim_template() == volume._build_persistent_volume_claim_template()
    expression = g.data.filter(it.ends_with(".log"))
    assert str(copy.deepcopy(expression)) == str(expression) == "filter(data, {# endsWith '.log'})"
