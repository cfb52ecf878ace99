"""How each function parameter gets its value: an input Parameter, an input Artifact, an output path or an Input model.

A binding is planned once from the signature, then resolved against the args file's values.
"""

from __future__ import annotations

import json
import os

from hera.workflows._runner.coerce import (
    Mismatch,
    allows_none,
    from_text,
    is_str_type,
    type_name,
    validate,
)
from hera.workflows._runner.errors import RunnerError, shorten
from hera.workflows._runner.outputs import artifact_path, parameter_path
from hera.workflows._runner.signature import NO_DEFAULT, UNANNOTATED

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

INPUT_ARTIFACTS_DIRECTORY = "/tmp/hera-inputs/artifacts"

def _mismatch_message(label: str, tp: Any, raw: Any, exc: Mismatch) -> str:
    detail = exc.explain()
    return f"{label} expects {type_name(tp)}, received {shorten(raw)}" + (f" ({detail})" if detail else "")


def parameter_value(label: str, tp: Any, raw: Any, loads: Any) -> Any:
    """The value of an input parameter: `loads(raw)`, the raw text for str, else JSON validated to `tp`."""
    if loads is not None:
        try:
            return loads(raw)
        except Exception as exc:
            raise RunnerError(f"{label}: its loads function failed on {shorten(raw)}: {type(exc).__name__}: {exc}") from None
    if tp is UNANNOTATED:
        if isinstance(raw, str):
            try:
                return json.loads(raw)
            except ValueError:
                return raw
        return raw
    if is_str_type(tp):
        # the text as is, as Hera passes it: `Optional[str] = None` receives the rendered default "null"
        if raw is None:
            return None
        return raw if isinstance(raw, str) else json.dumps(raw)
    try:
        return from_text(tp, raw)
    except Mismatch as exc:
        raise RunnerError(_mismatch_message(label, tp, raw, exc)) from None


class ParameterInput:
    """A function parameter fed by an input parameter (named by its `Parameter` annotation or the Python name)."""

    __slots__ = ("default", "label", "loads", "name", "py_name", "tp")

    def __init__(self, py_name: str, name: str, tp: Any, loads: Any, default: Any, label: str) -> None:
        self.py_name = py_name
        self.name = name
        self.tp = tp
        self.loads = loads
        self.default = default
        self.label = label

    def resolve(self, inputs: dict[str, Any]) -> Any:
        """The typed value, the Python default when the input is absent, or RunnerError when there is none."""
        if self.name in inputs:
            raw = inputs[self.name]
        elif self.py_name in inputs:
            raw = inputs[self.py_name]
        elif self.default is not NO_DEFAULT:
            return self.default
        else:
            given = ", ".join(sorted(inputs)) or "none"
            raise RunnerError(f"missing {self.label}: the args file has no value for it (it gives: {given})")
        return parameter_value(self.label, self.tp, raw, self.loads)


class ArtifactInput:
    """A function parameter fed by an input artifact file: loaded by loads/loadb/loader, or passed as its path."""

    __slots__ = ("label", "loadb", "loader", "loads", "optional", "path", "tp")

    def __init__(self, io: Any, name: str, tp: Any, label: str) -> None:
        self.path = getattr(io, "path", None) or f"{INPUT_ARTIFACTS_DIRECTORY}/{name}"
        loader = getattr(io, "loader", None)
        self.loader = getattr(loader, "value", loader)
        self.loads = getattr(io, "loads", None)
        self.loadb = getattr(io, "loadb", None)
        self.optional = bool(getattr(io, "optional", False))
        self.tp = tp
        self.label = label

    def resolve(self, inputs: dict[str, Any]) -> Any:
        """The loaded artifact, its path (as `Path` when annotated so, else str), or None when optional and absent."""
        if self.optional and not os.path.exists(self.path):
            return None
        if self.loadb is not None:
            return self._call(self.loadb, self._read(binary=True))
        if self.loads is not None:
            return self._call(self.loads, self._read(binary=False))
        if self.loader == "json":
            text = self._read(binary=False)
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise RunnerError(f"{self.label}: {self.path} is not JSON: {exc}") from None
            if self.tp is UNANNOTATED:
                return value
            try:
                return validate(self.tp, value)
            except Mismatch as exc:
                raise RunnerError(_mismatch_message(self.label, self.tp, value, exc)) from None
        if self.loader == "file":
            return self._read(binary=False)
        return _as_path(self.tp, self.path)

    def _read(self, binary: bool) -> Any:
        try:
            if binary:
                with open(self.path, "rb") as f:
                    return f.read()
            with open(self.path, encoding="utf-8") as f:
                return f.read()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise RunnerError(f"{self.label}: cannot read {self.path}: {reason}") from None

    def _call(self, fn: Any, data: Any) -> Any:
        try:
            return fn(data)
        except Exception as exc:
            raise RunnerError(f"{self.label}: its loader failed: {type(exc).__name__}: {exc}") from None


