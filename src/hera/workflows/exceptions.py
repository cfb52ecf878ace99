"""Errors the authoring layer raises while a workflow is being put together (Hera's public names)."""

from __future__ import annotations

from hera.shared.errors import HeraError


class WorkflowsException(HeraError):
    """Base of the authoring errors."""


class InvalidType(WorkflowsException):
    """An object of the wrong type was given (for example a non-Task inside a DAG)."""


class InvalidTemplateCall(WorkflowsException):
    """A template was called where it cannot be (outside any context, or a non-script under a bare Workflow)."""


class InvalidDispatchType(WorkflowsException):
    """A value could not be dispatched to a supported kind."""


class NodeNameConflict(WorkflowsException):
    """Two Tasks in one DAG, or two Steps in one Steps template, share a name."""


__all__ = ["InvalidDispatchType", "InvalidTemplateCall", "InvalidType", "NodeNameConflict", "WorkflowsException"]
