"""SecretEnvFrom / ConfigMapEnvFrom build the `envFrom` entries of acceptance program 16."""

from __future__ import annotations

import pytest

from hera.shared.errors import HeraValidationError
from hera.workflows import models as m
from hera.workflows.env_from import ConfigMapEnvFrom, SecretEnvFrom, build_env_from
from tests.workflows.leaves._expected import dump, template


def test_env_from_matches_hera() -> None:
    want = template("16_env_sources", "smoke-runner")["container"]["envFrom"]
    got = [
        SecretEnvFrom(name="smoke-extra", prefix="SMOKE_").build(),
        ConfigMapEnvFrom(name="service-defaults", prefix="SVC_", optional=False).build(),
    ]
    assert [dump(x) for x in got] == want


def test_without_prefix() -> None:
    assert dump(SecretEnvFrom(name="s", optional=True).build()) == {"secretRef": {"name": "s", "optional": True}}
    assert dump(ConfigMapEnvFrom(name="c").build()) == {"configMapRef": {"name": "c"}}


def test_build_env_from_accepts_hera_and_models() -> None:
    raw = m.EnvFromSource(prefix="P_", secret_ref=m.SecretEnvSource(name="x"))
    built = build_env_from([ConfigMapEnvFrom(name="c"), raw])
    assert built is not None and [dump(x) for x in built] == [
        {"configMapRef": {"name": "c"}},
        {"prefix": "P_", "secretRef": {"name": "x"}},
    ]
    single = build_env_from(SecretEnvFrom(name="s"))
    assert single is not None and len(single) == 1
    assert build_env_from(None) is None
    with pytest.raises(HeraValidationError, match="unsupported env_from entry of type str"):
        build_env_from(["nope"])
