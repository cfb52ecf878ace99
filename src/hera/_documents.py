"""Argo documents from YAML or JSON text, files or dicts: models by `kind`, with errors that say where.

Workflow, WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow become `hera.workflows.models` objects;
other kinds (ConfigMap, WorkflowEventBinding, ...) come back as the raw dict (`Document.raw` is True). Bad input
raises `DocumentError` naming the document (file and index, kind and name) and the field path, e.g.
`flow.yaml[0] (Workflow 'hello-'): spec.templates[2].retryStrategy.limit: should be a valid integer or ...`.
Used by the engine, the CLI and `from_yaml`/`from_file`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hera.shared import yaml as _yaml
from hera.shared.errors import HeraValidationError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

__all__ = ["MODEL_KINDS", "Document", "DocumentError", "from_data", "from_file", "from_text", "model_for"]

MODEL_KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")

# Argo kinds read as raw dicts: they exist, hera has no typed use for them here.
_RAW_ARGO_KINDS = frozenset(
    (
        "WorkflowEventBinding",
        "WorkflowTaskSet",
        "WorkflowTaskResult",
        "WorkflowArtifactGCTask",
        "EventSource",
        "Sensor",
        "EventBus",
    )
)
_MAX_REASONS = 5


class DocumentError(HeraValidationError):
    """A document that is not YAML/JSON, has no or an unknown `kind`, or has a field of the wrong type.

    `document` names it (file and index, kind and name), `field` is the path of the first bad field,
    `errors` lists every (path, reason) found.
    """

    def __init__(
        self,
        message: str,
        *,
        document: str,
        field: str | None = None,
        workflow: str | None = None,
        errors: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.document = document
        self.errors = list(errors)
        super().__init__(message, workflow=workflow, field=field)

    def _render(self) -> str:
        where = f"{self.document}: {self.field}" if self.field else self.document
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Document:
    """One document of a stream: `obj` is a model for MODEL_KINDS, else the raw dict (`raw` is True)."""

    kind: str
    obj: Any
    source: str
    index: int

    @property
    def raw(self) -> bool:
        """True when `obj` is the document's dict as read (a kind hera does not model here)."""
        return isinstance(self.obj, dict)

    @property
    def name(self) -> str | None:
        """`metadata.name`, else `metadata.generateName`, else None."""
        meta = self.obj.get("metadata") if self.raw else getattr(self.obj, "metadata", None)
        if meta is None:
            return None
        if isinstance(meta, dict):
            return meta.get("name") or meta.get("generateName")
        return meta.name or meta.generate_name


def model_for(kind: str) -> type[BaseModel] | None:
    """The model class of a kind in MODEL_KINDS, else None."""
    if kind not in MODEL_KINDS:
        return None
    from hera.workflows import models

    cls: type[BaseModel] = getattr(models, kind)
    return cls


def from_text(text: str | bytes, *, source: str = "<text>") -> list[Document]:
    """Every document of a YAML stream or a JSON text; empty YAML documents are skipped, indexes kept."""
    try:
        return _from_text(text, source)
    except RecursionError:
        raise DocumentError("nested too deeply to be read", document=source) from None


def _from_text(text: str | bytes, source: str) -> list[Document]:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            return [from_data(json.loads(text), source=source, index=0)]
        except json.JSONDecodeError:
            pass  # YAML flow style, or broken: the YAML reader says which
    try:
        docs = _yaml.load_all(text)
    except _yaml.YAMLError as err:
        raise DocumentError(f"not valid YAML: {_yaml_problem(err)}", document=_yaml_location(source, err)) from None
    return [from_data(doc, source=source, index=i) for i, doc in enumerate(docs) if doc is not None]


def from_file(path: str | os.PathLike[str]) -> list[Document]:
    """Every document of a `.yaml`/`.yml`/`.json` file (see `from_text`)."""
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError as err:
        raise DocumentError(f"not UTF-8 text ({err.reason})", document=name) from None
    return from_text(text, source=name)


