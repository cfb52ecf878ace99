"""Waiting for a workflow to finish, through the REST API (sync and async).

The loop GETs the workflow; while it is not Succeeded, Failed or Error (Pending, Running, no phase yet, or a
phase this client does not know), it watches it (`workflow-events` with `metadata.name=<name>`, as `argo
wait` does) for up to `poll_interval` seconds, so the end is seen at once rather than at the next poll, then
GETs again. A server that cannot watch (it answers an error) is polled instead. Connection failures and
timeouts are retried with backoff until the deadline, so a wait survives a server restart.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from hera.exceptions import HeraException
from hera.workflows._client.base import backoff
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


def wait_sync(service: Any, name: str, namespace: str | None, timeout: float | None, poll_interval: float) -> Any:
    """Block until workflow `name` is done; returns it (a models.Workflow). TimeoutError past `timeout`."""
    from hera.workflows._service_ops import WATCH_WORKFLOWS

    deadline = None if timeout is None else time.monotonic() + timeout
    watch = True
    failures = 0
    last: Exception | None = None
    while True:
        try:
            wf = service.get_workflow(name, namespace=namespace)
            failures, last = 0, None
            if phase_of(wf) in DONE:
                return wf
            left = _remaining(deadline)
            if left is not None and left <= 0:
                raise _timeout_error(name, timeout, None)
            window = _window(poll_interval, deadline)
            if not watch:
                time.sleep(window)
                continue
            start = time.monotonic()
            events = service._stream(
                WATCH_WORKFLOWS, {"namespace": namespace}, _watch_query(name), raw=True, read_timeout=window
            )
            try:
                for event in events:
                    if _ended(event) or time.monotonic() - start >= window:
                        break
            except ServerTimeout:
                pass  # quiet for the whole window: GET again
            except HeraException:
                watch = False  # this server does not watch: poll
            finally:
                events.close()
        except (ServerUnreachable, ServerTimeout) as e:
            last = e
            delay = min(max(poll_interval, _MIN_WINDOW), backoff(failures))
            failures += 1
            left = _remaining(deadline)
            if left is not None and left <= delay:
                raise _timeout_error(name, timeout, last) from None
            time.sleep(delay)


async def wait_async(service: Any, name: str, namespace: str | None, timeout: float | None, poll_interval: float) -> Any:
    """Async `wait_sync`."""
    from hera.workflows._service_ops import WATCH_WORKFLOWS

    deadline = None if timeout is None else time.monotonic() + timeout
    watch = True
    failures = 0
    last: Exception | None = None
    while True:
        try:
            wf = await service.get_workflow(name, namespace=namespace)
            failures, last = 0, None
            if phase_of(wf) in DONE:
                return wf
            left = _remaining(deadline)
            if left is not None and left <= 0:
                raise _timeout_error(name, timeout, None)
            window = _window(poll_interval, deadline)
            if not watch:
                await asyncio.sleep(window)
                continue
            start = time.monotonic()
            events = service._stream(
                WATCH_WORKFLOWS, {"namespace": namespace}, _watch_query(name), raw=True, read_timeout=window
            )
            try:
                async for event in events:
                    if _ended(event) or time.monotonic() - start >= window:
                        break
            except ServerTimeout:
                pass
            except HeraException:
                watch = False
            finally:
                await events.aclose()
        except (ServerUnreachable, ServerTimeout) as e:
            last = e
            delay = min(max(poll_interval, _MIN_WINDOW), backoff(failures))
            failures += 1
            left = _remaining(deadline)
            if left is not None and left <= delay:
                raise _timeout_error(name, timeout, last) from None
            await asyncio.sleep(delay)
