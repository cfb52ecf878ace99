"""Environment variables of a container: `Env` (plain or from a template input) and the `valueFrom` kinds.

Each class builds a `models.EnvVar`; models are imported at build time so importing this module stays cheap.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hera.shared._base_mixin import BaseMixin
from hera.shared.errors import HeraValidationError
from hera.shared.serialization import serialize

if TYPE_CHECKING:
    from hera.workflows import models as m
    from hera.workflows.parameter import Parameter

_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9-]")


def _input_parameter_name(env_name: str) -> str:
    """The name of the hidden input parameter feeding env `env_name` (Hera's hashed form)."""
    sanitised = _NOT_NAME_CHARS.sub("", env_name.replace("_", "-").replace(".", "-"))
    digest = hashlib.md5(env_name.encode("utf-8")).hexdigest()
    return f"{sanitised[:32]}-{digest}"


@dataclass(kw_only=True)
class _BaseEnv(BaseMixin):
    """Common base of every env kind: a `name` and a `build()` to `models.EnvVar`."""

    name: str

    def build(self) -> m.EnvVar:
        """The Argo/k8s env var."""
        raise NotImplementedError


@dataclass(kw_only=True)
class Env(_BaseEnv):
    """A plain env var. `value` is JSON-dumped unless it is a str; `value_from_input` reads a template input.

    With `value_from_input` the template gets an extra input parameter (see `_get_input_parameter`) and the
    env var's value is a reference to it.
    """

    value: Any | None = None
    value_from_input: str | Parameter | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.value is not None and self.value_from_input is not None:
            raise HeraValidationError(
                f"env {self.name!r}: give either `value` or `value_from_input`, not both", field="value_from_input"
            )

    @property
    def param_name(self) -> str:
        """The name of the input parameter created for `value_from_input`."""
        return _input_parameter_name(self.name)

    def _get_input_parameter(self) -> m.Parameter | None:
        """The extra template input that carries `value_from_input`, or None when the env has none."""
        if self.value_from_input is None:
            return None
        from hera.workflows import models as m

        source = self.value_from_input
        if isinstance(source, str):
            value: str | None = source
        else:  # a hera or model Parameter: pass its value on
            raw = getattr(source, "value", None)
            value = raw if isinstance(raw, str) else None
        return m.Parameter(name=self.param_name, value=value)

    def build(self) -> m.EnvVar:
        """`EnvVar(name, value)`; the value references the hidden input when `value_from_input` is set."""
        from hera.workflows import models as m

        if self.value_from_input is not None:
            return m.EnvVar(name=self.name, value=f"{{{{inputs.parameters.{self.param_name}}}}}")
        value = None if self.value is None else serialize(self.value)
        return m.EnvVar(name=self.name, value=value)


@dataclass(kw_only=True)
class SecretEnv(_BaseEnv):
    """An env var read from a key of a Secret (`valueFrom.secretKeyRef`)."""

    secret_key: str
    secret_name: str | None = None
    optional: bool | None = None

    def build(self) -> m.EnvVar:
        """`EnvVar(name, valueFrom.secretKeyRef{name, key, optional})`."""
        from hera.workflows import models as m

        ref = m.SecretKeySelector(name=self.secret_name, key=self.secret_key, optional=self.optional)
        return m.EnvVar(name=self.name, value_from=m.EnvVarSource(secret_key_ref=ref))


@dataclass(kw_only=True)
class ConfigMapEnv(_BaseEnv):
    """An env var read from a key of a ConfigMap (`valueFrom.configMapKeyRef`)."""

    config_map_key: str
    config_map_name: str
    optional: bool | None = None

    def build(self) -> m.EnvVar:
        """`EnvVar(name, valueFrom.configMapKeyRef{name, key, optional})`."""
        from hera.workflows import models as m

        ref = m.ConfigMapKeySelector(name=self.config_map_name, key=self.config_map_key, optional=self.optional)
        return m.EnvVar(name=self.name, value_from=m.EnvVarSource(config_map_key_ref=ref))


@dataclass(kw_only=True)
class FieldEnv(_BaseEnv):
    """An env var read from a field of the pod (`valueFrom.fieldRef`, e.g. `metadata.name`)."""

    field_path: str
    api_version: str | None = None

    def build(self) -> m.EnvVar:
        """`EnvVar(name, valueFrom.fieldRef{fieldPath, apiVersion})`."""
        from hera.workflows import models as m

        ref = m.ObjectFieldSelector(field_path=self.field_path, api_version=self.api_version)
        return m.EnvVar(name=self.name, value_from=m.EnvVarSource(field_ref=ref))


@dataclass(kw_only=True)
class ResourceEnv(_BaseEnv):
    """An env var read from a container's resources (`valueFrom.resourceFieldRef`, e.g. `limits.memory`)."""

    resource: str
    container_name: str | None = None
    divisor: Any | None = None

    def build(self) -> m.EnvVar:
        """`EnvVar(name, valueFrom.resourceFieldRef{resource, containerName, divisor})`."""
        from hera.workflows import models as m

        ref = m.ResourceFieldSelector(resource=self.resource, container_name=self.container_name, divisor=self.divisor)
        return m.EnvVar(name=self.name, value_from=m.EnvVarSource(resource_field_ref=ref))


def build_env(env: Any) -> list[m.EnvVar] | None:
    """Normalise an `env` argument (one or many hera envs, model `EnvVar`s or dicts) into a list of `EnvVar`s.

    A dict maps each key to `EnvVar(name=key, value=str(value))`. None stays None.
    """
    if env is None:
        return None
    from hera.workflows import models as m

    items = env if isinstance(env, list | tuple) else [env]
    out: list[m.EnvVar] = []
    for item in items:
        if isinstance(item, _BaseEnv):
            out.append(item.build())
        elif isinstance(item, m.EnvVar):
            out.append(item)
        elif isinstance(item, dict):
            out.extend(m.EnvVar(name=str(k), value=str(v)) for k, v in item.items())
        else:
            raise HeraValidationError(
                f"unsupported env entry of type {type(item).__name__}; "
                "expected Env, SecretEnv, ConfigMapEnv, FieldEnv, ResourceEnv, models.EnvVar or a dict",
                field="env",
            )
    return out


def env_input_parameters(env: Any) -> list[m.Parameter]:
    """The hidden input parameters that `Env(value_from_input=...)` entries of an `env` argument need."""
    if env is None:
        return []
    items = env if isinstance(env, list | tuple) else [env]
    params = []
    for item in items:
        if isinstance(item, Env):
            p = item._get_input_parameter()
            if p is not None:
                params.append(p)
    return params


__all__ = ["ConfigMapEnv", "Env", "FieldEnv", "ResourceEnv", "SecretEnv"]
