"""The engine's side of the sandbox helper's fork server (`hera-sandbox --server`, see sandbox.c).

Starting a node through the server costs the engine one `sendmsg` instead of a `posix_spawn` of the helper
(which blocks the calling thread until the helper has been exec'd), and the node's process skips the
helper's own exec: the server forks itself and sets the view up in the child. The engine does not wait for
the fork: the child's pid, and later its exit status, come back as events on a second socket, which the
I/O thread watches.
"""

from __future__ import annotations

import array
import os
import socket
import struct
import threading

_HEADER = struct.Struct("<iii")  # token, argc, envc
_EVENT = struct.Struct("<iii")  # (STARTED, token, pid or -errno) or (EXITED, pid, wait status)
STARTED = 1
EXITED = 2
#: Requests larger than this (huge environments or arguments) are started without the server.
MAX_REQUEST = 200 * 1024


class ForkServerError(Exception):
    """The server could not start the process (the caller falls back to a direct spawn)."""


class ForkServer:
    """One running `hera-sandbox --server`; `spawn` is called from the engine's scheduler thread."""

    def __init__(self, helper: str) -> None:
        self.req, req_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.events, ev_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        null = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
        try:
            # started from the calling (scheduler) thread: the server dies with it, and its children with it
            self.pid = os.posix_spawn(
                helper,
                [helper, "--server", "3", "4"],
                {"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, null, 0),
                    (os.POSIX_SPAWN_DUP2, null, 1),
                    (os.POSIX_SPAWN_DUP2, null, 2),
                    (os.POSIX_SPAWN_DUP2, req_child.fileno(), 3),
                    (os.POSIX_SPAWN_DUP2, ev_child.fileno(), 4),
                ],
            )
        finally:
            os.close(null)
            req_child.close()
            ev_child.close()
        self.events.setblocking(False)
        self._lock = threading.Lock()
        self.alive = True

    def spawn(self, token: int, args: list[str], env: dict[str, str], fds: tuple[int, int, int]) -> None:
        """Ask for `hera-sandbox ARGS` with environment `env` and stdin/stdout/stderr `fds`; a STARTED event
        with `token` and the pid follows."""
        envs = [f"{k}={v}" for k, v in env.items()]
        payload = b"".join(
            [_HEADER.pack(token, len(args), len(envs)), *(s.encode() + b"\0" for s in args), *(s.encode() + b"\0" for s in envs)]
        )
        if len(payload) > MAX_REQUEST:
            raise ForkServerError("request too large for the fork server")
        with self._lock:
            if not self.alive:
                raise ForkServerError("the fork server is gone")
            try:
                self.req.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
            except OSError as e:
                self.alive = False
                raise ForkServerError(f"the fork server failed: {e}") from e

    def read_events(self) -> list[tuple[int, int, int]] | None:
        """The events reported so far, as (STARTED, token, pid or -errno) and (EXITED, pid, wait status);
        None when the server has gone away (after the events it sent before)."""
        out: list[tuple[int, int, int]] = []
        while True:
            try:
                data = self.events.recv(_EVENT.size)
            except BlockingIOError:
                return out
            except OSError:
                data = b""
            if len(data) != _EVENT.size:
                self.alive = False
                return out or None
            out.append(_EVENT.unpack(data))

    def close(self) -> None:
        """Stop the server (its remaining children are killed with it) and reap it."""
        self.alive = False
        for s in (self.req, self.events):
            try:
                s.close()
            except OSError:
                pass
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError, OSError):
            pass