class OutputPathInput:
    """A function parameter annotated as an output (`Parameter/Artifact(output=True)`): the path to write to."""

    __slots__ = ("path", "tp")

    def __init__(self, path: str, tp: Any) -> None:
        self.path = path
        self.tp = tp

    def resolve(self, inputs: dict[str, Any]) -> Any:
        """A `Path` (or str, when annotated str) whose parent directories exist."""
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        return _as_path(self.tp, self.path)

    def placeholder(self) -> None:
        """An empty file, when the function failed before writing this output."""
        from hera.workflows._runner.outputs import write_atomic

        if not os.path.lexists(self.path):
            write_atomic(self.path, b"")


def _as_path(tp: Any, path: str) -> Any:
    inner = tp
    if allows_none(tp) and tp is not UNANNOTATED:
        members = [m for m in getattr(tp, "__args__", ()) if m is not type(None)]
        inner = members[0] if len(members) == 1 else tp
    if inner is str or tp is UNANNOTATED:
        return path
    import pathlib

    if isinstance(inner, type) and issubclass(inner, pathlib.PurePath):
        return inner(path)
    return pathlib.Path(path)


class InputModelInput:
    """The single parameter typed as an `Input` subclass: each field is an input parameter or artifact."""

    __slots__ = ("cls", "fields", "label")

    def __init__(self, cls: type, fields: list[tuple[str, Any]], label: str) -> None:
        self.cls = cls
        self.fields = fields  # (field name, ParameterInput | ArtifactInput)
        self.label = label

    def resolve(self, inputs: dict[str, Any]) -> Any:
        """The model, built from the inputs (str fields raw, others JSON) and validated by pydantic."""
        values: dict[str, Any] = {}
        for field, binding in self.fields:
            if isinstance(binding, ParameterInput):
                if binding.name in inputs:
                    raw = inputs[binding.name]
                elif binding.py_name in inputs:
                    raw = inputs[binding.py_name]
                elif binding.default is not NO_DEFAULT:
                    continue
                else:
                    given = ", ".join(sorted(inputs)) or "none"
                    raise RunnerError(
                        f"missing {binding.label} (field '{field}' of {self.cls.__qualname__}): "
                        f"the args file has no value for it (it gives: {given})"
                    )
                values[field] = _model_field_value(binding, raw)
            else:
                values[field] = binding.resolve(inputs)
        try:
            return validate(self.cls, values)
        except Mismatch as exc:
            raise RunnerError(_field_message(exc, self, values)) from None


def _model_field_value(binding: ParameterInput, raw: Any) -> Any:
    if binding.loads is not None:
        return parameter_value(binding.label, binding.tp, raw, binding.loads)
    if is_str_type(binding.tp) or not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _field_message(exc: Mismatch, model: InputModelInput, values: dict[str, Any]) -> str:
    detail = exc.detail
    if detail.startswith("field '"):
        field, _, msg = detail[len("field '") :].partition("': ")
        top = field.split(".", 1)[0]
        for name, binding in model.fields:
            if name == top:
                tp = type_name(binding.tp) if binding.tp is not UNANNOTATED else "a valid value"
                return (
                    f"{binding.label} (field '{field}' of {model.cls.__qualname__}) expects {tp}, "
                    f"received {shorten(values.get(top))} ({msg})"
                )
    return f"{model.label}: " + (exc.explain() or f"invalid value for {exc.expected}")


def plan_model_fields(specs: list[tuple[str, Any, tuple[Any, ...], bool]]) -> list[tuple[str, Any]]:
    """Bindings for the fields of an Input model, from `(field, type, metadata, required)` specs."""
    from hera.workflows._runner.signature import io_annotation, is_artifact

    out: list[tuple[str, Any]] = []
    for field, tp, meta, required in specs:
        io = io_annotation(meta)
        name = (getattr(io, "name", None) or field) if io is not None else field
        if io is not None and is_artifact(io):
            out.append((field, ArtifactInput(io, name, tp, f"input artifact '{name}'")))
        else:
            label = f"input parameter '{name}'"
            default = NO_DEFAULT if required else None
            out.append((field, ParameterInput(field, name, tp, getattr(io, "loads", None), default, label)))
    return out


def output_path_for(io: Any, name: str, is_artifact: bool) -> str:
    """The file an output-annotated function parameter writes to."""
    return artifact_path(io, name) if is_artifact else parameter_path(io, name)
