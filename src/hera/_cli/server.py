"""`hera server`: serve the embedded engine over the Argo Server REST API (imports its stack only when run)."""

from __future__ import annotations

import os

import click


@click.command("server")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=2746, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (Argo's is 2746).")
@click.option(
    "--auth-token",
    envvar="HERA_SERVER_TOKEN",
    default=None,
    help="Require `Authorization: Bearer <token>` on every request (env HERA_SERVER_TOKEN).",
)
@click.option(
    "--state-dir",
    envvar="HERA_STATE_DIR",
    default=None,
    type=click.Path(file_okay=False),
    help="Engine state directory (env HERA_STATE_DIR; default: the user's data directory).",
)
@click.option("--tls-cert-file", default=None, type=click.Path(exists=True, dir_okay=False), help="Serve HTTPS with this certificate.")
@click.option("--tls-key-file", default=None, type=click.Path(exists=True, dir_okay=False), help="Private key of --tls-cert-file.")
@click.option("--log-level", default="info", show_default=True, type=click.Choice(["debug", "info", "warning", "error"]))
def server(
    host: str,
    port: int,
    auth_token: str | None,
    state_dir: str | None,
    tls_cert_file: str | None,
    tls_key_file: str | None,
    log_level: str,
) -> None:
    """Serve the embedded engine through the Argo Server REST API, so any Argo client can use it.

    Point hera at it with ARGO_SERVER=http://HOST:PORT (or global_config.host); the argo CLI works with
    ARGO_SERVER=HOST:PORT ARGO_SECURE=false ARGO_HTTP1=true.
    """
    from hera.engine.server.serve import serve

    if bool(tls_cert_file) != bool(tls_key_file):
        raise click.UsageError("--tls-cert-file and --tls-key-file go together")
    if auth_token is not None and not auth_token.strip():
        raise click.UsageError("--auth-token must not be empty")
    if host not in ("127.0.0.1", "localhost", "::1") and not auth_token:
        click.echo(f"warning: serving on {host} without --auth-token: anyone who can reach it can run programs", err=True)
    if tls_cert_file and tls_key_file:
        _check_tls(tls_cert_file, tls_key_file)
    _check_state_dir(state_dir)
    _check_port(host, port)
    scheme = "https" if tls_cert_file else "http"
    where = os.path.abspath(state_dir) if state_dir else "the default state directory"
    click.echo(f"hera server: {scheme}://{host}:{port} (state: {where})", err=True)
    serve(
        host=host,
        port=port,
        state_dir=state_dir,
        auth_token=auth_token,
        tls_cert_file=tls_cert_file,
        tls_key_file=tls_key_file,
        log_level=log_level,
    )


def _check_tls(cert: str, key: str) -> None:
    """Load the certificate and key now, so a wrong file is one line here rather than a traceback from uvicorn."""
    import ssl

    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as e:
        raise click.BadParameter(
            f"cannot load {cert} with key {key}: {getattr(e, 'reason', None) or e} (PEM files expected)",
            param_hint="'--tls-cert-file' / '--tls-key-file'",
        ) from None


def _check_state_dir(state_dir: str | None) -> None:
    """Create the state directory now and check it is writable, so the server does not fail at its first start."""
    from pathlib import Path

    if state_dir is None:
        from hera.engine.api import default_state_dir

        path = default_state_dir()
    else:
        path = Path(state_dir).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise click.BadParameter(f"{path}: {e.strerror or e}", param_hint="'--state-dir'") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise click.BadParameter(f"{path}: not writable", param_hint="'--state-dir'")


def _check_port(host: str, port: int) -> None:
    """Bind the address once now, so a port in use (or a host that is not this machine's) is one line here
    rather than uvicorn's log lines and exit code 3."""
    import socket

    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as e:
        raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as e:
            raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
