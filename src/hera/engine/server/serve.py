"""`serve`: run the REST app with uvicorn until interrupted (what `hera server` does)."""

from __future__ import annotations

import os
from typing import Any


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 2746,
    state_dir: str | os.PathLike[str] | None = None,
    auth_token: str | None = None,
    options: Any = None,
    tls_cert_file: str | None = None,
    tls_key_file: str | None = None,
    log_level: str = "info",
) -> None:
    """Serve the embedded engine on `host:port`; the engine starts with the server and stops with it."""
    import uvicorn

    from hera.engine.server.app import create_app

    if options is None:
        from hera.engine.options import EngineOptions

        # runner scripts of submitted workflows import their modules from where the server was started
        options = EngineOptions(python_path=[os.getcwd()])
    app = create_app(state_dir=state_dir, auth_token=auth_token, options=options, start_engine_on_startup=True)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        ssl_certfile=tls_cert_file,
        ssl_keyfile=tls_key_file,
        timeout_graceful_shutdown=2,
    )
    uvicorn.Server(config).run()