def from_data(data: Any, *, source: str = "<data>", index: int = 0) -> Document:
    """A document from parsed data: validated into its model for MODEL_KINDS, else returned raw."""
    label = f"{source}[{index}]"
    if not isinstance(data, dict):
        raise DocumentError(f"expected a mapping with 'kind', got {_type_name(data)}", document=label)
    kind = data.get("kind")
    if not isinstance(kind, str) or not kind:
        raise DocumentError("missing 'kind'", document=label, field="kind")
    cls = model_for(kind)
    if cls is None:
        api_version = data.get("apiVersion")
        known_raw = kind in _RAW_ARGO_KINDS or kind.endswith("List")
        if isinstance(api_version, str) and (not api_version.startswith("argoproj.io/") or known_raw):
            return Document(kind, data, source, index)
        expected = ", ".join(MODEL_KINDS[:-1]) + " or " + MODEL_KINDS[-1]
        raise DocumentError(f"unknown kind {kind!r} (expected {expected})", document=label, field="kind")
    from pydantic import ValidationError

    try:
        obj = cls.model_validate(data)
    except ValidationError as err:
        raise _validation_error(err, data, label, kind) from None
    return Document(kind, obj, source, index)


def _validation_error(err: ValidationError, data: dict[str, Any], label: str, kind: str) -> DocumentError:
    reasons: dict[str, tuple[Any, list[str]]] = {}
    for item in err.errors(include_url=False):
        path, value = error_location(data, item["loc"])
        reasons.setdefault(path, (value, []))[1].append(_reason(item))
    found = [(path, _join(msgs, value)) for path, (value, msgs) in reasons.items()]
    meta = data.get("metadata")
    name = meta.get("name") or meta.get("generateName") if isinstance(meta, dict) else None
    name = name if isinstance(name, str) else None
    document = f"{label} ({kind} {name!r})" if name else f"{label} ({kind})"
    first_path, message = found[0]
    if len(found) > 1:
        more = "; ".join(f"{p}: {r}" for p, r in found[1:_MAX_REASONS])
        extra = f" (+{len(found) - _MAX_REASONS} more)" if len(found) > _MAX_REASONS else ""
        message = f"{message}; also {more}{extra}"
    return DocumentError(message, document=document, field=first_path or None, workflow=name, errors=found)


def error_location(data: Any, loc: Sequence[Any]) -> tuple[str, Any]:
    """(`spec.templates[2].retryStrategy.limit`, the value there) from a pydantic error location.

    Steps that do not lead into the document (the member tags of a union, such as 'int' or 'str') are skipped;
    a missing field is named by its key.
    """
    out = ""
    node = data
    for step in loc:
        if isinstance(node, dict) and step in node:
            out = f"{out}.{step}" if out else str(step)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            out = f"{out}[{step}]"
            node = node[step]
        elif isinstance(node, dict) and isinstance(step, str) and not _is_union_tag(step):
            out = f"{out}.{step}" if out else step
            node = None
    return out, node


def _is_union_tag(step: str) -> bool:
    return step in ("int", "str", "float", "bool", "datetime", "none") or "[" in step or "-" in step


def _reason(item: Any) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field missing"
    msg: str = item["msg"]
    return msg[len("Input should be ") :] if msg.startswith("Input should be ") else msg[:1].lower() + msg[1:]


def _join(reasons: list[str], value: Any) -> str:
    """One reason per field: `should be a valid integer or a valid string, got [1]`."""
    unique = list(dict.fromkeys(reasons))
    if unique in (["unknown field"], ["required field missing"]):
        return unique[0]
    return f"should be {' or '.join(unique)}, got {_short(value)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: Any) -> str:
    return {list: "a list", str: "a string", type(None): "nothing"}.get(type(value), type(value).__name__)


def _yaml_location(source: str, err: Exception) -> str:
    mark = getattr(err, "problem_mark", None)
    return f"{source}:{mark.line + 1}:{mark.column + 1}" if mark is not None else source


def _yaml_problem(err: Exception) -> str:
    problem = getattr(err, "problem", None)
    return str(problem) if problem else str(err).splitlines()[0]
