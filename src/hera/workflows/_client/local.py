"""In-process transports from httpx to an ASGI app (the embedded engine's server), streaming both ways.

`LocalTransport` (sync) drives the app on a private event-loop thread of the process; `AsyncLocalTransport`
runs it on the caller's loop. Unlike `httpx.ASGITransport`, which collects the whole body first, both hand
each body chunk to the caller as the app sends it, so logs and watch streams stream; closing a response tells
the app the client went away (`http.disconnect`). The app is looked up on the first request, so building a
local client costs nothing until it is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

_Deliver = Callable[[tuple[Any, ...]], None]


def _scope(request: httpx.Request) -> dict[str, Any]:
    url = request.url
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": url.scheme,
        "path": url.path,
        "raw_path": url.raw_path.split(b"?", 1)[0],
        "query_string": url.query,
        "root_path": "",
        "headers": [(k.lower(), v) for k, v in request.headers.raw],
        "client": ("127.0.0.1", 0),
        "server": (url.host, url.port or 80),
    }


class _Exchange:
    """One request/response with the app; messages go to `deliver` as ("start"|"body"|"error"|"done", ...)."""

    def __init__(self, app: Any, scope: dict[str, Any], body: bytes, deliver: _Deliver) -> None:
        self.app = app
        self.scope = scope
        self.body = body
        self.deliver = deliver
        self.gone: asyncio.Event | None = None
        self.task: asyncio.Future[Any] | None = None

    async def run(self) -> None:
        self.gone = asyncio.Event()
        self.task = asyncio.current_task()
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": self.body, "more_body": False}
            assert self.gone is not None
            await self.gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            kind = message["type"]
            if kind == "http.response.start":
                self.deliver(("start", message["status"], message.get("headers") or []))
            elif kind == "http.response.body":
                if self.gone is not None and self.gone.is_set():
                    raise OSError("the client closed the response")
                self.deliver(("body", bytes(message.get("body", b"")), bool(message.get("more_body", False))))

        try:
            await self.app(self.scope, receive, send)
        except asyncio.CancelledError:
            pass
        except BaseException as e:  # an app crash reaches the caller as a transport error
            self.deliver(("error", e))
        finally:
            self.deliver(("done",))

    def leave(self) -> None:
        """The client went away: the app sees `http.disconnect`; still running after 1 s, it is cancelled."""
        if self.gone is not None and not self.gone.is_set():
            self.gone.set()
            task = self.task
            if task is not None and not task.done():
                asyncio.get_running_loop().call_later(1.0, task.cancel)


def _response(request: httpx.Request, first: tuple[Any, ...], stream: Any) -> httpx.Response:
    if first[0] == "error":
        raise httpx.RemoteProtocolError(f"the local server failed: {type(first[1]).__name__}: {first[1]}", request=request)
    if first[0] != "start":
        raise httpx.RemoteProtocolError("the local server ended without an answer", request=request)
    headers = [(bytes(k), bytes(v)) for k, v in first[2]]
    return httpx.Response(first[1], headers=headers, stream=stream, request=request)


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout") or {}
    value = timeout.get("read")
    return float(value) if value is not None else None


class _Stream:
    """A response body fed by the app's queued messages (a `queue.SimpleQueue` or an `asyncio.Queue`)."""

    def __init__(self, request: httpx.Request, q: Any, exchange: _Exchange) -> None:
        self._request = request
        self._q = q
        self._exchange = exchange
        self._done = False

    def _take(self, item: tuple[Any, ...]) -> bytes:
        """The bytes of one queued message (empty for none), noting the body's end; an app crash is a ReadError."""
        if item[0] == "body":
            if not item[2]:
                self._done = True
            return item[1]  # type: ignore[no-any-return]
        self._done = True
        if item[0] == "error":
            raise httpx.ReadError(f"the local server failed: {item[1]}", request=self._request)
        return b""


# -- sync ----------------------------------------------------------------------------------------------
class _LoopThread:
    """The process's private event loop for sync local clients (a daemon thread, started on first use)."""

    _loop: asyncio.AbstractEventLoop | None = None
    _lock = threading.Lock()

    @classmethod
    def loop(cls) -> asyncio.AbstractEventLoop:
        loop = cls._loop
        if loop is not None:
            return loop
        with cls._lock:
            if cls._loop is None:
                new = asyncio.new_event_loop()
                threading.Thread(target=new.run_forever, name="hera-local-transport", daemon=True).start()
                cls._loop = new
            return cls._loop


class _SyncStream(_Stream, httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        while not self._done:
            data = self._take(_sync_get(self._q, _read_timeout(self._request), self._request, self._exchange))
            if data:
                yield data

    def close(self) -> None:
        loop = _LoopThread.loop()
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._exchange.leave)


def _sync_get(q: queue.SimpleQueue[tuple[Any, ...]], timeout: float | None, request: httpx.Request, exchange: _Exchange) -> tuple[Any, ...]:
    try:
        return q.get(timeout=timeout)
    except queue.Empty:
        with contextlib.suppress(RuntimeError):
            _LoopThread.loop().call_soon_threadsafe(exchange.leave)
        raise httpx.ReadTimeout(f"the local server did not answer within {timeout} s", request=request) from None


class LocalTransport(httpx.BaseTransport):
    """httpx transport calling an ASGI app in-process, from any thread (the app runs on a private loop)."""

    def __init__(self, app: Callable[[], Any]) -> None:
        self._app = app
        self._resolved: Any = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        app = self._resolved
        if app is None:
            app = self._resolved = self._app()
        body = request.read()
        q: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        exchange = _Exchange(app, _scope(request), body, q.put)
        asyncio.run_coroutine_threadsafe(exchange.run(), _LoopThread.loop())
        first = _sync_get(q, _read_timeout(request), request, exchange)
        return _response(request, first, _SyncStream(request, q, exchange))


# -- async ---------------------------------------------------------------------------------------------
class _AsyncStream(_Stream, httpx.AsyncByteStream):
    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self._done:
            data = self._take(await _async_get(self._q, _read_timeout(self._request), self._request, self._exchange))
            if data:
                yield data

    async def aclose(self) -> None:
        self._exchange.leave()


async def _async_get(q: asyncio.Queue[tuple[Any, ...]], timeout: float | None, request: httpx.Request, exchange: _Exchange) -> tuple[Any, ...]:
    try:
        return await asyncio.wait_for(q.get(), timeout)
    except asyncio.TimeoutError:
        exchange.leave()
        raise httpx.ReadTimeout(f"the local server did not answer within {timeout} s", request=request) from None


class AsyncLocalTransport(httpx.AsyncBaseTransport):
    """httpx async transport running an ASGI app on the caller's event loop, streaming its answers."""

    def __init__(self, app: Callable[[], Any]) -> None:
        self._app = app
        self._resolved: Any = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        app = self._resolved
        if app is None:
            app = self._resolved = self._app()
        body = await request.aread()
        q: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
        exchange = _Exchange(app, _scope(request), body, q.put_nowait)
        task = asyncio.ensure_future(exchange.run())
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)
        first = await _async_get(q, _read_timeout(request), request, exchange)
        return _response(request, first, _AsyncStream(request, q, exchange))


_TASKS: set[asyncio.Future[Any]] = set()  # keeps running exchanges referenced until they end
