"""Finding the user's function from `module:function`, with the working directory importable as in Argo's pod."""

from __future__ import annotations

import importlib
import os
import sys

from hera.workflows._runner.errors import RunnerError, shorten

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def ensure_cwd_importable() -> None:
    """Put the working directory on `sys.path` if it is not there (`python -P`, `PYTHONSAFEPATH`, `-I`)."""
    try:
        cwd = os.getcwd()
    except OSError:  # the working directory was removed
        return
    if cwd not in sys.path and "" not in sys.path:
        sys.path.append(cwd)


def split_entrypoint(entry: str) -> tuple[str, str]:
    """`("module", "attr.path")` from `module:attr.path`; RunnerError when the form is wrong."""
    module, sep, attr = entry.partition(":")
    if not sep or not module.strip() or not attr.strip():
        raise RunnerError(f"the entrypoint must be written module:function, got {entry!r}", exit_code=2)
    return module.strip(), attr.strip()


def load_entrypoint(entry: str) -> Any:
    """Import the module and fetch the attribute; each way this can fail has its own one-line message.

    Exceptions raised by the module's own code while it imports propagate unchanged: their traceback is the
    user's best guide.
    """
    module_name, attr = split_entrypoint(entry)
    ensure_cwd_importable()
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and (module_name == missing or module_name.startswith(missing + ".")):
            raise RunnerError(
                f"cannot import module {module_name!r} (entrypoint {entry!r}): no module named {missing!r} "
                f"in the working directory {os.getcwd()!r} or on sys.path"
            ) from None
        raise
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            where = f"module {module_name!r}" if obj is module else f"{type(obj).__name__} {shorten(obj)}"
            raise RunnerError(f"{where} has no attribute {part!r} (entrypoint {entry!r})") from None
    if not callable(obj):
        raise RunnerError(f"the entrypoint {entry!r} is not callable: it is {type(obj).__name__} {shorten(obj)}")
    return obj
