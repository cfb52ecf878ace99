"""`Steps` (a template of sequential step groups), `Step`, `Parallel` (one group run in parallel), `parallel`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from hera.shared._base_mixin import BaseMixin
from hera.workflows._context import _context
from hera.workflows._errors import raise_located
from hera.workflows._light import models_module
from hera.workflows._mixins import (
    CallableTemplateMixin,
    ContextMixin,
    IOMixin,
    TemplateInvocatorSubNodeMixin,
    TemplateMixin,
    _model_name,
)
from hera.workflows.exceptions import InvalidType, NodeNameConflict

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["Parallel", "Step", "Steps", "parallel"]


@dataclass(kw_only=True)
class Step(TemplateInvocatorSubNodeMixin):
    """One step of a Steps template; inside `with Steps` or `with Parallel` it joins that context."""

    _subtype: ClassVar[str] = "steps"

    def __post_init__(self) -> None:
        super().__post_init__()
        _context.add_sub_node(self)

    def _build_step(self) -> m.WorkflowStep:
        m = models_module()

        try:
            fields = self._invocator_fields()
            return m.WorkflowStep(**{k: v for k, v in fields.items() if v is not None})
        except ValueError as e:
            raise_located(e, template=self._parent_template, task=self.name)


class _NameScope:
    """Node names of one Steps template, shared with its Parallel groups."""

    def __init__(self, template: Optional[str]) -> None:
        self.template = template
        self.names: set[str] = set()

    def check(self, name: Optional[str]) -> None:
        if name is None:
            return
        if name in self.names:
            raise NodeNameConflict(f"Found multiple Step nodes with name: {name}{_context.location(self.template)}")
        self.names.add(name)


@dataclass(kw_only=True)
class Parallel(ContextMixin, BaseMixin):
    """A group of steps that run in parallel (one inner list of `steps:`)."""

    sub_steps: list[Any] = field(default_factory=list)

    _context_kind: ClassVar[Optional[str]] = "parallel"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._scope = _NameScope(None)
        for s in self.sub_steps:
            self._scope.check(getattr(s, "name", None))
        if not getattr(self, "_detached", False):
            _context.add_sub_node(self)

    def _attach(self, scope: _NameScope) -> None:
        for name in self._scope.names:
            scope.check(name)
        self._scope = scope

    def _add_sub(self, node: Any) -> Any:
        if not isinstance(node, Step):
            raise InvalidType(f"{type(node).__name__} cannot be added to a Parallel group: only Steps belong there")
        self._scope.check(node.name)
        node._parent_template = self._scope.template
        self.sub_steps.append(node)
        return node

    def _build_step(self) -> list[m.WorkflowStep]:
        return [s if _model_name(s) is not None else s._build_step() for s in self.sub_steps]


@dataclass(kw_only=True)
class Steps(CallableTemplateMixin, IOMixin, TemplateMixin, ContextMixin):
    """A `steps:` template: a list of step groups run one after the other; each group runs in parallel."""

    sub_steps: list[Any] = field(default_factory=list)

    _context_kind: ClassVar[Optional[str]] = "steps"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._scope = _NameScope(self.name)
        for s in self.sub_steps:
            if isinstance(s, Parallel):
                s._attach(self._scope)
            elif isinstance(s, (list, tuple)):
                for inner in s:
                    self._scope.check(getattr(inner, "name", None))
            else:
                self._scope.check(getattr(s, "name", None))

    def _add_sub(self, node: Any) -> Any:
        if isinstance(node, Parallel):
            node._attach(self._scope)
        elif isinstance(node, Step):
            self._scope.check(node.name)
            node._parent_template = self.name
        else:
            raise InvalidType(
                f"{type(node).__name__} cannot be added to Steps '{self.name}': only Step and Parallel belong there"
                f"{_context.location(self.name)}"
            )
        self.sub_steps.append(node)
        return node

    def parallel(self) -> Parallel:
        """A new Parallel group appended to these Steps; use it as `with steps.parallel(): ...`."""
        group = Parallel.__new__(Parallel)
        group._detached = True  # type: ignore[attr-defined]
        Parallel.__init__(group)
        self._add_sub(group)
        return group

    def _build_steps(self) -> list[list[m.WorkflowStep]]:
        out: list[list[Any]] = []
        for item in self.sub_steps:
            if isinstance(item, Step):
                out.append([item._build_step()])
            elif isinstance(item, Parallel):
                out.append(item._build_step())
            elif isinstance(item, (list, tuple)):
                out.append([s if _model_name(s) is not None else s._build_step() for s in item])
            elif _model_name(item) == "WorkflowStep":
                out.append([item])
            else:
                out.append(item)
        return out

    def _build_template(self) -> m.Template:
        try:
            steps = self._build_steps()
        except ValueError as e:
            raise_located(e, template=self.name)
        return self._make_template(steps=steps, inputs=self._build_inputs(), outputs=self._build_outputs())


@contextmanager
def parallel() -> Iterator[None]:
    """Hera's retired decorator-mode `parallel()`: a no-op context (use `steps.parallel()` or `Parallel()`)."""
    yield
