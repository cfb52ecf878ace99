"""The embedded engine served over Argo's REST API: a Starlette app (`create_app`), run by uvicorn for
`hera server` (`serve`), and driven in-process by the client's local transport (`local_app`).

Names load lazily so importing this package does not import Starlette.
"""

from __future__ import annotations

from typing import Any

__all__ = ["close_local_apps", "create_app", "local_app", "serve"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from hera.engine.server.app import create_app

        return create_app
    if name in ("local_app", "close_local_apps"):
        from hera.engine.server import local

        return getattr(local, name)
    if name == "serve":
        from hera.engine.server.serve import serve

        return serve
    raise AttributeError(f"module 'hera.engine.server' has no attribute {name!r}")
