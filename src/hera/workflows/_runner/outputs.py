"""Writing a function's results as Argo outputs: files under the outputs directory, and the stdout `result`.

Every file is written to a temporary name in the same directory and renamed into place, so a task killed
mid-write never leaves half a value that a downstream task would read.
"""

from __future__ import annotations

import os
import sys

from hera.shared.serialization import serialize
from hera.workflows._runner.coerce import matches, type_name
from hera.workflows._runner.errors import RunnerError, shorten

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_OUTPUTS_DIRECTORY = "/tmp/hera-outputs"


def to_text(value: Any) -> str:
    """`value` as the text of an Argo parameter or the runner's stdout result (`serialize`, always a str)."""
    return str(serialize(value))


def outputs_directory() -> str:
    """`$hera__outputs_directory`, else `/tmp/hera-outputs` (the YAML side sets the variable when it differs)."""
    return os.environ.get("hera__outputs_directory") or DEFAULT_OUTPUTS_DIRECTORY


def parameter_path(io: Any, name: str) -> str:
    """Where an output Parameter's value goes: its `value_from.path`, else `<outputs dir>/parameters/<name>`."""
    value_from = getattr(io, "value_from", None)
    path = value_from.get("path") if isinstance(value_from, dict) else getattr(value_from, "path", None)
    return path or os.path.join(outputs_directory(), "parameters", name)


def artifact_path(io: Any, name: str) -> str:
    """Where an output Artifact goes: its `path`, else `<outputs dir>/artifacts/<name>`."""
    return getattr(io, "path", None) or os.path.join(outputs_directory(), "artifacts", name)


def write_atomic(path: str, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same directory and `os.replace`."""
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _copy_into_place(source: str, dest: str) -> None:
    """Copy a file or directory the function produced to an artifact's location, atomically."""
    import shutil

    directory = os.path.dirname(dest) or "."
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(dest)}.{os.getpid()}.tmp")
    try:
        if os.path.isdir(source):
            shutil.copytree(source, tmp)
            if os.path.isdir(dest) and not os.path.islink(dest):
                shutil.rmtree(dest)
        else:
            shutil.copyfile(source, tmp)
        os.replace(tmp, dest)
    except BaseException:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
        elif os.path.exists(tmp):
            os.unlink(tmp)
        raise


class OutputTarget:
    """One declared output: a Parameter or Artifact, where its file goes, its type and custom serialisers."""

    __slots__ = ("dumpb", "dumps", "is_artifact", "label", "name", "path", "tp")

    def __init__(self, io: Any, name: str, tp: Any, is_artifact: bool, label: str) -> None:
        self.name = name
        self.tp = tp
        self.is_artifact = is_artifact
        self.label = label
        self.dumps = getattr(io, "dumps", None)
        self.dumpb = getattr(io, "dumpb", None) if is_artifact else None
        self.path = artifact_path(io, name) if is_artifact else parameter_path(io, name)

    def check(self, value: Any) -> None:
        """RunnerError unless `value` is an instance of the annotated type."""
        if not matches(self.tp, value):
            raise RunnerError(
                f"{self.label} expects {type_name(self.tp)}, the function returned "
                f"{type(value).__name__} {shorten(value)}"
            )

    def write(self, value: Any) -> None:
        """Serialise `value` (dumpb, dumps, a produced file, bytes, text or JSON) into the output's file."""
        try:
            if self.dumpb is not None:
                data = self.dumpb(value)
            elif self.dumps is not None:
                data = self.dumps(value).encode()
            elif isinstance(value, (bytes, bytearray)):
                data = bytes(value)
            elif self.is_artifact and isinstance(value, os.PathLike):
                self._write_path(os.fspath(value))
                return
            else:
                data = to_text(value).encode()
        except RunnerError:
            raise
        except Exception as exc:
            raise RunnerError(f"{self.label}: cannot serialise the returned value: {type(exc).__name__}: {exc}") from None
        write_atomic(self.path, data)

    def _write_path(self, source: str) -> None:
        if not os.path.exists(source):
            raise RunnerError(f"{self.label}: the returned path {source!r} does not exist")
        if os.path.abspath(source) != os.path.abspath(self.path):
            _copy_into_place(source, self.path)

    def placeholder(self) -> None:
        """An empty file where the output goes, unless something is there already."""
        if not os.path.lexists(self.path):
            write_atomic(self.path, b"")


class OutputModelPlan:
    """The return annotation is an `Output` subclass: its fields are outputs, plus `exit_code` and `result`."""

    __slots__ = ("cls", "fields")

    def __init__(self, cls: type, fields: list[tuple[str, OutputTarget]]) -> None:
        self.cls = cls
        self.fields = fields


class ReturnPlan:
    """How the return value becomes outputs: printed, written to declared targets, or an Output model."""

    __slots__ = ("model", "targets", "tuple_return")

    def __init__(
        self, targets: list[OutputTarget], tuple_return: bool, model: OutputModelPlan | None = None
    ) -> None:
        self.targets = targets
        self.tuple_return = tuple_return
        self.model = model

    @property
    def declares_outputs(self) -> bool:
        """True when the return annotation names outputs (then nothing is printed for plain returns)."""
        return bool(self.targets) or self.model is not None

    def all_targets(self) -> list[OutputTarget]:
        """Every declared output target, for placeholders when the function fails."""
        if self.model is not None:
            return [t for _, t in self.model.fields]
        return list(self.targets)


def print_result(text: str) -> None:
    """The stdout `result` of the step, newline-terminated and flushed."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def emit(plan: ReturnPlan, result: Any) -> int:
    """Write `result` as the plan says and return the process exit code."""
    if plan.model is not None:
        return _emit_model(plan.model, result)
    if not plan.targets:
        if result:  # Hera prints nothing for falsy results (None, 0, "", [], False)
            print_result(to_text(result))
        return 0
    if plan.tuple_return:
        if not isinstance(result, (tuple, list)) or len(result) != len(plan.targets):
            got = f"{len(result)} values" if isinstance(result, (tuple, list)) else type(result).__name__
            raise RunnerError(f"the return annotation declares {len(plan.targets)} outputs, got {got}")
        values = list(result)
    else:
        values = [result]
    for target, value in zip(plan.targets, values):
        target.check(value)
    for target, value in zip(plan.targets, values):
        target.write(value)
    return 0


def _emit_model(model: OutputModelPlan, result: Any) -> int:
    cls: Any = model.cls
    if not isinstance(result, cls):
        raise RunnerError(
            f"the return annotation is {model.cls.__qualname__}, the function returned "
            f"{type(result).__name__} {shorten(result)}"
        )
    for field, target in model.fields:
        target.write(getattr(result, field))
    print_result(to_text(result.result))  # `null` when None, unlike plain returns
    code = result.exit_code
    return code if isinstance(code, int) else 1
