"""`watch_workflows`: Argo's WorkflowWatchEvent stream (ADDED / MODIFIED / DELETED) over the Engine facade.

It re-reads through the engine's public reads whenever the engine commits a change, and reports what changed,
so a watch ends the moment its client goes away (an async generator over the engine's reads, rather than the
blocking `Engine.watch_workflows`). A selector on one name (`metadata.name=x`, what `wait` and
`argo wait` use) reads that workflow alone, and only when its resourceVersion moved.

Change notices come from `Engine.wait_for_change` (one thread per engine fans them out to the watches);
without it, watches poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

from hera.exceptions import NotFound

if TYPE_CHECKING:
    from hera.engine.api import Engine

POLL_ONE = 0.05  # without change notices
POLL_MANY = 0.5
NOTICE_FALLBACK = 0.5  # with change notices: re-read at least this often anyway
MIN_LIST_INTERVAL = 0.1


class _Changes:
    """Wakes the watches of one engine each time it commits (one thread per engine waits on its changes)."""

    def __init__(self, engine: Any) -> None:
        self._engine = weakref.ref(engine)
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        threading.Thread(target=self._run, name="hera-server-changes", daemon=True).start()

    def _run(self) -> None:
        version = -1
        while True:
            engine = self._engine()
            if engine is None or engine.closed:
                return
            version = engine.wait_for_change(version, NOTICE_FALLBACK)
            del engine
            with self._lock:
                waiters = list(self._waiters)
            for loop, event in waiters:
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(event.set)

    async def wait(self, timeout: float) -> None:
        """Return at the next commit of the engine, or after `timeout` seconds."""
        key = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.add(key)
        try:
            await asyncio.wait_for(key[1].wait(), timeout)
        except asyncio.TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiters.discard(key)


_CHANGES: weakref.WeakKeyDictionary[Any, _Changes] = weakref.WeakKeyDictionary()
_CHANGES_LOCK = threading.Lock()


def _changes(engine: Any) -> _Changes | None:
    if not callable(getattr(engine, "wait_for_change", None)):
        return None
    with _CHANGES_LOCK:
        found = _CHANGES.get(engine)
        if found is None:
            found = _CHANGES[engine] = _Changes(engine)
        return found


def single_name(field_selector: str | None) -> str | None:
    """The name when the field selector is exactly `metadata.name=<name>` (or `==`)."""
    if not field_selector or "," in field_selector:
        return None
    for op in ("==", "="):
        key, sep, value = field_selector.partition(op)
        if sep and key.strip() == "metadata.name" and not key.endswith("!"):
            return value.strip() or None
    return None


def _unchanged(engine: Engine, known: dict[str, tuple[str, dict[str, Any]]]) -> bool:
    """True when the one known workflow still has the resourceVersion we saw (a cheap read of the store)."""
    if len(known) != 1:
        return False
    cheap = getattr(getattr(engine, "store", None), "workflow_phase", None)
    if cheap is None:
        return False
    uid, (rv, _) = next(iter(known.items()))
    state = cheap(uid)
    return state is not None and str(state[1]) == rv


def _read(
    engine: Engine,
    namespace: str,
    name: str | None,
    field_selector: str | None,
    label_selector: str | None,
    known: dict[str, tuple[str, dict[str, Any]]],
) -> dict[str, dict[str, Any]] | None:
    """The matching workflows by uid; None when the one watched workflow has not changed."""
    if name is not None and namespace:
        if _unchanged(engine, known):
            return None
        try:
            wf = engine.get_workflow(namespace, name)
        except NotFound:
            return {}
        if label_selector:
            from hera.engine.selection import parse_label_selector

            if not parse_label_selector(label_selector)((wf.get("metadata") or {}).get("labels") or {}):
                return {}
        return {wf["metadata"]["uid"]: wf}
    items, _ = engine.list_workflows(namespace or None, label_selector=label_selector, field_selector=field_selector)
    return {wf["metadata"]["uid"]: wf for wf in items}


def check_selectors(field_selector: str | None, label_selector: str | None) -> None:
    """Raise BadRequest (400) for selectors that do not parse, before a stream starts."""
    from hera.engine.selection import parse_label_selector, workflow_field_predicate

    parse_label_selector(label_selector)
    workflow_field_predicate(field_selector)


def _slim(wf: dict[str, Any]) -> dict[str, Any]:
    """What a DELETED event carries: identity and last phase (not the nodes)."""
    out: dict[str, Any] = {k: wf[k] for k in ("apiVersion", "kind", "metadata") if k in wf}
    phase = (wf.get("status") or {}).get("phase")
    out["status"] = {"phase": phase} if phase else {}
    return out


async def watch_workflows(
    engine: Engine, namespace: str, *, field_selector: str | None = None, label_selector: str | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Yield `{"type", "object"}` events: ADDED for what exists at the start, then each change."""
    name = single_name(field_selector)
    poll = POLL_ONE if name is not None else POLL_MANY
    changes = _changes(engine)

    async def pause() -> None:
        if changes is None:
            await asyncio.sleep(poll)
            return
        if name is None:
            await asyncio.sleep(MIN_LIST_INTERVAL)  # a list costs more: at most so many per second
        await changes.wait(NOTICE_FALLBACK)

    known: dict[str, tuple[str, dict[str, Any]]] = {}
    while True:
        current = await run_in_threadpool(_read, engine, namespace, name, field_selector, label_selector, known)
        if current is None:
            await pause()
            continue
        for uid, wf in current.items():
            rv = str((wf.get("metadata") or {}).get("resourceVersion"))
            before = known.get(uid)
            if before is None:
                yield {"type": "ADDED", "object": wf}
            elif before[0] != rv:
                yield {"type": "MODIFIED", "object": wf}
            known[uid] = (rv, _slim(wf))
        for uid in [u for u in known if u not in current]:
            yield {"type": "DELETED", "object": known.pop(uid)[1]}
        await pause()
