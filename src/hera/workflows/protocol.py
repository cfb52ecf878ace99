"""Structural types of the authoring layer: what a template, a step and a PVC-carrying object provide.

Useful to type user helpers (`def add(t: Templatable)`), and checkable at run time (`isinstance(x, Templatable)`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Union, runtime_checkable

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["Steppable", "Taskable", "Templatable", "VolumeClaimable"]


@runtime_checkable
class Templatable(Protocol):
    """Anything that builds into an Argo template (Container, Script, DAG, Steps, ...)."""

    def _build_template(self) -> m.Template: ...


@runtime_checkable
class Steppable(Protocol):
    """A member of a Steps template: a Step (one step) or a Parallel group (a list of steps)."""

    def _build_step(self) -> Union[m.WorkflowStep, list[m.WorkflowStep]]: ...


@runtime_checkable
class Taskable(Protocol):
    """A member of a DAG template."""

    def _build_dag_task(self) -> m.DAGTask: ...


@runtime_checkable
class VolumeClaimable(Protocol):
    """A template that asks the workflow for persistent volume claims (PVC-template `Volume`s)."""

    def _get_pvc_templates(self) -> list[Any]: ...
