"""Host processes for leaf nodes: start them cheaply in their sandbox, stream their output to durable per-node
log files, keep stdout for `outputs.result`, and report each exit from one I/O thread.

One thread multiplexes every running process (epoll over the stdout/stderr pipes and a pidfd per process), so a
1,000-node fan-out costs a few file descriptors per running node and no thread per node.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import select
import signal
import struct
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hera.engine.executors.forkserver import EXITED, STARTED, ForkServer, ForkServerError
from hera.engine.executors.sandbox import Plan

#: `outputs.result` keeps at most this many trailing bytes of stdout, as Argo does.
RESULT_LIMIT = 256 * 1024
#: Beside each log file, `<log>.times` holds one record per chunk of output: (offset in the log, time read),
#: so that log lines can be shown with their timestamps.
TIMES_SUFFIX = ".times"
_TIME_RECORD = struct.Struct("<Qd")
_STDERR_KEEP = 8 * 1024


class SpawnError(Exception):
    """The process could not be started at all (the engine marks the node Error with this message)."""


@dataclass
class ProcSpec:
    """What to run for one process of a node."""

    key: Any
    argv: list[str]
    env: dict[str, str]
    plan: Plan
    log_path: str | Path
    log_header: bytes = b""
    tty: bool = False


@dataclass
class ProcHandle:
    """A running process; `exit_code`, `stdout` and `stderr_tail` are filled in when it has ended."""

    key: Any
    pid: int
    started: float
    log_fd: int
    popen: subprocess.Popen[bytes] | None = None
    pidfd: int = -1
    out_fd: int = -1
    err_fd: int = -1
    stdout: bytearray = field(default_factory=bytearray)
    stderr_tail: bytearray = field(default_factory=bytearray)
    exit_code: int | None = None
    exited_at: float = 0.0
    pty_master: int = -1
    log_path: str = ""
    log_header: bytes = b""
    killed: bool = False
    on_exit: Callable[[ProcHandle], None] | None = None
    log_pos: int = 0
    times_fd: int = -1
    via_server: bool = False
    pending_signal: int = 0  # asked for before the fork server reported the pid
    finished: bool = False

    @property
    def done(self) -> bool:
        return self.exit_code is not None and self.out_fd < 0 and self.err_fd < 0

    def result_text(self) -> str:
        """stdout as Argo's `outputs.result`: the last 256 KiB, one trailing newline removed."""
        data = bytes(self.stdout[-RESULT_LIMIT:])
        text = data.decode("utf-8", errors="replace")
        if text.endswith("\n"):
            text = text[:-1]
        return text


def _exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


class _Poller:
    """epoll over file descriptors, each with its data (lighter than `selectors` on the per-node path)."""

    def __init__(self) -> None:
        self._ep = select.epoll()
        self._data: dict[int, Any] = {}

    def register(self, fd: int, data: Any) -> None:
        self._ep.register(fd, select.EPOLLIN)
        self._data[fd] = data

    def unregister(self, fd: int) -> None:
        self._data.pop(fd, None)
        with contextlib.suppress(OSError, ValueError):
            self._ep.unregister(fd)

    def select(self, timeout: float | None) -> list[Any]:
        """The data of the descriptors that are ready (waits up to `timeout` seconds, forever with None)."""
        try:
            ready = self._ep.poll(-1 if timeout is None else timeout)
        except InterruptedError:
            return []
        data = self._data
        return [data[fd] for fd, _ in ready if fd in data]


