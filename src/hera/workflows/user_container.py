"""`UserContainer`: a sidecar or init container of a template, with hera's env, resources and volume helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hera.shared._base_mixin import BaseMixin
from hera.shared.errors import HeraValidationError
from hera.workflows.env import build_env
from hera.workflows.env_from import build_env_from
from hera.workflows.resources import Resources
from hera.workflows.volume import build_volume_mounts

if TYPE_CHECKING:
    from hera.workflows import models as m
    from hera.workflows.env import _BaseEnv
    from hera.workflows.env_from import _BaseEnvFrom
    from hera.workflows.volume import _BaseVolume

_PULL_POLICIES = {"always": "Always", "ifnotpresent": "IfNotPresent", "never": "Never"}


def normalize_image_pull_policy(value: Any, field: str = "image_pull_policy") -> str | None:
    """`Always`/`IfNotPresent`/`Never` from any casing, enum member or enum name (`"if_not_present"`)."""
    if value is None:
        return None
    raw = getattr(value, "value", value)
    key = str(raw).replace("_", "").replace("-", "").lower()
    name_key = str(getattr(value, "name", "")).replace("_", "").lower()  # an enum member named like a policy
    resolved = _PULL_POLICIES.get(key) or _PULL_POLICIES.get(name_key)
    if resolved is None:
        raise HeraValidationError(
            f"unknown image pull policy {raw!r}; expected Always, IfNotPresent or Never", field=field
        )
    return resolved


@dataclass(kw_only=True)
class UserContainer(BaseMixin):
    """A container next to the main one (sidecar) or before it (init container); builds `models.UserContainer`.

    `env` takes hera envs, model `EnvVar`s or dicts; `resources` a `Resources` or model; hera `volumes` are
    mounted after the explicit `volume_mounts` (declare the volumes on the template or workflow as well).
    """

    name: str
    args: list[str] | None = None
    command: list[str] | None = None
    env: list[_BaseEnv | m.EnvVar | dict[str, Any]] | _BaseEnv | m.EnvVar | dict[str, Any] | None = None
    env_from: list[_BaseEnvFrom | m.EnvFromSource] | _BaseEnvFrom | m.EnvFromSource | None = None
    image: str | None = None
    image_pull_policy: str | m.ImagePullPolicy | None = None
    lifecycle: m.Lifecycle | None = None
    liveness_probe: m.Probe | None = None
    mirror_volume_mounts: bool | None = None
    ports: list[m.ContainerPort] | None = None
    readiness_probe: m.Probe | None = None
    resize_policy: list[m.ContainerResizePolicy] | None = None
    resources: Resources | m.ResourceRequirements | None = None
    restart_policy: str | None = None
    restart_policy_rules: list[Any] | None = None
    security_context: m.SecurityContext | None = None
    startup_probe: m.Probe | None = None
    stdin: bool | None = None
    stdin_once: bool | None = None
    termination_message_path: str | None = None
    termination_message_policy: str | None = None
    tty: bool | None = None
    volume_devices: list[m.VolumeDevice] | None = None
    volume_mounts: list[m.VolumeMount] | None = None
    volumes: list[_BaseVolume] | _BaseVolume | None = None
    working_dir: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        normalize_image_pull_policy(self.image_pull_policy)  # refuse unknown policies early

    def _build_resources(self) -> m.ResourceRequirements | None:
        if isinstance(self.resources, Resources):
            return self.resources.build()
        return self.resources

    def build(self) -> m.UserContainer:
        """The model `UserContainer`."""
        from hera.workflows import models as m

        return m.UserContainer(
            name=self.name,
            args=self.args,
            command=self.command,
            env=build_env(self.env),
            env_from=build_env_from(self.env_from),
            image=self.image,
            image_pull_policy=normalize_image_pull_policy(self.image_pull_policy),
            lifecycle=self.lifecycle,
            liveness_probe=self.liveness_probe,
            mirror_volume_mounts=self.mirror_volume_mounts,
            ports=self.ports,
            readiness_probe=self.readiness_probe,
            resize_policy=self.resize_policy,
            resources=self._build_resources(),
            restart_policy=self.restart_policy,
            restart_policy_rules=self.restart_policy_rules,
            security_context=self.security_context,
            startup_probe=self.startup_probe,
            stdin=self.stdin,
            stdin_once=self.stdin_once,
            termination_message_path=self.termination_message_path,
            termination_message_policy=self.termination_message_policy,
            tty=self.tty,
            volume_devices=self.volume_devices,
            volume_mounts=build_volume_mounts(self.volume_mounts, self.volumes),
            working_dir=self.working_dir,
        )


__all__ = ["UserContainer"]
