"""Small helpers of the linter: template types, safe access to JSON-form dicts, tag scanning."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from hera.lint.tags import iter_tags

#: Template types in the order Argo tests them.
TEMPLATE_TYPES = ("container", "containerSet", "steps", "dag", "script", "resource", "data", "suspend", "http", "plugin")
LEAF_TYPES = frozenset({"container", "containerSet", "script", "resource", "data", "http", "plugin"})
POD_TYPES = frozenset({"container", "containerSet", "script", "resource", "data"})
#: Types whose node has `outputs.result` / `exitCode`.
RESULT_TYPES = frozenset({"container", "containerSet", "script", "data", "http", "plugin"})
VALID_PREFIXES = ("item", "steps.", "inputs.", "outputs.", "pod.", "workflow.", "tasks.")
ALWAYS_OK = (
    "outputs.",
    "workflow.creationTimestamp",
    "workflow.scheduledTime",
    "workflow.duration",
    "tasks.name",
    "steps.name",
    "node.name",
)
PRODUCER_FIXED = frozenset({"id", "startedAt", "finishedAt", "hostNodeName"})
ARTIFACT_SOURCES = ("from", "fromExpression", "raw", "s3", "git", "http", "artifactory", "hdfs", "oss", "gcs", "azure", "plugin")
RESERVED_CONTAINERS = frozenset({"wait", "supervisor"})
KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")
UNKNOWN: Any = object()  # a template we cannot see (templateRef without a lookup)


def type_of(tmpl: Mapping[str, Any]) -> str | None:
    """The template's type: the first type field present, in Argo's order."""
    for t in TEMPLATE_TYPES:
        if tmpl.get(t) is not None:
            return t
    return None


def as_list(value: Any) -> list[Any]:
    """The value if it is a list, else an empty list."""
    return value if type(value) is list or isinstance(value, list) else []


def as_map(value: Any) -> Mapping[str, Any]:
    """The value if it is a mapping, else an empty one."""
    if type(value) is dict:
        return value
    return value if isinstance(value, Mapping) else {}


def strings_with_tags(obj: Any) -> list[str]:
    """Every string containing `{{` (keys included) inside a JSON-like object."""
    out: list[str] = []
    stack = [obj]
    pop, push, add = stack.pop, stack.append, out.append
    while stack:
        item = pop()
        t = type(item)
        if t is str:
            if "{{" in item:
                add(item)
        elif t is dict or (t is not list and isinstance(item, Mapping)):
            for k, v in item.items():
                if type(k) is str and "{{" in k:
                    add(k)
                tv = type(v)
                if tv is str:
                    if "{{" in v:
                        add(v)
                elif tv is dict or tv is list or isinstance(v, Mapping):
                    push(v)
        elif t is list:
            for v in item:
                tv = type(v)
                if tv is str:
                    if "{{" in v:
                        add(v)
                elif tv is dict or tv is list or isinstance(v, Mapping):
                    push(v)
    return out


def simple_tags(obj: Any) -> Iterator[str]:
    """The trimmed names of simple `{{tags}}` in an object (expression tags are not validated, as in Argo)."""
    for text in strings_with_tags(obj):
        for tag in iter_tags(text):
            if not tag.is_expression:
                yield tag.body.strip()


def is_param_expr(value: Any) -> bool:
    """A string holding a `{{...}}` tag (its value is only known at run time)."""
    return isinstance(value, str) and "{{" in value


def is_reserved_container(name: Any) -> bool:
    """Container names Argo keeps for itself (its auxiliary containers)."""
    return isinstance(name, str) and (name in RESERVED_CONTAINERS or name.startswith("artifact-plugin"))
