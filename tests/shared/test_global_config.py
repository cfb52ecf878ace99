"""global_config: callables resolved on read, class defaults validated, hooks keyed by return type."""

from __future__ import annotations

import dataclasses

import pytest

from hera.shared import global_config, register_pre_build_hook


@pytest.fixture(autouse=True)
def _reset():
    global_config.reset()
    yield
    global_config.reset()


def test_token_callable_is_called_on_each_read():
    calls = []

    def gen() -> str:
        calls.append(1)
        return f"tok{len(calls)}"

    global_config.token = gen
    assert global_config.token == "tok1"
    assert global_config.token == "tok2"


def test_image_default_and_callable():
    assert global_config.image == "python:3.10"
    global_config.image = lambda: "my:img"
    assert global_config.image == "my:img"


def test_repr_hides_token():
    global_config.token = "s3cret"
    assert "s3cret" not in repr(global_config)


def test_set_class_defaults_rejects_unknown_field():
    @dataclasses.dataclass
    class Thing:
        a: int | None = None

    global_config.set_class_defaults(Thing, a=1)
    assert global_config._get_class_defaults(Thing) == {"a": 1}
    with pytest.raises(ValueError, match="nope"):
        global_config.set_class_defaults(Thing, nope=1)


def test_pre_build_hook_needs_return_annotation():
    def no_annotation(x):
        return x

    with pytest.raises(TypeError):
        register_pre_build_hook(no_annotation)

    class Thing:
        pass

    def hook(x: Thing) -> Thing:
        return x

    register_pre_build_hook(hook)
    assert global_config._get_pre_build_hooks(Thing()) == [hook]
    assert global_config._get_pre_build_hooks(object()) == []


def test_experimental_features_warns():
    with pytest.warns(DeprecationWarning):
        _ = global_config.experimental_features
