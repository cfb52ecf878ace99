"""hera: the Python SDK for Argo Workflows, with an embedded engine that runs workflows on one machine."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` costs start-up time that the runner pays on every task
    from typing import Any

__all__ = ["__version__", "__version_info__"]


def __getattr__(name: str) -> Any:
    # Read lazily: importlib.metadata costs import time that most programs never need.
    if name in ("__version__", "__version_info__"):
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("hera")
        except PackageNotFoundError:  # running from a source tree without an install
            v = "0.0.0"
        globals()["__version__"] = v
        globals()["__version_info__"] = tuple(v.split("."))
        return globals()[name]
    raise AttributeError(f"module 'hera' has no attribute {name!r}")
