"""`ContainerSet` (several containers in one pod, with dependencies) and its `ContainerNode`s."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from hera.shared._base_mixin import BaseMixin
from hera.workflows._context import _context
from hera.workflows._mixins import (
    CallableTemplateMixin,
    ContainerMixin,
    ContextMixin,
    EnvMixin,
    IOMixin,
    ResourceMixin,
    TemplateMixin,
    VolumeMountMixin,
    _container_body,
    _model_name,
)
from hera.workflows.exceptions import InvalidType

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["ContainerNode", "ContainerSet"]


@dataclass(kw_only=True)
class ContainerNode(EnvMixin, ResourceMixin, VolumeMountMixin, ContainerMixin, BaseMixin):
    """One container of a ContainerSet; `a >> b` makes `b` depend on `a`."""

    name: str
    args: Optional[list[str]] = None
    command: Optional[list[str]] = None
    dependencies: Optional[list[str]] = None
    lifecycle: Optional[m.Lifecycle] = None
    security_context: Optional[m.SecurityContext] = None
    working_dir: Optional[str] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _context.add_sub_node(self)

    def next(self, other: ContainerNode) -> ContainerNode:
        """Make `other` depend on this node (dependencies de-duplicated and sorted)."""
        if not isinstance(other, ContainerNode):
            raise InvalidType(f"a ContainerNode can only precede another ContainerNode, got {type(other).__name__}")
        deps = set(other.dependencies or [])
        deps.add(self.name)
        other.dependencies = sorted(deps)
        return other

    def __rshift__(self, other: Any) -> Any:
        if isinstance(other, (list, tuple)):
            for o in other:
                self.next(o)
            return other
        return self.next(other)

    def __rrshift__(self, other: Any) -> ContainerNode:
        for o in other if isinstance(other, (list, tuple)) else [other]:
            o.next(self)
        return self

    def _build_container_node(self) -> m.ContainerNode:
        from hera.workflows import models as m

        return m.ContainerNode(
            **_container_body(
                self,
                name=self.name,
                dependencies=self.dependencies,
                env=self._build_env(),
                volume_mounts=self._build_volume_mounts(),
            )
        )


@dataclass(kw_only=True)
class ContainerSet(
    CallableTemplateMixin,
    EnvMixin,
    VolumeMountMixin,
    ContainerMixin,
    IOMixin,
    TemplateMixin,
    ContextMixin,
):
    """A `containerSet:` template; `with ContainerSet(...)` collects the ContainerNodes built inside it."""

    containers: list[Any] = field(default_factory=list)
    container_set_retry_strategy: Optional[m.ContainerSetRetryStrategy] = None

    _context_kind: ClassVar[Optional[str]] = "container_set"

    def _add_sub(self, node: Any) -> Any:
        if not isinstance(node, ContainerNode):
            raise InvalidType(
                f"{type(node).__name__} cannot be added to ContainerSet '{self.name}': only ContainerNodes belong there"
            )
        self.containers.append(node)
        return node

    def _build_template(self) -> m.Template:
        from hera.workflows import models as m

        containers = [c if _model_name(c) is not None else c._build_container_node() for c in self.containers]
        container_set = m.ContainerSetTemplate(
            containers=containers,
            retry_strategy=self.container_set_retry_strategy,
            volume_mounts=self._build_volume_mounts(),
        )
        return self._make_template(
            container_set=container_set,
            inputs=self._build_inputs(),
            outputs=self._build_outputs(),
            volumes=self._build_volumes(),
        )
