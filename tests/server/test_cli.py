"""`hera server` as a command: serves the API, takes its token from --auth-token or HERA_SERVER_TOKEN, stops
cleanly on SIGTERM."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.server._support import HeraServerProcess, free_port


def test_hera_server_serves_with_a_token_from_the_environment(tmp_path: Path) -> None:
    server = HeraServerProcess(tmp_path / "state", free_port(), env={"HERA_SERVER_TOKEN": "cli-token"})
    server.start(token="cli-token")
    try:
        assert httpx.get(f"{server.url}/api/v1/workflows/default").status_code == 401
        ok = httpx.get(f"{server.url}/api/v1/workflows/default", headers={"Authorization": "Bearer cli-token"})
        assert ok.status_code == 200 and ok.json() == {"metadata": {}, "items": []}
        assert (tmp_path / "state" / "state.db").exists()
        code, err = server.stop()  # SIGTERM: uvicorn shuts down (the lifespan closes the engine), then exits
        assert code in (0, -15) and "Application shutdown complete" in err, err
    finally:
        server.kill()


def test_hera_server_rejects_half_tls_options(tmp_path: Path) -> None:
    (tmp_path / "c").write_text("a certificate without its key\n")
    done = subprocess.run(
        [sys.executable, "-m", "hera", "server", "--state-dir", str(tmp_path), "--tls-cert-file", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--tls-key-file" in done.stderr


def test_hera_server_on_a_port_in_use_says_so_in_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "hera", "server", "--state-dir", str(tmp_path), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
