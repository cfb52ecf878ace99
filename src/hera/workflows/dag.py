"""`DAG`: a template of Tasks with dependencies; a context manager collecting the Tasks built inside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from hera.workflows._context import _context
from hera.workflows._errors import raise_located
from hera.workflows._light import models_module
from hera.workflows._mixins import CallableTemplateMixin, ContextMixin, IOMixin, TemplateMixin, _model_name
from hera.workflows.exceptions import InvalidType, NodeNameConflict

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["DAG"]


@dataclass(kw_only=True)
class DAG(CallableTemplateMixin, IOMixin, TemplateMixin, ContextMixin):
    """A `dag:` template. `with DAG(...)` collects Tasks; calling it inside another DAG/Steps invokes it."""

    target: Optional[str] = None
    tasks: list[Any] = field(default_factory=list)

    _context_kind: ClassVar[Optional[str]] = "dag"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._node_names: set[str] = set()
        for t in self.tasks:
            self._check_name(getattr(t, "name", None))

    def _check_name(self, name: Optional[str]) -> None:
        if name is None:
            return
        if name in self._node_names:
            raise NodeNameConflict(f"Found multiple Task nodes with name: {name}{_context.location(self.name)}")
        self._node_names.add(name)

    def _add_sub(self, node: Any) -> Any:
        from hera.workflows.task import Task

        if not isinstance(node, Task):
            raise InvalidType(
                f"{type(node).__name__} cannot be added to DAG '{self.name}': only Tasks belong in a DAG"
                f"{_context.location(self.name)}"
            )
        self._check_name(node.name)
        node._parent_template = self.name
        self.tasks.append(node)
        return node

    def _build_template(self) -> m.Template:
        m = models_module()

        tasks = []
        seen: set[str] = set()
        for t in self.tasks:
            if _model_name(t) is not None:
                built = t
            else:
                try:
                    built = t._build_dag_task()
                except ValueError as e:
                    raise_located(e, template=self.name, task=getattr(t, "name", None))
            if built.name in seen:
                raise NodeNameConflict(f"Found multiple Task nodes with name: {built.name}{_context.location(self.name)}")
            seen.add(built.name)
            tasks.append(built)
        dag = m.DAGTemplate(fail_fast=self.fail_fast, target=self.target, tasks=tasks)
        return self._make_template(dag=dag, inputs=self._build_inputs(), outputs=self._build_outputs())
