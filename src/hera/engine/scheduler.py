"""The scheduler thread: one event loop that owns every running workflow.

Events (process exits, timers, API commands) are queued; the loop drains the queue, then writes every changed
node row and workflow status in one SQLite transaction, and only then performs the deferred actions (starting
processes): state is written before it is acted upon. Changes no action waits for (a node that ended) are
committed together within FLUSH_INTERVAL. Nothing rescans a workflow per event.
"""

from __future__ import annotations

import base64
import heapq
import itertools
import json
import os
import queue
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hera.engine.core.nodes import FAILED_OR_ERROR, WORKFLOW_DONE, fulfilled, workflow_phase_of
from hera.engine.core.run import Req, WorkflowRun
from hera.engine.core.templates import merge_workflow_spec
from hera.engine.durations import now_rfc3339, parse_rfc3339
from hera.engine.executors.host import ProcessManager
from hera.engine.executors.sandbox import remove_tree
from hera.engine.store import Store, dumps

if TYPE_CHECKING:
    from hera.engine.options import EngineOptions

PHASE_LABEL = "workflows.argoproj.io/phase"
COMPLETED_LABEL = "workflows.argoproj.io/completed"
#: Changes that no action waits for are committed together, at most this many seconds after the first one
#: (a node that ends is written within this time; anything about to start is written before it starts).
FLUSH_INTERVAL = 0.05


class TimerHandle:
    """A pending timer; `cancel()` makes it a no-op."""

    __slots__ = ("args", "cancelled", "fn", "run", "when")

    def __init__(self, when: float, fn: Callable[..., Any], args: tuple[Any, ...], run: WorkflowRun | None) -> None:
        self.when = when
        self.fn = fn
        self.args = args
        self.run = run
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Slots:
    """The engine-wide limit on concurrently running node processes.

    Waiters queue per workflow and are served round-robin, so one workflow with thousands of queued pods
    does not starve the others.
    """

    def __init__(self, sched: Scheduler, limit: int) -> None:
        self.sched = sched
        self.limit = max(1, limit)
        self.used = 0
        self.queues: dict[str, deque[Callable[[], None]]] = {}
        self.order: deque[str] = deque()

    def acquire(self, cb: Callable[[], None], owner: str = "") -> None:
        if self.used < self.limit and not self.order:
            self.used += 1
            cb()
            return
        q = self.queues.get(owner)
        if q is None:
            q = self.queues[owner] = deque()
            self.order.append(owner)
        q.append(cb)

    def release(self, *, now: bool = False) -> None:
        """Give the slot to the next waiter; with `now` (on the scheduler thread), start it at once rather than
        after the events already queued: a slot freed by an exited process is refilled first."""
        while self.order:
            owner = self.order.popleft()
            q = self.queues.get(owner)
            if not q:
                self.queues.pop(owner, None)
                continue
            cb = q.popleft()
            if q:
                self.order.append(owner)
            else:
                self.queues.pop(owner, None)
            if now:
                self.sched.run_now(cb)
            else:
                self.sched.post(cb)
            return
        self.used = max(0, self.used - 1)


