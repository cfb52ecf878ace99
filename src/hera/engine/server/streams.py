"""Streaming answers in grpc-gateway's form: one `{"result": ...}` JSON object per line, sent as produced.

`NDJSONStream` sends each item when it is ready and stops producing as soon as the client goes away (it
listens for the disconnect itself, whatever the ASGI server's version). `from_thread` turns a blocking
generator (the engine's log reader) into an async iterator fed by its own thread, with a bounded buffer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from hera.engine.server.errors import status_and_message, stream_error_line

_HEADERS = [(b"content-type", b"application/json"), (b"cache-control", b"no-cache"), (b"x-accel-buffering", b"no")]


class NDJSONStream:
    """An ASGI response streaming the dicts of an async iterator as `{"result": item}` lines.

    With `batched`, the iterator yields lists of dicts, each list sent as one chunk (many log lines at once).
    """

    def __init__(self, items: AsyncIterator[Any], *, batched: bool = False) -> None:
        self.items = items
        self.batched = batched

    async def __call__(self, scope: Any, receive: Callable[[], Any], send: Callable[[Any], Any]) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
        producer = asyncio.ensure_future(self._produce(send))
        listener = asyncio.ensure_future(_wait_disconnect(receive))
        try:
            done, _ = await asyncio.wait({producer, listener}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (producer, listener):
                if not task.done():
                    task.cancel()
            for task in (producer, listener):
                with contextlib.suppress(BaseException):
                    await task
        if producer in done and not producer.cancelled() and producer.exception() is None:
            with contextlib.suppress(OSError):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _produce(self, send: Callable[[Any], Any]) -> None:
        try:
            async for item in self.items:
                group = item if self.batched else (item,)
                chunk = b"".join(
                    json.dumps({"result": one}, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
                    for one in group
                )
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except (asyncio.CancelledError, OSError):
            raise
        except Exception as e:  # after the 200 header, failures travel in the stream
            status, message = status_and_message(e)
            await send({"type": "http.response.body", "body": stream_error_line(status, message), "more_body": True})
        finally:
            closer = getattr(self.items, "aclose", None)
            if closer is not None:
                with contextlib.suppress(BaseException):
                    await closer()


async def _wait_disconnect(receive: Callable[[], Any]) -> None:
    while True:
        message = await receive()
        if message.get("type") == "http.disconnect":
            return


async def from_thread(make: Callable[[], Iterator[Any]], *, buffer: int = 2048) -> AsyncIterator[list[Any]]:
    """Items of the blocking iterator `make()` read in a thread of its own (it may block for long), in lists
    of what is ready: one item when they come slowly, many when the thread is ahead of the consumer.

    The thread stops at its next item once the consumer is gone; at most `buffer` items wait in memory.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    slots = threading.Semaphore(buffer)
    stop = threading.Event()

    def deliver(kind: str, value: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody listens any more
            loop.call_soon_threadsafe(queue.put_nowait, (kind, value))

    def run() -> None:
        it = make()
        try:
            for item in it:
                while not slots.acquire(timeout=0.5):
                    if stop.is_set():
                        return
                if stop.is_set():
                    return
                deliver("item", item)
        except BaseException as e:
            deliver("error", e)
        finally:
            close = getattr(it, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    close()
            deliver("end", None)

    threading.Thread(target=run, name="hera-server-stream", daemon=True).start()
    try:
        while True:
            ready = [await queue.get()]
            while not queue.empty() and len(ready) < buffer:
                ready.append(queue.get_nowait())
            items = [value for kind, value in ready if kind == "item"]
            for _ in items:
                slots.release()
            if items:
                yield items
            for kind, value in ready:
                if kind == "error":
                    raise value
                if kind == "end":
                    return
    finally:
        stop.set()
