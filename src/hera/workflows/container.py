"""`Container`: the Argo container template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from hera.workflows._light import models_module
from hera.workflows._mixins import (
    CallableTemplateMixin,
    ContainerMixin,
    EnvMixin,
    IOMixin,
    ResourceMixin,
    TemplateMixin,
    VolumeMountMixin,
)

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["Container"]


@dataclass(kw_only=True)
class Container(
    CallableTemplateMixin,
    EnvMixin,
    ResourceMixin,
    VolumeMountMixin,
    ContainerMixin,
    IOMixin,
    TemplateMixin,
):
    """A template that runs one container (`container:`); call it inside a DAG/Steps to get a Task/Step."""

    args: Optional[list[str]] = None
    command: Optional[list[str]] = None
    lifecycle: Optional[m.Lifecycle] = None
    security_context: Optional[m.SecurityContext] = None
    working_dir: Optional[str] = None

    def _input_items(self) -> list[Any]:
        return super()._input_items() + self._env_input_parameters()

    def _build_container(self) -> m.Container:
        m = models_module()

        fields = self._container_fields()
        fields.update(
            args=self.args,
            command=self.command,
            env=self._build_env(),
            env_from=self._build_env_from(),
            lifecycle=self.lifecycle,
            resources=self._build_resources(),
            resize_policy=self.resize_policy,
            restart_policy=self.restart_policy,
            security_context=self.security_context,
            volume_devices=self.volume_devices,
            volume_mounts=self._build_volume_mounts(),
            working_dir=self.working_dir,
        )
        return m.Container(**{k: v for k, v in fields.items() if v is not None})

    def _build_template(self) -> m.Template:
        return self._make_template(
            container=self._build_container(),
            inputs=self._build_inputs(),
            outputs=self._build_outputs(),
            volumes=self._build_volumes(),
        )
