"""Name rules Kubernetes and Argo enforce, each returning the reasons a name is refused (empty when fine)."""

from __future__ import annotations

import re

__all__ = [
    "MAX_CRON_WORKFLOW_NAME",
    "MAX_FIELD_NAME",
    "MAX_OBJECT_NAME",
    "field_name_errors",
    "generate_name_errors",
    "object_name_errors",
    "param_name_errors",
]

#: Workflow, WorkflowTemplate and ClusterWorkflowTemplate names (they become label values): 63 characters.
MAX_OBJECT_NAME = 63
#: CronWorkflow names: 52 characters, because Argo appends `-<10-digit timestamp>` to name its workflows.
MAX_CRON_WORKFLOW_NAME = 52
#: Template, step and task names: 128 characters.
MAX_FIELD_NAME = 128

_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1123_PREFIX = re.compile(r"^[a-z0-9]([-a-z0-9.]*)?$")
_FIELD_NAME = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*$")
_PARAM_NAME = re.compile(r"^[-a-zA-Z0-9_]+$")


def object_name_errors(name: str, *, max_length: int = MAX_OBJECT_NAME) -> list[str]:
    """Why `metadata.name` is refused: not a lowercase RFC 1123 subdomain, or too long."""
    errors = []
    if len(name) > max_length:
        errors.append(f"must be no more than {max_length} characters (it has {len(name)})")
    if not _DNS1123_SUBDOMAIN.match(name):
        errors.append(
            "must be a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, '-' or '.', "
            "starting and ending with an alphanumeric character"
        )
    return errors


def generate_name_errors(prefix: str) -> list[str]:
    """Why `metadata.generateName` is refused (Kubernetes appends 5 characters and truncates long prefixes)."""
    if not _DNS1123_PREFIX.match(prefix):
        return [
            "must be the prefix of a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, '-' or '.', "
            "starting with an alphanumeric character"
        ]
    return []


def field_name_errors(name: str) -> list[str]:
    """Why a template, step or task name is refused (Argo: `[a-zA-Z0-9][-a-zA-Z0-9]*`, at most 128)."""
    errors = []
    if len(name) > MAX_FIELD_NAME:
        errors.append(f"must be no more than {MAX_FIELD_NAME} characters (it has {len(name)})")
    if not _FIELD_NAME.match(name):
        errors.append(
            "must consist of alpha-numeric characters or '-', and must start with an alpha-numeric character"
        )
    return errors


def param_name_errors(name: str) -> list[str]:
    """Why a parameter or artifact name is refused (Argo: `[-a-zA-Z0-9_]+`)."""
    if not _PARAM_NAME.match(name):
        return ["must consist of alpha-numeric characters, '_' or '-'"]
    return []
