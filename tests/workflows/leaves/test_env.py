"""Env kinds build the `env` entries of acceptance program 16 and the hashed inputs of spec §3.11."""

from __future__ import annotations

import hashlib

import pytest

from hera.shared.errors import HeraValidationError
from hera.workflows import models as m
from hera.workflows.env import ConfigMapEnv, Env, FieldEnv, ResourceEnv, SecretEnv, build_env, env_input_parameters
from hera.workflows.parameter import Parameter
from tests.workflows.leaves._expected import dump, template


def expected_env() -> dict[str, dict]:
    return {e["name"]: e for e in template("16_env_sources", "smoke-runner")["container"]["env"]}


def test_plain_values_match_hera() -> None:
    want = expected_env()
    assert dump(Env(name="LOG_LEVEL", value="debug").build()) == want["LOG_LEVEL"]
    assert dump(Env(name="RETRIES", value=3).build()) == want["RETRIES"]
    assert dump(Env(name="FEATURES", value={"beta": True}).build()) == want["FEATURES"]


def test_value_from_kinds_match_hera() -> None:
    want = expected_env()
    secret = SecretEnv(name="API_TOKEN", secret_name="smoke-secrets", secret_key="token")
    config = ConfigMapEnv(name="REGION", config_map_name="cluster-info", config_map_key="region", optional=True)
    field = FieldEnv(name="POD_NAME", field_path="metadata.name")
    resource = ResourceEnv(name="MEM_LIMIT", resource="limits.memory", container_name="main")
    assert dump(secret.build()) == want["API_TOKEN"]
    assert dump(config.build()) == want["REGION"]
    assert dump(field.build()) == want["POD_NAME"]
    assert dump(resource.build()) == want["MEM_LIMIT"]


def test_json_dumps_non_string_values() -> None:
    assert Env(name="B", value=True).build().value == "true"
    assert Env(name="L", value=[1, "a"]).build().value == '[1, "a"]'
    assert Env(name="F", value=1.5).build().value == "1.5"
    assert Env(name="N").build().value is None


def test_optional_fields_of_the_selectors() -> None:
    assert dump(FieldEnv(name="V", field_path="metadata.uid", api_version="v1").build()) == {
        "name": "V",
        "valueFrom": {"fieldRef": {"fieldPath": "metadata.uid", "apiVersion": "v1"}},
    }
    assert dump(ResourceEnv(name="C", resource="requests.cpu", divisor="1m").build()) == {
        "name": "C",
        "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu", "divisor": "1m"}},
    }
    assert dump(SecretEnv(name="S", secret_key="k", optional=False).build()) == {
        "name": "S",
        "valueFrom": {"secretKeyRef": {"key": "k", "optional": False}},
    }


def test_value_from_input_parameter_follows_spec_3_11() -> None:
    env = Env(name="E2", value_from_input=Parameter(name="x", value="{{inputs.parameters.x}}"))
    hashed = "E2-" + hashlib.md5(b"E2").hexdigest()
    assert dump(env.build()) == {"name": "E2", "value": "{{inputs.parameters." + hashed + "}}"}
    assert dump(env._get_input_parameter()) == {"name": hashed, "value": "{{inputs.parameters.x}}"}


def test_value_from_input_string_and_name_sanitising() -> None:
    name = "my_long.env$var_" + "x" * 40
    env = Env(name=name, value_from_input="literal")
    sanitised = ("my-long-envvar-" + "x" * 40)[:32]
    hashed = f"{sanitised}-{hashlib.md5(name.encode()).hexdigest()}"
    param = env._get_input_parameter()
    assert param is not None
    assert (param.name, param.value) == (hashed, "literal")
    assert env.build().value == "{{inputs.parameters." + hashed + "}}"


def test_plain_env_has_no_input_parameter() -> None:
    assert Env(name="A", value="1")._get_input_parameter() is None
    assert SecretEnv(name="S", secret_key="k").build().value is None


def test_value_and_value_from_input_together_is_an_error() -> None:
    with pytest.raises(HeraValidationError, match="either `value` or `value_from_input`") as info:
        Env(name="A", value="1", value_from_input="x")
    assert info.value.field == "value_from_input"


def test_required_fields() -> None:
    with pytest.raises(TypeError):
        SecretEnv(name="S")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Env(value="x")  # type: ignore[call-arg]


def test_build_env_normalises_every_accepted_form() -> None:
    raw = m.EnvVar(name="RAW", value="r")
    built = build_env([Env(name="A", value=1), raw, {"B": 2, "C": "c"}])
    assert built is not None
    assert [dump(e) for e in built] == [
        {"name": "A", "value": "1"},
        {"name": "RAW", "value": "r"},
        {"name": "B", "value": "2"},
        {"name": "C", "value": "c"},
    ]
    single = build_env(Env(name="ONE", value="1"))
    assert single is not None and [e.name for e in single] == ["ONE"]
    assert build_env(None) is None


def test_build_env_refuses_other_types() -> None:
    with pytest.raises(HeraValidationError, match="unsupported env entry of type int"):
        build_env([3])


def test_env_input_parameters_collects_only_value_from_input() -> None:
    params = env_input_parameters([Env(name="A", value="1"), Env(name="B", value_from_input="v"), {"C": 1}])
    assert [p.value for p in params] == ["v"]