class SyncLocks:
    """In-process mutexes and semaphores (synchronization), FIFO per lock."""

    def __init__(self, sched: Scheduler) -> None:
        self.sched = sched
        self.holders: dict[str, set[str]] = {}
        self.held_by: dict[str, list[str]] = {}
        self.waiters: list[tuple[str, list[str], Callable[[], None], WorkflowRun | None, dict[str, Any] | None]] = []

    def keys(self, namespace: str, sync: dict[str, Any]) -> list[tuple[str, int]]:
        """(lock key, limit) for a `synchronization` block."""
        out: list[tuple[str, int]] = []
        mutexes = list(sync.get("mutexes") or [])
        if sync.get("mutex"):
            mutexes.append(sync["mutex"])
        for m in mutexes:
            ns = m.get("namespace") or namespace
            out.append((f"{ns}/Mutex/{m.get('name')}", 1))
        sems = list(sync.get("semaphores") or [])
        if sync.get("semaphore"):
            sems.append(sync["semaphore"])
        for s in sems:
            ref = s.get("configMapKeyRef") or {}
            ns = s.get("namespace") or namespace
            cm = self.sched.get_config_map(ns, ref.get("name", ""))
            limit = 1
            if cm is not None:
                try:
                    limit = int(str((cm.get("data") or {}).get(ref.get("key", ""), "1")).strip())
                except ValueError:
                    limit = 1
            out.append((f"{ns}/ConfigMap/{ref.get('name')}/{ref.get('key')}", max(1, limit)))
        return out

    def _free(self, key: str, limit: int, holder: str) -> bool:
        holders = self.holders.get(key, set())
        return holder in holders or len(holders) < limit

    def acquire(
        self, run: WorkflowRun | None, node: dict[str, Any] | None, sync: dict[str, Any], cb: Callable[[], None], *, holder: str | None = None
    ) -> None:
        """Call `cb` once every lock of `sync` is held for `holder` (default: the node id)."""
        namespace = run.namespace if run is not None else "default"
        hid = holder or (node["id"] if node is not None else "")
        keys = self.keys(namespace, sync)
        self._limits = getattr(self, "_limits", {})
        for k, lim in keys:
            self._limits[k] = lim
        if all(self._free(k, lim, hid) for k, lim in keys) and not any(w[1] and set(w[1]) & {k for k, _ in keys} for w in self.waiters):
            self._take(hid, [k for k, _ in keys])
            cb()
            return
        if run is not None and node is not None:
            blocked = next((k for k, lim in keys if not self._free(k, lim, hid)), keys[0][0] if keys else "")
            lim = self._limits.get(blocked, 1)
            n = len(self.holders.get(blocked, set()))
            node["synchronizationStatus"] = {"waiting": blocked}
            run.mark(node, node.get("phase") or "Pending", f"Waiting for {blocked} lock. Lock status: {lim - n}/{lim}")
        self.waiters.append((hid, [k for k, _ in keys], cb, run, node))

    def _take(self, hid: str, keys: list[str]) -> None:
        for k in keys:
            self.holders.setdefault(k, set()).add(hid)
        self.held_by.setdefault(hid, []).extend(keys)

    def release(self, hid: str) -> None:
        """Release every lock `hid` holds and wake the waiters that can now proceed."""
        keys = self.held_by.pop(hid, [])
        for k in keys:
            self.holders.get(k, set()).discard(hid)
        self.waiters = [w for w in self.waiters if w[0] != hid] if not keys else self.waiters
        if not keys:
            return
        self._wake()

    def drop(self, hid: str) -> None:
        """Forget a waiter (its node ended while waiting)."""
        self.waiters = [w for w in self.waiters if w[0] != hid]
        self.release(hid)

    def _wake(self) -> None:
        limits = getattr(self, "_limits", {})
        remaining = []
        for w in self.waiters:
            hid, keys, cb, run, node = w
            if all(self._free(k, limits.get(k, 1), hid) for k in keys):
                self._take(hid, keys)
                if run is not None and node is not None:
                    node.pop("synchronizationStatus", None)
                    run.mark(node, node.get("phase") or "Pending", "")
                self.sched.post(cb)
            else:
                remaining.append(w)
        self.waiters = remaining