class ProcessManager:
    """Starts node processes and reports their ends through `on_exit` callbacks (called on the I/O thread)."""

    def __init__(
        self,
        *,
        mode: str,
        helper: Path | None,
        submounts: list[str],
        user_namespace: bool = False,
        pid_namespace: bool = False,
    ) -> None:
        self.mode = mode
        self.helper = str(helper) if helper else None
        self.submounts = submounts
        self.user_namespace = user_namespace
        self.pid_namespace = pid_namespace and helper is not None and mode != "none"
        self._sel = _Poller()
        self._lock = threading.Lock()
        self._handles: dict[int, ProcHandle] = {}
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._sel.register(self._wake_r, None)
        self._thread: threading.Thread | None = None
        self._closing = False
        self._poll_pids: set[int] = set()
        self._idle = False
        self._server: ForkServer | None = None
        self._server_failed = False
        self._pending: dict[int, ProcHandle] = {}  # by token: sent to the fork server, pid not known yet
        self._tokens = itertools.count(1)
        self._null = -1

    # -- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the I/O thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="hera-engine-io", daemon=True)
            self._thread.start()

    def close(self, *, kill: bool = True) -> None:
        """Stop the I/O thread; with `kill`, kill every running process first."""
        if kill:
            with self._lock:
                handles = [*self._handles.values(), *self._pending.values()]
            for h in handles:
                self.signal(h, signal.SIGKILL)
        self._closing = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._server is not None:
            self._server.close()
        with contextlib.suppress(OSError):
            os.close(self._wake_r)
            os.close(self._wake_w)
            if self._null >= 0:
                os.close(self._null)

    def running(self) -> int:
        """How many processes are running or finishing."""
        with self._lock:
            return len(self._handles) + len(self._pending)

    # -- starting --------------------------------------------------------------------------------------
    def spawn(self, spec: ProcSpec, on_exit: Callable[[ProcHandle], None]) -> ProcHandle:
        """Start `spec` in its sandbox; `on_exit(handle)` runs on the I/O thread when it ended and its pipes closed.

        Call from one long-lived thread: processes are tied to the thread that started them and die with it.
        """
        log_fd = -1  # opened on the first output: a silent node creates no log file
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        popen: subprocess.Popen[bytes] | None = None
        master = slave = -1
        if spec.tty:
            master, slave = os.openpty()
            os.set_inheritable(master, False)
            os.set_inheritable(slave, False)
        via_server = False
        # complete before the fork server can report on it: the I/O thread may see its start and exit (and
        # finish it) before this call returns, so the pipes and the callback must already be in place
        h = ProcHandle(key=spec.key, pid=-1, started=time.time(), log_fd=log_fd, pty_master=master)
        h.log_path = str(spec.log_path)
        h.log_header = spec.log_header
        h.out_fd, h.err_fd = out_r, err_r
        h.on_exit = on_exit
        try:
            plan = spec.plan
            if self.helper is not None and self.mode != "none":
                args = [
                    *plan.helper_args(
                        self.submounts, pid_namespace=self.pid_namespace, user_namespace=self.user_namespace
                    ),
                    "--",
                    *spec.argv,
                ]
                if self._null < 0:
                    self._null = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
                stdin = slave if slave >= 0 else self._null
                pid = -1
                server = self._fork_server()
                if server is not None:
                    token = next(self._tokens)
                    h.via_server = True
                    with self._lock:
                        self._pending[token] = h
                    try:
                        server.spawn(token, args, spec.env, (stdin, out_w, err_w))
                        via_server = True
                    except ForkServerError:
                        h.via_server = False
                        with self._lock:
                            self._pending.pop(token, None)
                if not via_server:
                    pid = os.posix_spawn(
                        self.helper,
                        [self.helper, *args],
                        spec.env,
                        file_actions=[
                            (os.POSIX_SPAWN_DUP2, stdin, 0),
                            (os.POSIX_SPAWN_DUP2, out_w, 1),
                            (os.POSIX_SPAWN_DUP2, err_w, 2),
                        ],
                    )
            elif self.mode != "none":
                popen = subprocess.Popen(
                    spec.argv,
                    env=spec.env,
                    stdin=slave if slave >= 0 else subprocess.DEVNULL,
                    stdout=out_w,
                    stderr=err_w,
                    preexec_fn=plan.preexec(self.submounts, user_namespace=self.user_namespace),
                    start_new_session=True,
                )
                pid = popen.pid
            else:
                cwd = plan.cwd or str(plan.tmp)
                os.makedirs(cwd, exist_ok=True)
                popen = subprocess.Popen(
                    spec.argv,
                    env=spec.env,
                    cwd=cwd,
                    stdin=slave if slave >= 0 else subprocess.DEVNULL,
                    stdout=out_w,
                    stderr=err_w,
                    start_new_session=True,
                )
                pid = popen.pid
        except OSError as e:
            for fd in (out_r, out_w, err_r, err_w, master, slave):
                if fd >= 0:
                    os.close(fd)
            raise SpawnError(f"cannot start {spec.argv[0]!r}: {e.strerror or e}") from e
        os.close(out_w)
        os.close(err_w)
        if slave >= 0:
            os.close(slave)
        os.set_blocking(out_r, False)
        os.set_blocking(err_r, False)
        h.popen = popen
        h.via_server = via_server
        if not via_server:
            h.pid = pid
            with self._lock:
                self._handles[pid] = h
        # epoll takes new descriptors while another thread waits on it: register here, and wake the I/O
        # thread only when it sleeps without a timeout (it then needs one for the periodic reap)
        self._sel.register(out_r, (h, 1))
        self._sel.register(err_r, (h, 2))
        if not via_server:
            self._poll_pids.add(pid)
            if self._idle:
                self._wake()
        return h

    def _fork_server(self) -> ForkServer | None:
        """The helper's fork server, started on first use from the calling (scheduler) thread."""
        server = self._server
        if server is not None and server.alive:
            return server
        if self._server_failed or self.helper is None:
            return None
        try:
            server = ForkServer(self.helper)
        except OSError:
            self._server_failed = True
            return None
        self._server = server
        self._sel.register(server.events.fileno(), (server, 3))
        self._wake()
        return server

    def signal(self, h: ProcHandle, sig: int) -> None:
        """Send `sig` to the process and everything in its session (its process group)."""
        if h.exit_code is not None:
            return
        if sig in (signal.SIGKILL, signal.SIGTERM):
            h.killed = True
        with self._lock:
            if h.pid < 0:  # the fork server has not reported it yet: sent when it does
                if h.pending_signal != signal.SIGKILL:
                    h.pending_signal = sig
                return
        if self.pid_namespace:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(h.pid, sig)
            return
        try:
            os.killpg(h.pid, sig)
        except (ProcessLookupError, PermissionError):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(h.pid, sig)

    # -- the I/O thread --------------------------------------------------------------------------------
    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._wake_w, b"x")

    def _loop(self) -> None:
        lingering: dict[int, float] = {}
        next_poll = time.monotonic() + 0.5
        while not self._closing:
            timeout = 0.05 if lingering else (0.5 if self._poll_pids else None)
            self._idle = timeout is None
            events = self._sel.select(timeout)
            self._idle = False
            for data in events:
                if data is None:
                    with contextlib.suppress(BlockingIOError, OSError):
                        os.read(self._wake_r, 4096)
                    continue
                h, which = data
                if which == 3:
                    self._server_events(h, lingering)
                    continue
                if which == 0:
                    self._sel.unregister(h.pidfd)
                    os.close(h.pidfd)
                    h.pidfd = -1
                    self._reap(h)
                    if not h.done:
                        lingering[h.pid] = time.monotonic() + 2.0
                else:
                    self._read(h, which)
                    if h.out_fd < 0 and h.err_fd < 0 and h.exit_code is None and not h.via_server:
                        # both pipes closed: the process has (almost certainly) exited
                        if self._reap(h, block=False):
                            self._poll_pids.discard(h.pid)
                        else:
                            self._watch_exit(h)
                if h.done:
                    lingering.pop(h.pid, None)
                    self._poll_pids.discard(h.pid)
                    self._finish(h)
            if self._poll_pids and time.monotonic() >= next_poll:
                next_poll = time.monotonic() + 0.5
                for pid in list(self._poll_pids):
                    hp = self._handles.get(pid)
                    if hp is None:
                        self._poll_pids.discard(pid)
                        continue
                    if self._reap(hp, block=False):
                        self._poll_pids.discard(pid)
                        if hp.done:
                            self._finish(hp)
                        else:
                            lingering[pid] = time.monotonic() + 2.0
            if lingering:
                now = time.monotonic()
                for pid, deadline in list(lingering.items()):
                    hl = self._handles.get(pid)
                    if hl is None:
                        lingering.pop(pid, None)
                        continue
                    if now >= deadline:
                        # something outside the process group still holds the pipes: stop reading them
                        for fd_attr in ("out_fd", "err_fd"):
                            fd = getattr(hl, fd_attr)
                            if fd >= 0:
                                self._sel.unregister(fd)
                                os.close(fd)
                                setattr(hl, fd_attr, -1)
                        lingering.pop(pid, None)
                        self._finish(hl)

    def _server_events(self, server: ForkServer, lingering: dict[int, float]) -> None:
        """Apply what the fork server reported (pids, exits); when it went away, its processes died with it."""
        events = server.read_events()
        if events is None:
            self._sel.unregister(server.events.fileno())
            with self._lock:
                orphans = [h for h in self._handles.values() if h.via_server and h.exit_code is None]
                pending = list(self._pending.values())
                self._pending.clear()
            events = [(EXITED, h.pid, signal.SIGKILL) for h in orphans]  # wait status of a SIGKILLed process
            for h in pending:
                self._start_failed(h, "the sandbox helper's fork server went away", lingering)
        for kind, a, b in events:
            if kind == STARTED:
                with self._lock:
                    started = self._pending.pop(a, None)
                    if started is not None and b > 0:
                        started.pid = b
                        self._handles[b] = started
                if started is None:
                    continue
                if b <= 0:
                    self._start_failed(started, f"cannot fork: {os.strerror(-b) if b else 'unknown error'}", lingering)
                elif started.pending_signal:
                    sig, started.pending_signal = started.pending_signal, 0
                    self.signal(started, sig)
            elif kind == EXITED:
                with self._lock:
                    found = self._handles.get(a)
                if found is not None:
                    self._exited(found, b, lingering)

    def _start_failed(self, h: ProcHandle, message: str, lingering: dict[int, float]) -> None:
        h.stderr_tail += f"hera-sandbox: {message}\n".encode()
        self._exited(h, 125 << 8, lingering)  # the wait status of exit code 125 (the view could not be set up)

    def _exited(self, h: ProcHandle, status: int, lingering: dict[int, float]) -> None:
        if h.exit_code is not None:
            return
        h.exit_code = _exit_code(status)
        h.exited_at = time.time()
        if h.pid > 0:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(h.pid, signal.SIGKILL)  # what the main process left behind in its session
        if h.done:
            lingering.pop(h.pid, None)
            self._finish(h)
        else:
            lingering[h.pid] = time.monotonic() + 2.0

    def _watch_exit(self, h: ProcHandle) -> None:
        """Wait for the exit of a process whose pipes are closed: a pidfd when available, else polling."""
        try:
            h.pidfd = os.pidfd_open(h.pid)
        except (AttributeError, OSError):
            return
        self._poll_pids.discard(h.pid)
        self._sel.register(h.pidfd, (h, 0))

    def _reap(self, h: ProcHandle, *, block: bool = True) -> bool:
        try:
            if h.popen is not None:
                code = h.popen.wait() if block else h.popen.poll()
                if code is None:
                    return False
                h.exit_code = 128 - code if code < 0 else code
            else:
                pid, status = os.waitpid(h.pid, 0 if block else os.WNOHANG)
                if pid == 0:
                    return False
                h.exit_code = _exit_code(status)
        except ChildProcessError:
            h.exit_code = 255
        h.exited_at = time.time()
        # kill what the main process left behind in its session, so that its pipes close
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(h.pid, signal.SIGKILL)
        return True

    def _read(self, h: ProcHandle, which: int) -> None:
        fd = h.out_fd if which == 1 else h.err_fd
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._sel.unregister(fd)
            os.close(fd)
            if which == 1:
                h.out_fd = -1
            else:
                h.err_fd = -1
            return
        if h.log_fd < 0:
            try:
                h.log_fd = os.open(h.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
                h.log_pos = os.fstat(h.log_fd).st_size
                h.times_fd = os.open(h.log_path + TIMES_SUFFIX, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
                if h.log_header:
                    h.log_pos += os.write(h.log_fd, h.log_header)
            except OSError:
                h.log_fd = -1
        if h.log_fd >= 0:
            with contextlib.suppress(OSError):
                if h.times_fd >= 0:
                    os.write(h.times_fd, _TIME_RECORD.pack(h.log_pos, time.time()))
                h.log_pos += os.write(h.log_fd, chunk)
        if which == 1:
            h.stdout += chunk
            if len(h.stdout) > 2 * RESULT_LIMIT:
                del h.stdout[: len(h.stdout) - RESULT_LIMIT]
        else:
            h.stderr_tail += chunk
            if len(h.stderr_tail) > 2 * _STDERR_KEEP:
                del h.stderr_tail[: len(h.stderr_tail) - _STDERR_KEEP]

    def _finish(self, h: ProcHandle) -> None:
        with self._lock:
            if h.finished:
                return
            h.finished = True
            if self._handles.get(h.pid) is h:
                del self._handles[h.pid]
        if h.log_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(h.log_fd)
        if h.times_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(h.times_fd)
        if h.pty_master >= 0:
            with contextlib.suppress(OSError):
                os.close(h.pty_master)
        if h.on_exit is not None:
            h.on_exit(h)
