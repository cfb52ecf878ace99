"""`WorkflowStatus`: the phases of an Argo workflow, as used in `{{workflow.status}}` conditions."""

from __future__ import annotations

from hera.workflows._str_enum import _StrEnum


class WorkflowStatus(_StrEnum):
    """The phase of a workflow; `str()` is Argo's spelling (`Succeeded`, ...)."""

    pending = "Pending"
    running = "Running"
    succeeded = "Succeeded"
    failed = "Failed"
    error = "Error"
    terminated = "Terminated"

    @classmethod
    def from_argo_status(cls, s: str) -> WorkflowStatus:
        """The member for Argo's phase string `s`; KeyError if Argo has no such phase."""
        for member in cls:
            if member.value == s:
                return member
        raise KeyError(f"Unrecognized status {s!r}; expected one of {', '.join(m.value for m in cls)}")


__all__ = ["WorkflowStatus"]