class Scheduler:
    """Owns the event loop, the running workflows and their persistence."""

    def __init__(
        self,
        *,
        store: Store,
        state_dir: Path,
        options: EngineOptions,
        procs: ProcessManager,
        sandbox_mode: str,
        shim_dir: Path,
        python: str,
        on_commit: Callable[[], None],
    ) -> None:
        self.store = store
        self.state_dir = state_dir
        self.options = options
        self.procs = procs
        self.sandbox_mode = sandbox_mode
        self.shim_dir = shim_dir
        self.python = python
        self.on_commit = on_commit
        self.runs_dir = state_dir / "runs"
        self.logs_dir = state_dir / "logs"
        self.artifact_root = Path(options.artifact_dir) if options.artifact_dir else state_dir / "artifacts"
        self.time_scale = float(options.time_scale or 1.0)
        self.max_sleep = options.max_sleep
        self.runs: dict[str, WorkflowRun] = {}
        self.slots = Slots(self, options.parallelism)
        self.locks = SyncLocks(self)
        self._q: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
        self._cv = threading.Condition()
        self._timers: list[tuple[float, int, TimerHandle]] = []
        self._seq = itertools.count()
        self._deferred: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        self._dirty: set[str] = set()
        self._flush_due = 0.0
        self._stop = False
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2)), thread_name_prefix="hera-engine-work")
        self._cleanup: deque[Path] = deque()
        self.base_env = _base_env(options.env)
        self._wf_locks_waiting: set[str] = set()
        self._external_poll = 0.0
        self._commits = 0
        self._data_version = -1
        self.error_log = state_dir / "engine.log"
        self._dirs: set[str] = set()
        self._to_release: queue.SimpleQueue[tuple[Path, str] | None] = queue.SimpleQueue()
        self._releaser: threading.Thread | None = None
        from hera.engine.executors.sandbox import SandboxPool

        self.sandboxes = SandboxPool(self.runs_dir / "pool", sandbox_mode)

    # -- event API (thread-safe) -----------------------------------------------------------------------
    def post(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn(*args)` on the scheduler thread."""
        self._q.append((fn, args))
        if threading.current_thread() is not self._thread:
            with self._cv:
                self._cv.notify()

    def run_now(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn(*args)` at once on the scheduler thread (an error fails its workflow, as for queued events)."""
        self._safe(fn, *args)

    def call_later(self, run: WorkflowRun | None, delay: float, fn: Callable[..., Any], *args: Any) -> TimerHandle:
        """Run `fn(*args)` on the scheduler thread after `delay` seconds (cancelled with the workflow)."""
        h = TimerHandle(time.monotonic() + max(0.0, delay), fn, args, run)
        with self._cv:
            heapq.heappush(self._timers, (h.when, next(self._seq), h))
            self._cv.notify()
        if run is not None:
            run.timers.append(h)
        return h

    def defer(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn(*args)` after the next commit (write before act)."""
        self._deferred.append((fn, args))

    def work(self, fn: Callable[[], Any], callback: Callable[[Any], None]) -> None:
        """Run `fn` on a worker thread; `callback(result or exception)` runs on the scheduler thread."""

        def job() -> None:
            try:
                result: Any = fn()
            except BaseException as e:
                result = e
            self.post(callback, result)

        self._pool.submit(job)

    def cleanup_later(self, path: Path) -> None:
        """Remove a run directory in the background."""
        self._pool.submit(remove_tree, path)

    def release_sandbox(self, path: Path, mode: str) -> None:
        """Scrub a node's sandbox in the background and return it to the pool (on one long-lived thread)."""
        if self._releaser is None:
            self._releaser = threading.Thread(target=self._drain_releases, name="hera-engine-scrub", daemon=True)
            self._releaser.start()
        self._to_release.put((path, mode))

    def _drain_releases(self) -> None:
        while True:
            batch = [self._to_release.get()]
            time.sleep(0.02)  # gather what the next nodes release: one wake-up scrubs a batch
            while not self._to_release.empty():
                batch.append(self._to_release.get_nowait())
            for item in batch:
                if item is None:
                    return
                try:
                    self.sandboxes.release(*item)
                except Exception:
                    pass

    def ensure_dir(self, path: Path | str) -> None:
        """Create a directory once (cached)."""
        key = str(path)
        if key not in self._dirs:
            os.makedirs(key, exist_ok=True)
            self._dirs.add(key)

    def mark_dirty(self, run: WorkflowRun) -> None:
        if not self._dirty:
            self._flush_due = time.monotonic() + FLUSH_INTERVAL
        self._dirty.add(run.uid)

    # -- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="hera-engine-scheduler", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop = True
        with self._cv:
            self._cv.notify()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._to_release.put(None)

    def call_sync(self, fn: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Run `fn` on the scheduler thread and return its result (re-raising its exception)."""
        if threading.current_thread() is self._thread:
            return fn()
        done = threading.Event()
        box: list[Any] = []

        def job() -> None:
            try:
                box.append((True, fn()))
            except BaseException as e:
                box.append((False, e))
            finally:
                if self._dirty:  # the caller reads the store next: commit what `fn` changed before answering
                    self._safe(self._flush)
                done.set()

        self.post(job)
        if not done.wait(timeout):
            raise TimeoutError("the engine did not answer in time")
        ok, value = box[0]
        if not ok:
            raise value
        return value

    def _loop(self) -> None:
        # checkpoints (which sync the disk) run on their own thread, not in the middle of a scheduler pass
        self.store.conn().execute("PRAGMA wal_autocheckpoint=0")
        threading.Thread(target=self._checkpoints, name="hera-engine-checkpoint", daemon=True).start()
        while not self._stop:
            with self._cv:
                if not self._q:
                    timeout = None
                    if self._timers:
                        timeout = max(0.0, self._timers[0][0] - time.monotonic())
                    poll = 0.25
                    if self._dirty:
                        poll = max(0.0, min(poll, self._flush_due - time.monotonic()))
                    timeout = poll if timeout is None else min(timeout, poll)
                    self._cv.wait(timeout)
                now = time.monotonic()
                while self._timers and self._timers[0][0] <= now:
                    _, _, h = heapq.heappop(self._timers)
                    if not h.cancelled:
                        self._q.append((h.fn, h.args))
            if self._stop:
                break
            self._drain()
            if time.monotonic() - self._external_poll > 0.25:
                self._external_poll = time.monotonic()
                self._safe(self._poll_external)
                self._drain()
        if self._dirty:
            self._safe(self._flush)  # what changed since the last commit is kept for the next engine

    def _checkpoints(self) -> None:
        """Copy the write-ahead log into the database about once a second while the scheduler commits."""
        done = -1
        while not self._stop:
            time.sleep(1.0)
            if self._commits != done and not self._stop:
                done = self._commits
                try:
                    self.store.checkpoint()
                except Exception:
                    pass
        self.store.close_thread()

    def _flush_wanted(self) -> bool:
        """Commit now: before deferred actions (write before act), or when changes waited long enough."""
        return bool(self._dirty) and (bool(self._deferred) or time.monotonic() >= self._flush_due)

    def _drain(self) -> None:
        processed = 0
        while self._q or self._deferred or self._flush_wanted():
            while self._q:
                fn, args = self._q.popleft()
                self._safe(fn, *args)
                processed += 1
                if processed >= 2000:
                    break
            if self._flush_wanted():
                self._safe(self._flush)
            if self._deferred:
                deferred, self._deferred = self._deferred, []
                for fn, args in deferred:
                    self._safe(fn, *args)
            processed = 0

    def _safe(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            fn(*args)
        except Exception:
            text = traceback.format_exc()
            try:
                with open(self.error_log, "a") as f:
                    f.write(f"{now_rfc3339()} internal error\n{text}\n")
            except OSError:
                pass
            run = _run_of(fn)
            if run is not None and not run.finished:
                try:
                    self.fail_run(run, f"internal engine error: {text.strip().splitlines()[-1]}")
                except Exception:
                    pass

    def _flush(self) -> None:
        dirty, self._dirty = self._dirty, set()
        runs = [self.runs[u] for u in dirty if u in self.runs]
        if not runs:
            return
        gone: list[WorkflowRun] = []
        with self.store.transaction() as conn:
            for run in runs:
                rows = [(nid, dumps(run.nodes[nid])) for nid in run.dirty if nid in run.nodes]
                run.dirty.clear()
                if self.store.write_status(conn, run.uid, run.wf, rows, body=run.body_dirty) < 0:
                    gone.append(run)
                run.wf_dirty = False
                run.body_dirty = False
        self._commits += 1
        for run in gone:
            # deleted through another process: stop its work, forget it
            self.shutdown(run, "Terminate")
            run.finished = True
            self.runs.pop(run.uid, None)
        self.on_commit()

    # -- stores ----------------------------------------------------------------------------------------
    def template_lookup(self, namespace: str) -> Callable[[str, bool], dict[str, Any] | None]:
        store = self.store

        def lookup(name: str, cluster: bool = False) -> dict[str, Any] | None:
            if cluster:
                return store.get_object("ClusterWorkflowTemplate", "", name)
            return store.get_object("WorkflowTemplate", namespace, name)

        return lookup

    def get_config_map(self, namespace: str, name: str) -> dict[str, Any] | None:
        return self.store.get_object("ConfigMap", namespace, name)

    def get_secret(self, namespace: str, name: str) -> dict[str, Any] | None:
        return self.store.get_object("Secret", namespace, name)

    @staticmethod
    def secret_data(secret: dict[str, Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        for k, v in (secret.get("data") or {}).items():
            try:
                out[k] = base64.b64decode(str(v)).decode()
            except (ValueError, UnicodeDecodeError):
                out[k] = str(v)
        for k, v in (secret.get("stringData") or {}).items():
            out[k] = str(v)
        return out

    def param_from_config(self, namespace: str, param: dict[str, Any]) -> str | None:
        ref = (param.get("valueFrom") or {}).get("configMapKeyRef")
        if not ref:
            return None
        cm = self.get_config_map(namespace, ref.get("name", ""))
        data = (cm or {}).get("data") or {}
        if ref.get("key") in data:
            return str(data[ref["key"]])
        default = (param.get("valueFrom") or {}).get("default")
        return None if default is None else str(default)

    def cache_put(self, namespace: str, name: str, key: str, value: str) -> None:
        with self.store.transaction() as conn:
            self.store.cache_put(conn, namespace, name, key, value)

    # -- workflows -------------------------------------------------------------------------------------
    def effective_spec(self, wf: dict[str, Any]) -> dict[str, Any]:
        """The spec a workflow runs (merged over its workflowTemplateRef; stored in the status)."""
        spec = wf.get("spec") or {}
        ref = spec.get("workflowTemplateRef")
        if not ref:
            return spec
        status = wf.setdefault("status", {})
        stored = status.get("storedWorkflowTemplateSpec")
        if stored is None:
            ns = wf["metadata"].get("namespace") or "default"
            lookup = self.template_lookup(ns)
            doc = lookup(ref.get("name", ""), bool(ref.get("clusterScope")))
            if doc is None:
                kind = "clusterworkflowtemplates" if ref.get("clusterScope") else "workflowtemplates"
                raise LookupError(f'{kind}.argoproj.io "{ref.get("name")}" not found')
            stored = doc.get("spec") or {}
            status["storedWorkflowTemplateSpec"] = stored
        return merge_workflow_spec(spec, stored)

    def start_workflow(self, uid: str) -> None:
        """Start (or, after a restart, carry on) the stored workflow `uid`."""
        if uid in self.runs:
            return
        wf = self.store.get_workflow_by_uid(uid)
        if wf is None:
            return
        status = wf.setdefault("status", {})
        if status.get("phase") in WORKFLOW_DONE:
            return
        try:
            spec = self.effective_spec(wf)
        except LookupError as e:
            run = WorkflowRun(self, wf, wf.get("spec") or {})
            self.runs[uid] = run
            self._finish(run, "Error", str(e))
            return
        run = WorkflowRun(self, wf, spec)
        self.runs[uid] = run
        self._code_context(run)
        run.build_globals()
        sync = spec.get("synchronization")
        if sync and status.get("phase") in (None, "", "Pending"):
            status["phase"] = "Pending"
            run.touch_wf()
            self.locks.acquire(run, None, sync, lambda: self._begin(run), holder=uid)
            if uid not in self.locks.held_by:
                keys = ", ".join(k for k, _ in self.locks.keys(run.namespace, sync))
                status["message"] = f"Waiting for {keys} lock"
            return
        if sync:
            self.locks.acquire(run, None, sync, lambda: None, holder=uid)
        self._begin(run)

    def _code_context(self, run: WorkflowRun) -> None:
        """The variables and read-only binds every node of `run` gets: the user's code directories first on
        `PYTHONPATH` (those under /tmp bound into the view, whose /tmp is private) and the nesting markers."""
        from hera.engine.nesting import code_dirs, code_views, node_env

        ctx = self.store.get_context(run.uid)
        dirs = code_dirs([*(ctx.get("pythonPath") or []), *(self.options.python_path or [])])
        env = node_env(int(ctx.get("depth") or 0), self.state_dir)
        if dirs:
            if self.sandbox_mode != "none":
                run.code_binds, dirs = code_views(dirs)
            rest = [self.base_env["PYTHONPATH"]] if self.base_env.get("PYTHONPATH") else []
            env["PYTHONPATH"] = os.pathsep.join([*dirs, *rest])
        run.node_env = env

    def _begin(self, run: WorkflowRun) -> None:
        if run.finished:
            return
        status = run.status
        resumed = status.get("phase") == "Running"
        status["phase"] = "Running"
        status.pop("message", None)
        if not status.get("startedAt"):
            status["startedAt"] = now_rfc3339()
        self._set_labels(run, "Running")
        self._workflow_metadata(run)
        run.touch_wf(body=True)
        deadline = run.spec.get("activeDeadlineSeconds")
        if deadline not in (None, ""):
            try:
                secs = float(deadline) * self.time_scale
                started = int(parse_rfc3339(status["startedAt"]) or time.time())
                run.deadline_at = started + secs
                self.call_later(run, max(0.0, started + secs - time.time()), self._deadline, run)
            except (TypeError, ValueError):
                pass
        if resumed:
            for node in run.nodes.values():
                if node.get("type") == "Pod" and not fulfilled(node):
                    node["message"] = "re-run after engine restart"
                    run.touch(node)
        self._eval_wf_hooks(run)
        entry = run.spec.get("entrypoint") or ""
        root = run.node_by_name(run.name)
        exit_node = run.node_by_name(f"{run.name}.onExit")
        if root is not None and fulfilled(root) and exit_node is not None:
            self._root_done(run, root)
            return
        from hera.engine.core.execute import execute

        execute(
            run,
            Req(
                name=run.name,
                holder={"template": entry},
                tctx=run.root_ctx,
                args=run.spec.get("arguments") or {},
                boundary_id=None,
                on_done=lambda node: self._root_done(run, node),
            ),
        )

    def _workflow_metadata(self, run: WorkflowRun) -> None:
        """`spec.workflowMetadata`: extra labels and annotations, and labels computed by expressions."""
        wm = run.spec.get("workflowMetadata") or {}
        if not wm:
            return
        meta = run.wf["metadata"]
        for key in ("labels", "annotations"):
            if wm.get(key):
                meta.setdefault(key, {}).update({k: str(v) for k, v in wm[key].items()})
        from hera.engine.core.render import ExpressionError, eval_expr

        for name, src in (wm.get("labelsFrom") or {}).items():
            try:
                value = eval_expr(str((src or {}).get("expression", "")), run.globals)
            except ExpressionError:
                continue
            if value is not None:
                meta.setdefault("labels", {})[name] = value if isinstance(value, str) else json.dumps(value)

    def _set_labels(self, run: WorkflowRun, phase: str) -> None:
        labels = run.wf["metadata"].setdefault("labels", {})
        labels[PHASE_LABEL] = phase
        labels[COMPLETED_LABEL] = "true" if phase in WORKFLOW_DONE else "false"

    def _eval_wf_hooks(self, run: WorkflowRun) -> None:
        hooks = {k: v for k, v in (run.spec.get("hooks") or {}).items() if k != "exit"}
        if not hooks:
            return
        from hera.engine.core.execute import execute
        from hera.engine.core.render import ExpressionError, eval_expr, render_text

        fired = getattr(run, "fired_hooks", None)
        if fired is None:
            fired = set()
            run.fired_hooks = fired  # type: ignore[attr-defined]
            run.hook_pending = 0  # type: ignore[attr-defined]
        for name, hook in hooks.items():
            if name in fired or not hook.get("expression"):
                continue
            try:
                ok = bool(eval_expr(render_text(str(hook["expression"]), run.globals), run.globals))
            except ExpressionError:
                ok = False
            if not ok:
                continue
            fired.add(name)
            run.hook_pending += 1  # type: ignore[attr-defined]
            holder = {k: v for k, v in hook.items() if k in ("template", "templateRef", "inline")}

            def done(_node: dict[str, Any], r: WorkflowRun = run) -> None:
                r.hook_pending -= 1  # type: ignore[attr-defined]
                if getattr(r, "waiting_for_hooks", None) is not None:
                    cb = r.waiting_for_hooks  # type: ignore[attr-defined]
                    if r.hook_pending == 0:  # type: ignore[attr-defined]
                        r.waiting_for_hooks = None  # type: ignore[attr-defined]
                        self.post(cb)

            execute(
                run,
                Req(
                    name=f"{run.name}.hooks.{name}",
                    holder=holder,
                    tctx=run.root_ctx,
                    args=hook.get("arguments") or run.spec.get("arguments") or {},
                    boundary_id=None,
                    on_done=done,
                    is_exit=True,
                    flag={"hooked": True},
                ),
            )

    def failures(self, run: WorkflowRun) -> str:
        """`workflow.failures`: a quoted JSON string of the failed nodes (`"null"` when none)."""
        items = []
        for node in run.nodes.values():
            if node.get("phase") in FAILED_OR_ERROR:
                items.append(
                    {
                        "displayName": node.get("displayName", ""),
                        "message": node.get("message", ""),
                        "templateName": node.get("templateName", ""),
                        "phase": node.get("phase", ""),
                        "podName": run.pod_name(node) if node.get("type") == "Pod" else "",
                        "finishedAt": node.get("finishedAt", ""),
                    }
                )
        return json.dumps(json.dumps(items or None, separators=(",", ":")))

    def _root_done(self, run: WorkflowRun, root: dict[str, Any]) -> None:
        if run.finished:
            return
        phase = workflow_phase_of(root.get("phase") or "")
        run.globals.update({"workflow.status": phase, "workflow.failures": self.failures(run)})
        run.set_duration()
        self._eval_wf_hooks(run)
        if getattr(run, "hook_pending", 0) > 0:
            run.waiting_for_hooks = lambda: self._run_exit(run, root)  # type: ignore[attr-defined]
            return
        self._run_exit(run, root)

    def _run_exit(self, run: WorkflowRun, root: dict[str, Any]) -> None:
        spec = run.spec
        exit_ref: dict[str, Any] | None = (spec.get("hooks") or {}).get("exit")
        if exit_ref is None and spec.get("onExit"):
            exit_ref = {"template": spec["onExit"]}
        if exit_ref is None or run.shutdown == "Terminate":
            self._finalize(run, root, None)
            return
        from hera.engine.core.execute import execute

        holder = {k: v for k, v in exit_ref.items() if k in ("template", "templateRef", "inline")}
        args: dict[str, Any] = exit_ref.get("arguments") or spec.get("arguments") or {}
        if exit_ref.get("arguments") is not None:
            from hera.engine.core.io import render_arguments

            try:
                args = render_arguments(args, run.globals)
            except Exception:
                pass
        execute(
            run,
            Req(
                name=f"{run.name}.onExit",
                holder=holder,
                tctx=run.root_ctx,
                args=args,
                boundary_id=None,
                on_done=lambda exit_node: self._finalize(run, root, exit_node),
                is_exit=True,
                flag={"hooked": True},
            ),
        )

    def _finalize(self, run: WorkflowRun, root: dict[str, Any], exit_node: dict[str, Any] | None) -> None:
        if run.finished:
            return
        phase = workflow_phase_of(root.get("phase") or "")
        message = root.get("message") if phase != "Succeeded" else None
        if run.shutdown:
            if phase == "Succeeded" and exit_node is None:
                pass
            phase = "Failed" if phase == "Succeeded" else phase
            message = f"Stopped with strategy '{run.shutdown}'"
        elif run.deadline_passed and phase != "Succeeded":
            message = "Step exceeded its deadline"
        if phase == "Succeeded" and exit_node is not None and exit_node.get("phase") in FAILED_OR_ERROR:
            phase = exit_node["phase"]
            message = exit_node.get("message") or message
        self._finish(run, phase, message)

    def _finish(self, run: WorkflowRun, phase: str, message: str | None) -> None:
        run.finished = True
        status = run.status
        status["phase"] = phase
        if message:
            status["message"] = message
        else:
            status.pop("message", None)
        now = now_rfc3339()
        status.setdefault("startedAt", now)
        status["finishedAt"] = now
        pods = [n for n in run.nodes.values() if n.get("type") == "Pod"]
        done = sum(1 for n in pods if n.get("phase") in ("Succeeded", "Failed", "Error", "Skipped", "Omitted"))
        status["progress"] = f"{done}/{len(pods)}"
        cpu = sum((n.get("resourcesDuration") or {}).get("cpu", 0) for n in pods)
        status["resourcesDuration"] = {"cpu": cpu, "memory": cpu}
        status["conditions"] = [
            {"type": "PodRunning", "status": "False"},
            {"type": "Completed", "status": "True"},
        ]
        self._node_progress(run, pods)
        self._set_labels(run, phase)
        run.touch_wf(body=True)
        for t in run.timers:
            t.cancel()
        self.locks.release(run.uid)
        for pod in list(run.pods.values()):
            pod.kill("Failed", message or "workflow completed")
        for daemons in list(run.daemons.values()):
            for d in daemons:
                d.stop_daemon()
        run.daemons.clear()
        self._flush_one(run)
        self.runs.pop(run.uid, None)

    @staticmethod
    def _node_progress(run: WorkflowRun, pods: list[dict[str, Any]]) -> None:
        """`progress` ("done/total" pods) of every Steps/DAG node, counted through boundaries."""
        totals: dict[str, list[int]] = {}
        for pod in pods:
            ended = int(pod.get("phase") in ("Succeeded", "Failed", "Error", "Skipped", "Omitted"))
            b = pod.get("boundaryID")
            seen = 0
            while b and seen < 1000:
                t = totals.setdefault(b, [0, 0])
                t[1] += 1
                t[0] += ended
                b = (run.nodes.get(b) or {}).get("boundaryID")
                seen += 1
        for nid, (finished, total) in totals.items():
            node = run.nodes.get(nid)
            if node is not None and node.get("type") in ("Steps", "DAG"):
                node["progress"] = f"{finished}/{total}"
                run.touch(node)

    def _flush_one(self, run: WorkflowRun) -> None:
        self._dirty.add(run.uid)
        self._flush()

    def fail_run(self, run: WorkflowRun, message: str) -> None:
        """End a workflow as Error after an internal problem (its processes are killed)."""
        for pod in list(run.pods.values()):
            pod.kill("Error", message)
        self._finish(run, "Error", message)

    # -- control ---------------------------------------------------------------------------------------
    def _deadline(self, run: WorkflowRun) -> None:
        if run.finished:
            return
        run.deadline_passed = True
        msg = "Step exceeded its deadline"
        for pod in list(run.pods.values()):
            if not pod.req.is_exit:
                pod.kill("Failed", msg)
        for ctl in list(run.suspends.values()):
            if not ctl.req.is_exit:
                ctl.finish("Failed", msg)
        self._wake_all(run)

    def _wake_all(self, run: WorkflowRun) -> None:
        waiters = list(run.pod_waiters) + [w for q in run.boundary_waiters.values() for w in q]
        run.pod_waiters.clear()
        for q in run.boundary_waiters.values():
            q.clear()
        for w in waiters:
            self.post(w)
        run.suspended = False
        run.resume_waiters()

    def shutdown(self, run: WorkflowRun, strategy: str, message: str | None = None) -> None:
        """Stop (exit handlers still run) or Terminate (nothing more runs) a workflow."""
        run.shutdown = strategy
        run.wf.setdefault("spec", {})["shutdown"] = strategy
        run.touch_wf(body=True)
        msg = f"Stopped with strategy '{strategy}'"
        for pod in list(run.pods.values()):
            if strategy == "Terminate" or not pod.req.is_exit:
                pod.kill("Failed", msg)
        for ctl in list(run.suspends.values()):
            if strategy == "Terminate" or not ctl.req.is_exit:
                ctl.finish("Failed", msg)
        for hid, _keys, _cb, r, node in list(self.locks.waiters):
            if r is run and node is not None:
                self.locks.drop(hid)
                pod = run.pods.get(node["id"])
                if pod is not None:
                    pod.kill("Failed", msg)
        self._wake_all(run)

    def suspend(self, run: WorkflowRun) -> None:
        run.suspended = True
        run.wf.setdefault("spec", {})["suspend"] = True
        run.touch_wf(body=True)

    def resume(self, run: WorkflowRun, selector: Any = None) -> None:
        run.suspended = False
        run.wf.setdefault("spec", {}).pop("suspend", None)
        run.touch_wf(body=True)
        run.resume_waiters()
        for nid, ctl in list(run.suspends.items()):
            node = run.nodes.get(nid)
            if node is not None and (selector is None or selector(node)):
                ctl.resume(None)

    def set_node(
        self, run: WorkflowRun, selector: Any, phase: str | None, message: str | None, params: dict[str, str] | None
    ) -> int:
        """Argo's `node set`: complete matching suspend nodes with output parameters / a phase."""
        count = 0
        for nid, ctl in list(run.suspends.items()):
            node = run.nodes.get(nid)
            if node is None or not selector(node):
                continue
            count += 1
            ctl.resume(params, phase or "Succeeded", message)
        if count == 0:
            for node in run.nodes.values():
                if selector(node) and params:
                    outputs = node.setdefault("outputs", {})
                    existing = {p["name"]: p for p in outputs.get("parameters") or []}
                    for k, v in params.items():
                        existing[k] = {**existing.get(k, {"name": k}), "value": v}
                    outputs["parameters"] = list(existing.values())
                    run.touch(node)
                    count += 1
        return count

    # -- other processes -------------------------------------------------------------------------------
    def _poll_external(self) -> None:
        """Pick up workflows created and commands queued by other processes on the same state directory."""
        dv = self.store.data_version()
        if dv == self._data_version:
            return
        self._data_version = dv
        for wf_uid, kind, args in self.store.take_commands():
            self.apply_command(wf_uid, kind, args)
        for uid in self.store.active_workflow_uids():
            if uid not in self.runs:
                self.start_workflow(uid)

    def apply_command(self, uid: str, kind: str, args: dict[str, Any]) -> None:
        """Apply a control command to a running workflow (no-op when it is not running here)."""
        from hera.engine.selection import node_field_predicate

        run = self.runs.get(uid)
        if kind == "start":
            self.start_workflow(uid)
            return
        if run is None:
            return
        sel = node_field_predicate(args.get("node_field_selector")) if args.get("node_field_selector") else None
        if kind in ("stop", "terminate"):
            if sel is not None:
                for nid, ctl in list(run.suspends.items()):
                    node = run.nodes.get(nid)
                    if node is not None and sel(node):
                        ctl.finish("Failed", args.get("message") or f"Stopped with strategy '{kind.title()}'")
                return
            self.shutdown(run, "Stop" if kind == "stop" else "Terminate", args.get("message"))
        elif kind == "suspend":
            self.suspend(run)
        elif kind == "resume":
            self.resume(run, sel)
        elif kind == "set":
            self.set_node(
                run,
                sel or (lambda n: True),
                args.get("phase"),
                args.get("message"),
                args.get("output_parameters"),
            )
        elif kind == "delete":
            self.shutdown(run, "Terminate")
            run.finished = True
            self.runs.pop(uid, None)


def _run_of(fn: Any) -> WorkflowRun | None:
    """The workflow an event handler belongs to (bound method, partial or closure), to fail it on a crash."""
    seen = 0
    while fn is not None and seen < 5:
        seen += 1
        owner = getattr(fn, "__self__", None)
        for candidate in (owner, getattr(owner, "run", None)):
            if isinstance(candidate, WorkflowRun):
                return candidate
        inner = getattr(fn, "func", None)  # functools.partial
        for cell in getattr(fn, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            for candidate in (value, getattr(value, "run", None)):
                if isinstance(candidate, WorkflowRun):
                    return candidate
        fn = inner
    return None


def _base_env(extra: dict[str, str] | None) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "USER", "LOGNAME", "PYTHONPATH", "TERM", "SHELL")
    env = {k: v for k, v in os.environ.items() if k in keep or k.startswith("LC_")}
    env.setdefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    env.setdefault("HOME", "/root" if os.geteuid() == 0 else "/tmp")
    env["PYTHONUNBUFFERED"] = "1"
    if extra:
        env.update(extra)
    return env
