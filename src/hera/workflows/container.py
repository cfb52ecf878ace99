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
    _container_body,
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

        return m.Container(**_container_body(self, env=self._build_env(), volume_mounts=self._build_volume_mounts()))

    def _build_template(self) -> m.Template:
        return self._make_template(
            container=self._build_container(),
            inputs=self._build_inputs(),
            outputs=self._build_outputs(),
            volumes=self._build_volumes(),
        )
