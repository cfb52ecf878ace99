"""Real servers for the client and server tests: uvicorn in a thread, `hera server` as a process, and a tiny
stdlib HTTP server whose answers a test scripts (for behaviour no healthy server shows: 503s, echoes, odd
phases). No mocks: every test talks HTTP over a localhost socket."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThreadServer:
    """uvicorn serving `app` on 127.0.0.1 in a daemon thread; `url` once started."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so (else Nagle and
        # delayed ACKs add 40 ms to every answer)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


def serve_engine(state_dir: Path, **kwargs: Any) -> ThreadServer:
    """The real REST app over a fresh engine on `state_dir`, served on a free port."""
    from hera.engine.server import create_app

    return ThreadServer(create_app(state_dir=state_dir, start_engine_on_startup=True, **kwargs))


class HeraServerProcess:
    """`hera server` as a child process (killed for real in restart tests)."""

    def __init__(self, state_dir: Path, port: int, *extra: str, env: dict[str, str] | None = None) -> None:
        self.args = [sys.executable, "-m", "hera", "server", "--port", str(port), "--state-dir", str(state_dir), *extra]
        self.url = f"http://127.0.0.1:{port}"
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, token: str | None = None) -> HeraServerProcess:
        self.log = tempfile.TemporaryFile()  # not a pipe: a chatty server must never block on a full one
        self.proc = subprocess.Popen(self.args, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hera server exited: {self.stderr()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/api/v1/version", headers=headers, timeout=1).status_code in (200, 401):
                    return self
            time.sleep(0.05)
        raise RuntimeError("hera server did not answer within 20 s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> tuple[int, str]:
        """SIGTERM; the exit code and what the server wrote to stderr."""
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(10)
        return self.proc.returncode, self.stderr()

    def stderr(self) -> str:
        """What the server wrote to stderr so far."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


Handler = Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, str], Any]]


class TinyServer:
    """A stdlib HTTP server answering with `handler(method, path, headers, body) -> (status, headers, body)`.

    `body` may be bytes, a JSON-able object, or an iterator of bytes (sent as it is produced). Every request is
    recorded in `requests` as (method, path, headers, body).
    """

    def __init__(self, handler: Handler) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        outer = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _do(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append((self.command, self.path, headers, body))
                status, extra, content = handler(self.command, self.path, headers, body)
                if isinstance(content, Iterator):
                    self.send_response(status)
                    for k, v in {"content-type": "application/json", **extra}.items():
                        self.send_header(k, v)
                    self.send_header("transfer-encoding", "chunked")
                    self.end_headers()
                    for chunk in content:
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                    return
                data = content if isinstance(content, bytes) else json.dumps(content).encode()
                self.send_response(status)
                for k, v in {"content-type": "application/json", **extra}.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _do

        class _Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that gave up (timeout tests) is expected, not worth a traceback

        self.httpd = _Server(("127.0.0.1", 0), _H)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> TinyServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def script_workflow(source: str, *, generate_name: str = "t-", labels: dict[str, str] | None = None) -> dict[str, Any]:
    """A one-node Workflow document running a Python script."""
    meta: dict[str, Any] = {"generateName": generate_name}
    if labels:
        meta["labels"] = labels
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": meta,
        "spec": {
            "entrypoint": "main",
            "templates": [{"name": "main", "script": {"image": "python:3.11", "command": ["python"], "source": source}}],
        },
    }
