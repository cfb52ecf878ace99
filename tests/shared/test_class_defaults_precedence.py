"""Spec §2.6/§6: per-class defaults (the most specific class wins) and the deprecated experimental_features."""

from __future__ import annotations

import dataclasses
import warnings

import pytest

from hera.shared import BaseMixin, global_config


@pytest.fixture(autouse=True)
def _reset():
    global_config.reset()
    yield
    global_config.reset()


@dataclasses.dataclass(kw_only=True)
class _Base(BaseMixin):
    colour: str | None = None
    size: int | None = None


@dataclasses.dataclass(kw_only=True)
class _Child(_Base):
    pass


def test_a_subclass_default_wins_over_its_base_default():
    global_config.set_class_defaults(_Base, colour="red", size=1)
    global_config.set_class_defaults(_Child, colour="blue")
    child = _Child()
    assert child.colour == "blue"  # the subclass's own default
    assert child.size == 1  # the base still fills what the subclass leaves unset
    assert _Base().colour == "red"


def test_explicit_values_beat_every_class_default():
    global_config.set_class_defaults(_Base, colour="red")
    global_config.set_class_defaults(_Child, colour="blue")
    assert _Child(colour="green").colour == "green"


def test_assigning_experimental_features_warns_and_changes_nothing_else():
    with pytest.warns(DeprecationWarning, match="no experimental features"):
        global_config.experimental_features = {"decorator_syntax": True}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert global_config.experimental_features["decorator_syntax"] is True
        assert global_config.experimental_features["anything_else"] is False
    global_config.reset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert global_config.experimental_features == {}


def test_light_records_take_the_most_specific_class_default() -> None:
    from hera.shared import global_config
    from hera.workflows import Artifact, S3Artifact

    try:
        global_config.set_class_defaults(Artifact, mode=0o644)
        global_config.set_class_defaults(S3Artifact, mode=0o600)
        assert S3Artifact(name="a", key="k").mode == 0o600
        assert Artifact(name="b").mode == 0o644
    finally:
        global_config.reset()
