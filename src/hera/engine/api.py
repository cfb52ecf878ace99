"""`Engine`: the Python facade of the embedded engine (JSON-form dicts in and out), used by the REST server,
the in-process client transport and the `hera run/get/list/logs` commands.

Errors are `hera.exceptions` classes so a server maps them to HTTP codes: NotFound (404), AlreadyExists
(409, also stale resourceVersion conflicts), BadRequest (400, invalid documents with the validation message),
NotImplemented (501).

One process at a time runs workflows on a state directory: the first `Engine.start()` takes an exclusive
lock (`<state>/engine.lock`, released by the kernel when the process dies). Other engines on the same
directory are followers: they read and write the store (create, control commands) and the lock holder
runs what they submit; a follower takes over when the holder goes away.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import random
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hera.engine.durations import now_rfc3339
from hera.engine.nesting import check_create, check_nested, code_dirs, current_depth
from hera.engine.options import EngineOptions
from hera.engine.selection import node_field_predicate, parse_label_selector, workflow_field_predicate
from hera.engine.store import Store
from hera.exceptions import AlreadyExists, BadRequest, NotFound
from hera.exceptions import NotImplemented as NotImplementedErr
from hera.shared.errors import HeraError

API_VERSION = "argoproj.io/v1alpha1"
_DONE = ("Succeeded", "Failed", "Error")
_NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789"


def _open_store(state_dir: Path) -> Store:
    """The state directory's store, created when missing; a directory that cannot hold it is a HeraError."""
    import sqlite3

    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        return Store(state_dir / "state.db")
    except FileExistsError:
        raise HeraError(f"state directory {state_dir}: is a file, not a directory") from None
    except sqlite3.Error as e:
        raise HeraError(f"state directory {state_dir}: cannot use its database: {e}") from None
    except OSError as e:
        where = f" ({e.filename})" if e.filename and str(e.filename) != str(state_dir) else ""
        raise HeraError(f"state directory {state_dir}: {e.strerror or e}{where}") from None


def _check_types(workflow: Any) -> None:
    """BadRequest naming the field when `workflow` does not match Argo's Workflow model (e.g. `parallelism: abc`)."""
    from hera._documents import DocumentError, from_data

    if not isinstance(workflow, dict):
        raise BadRequest(f"a workflow must be a mapping, got {type(workflow).__name__}")
    try:
        from_data({**workflow, "kind": workflow.get("kind") or "Workflow"}, source="workflow")
    except DocumentError as e:
        raise BadRequest(str(e)) from None


