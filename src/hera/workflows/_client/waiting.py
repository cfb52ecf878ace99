"""Waiting for a workflow to finish, through the REST API (sync and async).

The loop GETs the workflow; while it is not Succeeded, Failed or Error (Pending, Running, no phase yet, or a
phase this client does not know), it watches it (`workflow-events` with `metadata.name=<name>`, as `argo
wait` does) for up to `poll_interval` seconds, so the end is seen at once rather than at the next poll, then
GETs again. A server that cannot watch (it answers an error) is polled instead. Connection failures, timeouts
and 502/503/504 answers are retried with backoff until the deadline, so a wait survives a server restart; no
single request may outlast the deadline (each one's timeout is cut to the time left).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from hera.exceptions import HeraException
from hera.workflows._client.base import RETRY_STATUSES, backoff
from hera.workflows._client.errors import ServerTimeout, ServerUnreachable

DONE = ("Succeeded", "Failed", "Error")
_MIN_WINDOW = 0.05


def phase_of(wf: Any) -> str | None:
    """The phase of a Workflow model or dict (None when it has none yet)."""
    if isinstance(wf, dict):
        phase = (wf.get("status") or {}).get("phase")
    else:
        phase = getattr(getattr(wf, "status", None), "phase", None)
    return str(getattr(phase, "value", phase)) if phase else None


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else deadline - time.monotonic()


def _timeout_error(name: str, timeout: float | None, last: Exception | None) -> TimeoutError:
    why = f" (last error: {last})" if last is not None else ""
    return TimeoutError(f"workflow {name!r} did not complete within {timeout} s{why}")


def _window(poll_interval: float, deadline: float | None) -> float:
    left = _remaining(deadline)
    return max(_MIN_WINDOW, poll_interval if left is None else min(poll_interval, left))


def _watch_query(name: str) -> dict[str, Any]:
    return {"listOptions.fieldSelector": f"metadata.name={name}"}


def _ended(event: Any) -> bool:
    return isinstance(event, dict) and (event.get("type") == "DELETED" or phase_of(event.get("object") or {}) in DONE)


class _Wait:
    """The decisions of one wait, shared by the sync and async loops: when it is over, how long to watch, how
    long to back off after a connection failure, and when the deadline has passed."""

    def __init__(self, name: str, timeout: float | None, poll_interval: float) -> None:
        self.name = name
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.watch = True  # False once the server answers a watch with an error: poll instead
        self.failures = 0
        self.start = 0.0
        self.window = 0.0

    def after_get(self, wf: Any) -> bool:
        """True when `wf` is done; else sets the next watch (or poll) window. TimeoutError past the deadline."""
        self.failures = 0
        if phase_of(wf) in DONE:
            return True
        left = _remaining(self.deadline)
        if left is not None and left <= 0:
            raise _timeout_error(self.name, self.timeout, None)
        self.window = _window(self.poll_interval, self.deadline)
        self.start = time.monotonic()
        return False

    def limits(self, service: Any, extra: float = 0.0) -> tuple[float, int]:
        """(timeout, retries) of the next request: the service's timeout cut to the time left (plus `extra`, the
        watch window), and no retries of its own: this loop retries. TimeoutError once the deadline has passed."""
        timeout = float(service.timeout) + extra
        left = _remaining(self.deadline)
        if left is None:
            return timeout, 0
        if left <= 0:
            raise _timeout_error(self.name, self.timeout, None)
        return max(_MIN_WINDOW, min(timeout, left)), 0

    def stop_watching(self, event: Any) -> bool:
        """After a watch event: whether to GET again (the workflow ended, or the window is over)."""
        return _ended(event) or time.monotonic() - self.start >= self.window

    @staticmethod
    def transient(error: HeraException) -> bool:
        """A server answer worth waiting through (a proxy or server briefly unavailable)."""
        return error.status_code in RETRY_STATUSES

    def retry_delay(self, error: Exception) -> float:
        """How long to wait after a connection failure or timeout; TimeoutError when that passes the deadline."""
        delay = min(max(self.poll_interval, _MIN_WINDOW), backoff(self.failures))
        self.failures += 1
        left = _remaining(self.deadline)
        if left is not None and left <= delay:
            raise _timeout_error(self.name, self.timeout, error) from None
        return delay


def wait_sync(service: Any, name: str, namespace: str | None, timeout: float | None, poll_interval: float) -> Any:
    """Block until workflow `name` is done; returns it (a models.Workflow). TimeoutError past `timeout`."""
    from hera.workflows._service_ops import GET_WORKFLOW, WATCH_WORKFLOWS

    w = _Wait(name, timeout, poll_interval)
    path = {"namespace": namespace, "name": name}
    while True:
        try:
            wf = service._call(GET_WORKFLOW, path, limits=w.limits(service))
            if w.after_get(wf):
                return wf
            if not w.watch:
                time.sleep(w.window)
                continue
            events = service._stream(
                WATCH_WORKFLOWS, {"namespace": namespace}, _watch_query(name), raw=True, read_timeout=w.window,
                limits=w.limits(service),
            )  # fmt: skip
            try:
                for event in events:
                    if w.stop_watching(event):
                        break
            except ServerTimeout:
                pass  # quiet for the whole window: GET again
            except HeraException as e:
                w.watch = w.transient(e)  # a server that cannot watch answers an error: poll it
            finally:
                events.close()
        except (ServerUnreachable, ServerTimeout) as e:
            time.sleep(w.retry_delay(e))
        except HeraException as e:
            if not w.transient(e):
                raise
            time.sleep(w.retry_delay(e))


async def wait_async(service: Any, name: str, namespace: str | None, timeout: float | None, poll_interval: float) -> Any:
    """Async `wait_sync`."""
    from hera.workflows._service_ops import GET_WORKFLOW, WATCH_WORKFLOWS

    w = _Wait(name, timeout, poll_interval)
    path = {"namespace": namespace, "name": name}
    while True:
        try:
            wf = await service._call(GET_WORKFLOW, path, limits=w.limits(service))
            if w.after_get(wf):
                return wf
            if not w.watch:
                await asyncio.sleep(w.window)
                continue
            events = service._stream(
                WATCH_WORKFLOWS, {"namespace": namespace}, _watch_query(name), raw=True, read_timeout=w.window,
                limits=w.limits(service),
            )  # fmt: skip
            try:
                async for event in events:
                    if w.stop_watching(event):
                        break
            except ServerTimeout:
                pass
            except HeraException as e:
                w.watch = w.transient(e)
            finally:
                await events.aclose()
        except (ServerUnreachable, ServerTimeout) as e:
            await asyncio.sleep(w.retry_delay(e))
        except HeraException as e:
            if not w.transient(e):
                raise
            await asyncio.sleep(w.retry_delay(e))
