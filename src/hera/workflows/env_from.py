"""`envFrom` sources of a container: every key of a Secret or a ConfigMap becomes an env var (optional prefix)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hera.shared._base_mixin import BaseMixin
from hera.shared.errors import HeraValidationError

if TYPE_CHECKING:
    from hera.workflows import models as m


@dataclass(kw_only=True)
class _BaseEnvFrom(BaseMixin):
    """Common base: the Secret/ConfigMap `name`, a `prefix` for the variable names, `optional`."""

    name: str | None = None
    prefix: str | None = None
    optional: bool | None = None

    def build(self) -> m.EnvFromSource:
        """The k8s `EnvFromSource`."""
        raise NotImplementedError


@dataclass(kw_only=True)
class SecretEnvFrom(_BaseEnvFrom):
    """All keys of a Secret as env vars (`envFrom[].secretRef`)."""

    def build(self) -> m.EnvFromSource:
        """`EnvFromSource(prefix, secretRef{name, optional})`."""
        from hera.workflows import models as m

        ref = m.SecretEnvSource(name=self.name, optional=self.optional)
        return m.EnvFromSource(prefix=self.prefix, secret_ref=ref)


@dataclass(kw_only=True)
class ConfigMapEnvFrom(_BaseEnvFrom):
    """All keys of a ConfigMap as env vars (`envFrom[].configMapRef`)."""

    def build(self) -> m.EnvFromSource:
        """`EnvFromSource(prefix, configMapRef{name, optional})`."""
        from hera.workflows import models as m

        ref = m.ConfigMapEnvSource(name=self.name, optional=self.optional)
        return m.EnvFromSource(prefix=self.prefix, config_map_ref=ref)


def build_env_from(env_from: Any) -> list[m.EnvFromSource] | None:
    """Normalise an `env_from` argument (one or many hera env-from kinds or model `EnvFromSource`s) to a list."""
    if env_from is None:
        return None
    from hera.workflows import models as m

    items = env_from if isinstance(env_from, list | tuple) else [env_from]
    out: list[m.EnvFromSource] = []
    for item in items:
        if isinstance(item, _BaseEnvFrom):
            out.append(item.build())
        elif isinstance(item, m.EnvFromSource):
            out.append(item)
        else:
            raise HeraValidationError(
                f"unsupported env_from entry of type {type(item).__name__}; "
                "expected SecretEnvFrom, ConfigMapEnvFrom or models.EnvFromSource",
                field="env_from",
            )
    return out


__all__ = ["ConfigMapEnvFrom", "SecretEnvFrom"]