def default_state_dir() -> Path:
    """`$HERA_STATE_DIR`, else `$XDG_DATA_HOME/hera`, else `~/.local/share/hera`."""
    env = os.environ.get("HERA_STATE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg:
        return Path(xdg).expanduser() / "hera"
    return Path.home() / ".local" / "share" / "hera"


def default_cache_dir() -> Path:
    """`$HERA_CACHE_DIR`, else `$XDG_CACHE_HOME/hera`, else `~/.cache/hera`."""
    env = os.environ.get("HERA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "hera"
    return Path.home() / ".cache" / "hera"


def _random_suffix(n: int = 5) -> str:
    return "".join(random.choice(_NAME_CHARS) for _ in range(n))


def _labels_from_text(text: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def _params_from_list(items: list[str] | None) -> list[dict[str, Any]]:
    out = []
    for item in items or []:
        if "=" not in item:
            raise BadRequest(f"parameter {item!r} must be name=value")
        k, v = item.split("=", 1)
        out.append({"name": k.strip(), "value": v})
    return out


def _merge_params(base: list[dict[str, Any]] | None, over: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = [dict(p) for p in base or []]
    for p in over:
        for q in result:
            if q.get("name") == p["name"]:
                q["value"] = p["value"]
                q.pop("valueFrom", None)
                break
        else:
            result.append(p)
    return result


class Engine:
    """The embedded engine: a SQLite state directory plus (once started) the scheduler that runs workflows."""

    def __init__(self, state_dir: str | os.PathLike[str] | None = None, *, options: EngineOptions | None = None) -> None:
        self.state_dir = Path(state_dir).expanduser() if state_dir is not None else default_state_dir()
        check_nested(self.state_dir)
        self.options = options or EngineOptions()
        self.store = _open_store(self.state_dir)
        self._lock_file: Any = None
        self._holder = False
        self._started = False
        self._closed = False
        self._sched: Any = None
        self._procs: Any = None
        self._cv = threading.Condition()
        self._changes = 0
        self._follower: threading.Thread | None = None
        self.sandbox_mode = "none"
        self._start_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------------------
    @property
    def is_runner(self) -> bool:
        """True when this engine holds the state directory's lock and runs workflows."""
        return self._holder

    def start(self) -> None:
        """Start running workflows (idempotent). Resumes workflows found Running in the state.

        When another process already runs this state directory, this engine follows it instead (and takes
        over if that process goes away).
        """
        with self._start_lock:
            if self._started:
                return
            self._started = True
            if self._try_lock():
                self._become_runner()
            self._follower = threading.Thread(target=self._follow, name="hera-engine-follow", daemon=True)
            self._follower.start()

    def _try_lock(self) -> bool:
        if self._lock_file is None:
            self._lock_file = open(self.state_dir / "engine.lock", "a+")
        try:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        self._lock_file.seek(0)
        self._lock_file.truncate()
        self._lock_file.write(f"{os.getpid()}\n")
        self._lock_file.flush()
        return True

    def _become_runner(self) -> None:
        from hera.engine.executors import images, sandbox
        from hera.engine.executors.host import ProcessManager
        from hera.engine.scheduler import Scheduler

        opts = self.options
        if opts.executor != "host":
            import shutil

            if opts.executor not in ("docker", "podman"):
                raise BadRequest(f"unknown executor {opts.executor!r}: use 'host', 'docker' or 'podman'")
            if shutil.which(opts.executor) is None:
                raise NotImplementedErr(
                    f"executor {opts.executor!r} was requested but no {opts.executor} command is installed;"
                    " use the default 'host' executor"
                )
            raise NotImplementedErr(
                f"executor {opts.executor!r}: running nodes in containers is not implemented yet;"
                " the 'host' executor runs them as host processes in private filesystem views"
            )
        cache = Path(opts.cache_dir).expanduser() if opts.cache_dir else default_cache_dir()
        python = opts.python or images.default_python()
        helper = sandbox.helper_binary(cache) if opts.isolation != "none" else None
        submounts = sandbox.host_submounts()
        if opts.isolation == "none":
            mode, user_ns = "none", False
        else:
            mode, user_ns = sandbox.probe(helper, self.state_dir / "runs", submounts)
            if opts.isolation == "tmp" and mode == "overlay":
                mode = "tmp"
            if opts.isolation == "overlay" and mode != "overlay":
                raise NotImplementedErr(
                    "isolation 'overlay' was requested but overlay mounts in a mount namespace do not work here"
                )
        self.sandbox_mode = mode
        shim_dir = images.write_shims(cache, python, with_sleep=opts.time_scale != 1.0 or bool(opts.max_sleep))
        procs = ProcessManager(
            mode=mode, helper=helper, submounts=submounts, user_namespace=user_ns, pid_namespace=opts.pid_namespace
        )
        procs.start()
        sched = Scheduler(
            store=self.store,
            state_dir=self.state_dir,
            options=opts,
            procs=procs,
            sandbox_mode=mode,
            shim_dir=shim_dir,
            python=python,
            on_commit=self._notify,
        )
        from hera.engine.cron import CronRunner

        sched.cron = CronRunner(self, sched)  # type: ignore[attr-defined]
        self._procs = procs
        self._sched = sched
        self._holder = True
        sched.start()
        for uid in self.store.active_workflow_uids():
            sched.post(sched.start_workflow, uid)
        sched.post(sched.cron.start)  # type: ignore[attr-defined]

    def _follow(self) -> None:
        last = -1
        while not self._closed:
            try:
                dv = self.store.data_version()
            except Exception:
                dv = last
            if dv != last:
                last = dv
                self._notify()
            if not self._holder and self._try_lock():
                self._become_runner()
            time.sleep(0.1 if not self._holder else 0.5)

    def _notify(self) -> None:
        with self._cv:
            self._changes += 1
            self._cv.notify_all()

    @property
    def closed(self) -> bool:
        """True once `close()` was called."""
        return self._closed

    @property
    def change_version(self) -> int:
        """A counter that moves each time the engine (or another process on its state) commits a change."""
        return self._changes

    def wait_for_change(self, version: int, timeout: float | None = None) -> int:
        """Block until `change_version` differs from `version`, `timeout` seconds pass or the engine closes;
        returns the current `change_version` (what a server's watch streams and waits poll on)."""
        with self._cv:
            if self._changes == version and not self._closed:
                self._cv.wait_for(lambda: self._changes != version or self._closed, timeout)
            return self._changes

    def close(self) -> None:
        """Stop scheduling and close the database.

        Processes still running are killed; their workflows stay Running in the state and the next engine
        started on this state directory carries them on (re-running the nodes whose processes were killed).
        """
        if self._closed:
            return
        self._closed = True
        if self._sched is not None:
            self._sched.stop()
        if self._procs is not None:
            self._procs.close(kill=True)
        self._notify()
        if self._lock_file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
                self._lock_file.close()
            self._lock_file = None
        self._holder = False
        self.store.close()

    def __enter__(self) -> Engine:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- helpers ---------------------------------------------------------------------------------------
    def _lookup(self, namespace: str) -> Any:
        store = self.store

        def lookup(name: str, cluster_scope: bool = False) -> dict[str, Any] | None:
            if cluster_scope:
                return store.get_object("ClusterWorkflowTemplate", "", name)
            return store.get_object("WorkflowTemplate", namespace, name)

        return lookup

    def _validate(self, doc: dict[str, Any], namespace: str) -> None:
        try:
            from hera.lint import lint_workflow
        except ImportError:  # pragma: no cover - the lint package is part of hera
            return
        try:
            problems = lint_workflow(doc, templates=self._lookup(namespace))
        except Exception as e:  # a crash of the validator itself must not block running the document
            with contextlib.suppress(OSError), open(self.state_dir / "engine.log", "a") as f:
                f.write(f"{now_rfc3339()} validator crashed on {doc.get('kind')} {doc.get('metadata', {}).get('name')}: {e!r}\n")
            return
        if problems:
            raise BadRequest("; ".join(str(p) for p in problems))

    def _command(self, uid: str, kind: str, args: dict[str, Any]) -> None:
        sched = self._sched
        if self._holder and sched is not None:
            sched.call_sync(lambda: sched.apply_command(uid, kind, args))
        else:
            self.store.add_command(uid, kind, args)

    def _require(self, namespace: str, name: str) -> dict[str, Any]:
        wf = self.store.get_workflow(namespace, name)
        if wf is None:
            raise NotFound(f'workflows.argoproj.io "{name}" not found')
        return wf

    # -- workflows -------------------------------------------------------------------------------------
    def _prepare_workflow(self, namespace: str, workflow: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(workflow, dict):
            raise BadRequest("workflow must be an object")
        wf = copy.deepcopy(workflow)
        kind = wf.get("kind") or "Workflow"
        if kind != "Workflow":
            raise BadRequest(f"expected kind Workflow, got {kind!r}")
        wf["kind"] = "Workflow"
        wf["apiVersion"] = wf.get("apiVersion") or API_VERSION
        meta = wf.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise BadRequest("metadata must be an object")
        meta["namespace"] = namespace or meta.get("namespace") or "default"
        if not isinstance(wf.get("spec"), dict):
            raise BadRequest("workflow has no spec")
        return wf

    def create_workflow(
        self, namespace: str, workflow: dict[str, Any], *, dry_run: bool = False, typed: bool = False
    ) -> dict[str, Any]:
        """Validate and store a Workflow (resolving generateName), then run it; returns the stored object.
        `typed`: the caller already validated the document against the Workflow model (the server does)."""
        if not typed:
            _check_types(workflow)
        return self._create_workflow(namespace, workflow, dry_run=dry_run)

    def _create_workflow(
        self,
        namespace: str,
        workflow: dict[str, Any],
        *,
        dry_run: bool = False,
        nodes: dict[str, Any] | None = None,
        like: str | None = None,
    ) -> dict[str, Any]:
        """`create_workflow`, optionally with finished `nodes` to keep (memoized resubmit) and the code
        directories of the workflow with uid `like` (a resubmitted one)."""
        wf = self._prepare_workflow(namespace, workflow)
        meta = wf["metadata"]
        ns = meta["namespace"]
        self._validate(wf, ns)
        if not meta.get("name"):
            gen = meta.get("generateName")
            if not gen:
                raise BadRequest("metadata.name or metadata.generateName is required")
            for _ in range(20):
                candidate = f"{gen}{_random_suffix()}"
                if self.store.workflow_uid(ns, candidate) is None:
                    meta["name"] = candidate
                    break
            else:
                raise AlreadyExists(f"could not generate a unique name from {gen!r}")
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now_rfc3339()
        meta.setdefault("labels", {})
        wf["status"] = {"phase": "Pending"}
        if dry_run:
            return wf
        check_create(meta["name"])
        context = self._creation_context()
        if like is not None:
            inherited = self.store.get_context(like).get("pythonPath") or []
            context["pythonPath"] = code_dirs([*context["pythonPath"], *inherited])
        if nodes:
            wf["status"]["nodes"] = nodes
        with self.store.transaction() as conn:
            if conn.execute(
                "SELECT 1 FROM workflows WHERE namespace = ? AND name = ?", (ns, meta["name"])
            ).fetchone():
                raise AlreadyExists(f'workflows.argoproj.io "{meta["name"]}" already exists')
            self.store.insert_workflow(conn, wf)
            self.store.put_context(conn, meta["uid"], context)
        if self._holder and self._sched is not None:
            self._sched.post(self._sched.start_workflow, meta["uid"])
        self._notify()
        return wf

    def _creation_context(self) -> dict[str, Any]:
        """What a new workflow records about where it was made: the code directories and the nesting depth."""
        return {"pythonPath": code_dirs(self.options.python_path), "depth": current_depth()}

    def get_workflow(self, namespace: str, name: str) -> dict[str, Any]:
        """The workflow with its full status (nodes included); NotFound when it does not exist."""
        return self._require(namespace, name)

    def get_workflow_by_uid(self, uid: str) -> dict[str, Any]:
        """The workflow with this uid, in any namespace (archive and artifact-by-uid lookups); NotFound otherwise."""
        wf = self.store.get_workflow_by_uid(uid)
        if wf is None:
            raise NotFound(f"workflow with uid {uid} not found")
        return wf

    def list_workflows(
        self,
        namespace: str | None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
        limit: int | None = None,
        continue_: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Workflows (newest first) matching the selectors, one page at a time: (items, continue token)."""
        labels_ok = parse_label_selector(label_selector)
        fields_ok = workflow_field_predicate(field_selector)
        start = 0
        if continue_:
            try:
                start = int(continue_)
            except ValueError:
                raise BadRequest(f"invalid continue token {continue_!r}") from None
        items: list[dict[str, Any]] = []
        matched = 0
        next_token: str | None = None
        for uid, _ns, _name, labels, rv, body, status in self.store.list_workflow_rows(namespace or None):
            if not labels_ok(json.loads(labels)):
                continue
            wf = json.loads(body)
            wf["status"] = json.loads(status)
            wf["metadata"]["resourceVersion"] = str(rv)
            if not fields_ok(wf):
                continue
            matched += 1
            if matched <= start:
                continue
            if limit and len(items) >= limit:
                next_token = str(start + len(items))
                break
            nodes = self.store.workflow_nodes(uid)
            if nodes:
                wf["status"]["nodes"] = nodes
            items.append(wf)
        return items, next_token

    def delete_workflow(self, namespace: str, name: str) -> None:
        """Delete a workflow (terminating it if it runs), its nodes and its logs."""
        wf = self._require(namespace, name)
        uid = wf["metadata"]["uid"]
        if wf.get("status", {}).get("phase") not in _DONE:
            self._command(uid, "delete", {})
        with self.store.transaction() as conn:
            self.store.delete_workflow(conn, uid)
        import shutil

        for d in (self.state_dir / "logs" / uid, self.state_dir / "runs" / uid):
            shutil.rmtree(d, ignore_errors=True)
        self._notify()

    def lint_workflow(self, namespace: str, workflow: dict[str, Any]) -> dict[str, Any]:
        """Validate a Workflow without storing it; returns it, or raises BadRequest with the problems."""
        wf = self._prepare_workflow(namespace, workflow)
        self._validate(wf, wf["metadata"]["namespace"])
        return wf

    def submit_from(
        self,
        namespace: str,
        kind: str,
        name: str,
        *,
        entrypoint: str | None = None,
        parameters: list[str] | None = None,
        generate_name: str | None = None,
        labels: str | None = None,
        name_override: str | None = None,
        annotations: str | None = None,
        service_account: str | None = None,
        priority: int | None = None,
        pod_priority_class_name: str | None = None,
        owner_reference: dict[str, Any] | None = None,
        artifacts: list[str] | None = None,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        """Create a Workflow from a WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow.

        The keyword arguments are Argo's SubmitOpts: `name_override` (metadata.name), `labels` and
        `annotations` ("k=v,k2=v2", added), `service_account`, `priority`, `pod_priority_class_name`,
        `owner_reference`, `artifacts` ("name=key": the argument artifact `name` read from `key` of the local
        repository) and `dry_run` (validated and returned, not stored).
        """
        extra_labels = _labels_from_text(labels)
        params = _params_from_list(parameters)
        if kind in ("WorkflowTemplate", "workflowtemplate", "ClusterWorkflowTemplate", "clusterworkflowtemplate"):
            cluster = kind.lower().startswith("cluster")
            obj = (
                self.get_cluster_workflow_template(name) if cluster else self.get_workflow_template(namespace, name)
            )
            label = "workflows.argoproj.io/cluster-workflow-template" if cluster else "workflows.argoproj.io/workflow-template"
            spec: dict[str, Any] = {"workflowTemplateRef": {"name": name, **({"clusterScope": True} if cluster else {})}}
            if entrypoint:
                spec["entrypoint"] = entrypoint
            if params:
                spec["arguments"] = {"parameters": params}
            meta: dict[str, Any] = {
                "generateName": generate_name or f"{name}-",
                "labels": {label: name, **extra_labels},
            }
            wmeta = (obj.get("spec") or {}).get("workflowMetadata") or {}
            if wmeta.get("labels"):
                meta["labels"] = {**wmeta["labels"], **meta["labels"]}
            if wmeta.get("annotations"):
                meta["annotations"] = dict(wmeta["annotations"])
        elif kind in ("CronWorkflow", "cronworkflow", "cronwf"):
            cron = self.get_cron_workflow(namespace, name)
            meta, spec = self._workflow_from_cron(cron, generate_name=generate_name)
            meta["labels"].update(extra_labels)
            if entrypoint:
                spec["entrypoint"] = entrypoint
            if params:
                spec.setdefault("arguments", {})["parameters"] = _merge_params(
                    (spec.get("arguments") or {}).get("parameters"), params
                )
        else:
            raise BadRequest(f"cannot submit from kind {kind!r}")
        if name_override:
            meta["name"] = name_override
            meta.pop("generateName", None)
        extra_annotations = _labels_from_text(annotations)
        if extra_annotations:
            meta["annotations"] = {**(meta.get("annotations") or {}), **extra_annotations}
        if owner_reference:
            meta["ownerReferences"] = [owner_reference]
        if service_account:
            spec["serviceAccountName"] = service_account
        if priority is not None:
            spec["priority"] = priority
        if pod_priority_class_name:
            spec["podPriorityClassName"] = pod_priority_class_name
        if artifacts:
            arts = list((spec.get("arguments") or {}).get("artifacts") or [])
            for item in artifacts:
                art_name, sep, key = item.partition("=")
                if not sep or not art_name.strip() or not key.strip():
                    raise BadRequest(f"artifact {item!r} must be name=key")
                arts = [a for a in arts if a.get("name") != art_name.strip()]
                arts.append({"name": art_name.strip(), "s3": {"key": key.strip()}})
            spec.setdefault("arguments", {})["artifacts"] = arts
        doc = {"apiVersion": API_VERSION, "kind": "Workflow", "metadata": meta, "spec": spec}
        return self.create_workflow(namespace, doc, dry_run=dry_run)

    @staticmethod
    def _workflow_from_cron(cron: dict[str, Any], *, generate_name: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
        cspec = cron.get("spec") or {}
        name = cron["metadata"]["name"]
        spec = copy.deepcopy(cspec.get("workflowSpec") or {})
        wmeta = cspec.get("workflowMetadata") or {}
        meta: dict[str, Any] = {
            "generateName": generate_name or f"{name}-",
            "labels": {**(wmeta.get("labels") or {}), "workflows.argoproj.io/cron-workflow": name},
        }
        if wmeta.get("annotations"):
            meta["annotations"] = dict(wmeta["annotations"])
        return meta, spec

    def _control(self, namespace: str, name: str, kind: str, args: dict[str, Any]) -> dict[str, Any]:
        wf = self._require(namespace, name)
        if wf.get("status", {}).get("phase") in _DONE:
            if kind in ("stop", "terminate", "suspend", "resume", "set"):
                raise BadRequest(f"cannot {kind} workflow {name}: it is already {wf['status']['phase']}")
        self._command(wf["metadata"]["uid"], kind, args)
        return self.get_workflow(namespace, name)

    def suspend_workflow(self, namespace: str, name: str, *, node_field_selector: str | None = None) -> dict[str, Any]:
        """Suspend a workflow: nothing new starts; running nodes carry on."""
        return self._control(namespace, name, "suspend", {"node_field_selector": node_field_selector})

    def resume_workflow(self, namespace: str, name: str, *, node_field_selector: str | None = None) -> dict[str, Any]:
        """Resume a suspended workflow and the suspend nodes matching the selector (all without one)."""
        if node_field_selector:
            node_field_predicate(node_field_selector)
        return self._control(namespace, name, "resume", {"node_field_selector": node_field_selector})

    def stop_workflow(
        self, namespace: str, name: str, *, message: str | None = None, node_field_selector: str | None = None
    ) -> dict[str, Any]:
        """Stop: kill running work, run exit handlers, end Failed ("Stopped with strategy 'Stop'")."""
        return self._control(namespace, name, "stop", {"message": message, "node_field_selector": node_field_selector})

    def terminate_workflow(
        self, namespace: str, name: str, *, message: str | None = None, node_field_selector: str | None = None
    ) -> dict[str, Any]:
        """Terminate: kill everything, run no exit handlers, end Failed."""
        return self._control(
            namespace, name, "terminate", {"message": message, "node_field_selector": node_field_selector}
        )

    def set_workflow(
        self,
        namespace: str,
        name: str,
        *,
        node_field_selector: str,
        phase: str | None = None,
        message: str | None = None,
        output_parameters: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Argo's `node set`: resume matching suspend nodes with output parameters (and a phase/message)."""
        if not node_field_selector:
            raise BadRequest("nodeFieldSelector is required")
        node_field_predicate(node_field_selector)
        if phase is not None and phase not in ("Succeeded", "Failed", "Error"):
            raise BadRequest(f"phase must be Succeeded, Failed or Error, not {phase!r}")
        return self._control(
            namespace,
            name,
            "set",
            {
                "node_field_selector": node_field_selector,
                "phase": phase,
                "message": message,
                "output_parameters": output_parameters,
            },
        )

    def retry_workflow(
        self,
        namespace: str,
        name: str,
        *,
        restart_successful: bool = False,
        node_field_selector: str | None = None,
        parameters: list[str] | None = None,
    ) -> dict[str, Any]:
        """Re-run a Failed/Error workflow: failed nodes are reset, succeeded ones kept (unless selected);
        `parameters` ("name=value") override workflow arguments for the nodes that run again."""
        params = _params_from_list(parameters)
        wf = self._require(namespace, name)
        status = wf.get("status") or {}
        if status.get("phase") not in ("Failed", "Error"):
            raise BadRequest(f"workflow {name} must be Failed or Error to retry (it is {status.get('phase')})")
        nodes: dict[str, Any] = status.get("nodes") or {}
        sel = node_field_predicate(node_field_selector) if node_field_selector else None
        drop: set[str] = set()
        for nid, node in nodes.items():
            if node.get("phase") != "Succeeded":
                drop.add(nid)
            elif restart_successful and sel is not None and sel(node):
                drop.add(nid)
        if restart_successful and sel is not None:
            # ancestors of restarted nodes run again too
            parents: dict[str, list[str]] = {}
            for nid, node in nodes.items():
                for c in node.get("children") or []:
                    parents.setdefault(c, []).append(nid)
            stack = list(drop)
            while stack:
                n = stack.pop()
                for p in parents.get(n, []):
                    if p not in drop:
                        drop.add(p)
                        stack.append(p)
        kept = {nid: n for nid, n in nodes.items() if nid not in drop}
        for n in kept.values():
            if n.get("children"):
                n["children"] = [c for c in n["children"] if c not in drop]
            if n.get("outboundNodes"):
                n["outboundNodes"] = [c for c in n["outboundNodes"] if c not in drop]
        spec = wf.setdefault("spec", {})
        spec.pop("shutdown", None)
        spec.pop("suspend", None)
        if params:
            args = spec.setdefault("arguments", {})
            args["parameters"] = _merge_params(args.get("parameters"), params)
        wf["status"] = {
            "phase": "Running",
            "startedAt": status.get("startedAt") or now_rfc3339(),
            "nodes": kept,
            **({"outputs": status["outputs"]} if status.get("outputs") else {}),
            **(
                {"storedWorkflowTemplateSpec": status["storedWorkflowTemplateSpec"]}
                if status.get("storedWorkflowTemplateSpec")
                else {}
            ),
        }
        wf["metadata"].setdefault("labels", {})["workflows.argoproj.io/completed"] = "false"
        wf["metadata"]["labels"]["workflows.argoproj.io/phase"] = "Running"
        with self.store.transaction() as conn:
            self.store.replace_workflow(conn, wf)
        if self._holder and self._sched is not None:
            self._sched.post(self._sched.start_workflow, wf["metadata"]["uid"])
        self._notify()
        return self.get_workflow(namespace, name)

    def resubmit_workflow(
        self, namespace: str, name: str, *, memoized: bool = False, parameters: list[str] | None = None
    ) -> dict[str, Any]:
        """Submit a copy of a workflow; with `memoized`, its Succeeded nodes are reused, not re-run;
        `parameters` ("name=value") override the copy's workflow arguments."""
        params = _params_from_list(parameters)
        old = self._require(namespace, name)
        ometa = old["metadata"]
        meta: dict[str, Any] = {
            "generateName": ometa.get("generateName") or f"{name}-",
            "labels": {
                k: v
                for k, v in (ometa.get("labels") or {}).items()
                if k not in ("workflows.argoproj.io/phase", "workflows.argoproj.io/completed")
            },
        }
        meta["labels"]["workflows.argoproj.io/resubmitted-from-workflow"] = name
        if ometa.get("annotations"):
            meta["annotations"] = dict(ometa["annotations"])
        spec = copy.deepcopy(old.get("spec") or {})
        spec.pop("shutdown", None)
        if params:
            args = spec.setdefault("arguments", {})
            args["parameters"] = _merge_params(args.get("parameters"), params)
        doc = {"apiVersion": API_VERSION, "kind": "Workflow", "metadata": meta, "spec": spec}
        if not memoized:
            return self._create_workflow(namespace, doc, like=ometa.get("uid"))
        from hera.engine.naming import node_id

        new_name = self._create_workflow(namespace, doc, dry_run=True)["metadata"]["name"]
        doc["metadata"] = {**meta, "name": new_name}
        nodes = {}
        for node in (old.get("status") or {}).get("nodes", {}).values():
            if node.get("phase") != "Succeeded" or node.get("type") != "Pod":
                continue
            nname = new_name + node["name"][len(name) :] if node["name"].startswith(name) else node["name"]
            nid = node_id(new_name, nname)
            nodes[nid] = {**node, "id": nid, "name": nname, "children": []}
            nodes[nid].pop("boundaryID", None)
        self._create_workflow(namespace, doc, nodes=nodes, like=ometa.get("uid"))
        return self.get_workflow(namespace, new_name)

    def wait_workflow(self, namespace: str, name: str, timeout: float | None = None) -> dict[str, Any]:
        """Block until the workflow is Succeeded, Failed or Error; TimeoutError after `timeout` seconds."""
        started = time.monotonic()
        deadline = None if timeout is None else started + timeout
        uid = self._require(namespace, name)["metadata"]["uid"]
        seen = self._changes
        while True:
            # a long run is checked less often than every commit (at most 1/20 of its age later, 25 ms at most)
            time.sleep(min(0.025, (time.monotonic() - started) / 20))
            state = self.store.workflow_phase(uid)
            if state is None:
                raise NotFound(f'workflows.argoproj.io "{name}" not found')
            if state[0] in _DONE:
                return self.get_workflow(namespace, name)
            if self._closed:
                raise RuntimeError("the engine was closed while waiting")
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise TimeoutError(f"workflow {name} did not complete within {timeout} seconds")
            self.wait_for_change(seen, 0.5 if remaining is None else min(0.5, remaining))
            seen = self._changes

    def workflow_logs(
        self,
        namespace: str,
        name: str,
        *,
        pod_name: str | None = None,
        container: str = "main",
        follow: bool = False,
        grep: str | None = None,
        tail_lines: int | None = None,
        since_seconds: int | None = None,
        timestamps: bool = False,
        since_time: float | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Log lines of the workflow's nodes as `{"podName", "content"}` (one node after another).

        `pod_name` selects one node (by pod name, node id or display name); `follow` keeps reading until the
        node and the workflow are done. `since_seconds` skips nodes that finished earlier than that.
        `timestamps` starts each content with the RFC 3339 time the line was written; `since_time` (epoch
        seconds) keeps the lines written since then.
        """
        from hera.engine.logs import iter_workflow_logs

        yield from iter_workflow_logs(
            self,
            namespace,
            name,
            pod_name=pod_name,
            follow=follow,
            grep=grep,
            tail_lines=tail_lines,
            since_seconds=since_seconds,
            timestamps=timestamps,
            since_time=since_time,
        )

    def watch_workflows(
        self,
        namespace: str | None,
        *,
        field_selector: str | None = None,
        label_selector: str | None = None,
        stop: threading.Event | None = None,
    ) -> Iterator[dict[str, Any]]:
        """`{"type": ADDED|MODIFIED|DELETED, "object": wf}` events; ends when the engine closes or `stop` is set
        (checked at least every quarter of a second)."""
        labels_ok = parse_label_selector(label_selector)
        fields_ok = workflow_field_predicate(field_selector)
        seen: set[str] = set()
        last_rv = 0
        rows = self.store.list_workflow_rows(namespace or None)
        last_rv = self.store.current_rv()
        for row in reversed(rows):
            wf = self._row_to_wf(row)
            if labels_ok(json.loads(row[3])) and fields_ok(wf):
                seen.add(row[0])
                yield {"type": "ADDED", "object": wf}
        seen_change = self._changes
        while not self._closed and not (stop is not None and stop.is_set()):
            seen_change = self.wait_for_change(seen_change, 0.25)
            if self._closed or (stop is not None and stop.is_set()):
                break
            rows = self.store.list_workflow_rows(namespace or None, min_rv=last_rv)
            tombs = self.store.tombstones_since(last_rv)
            events: list[tuple[int, dict[str, Any]]] = []
            for row in rows:
                wf = self._row_to_wf(row)
                if not (labels_ok(json.loads(row[3])) and fields_ok(wf)):
                    continue
                kind = "MODIFIED" if row[0] in seen else "ADDED"
                seen.add(row[0])
                events.append((int(row[4]), {"type": kind, "object": wf}))
            for rv, ns, _name, body in tombs:
                if namespace and ns != namespace:
                    continue
                obj = json.loads(body)
                if labels_ok((obj.get("metadata") or {}).get("labels") or {}) and fields_ok(obj):
                    events.append((int(rv), {"type": "DELETED", "object": obj}))
            for rv, ev in sorted(events, key=lambda e: e[0]):
                last_rv = max(last_rv, rv)
                yield ev

    def _row_to_wf(self, row: tuple[Any, ...]) -> dict[str, Any]:
        wf: dict[str, Any] = json.loads(row[5])
        wf["status"] = json.loads(row[6])
        wf["metadata"]["resourceVersion"] = str(row[4])
        nodes = self.store.workflow_nodes(row[0])
        if nodes:
            wf["status"]["nodes"] = nodes
        return wf

    # -- stored objects (templates, cron workflows, config maps, secrets) ------------------------------
    def _create_object(self, kind: str, namespace: str, obj: dict[str, Any], *, validate: bool = True) -> dict[str, Any]:
        if not isinstance(obj, dict):
            raise BadRequest(f"{kind} must be an object")
        doc = copy.deepcopy(obj)
        doc["kind"] = doc.get("kind") or kind
        if doc["kind"] != kind:
            raise BadRequest(f"expected kind {kind}, got {doc['kind']!r}")
        doc.setdefault("apiVersion", "v1" if kind in ("ConfigMap", "Secret") else API_VERSION)
        meta = doc.setdefault("metadata", {})
        if namespace:
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        if not meta.get("name"):
            gen = meta.get("generateName")
            if not gen:
                raise BadRequest("metadata.name is required")
            meta["name"] = f"{gen}{_random_suffix()}"
        if validate:
            self._validate(doc, namespace or "default")
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now_rfc3339()
        with self.store.transaction() as conn:
            if conn.execute(
                "SELECT 1 FROM objects WHERE kind = ? AND namespace = ? AND name = ?", (kind, namespace, meta["name"])
            ).fetchone():
                raise AlreadyExists(f'{_plural(kind)} "{meta["name"]}" already exists')
            self.store.put_object(conn, kind, namespace, meta["name"], doc)
        self._notify()
        return doc

    def _get_object(self, kind: str, namespace: str, name: str) -> dict[str, Any]:
        obj = self.store.get_object(kind, namespace, name)
        if obj is None:
            raise NotFound(f'{_plural(kind)} "{name}" not found')
        return obj

    def _list_objects(
        self, kind: str, namespace: str | None, label_selector: str | None, limit: int | None, continue_: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        ok = parse_label_selector(label_selector)
        items = [o for o in self.store.list_objects(kind, namespace) if ok((o.get("metadata") or {}).get("labels") or {})]
        start = int(continue_) if continue_ else 0
        if limit:
            page = items[start : start + limit]
            token = str(start + limit) if start + limit < len(items) else None
            return page, token
        return items[start:], None

    def _update_object(self, kind: str, namespace: str, name: str, obj: dict[str, Any], *, validate: bool = True) -> dict[str, Any]:
        current = self._get_object(kind, namespace, name)
        doc = copy.deepcopy(obj)
        doc["kind"] = doc.get("kind") or kind
        meta = doc.setdefault("metadata", {})
        if meta.get("name") and meta["name"] != name:
            raise BadRequest(f"metadata.name {meta['name']!r} does not match {name!r}")
        meta["name"] = name
        if namespace:
            meta["namespace"] = namespace
        rv = meta.get("resourceVersion")
        if rv and str(rv) != str(current["metadata"].get("resourceVersion")):
            raise AlreadyExists(
                f'Operation cannot be fulfilled on {_plural(kind)} "{name}": the object has been modified;'
                " please apply your changes to the latest version and try again"
            )
        if validate:
            self._validate(doc, namespace or "default")
        meta["uid"] = current["metadata"].get("uid")
        meta["creationTimestamp"] = current["metadata"].get("creationTimestamp")
        with self.store.transaction() as conn:
            self.store.put_object(conn, kind, namespace, name, doc)
        self._notify()
        return doc

    def _delete_object(self, kind: str, namespace: str, name: str) -> None:
        with self.store.transaction() as conn:
            if not self.store.delete_object(conn, kind, namespace, name):
                raise NotFound(f'{_plural(kind)} "{name}" not found')
        self._notify()

    def _lint_object(self, kind: str, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
        doc = copy.deepcopy(obj)
        doc["kind"] = doc.get("kind") or kind
        if doc["kind"] != kind:
            raise BadRequest(f"expected kind {kind}, got {doc['kind']!r}")
        doc.setdefault("apiVersion", API_VERSION)
        meta = doc.setdefault("metadata", {})
        if namespace:
            meta["namespace"] = namespace
        self._validate(doc, namespace or "default")
        return doc

    # WorkflowTemplates
    def create_workflow_template(self, namespace: str, template: dict[str, Any]) -> dict[str, Any]:
        """Store a WorkflowTemplate (validated); AlreadyExists when the name is taken."""
        return self._create_object("WorkflowTemplate", namespace, template)

    def get_workflow_template(self, namespace: str, name: str) -> dict[str, Any]:
        """A stored WorkflowTemplate; NotFound otherwise."""
        return self._get_object("WorkflowTemplate", namespace, name)

    def list_workflow_templates(
        self, namespace: str | None, *, label_selector: str | None = None, limit: int | None = None, continue_: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """WorkflowTemplates of a namespace (all namespaces with None)."""
        return self._list_objects("WorkflowTemplate", namespace, label_selector, limit, continue_)

    def update_workflow_template(self, namespace: str, name: str, template: dict[str, Any]) -> dict[str, Any]:
        """Replace a WorkflowTemplate; a stale metadata.resourceVersion gives AlreadyExists (409)."""
        return self._update_object("WorkflowTemplate", namespace, name, template)

    def delete_workflow_template(self, namespace: str, name: str) -> None:
        """Delete a WorkflowTemplate; NotFound when missing."""
        self._delete_object("WorkflowTemplate", namespace, name)

    def lint_workflow_template(self, namespace: str, template: dict[str, Any]) -> dict[str, Any]:
        """Validate a WorkflowTemplate without storing it."""
        return self._lint_object("WorkflowTemplate", namespace, template)

    # ClusterWorkflowTemplates
    def create_cluster_workflow_template(self, template: dict[str, Any]) -> dict[str, Any]:
        """Store a ClusterWorkflowTemplate (validated)."""
        return self._create_object("ClusterWorkflowTemplate", "", template)

    def get_cluster_workflow_template(self, name: str) -> dict[str, Any]:
        """A stored ClusterWorkflowTemplate; NotFound otherwise."""
        return self._get_object("ClusterWorkflowTemplate", "", name)

    def list_cluster_workflow_templates(
        self, *, label_selector: str | None = None, limit: int | None = None, continue_: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """All ClusterWorkflowTemplates."""
        return self._list_objects("ClusterWorkflowTemplate", "", label_selector, limit, continue_)

    def update_cluster_workflow_template(self, name: str, template: dict[str, Any]) -> dict[str, Any]:
        """Replace a ClusterWorkflowTemplate (resourceVersion checked)."""
        return self._update_object("ClusterWorkflowTemplate", "", name, template)

    def delete_cluster_workflow_template(self, name: str) -> None:
        """Delete a ClusterWorkflowTemplate."""
        self._delete_object("ClusterWorkflowTemplate", "", name)

    def lint_cluster_workflow_template(self, template: dict[str, Any]) -> dict[str, Any]:
        """Validate a ClusterWorkflowTemplate without storing it."""
        return self._lint_object("ClusterWorkflowTemplate", "", template)

    # CronWorkflows
    def create_cron_workflow(self, namespace: str, cron: dict[str, Any]) -> dict[str, Any]:
        """Store a CronWorkflow; the running engine schedules it."""
        self._check_cron(cron)
        out = self._create_object("CronWorkflow", namespace, cron)
        self._cron_changed()
        return out

    def get_cron_workflow(self, namespace: str, name: str) -> dict[str, Any]:
        """A stored CronWorkflow (with its status: active, lastScheduledTime, succeeded/failed counts)."""
        return self._get_object("CronWorkflow", namespace, name)

    def list_cron_workflows(
        self, namespace: str | None, *, label_selector: str | None = None, limit: int | None = None, continue_: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """CronWorkflows of a namespace (all with None)."""
        return self._list_objects("CronWorkflow", namespace, label_selector, limit, continue_)

    def update_cron_workflow(self, namespace: str, name: str, cron: dict[str, Any]) -> dict[str, Any]:
        """Replace a CronWorkflow (resourceVersion checked); keeps its status."""
        self._check_cron(cron)
        current = self.get_cron_workflow(namespace, name)
        doc = copy.deepcopy(cron)
        if "status" not in doc and current.get("status"):
            doc["status"] = current["status"]
        out = self._update_object("CronWorkflow", namespace, name, doc)
        self._cron_changed()
        return out

    def delete_cron_workflow(self, namespace: str, name: str) -> None:
        """Delete a CronWorkflow (workflows it created stay)."""
        self._delete_object("CronWorkflow", namespace, name)
        self._cron_changed()

    def lint_cron_workflow(self, namespace: str, cron: dict[str, Any]) -> dict[str, Any]:
        """Validate a CronWorkflow (document and schedules) without storing it."""
        self._check_cron(cron)
        return self._lint_object("CronWorkflow", namespace, cron)

    def suspend_cron_workflow(self, namespace: str, name: str) -> dict[str, Any]:
        """Stop scheduling a CronWorkflow (spec.suspend = true)."""
        return self._set_cron_suspend(namespace, name, True)

    def resume_cron_workflow(self, namespace: str, name: str) -> dict[str, Any]:
        """Schedule a suspended CronWorkflow again."""
        return self._set_cron_suspend(namespace, name, False)

    def _set_cron_suspend(self, namespace: str, name: str, value: bool) -> dict[str, Any]:
        def change(obj: dict[str, Any]) -> None:
            obj.setdefault("spec", {})["suspend"] = value

        if self.store.modify_object("CronWorkflow", namespace, name, change) is None:
            raise NotFound(f'cronworkflows.argoproj.io "{name}" not found')
        self._cron_changed()
        return self.get_cron_workflow(namespace, name)

    def _check_cron(self, cron: dict[str, Any]) -> None:
        from hera.engine.cron import CronError, parse_schedule

        spec = (cron or {}).get("spec") or {}
        schedules = list(spec.get("schedules") or [])
        if spec.get("schedule"):
            schedules.append(spec["schedule"])
        if not schedules:
            raise BadRequest("cron workflow must have a schedule or schedules")
        for s in schedules:
            try:
                parse_schedule(str(s))
            except CronError as e:
                raise BadRequest(str(e)) from None
        if not isinstance(spec.get("workflowSpec"), dict):
            raise BadRequest("cron workflow must have a workflowSpec")

    def _cron_changed(self) -> None:
        sched = self._sched
        if self._holder and sched is not None and getattr(sched, "cron", None) is not None:
            sched.post(sched.cron.reload)

    # Local ConfigMaps and Secrets (stand-ins for the Kubernetes objects templates refer to)
    def put_config_map(self, namespace: str, config_map: dict[str, Any]) -> dict[str, Any]:
        """Create or replace a ConfigMap in the local store (parameters, semaphores, env, volumes)."""
        return self._put_plain("ConfigMap", namespace, config_map)

    def put_secret(self, namespace: str, secret: dict[str, Any]) -> dict[str, Any]:
        """Create or replace a Secret in the local store (`data` base64, or `stringData`)."""
        return self._put_plain("Secret", namespace, secret)

    def _put_plain(self, kind: str, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
        doc = copy.deepcopy(obj)
        doc["kind"] = kind
        doc.setdefault("apiVersion", "v1")
        meta = doc.setdefault("metadata", {})
        if not meta.get("name"):
            raise BadRequest(f"{kind} needs metadata.name")
        meta["namespace"] = namespace
        with self.store.transaction() as conn:
            self.store.put_object(conn, kind, namespace, meta["name"], doc)
        return doc


def _plural(kind: str) -> str:
    return {
        "WorkflowTemplate": "workflowtemplates.argoproj.io",
        "ClusterWorkflowTemplate": "clusterworkflowtemplates.argoproj.io",
        "CronWorkflow": "cronworkflows.argoproj.io",
        "ConfigMap": "configmaps",
        "Secret": "secrets",
    }.get(kind, kind.lower())
