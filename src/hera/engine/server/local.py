"""The process-wide app of the local transport: one server app, over one Engine, per state directory.

`local_app()` resolves the state directory when called (`HERA_STATE_DIR`, else the default data directory),
so every `host="local"` client of the process shares the engine of that directory. Runner nodes import the
program's modules from its script's directory and the working directory (`EngineOptions.python_path`). The engine starts on the
first request and is closed when the process exits (or by `close_local_apps()`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import Any

_APPS: dict[Path, Any] = {}
_LOCK = threading.Lock()


def local_app(state_dir: str | os.PathLike[str] | None = None) -> Any:
    """The shared app for `state_dir` (default: the engine's default state directory)."""
    from hera.engine.api import default_state_dir

    path = Path(state_dir).expanduser() if state_dir is not None else default_state_dir()
    key = path.absolute()
    app = _APPS.get(key)
    if app is not None:
        return app
    with _LOCK:
        app = _APPS.get(key)
        if app is None:
            from hera.engine.options import EngineOptions
            from hera.engine.server.app import create_app

            app = create_app(state_dir=key, options=EngineOptions(python_path=caller_code_dirs()))
            if not _APPS:
                atexit.register(close_local_apps)
            _APPS[key] = app
    return app


def caller_code_dirs() -> list[str]:
    """Where this program's own modules live: its script's directory and the working directory (what
    `python flow.py` and `python -m pkg.flow` put on sys.path), for the runner nodes that import them."""
    dirs: list[str] = []
    main = sys.argv[0] if sys.argv else ""
    if main and main not in ("-c", "-m") and os.path.isfile(main):
        dirs.append(os.path.dirname(os.path.abspath(main)))
    with contextlib.suppress(OSError):
        dirs.append(os.getcwd())
    return dirs


def close_local_apps() -> None:
    """Close the engines of every local app (their workflows carry on when an engine next opens the state)."""
    with _LOCK:
        apps = list(_APPS.values())
        _APPS.clear()
    for app in apps:
        app.state.holder.close()
