"""Operator and WorkflowStatus: the values of spec §2.5 and their use in conditions."""

from __future__ import annotations

import pytest

from hera.workflows.operator import Operator
from hera.workflows.workflow_status import WorkflowStatus


def test_operator_values() -> None:
    assert {o.name: str(o) for o in Operator} == {
        "does_not_exist": "DoesNotExist",
        "exists": "Exists",
        "gt": "Gt",
        "in_": "In",
        "lt": "Lt",
        "not_in": "NotIn",
        "equals": "==",
        "greater": ">",
        "less": "<",
        "greater_equal": ">=",
        "less_equal": "<=",
        "not_equal": "!=",
        "or_": "||",
        "and_": "&&",
        "starts_with": "=~",
    }


def test_enums_format_as_their_value() -> None:
    # acceptance program 21 renders `{{workflow.status}} != Succeeded` from these two members
    assert f"{{{{workflow.status}}}} {Operator.not_equal} {WorkflowStatus.succeeded}" == (
        "{{workflow.status}} != Succeeded"
    )
    assert Operator.and_ == "&&"


def test_workflow_status_values_and_lookup() -> None:
    assert [str(s) for s in WorkflowStatus] == ["Pending", "Running", "Succeeded", "Failed", "Error", "Terminated"]
    assert WorkflowStatus.from_argo_status("Failed") is WorkflowStatus.failed


def test_unknown_status_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="Skipped"):
        WorkflowStatus.from_argo_status("Skipped")
