"""`EngineHolder`: the Engine behind a server app, created and started on first use (or handed in)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hera.engine.api import Engine


class EngineHolder:
    """Gives handlers the Engine: an existing one, or one made for `state_dir` and started on first use.

    A holder that made its engine closes it in `close()`; a handed-in engine belongs to its owner.
    """

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        state_dir: str | os.PathLike[str] | None = None,
        options: Any = None,
    ) -> None:
        self._engine = engine
        self._owned = engine is None
        self.state_dir = Path(state_dir).expanduser() if state_dir is not None else None
        self._options = options
        self._lock = threading.Lock()
        self._ready = False

    @property
    def started(self) -> bool:
        """Whether the engine exists yet."""
        return self._engine is not None

    def get(self) -> Engine:
        """The engine, started (made on the first call when the holder owns it)."""
        engine = self._engine
        if engine is not None and self._ready:
            return engine
        with self._lock:
            if self._engine is None:
                from hera.engine.api import Engine

                self._engine = Engine(self.state_dir, options=self._options)
            self._engine.start()  # idempotent; a handed-in engine is started here too
            self._ready = True
            return self._engine

    def close(self) -> None:
        """Close the engine if this holder made it."""
        with self._lock:
            engine, self._engine = self._engine, None
            self._ready = False
        if engine is not None and self._owned:
            engine.close()
