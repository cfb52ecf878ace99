"""hera's embedded engine: runs Argo Workflows documents on one machine with Argo's semantics.

    from hera.engine import Engine
    with Engine() as engine:
        wf = engine.create_workflow("default", workflow_dict)
        engine.wait_workflow("default", wf["metadata"]["name"])

Names load lazily so `import hera.engine` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hera.engine.api import Engine
    from hera.engine.options import EngineOptions

__all__ = ["Engine", "EngineOptions"]


def __getattr__(name: str) -> Any:
    if name == "Engine":
        from hera.engine.api import Engine

        return Engine
    if name == "EngineOptions":
        from hera.engine.options import EngineOptions

        return EngineOptions
    raise AttributeError(f"module 'hera.engine' has no attribute {name!r}")
