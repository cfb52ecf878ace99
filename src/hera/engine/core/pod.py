"""Container, script and containerSet templates: the node's "pod" as host processes in private views.

Order as in Kubernetes: init containers one after another, then sidecars and main (or the containerSet's
containers in dependency order); sidecars are killed when main ends. Outputs (exit code, stdout as result,
parameters from files, artifacts) are read from the main container's view after it ended.
"""

from __future__ import annotations

import os
import re
import signal
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from hera.engine import artifacts as arts
from hera.engine.core.execute import Finisher, hostname
from hera.engine.core.nodes import param_text
from hera.engine.core.render import Scope
from hera.engine.core.run import Req, WorkflowRun
from hera.engine.durations import now_rfc3339, parse_duration, parse_rfc3339
from hera.engine.executors.host import ProcHandle, ProcSpec, SpawnError
from hera.engine.executors.images import VIEW_BIN, host_argv, image_argv
from hera.engine.executors.sandbox import Plan, choose_mode

SCRIPT_PATH = "/argo/staging/script"
DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline"
_ENV_REF = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


class PodError(Exception):
    """The pod cannot be set up (volume, secret, artifact): the node becomes Error with this message."""


@dataclass
class CRun:
    """One container of the pod."""

    name: str
    spec: dict[str, Any]
    role: str  # init | main | sidecar | set
    deps: list[str] = field(default_factory=list)
    source: str | None = None
    plan: Plan | None = None
    handle: ProcHandle | None = None
    exit_code: int | None = None
    node: dict[str, Any] | None = None
    started: bool = False
    finished: bool = False
    failed_to_start: str | None = None


class PodCtl:
    """Runs one leaf node's processes."""

    def __init__(
        self,
        run: WorkflowRun,
        req: Req,
        node: dict[str, Any],
        tmpl: dict[str, Any],
        scope: Scope,
        inputs: dict[str, Any],
        finisher: Finisher,
    ) -> None:
        self.run = run
        self.req = req
        self.node = node
        self.tmpl = tmpl
        self.scope = scope
        self.inputs = inputs
        self.finisher = finisher
        self.sched = run.sched
        self.pod = run.pod_name(node)
        self._dir: Path | None = None
        self.log_dir = f"{self.sched.logs_dir}/{run.uid}"
        self.log_path = f"{self.log_dir}/{node['id']}.log"
        self.containers: dict[str, CRun] = {}
        self.init_queue: list[CRun] = []
        self.main: CRun | None = None
        self.timers: list[Any] = []
        self.done = False
        self.kill_reason: tuple[str, str] | None = None
        self.slot = False
        self.locks: list[str] = []
        self.daemon = bool(tmpl.get("daemon"))
        self.daemon_stopping = False
        self.volumes: list[tuple[str, str]] = []
        self.pod_started = 0.0
        self.deadline_at: float | None = None
        self.mode = "none"

    @property
    def dir(self) -> Path:
        """The pod's run directory (emptyDir volumes live there)."""
        if self._dir is None:
            self._dir = self.sched.runs_dir / self.run.uid / self.pod
        return self._dir

    # -- start ---------------------------------------------------------------------------------------
    def start(self) -> None:
        run, node = self.run, self.node
        run.pods[node["id"]] = self
        node["hostNodeName"] = hostname()
        timeout = self.tmpl.get("timeout")
        if timeout:
            try:
                secs = parse_duration(timeout, field="timeout") * self.sched.time_scale
                started = parse_rfc3339(node.get("startedAt")) or time.time()
                self._set_deadline(started + secs)
                self.timers.append(
                    self.sched.call_later(run, max(0.0, started + secs - time.time()), self._expire, DEADLINE_MESSAGE)
                )
            except Exception as e:
                self._fail("Error", str(e))
                return
        sync = self.tmpl.get("synchronization")
        if sync:
            self.sched.locks.acquire(run, node, sync, self._locked)
        else:
            self._locked()

    def _locked(self) -> None:
        if self.done:
            self.sched.locks.release(self.node["id"])
            return
        self.sched.slots.acquire(self._slotted, self.run.uid)

    def _slotted(self) -> None:
        self.slot = True
        if self.done:
            self._release_slot()
            return
        try:
            self._build()
        except PodError as e:
            self._fail("Error", str(e))
            return
        needs_io = bool(self.inputs.get("_artifacts_full")) or bool(self.volumes)
        if needs_io:
            self.sched.work(self._prepare_files, self._prepared)
        else:
            try:
                self._prepare_files()
            except Exception as e:
                self._prepared(e)
                return
            self._prepared(None)

    # -- building the containers ---------------------------------------------------------------------
    def _build(self) -> None:
        tmpl = self.tmpl
        for i, c in enumerate(tmpl.get("initContainers") or []):
            cr = CRun(name=c.get("name") or f"init-{i}", spec=c, role="init")
            self.containers[cr.name] = cr
            self.init_queue.append(cr)
        for i, c in enumerate(tmpl.get("sidecars") or []):
            cr = CRun(name=c.get("name") or f"sidecar-{i}", spec=c, role="sidecar")
            self.containers[cr.name] = cr
        if tmpl.get("containerSet") is not None:
            cset = tmpl["containerSet"]
            for c in cset.get("containers") or []:
                cr = CRun(name=c["name"], spec=c, role="set", deps=list(c.get("dependencies") or []))
                self.containers[cr.name] = cr
            self.main = self.containers.get("main") or next(
                (c for c in self.containers.values() if c.role == "set"), None
            )
        else:
            spec = tmpl.get("container") or tmpl.get("script") or {}
            source = (tmpl.get("script") or {}).get("source") if tmpl.get("script") is not None else None
            cr = CRun(name="main", spec=spec, role="main", source=source)
            self.containers["main"] = cr
            self.main = cr
        self.volumes = self._volumes()
        self.mode = choose_mode(self.sched.sandbox_mode, self.sched.options.isolation, tmpl)

    def _volumes(self) -> list[tuple[str, str]]:
        """Host directories for every volume this pod mounts, as (volume name, host path)."""
        run = self.run
        defined: dict[str, dict[str, Any]] = {}
        for v in run.spec.get("volumes") or []:
            defined[v["name"]] = v
        for v in self.tmpl.get("volumes") or []:
            defined[v["name"]] = v
        claims = {(c.get("metadata") or {}).get("name"): c for c in run.spec.get("volumeClaimTemplates") or []}
        out: list[tuple[str, str]] = []
        names: set[str] = set()
        for c in self.containers.values():
            for m in c.spec.get("volumeMounts") or []:
                names.add(m.get("name"))
        for cset_mount in (self.tmpl.get("containerSet") or {}).get("volumeMounts") or []:
            names.add(cset_mount.get("name"))
        for name in sorted(n for n in names if n):
            v = defined.get(name)
            if v is None and name in claims:
                path = self.sched.runs_dir / run.uid / "pvc" / name
            elif v is None:
                raise PodError(f'volume "{name}" is not defined in the workflow or template')
            elif v.get("persistentVolumeClaim") is not None:
                claim = v["persistentVolumeClaim"].get("claimName") or name
                path = self.sched.state_dir / "volumes" / run.namespace / claim
            elif v.get("hostPath") is not None:
                out.append((name, str(v["hostPath"].get("path"))))
                continue
            else:
                path = self.dir / "vol" / name
            out.append((name, str(path)))
        return out

    def _plan(self, cr: CRun) -> Plan:
        mode = self.mode
        plan = Plan(mode=mode, node_dir=self.sched.sandboxes.acquire())
        vol_paths = dict(self.volumes)
        mounts = list(cr.spec.get("volumeMounts") or [])
        if cr.spec.get("mirrorVolumeMounts") and cr.role in ("init", "sidecar") and self.main is not None:
            mounts = list(self.main.spec.get("volumeMounts") or []) + mounts
        if cr.role == "set":
            mounts = list((self.tmpl.get("containerSet") or {}).get("volumeMounts") or []) + mounts
        binds: list[tuple[str, str]] = []
        if mode != "none":
            binds.append((f"{plan.node_dir}/t", "/tmp"))
            if mode == "overlay":
                binds.append((str(self.sched.shim_dir), VIEW_BIN))
        for m in mounts:
            src = vol_paths.get(m.get("name"))
            if src is None:
                continue
            if m.get("subPath"):
                src = str(Path(src) / m["subPath"])
            if mode == "none":
                continue
            binds.append((src, str(m.get("mountPath"))))
        plan.binds = binds
        if mode != "none":
            plan.ro_binds = self.run.code_binds
        wd = cr.spec.get("workingDir")
        if wd:
            plan.cwd = str(wd)
        elif mode == "tmp":
            plan.cwd = "/tmp"
        return plan

    def _prepare_files(self) -> None:
        """Create directories, volumes, input artifacts and script files (may run on a worker thread)."""
        for _, path in self.volumes:
            os.makedirs(path, exist_ok=True)
        self._materialize_volumes()
        for cr in self.containers.values():
            cr.plan = self._plan(cr)
            for src, _view in cr.plan.binds[2 if self.mode == "overlay" else 1 :]:
                if not os.path.exists(src):
                    os.makedirs(src, exist_ok=True)
        main = self.main
        if main is None or main.plan is None:
            raise PodError("the template has no main container")
        for a in self.inputs.get("_artifacts_full") or []:
            if not a.get("path") or not _has_data(a):
                continue
            dest = self._view_target(main.plan, str(a["path"]))
            try:
                arts.load(a, dest, self.sched.artifact_root)
            except arts.ArtifactError as e:
                if a.get("optional"):
                    continue
                raise PodError(str(e)) from None
        for cr in self.containers.values():
            if cr.source is not None and cr.plan is not None:
                if self.mode == "overlay":
                    target = str(cr.plan.node_dir) + "/u/" + SCRIPT_PATH[1:]
                else:
                    target = str(cr.plan.tmp) + "/.hera-script"
                data = cr.source.encode()
                # no O_TRUNC: a pooled sandbox usually holds the same script already, and freeing blocks
                # (truncation) is slow on file systems mounted with `discard`
                fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o755)
                try:
                    if os.pread(fd, len(data) + 1, 0) != data:
                        os.pwrite(fd, data, 0)
                        os.ftruncate(fd, len(data))
                finally:
                    os.close(fd)
        self.sched.ensure_dir(self.log_dir)

    def _view_target(self, plan: Plan, path: str) -> Path:
        if self.mode == "none":
            return Path(path)
        for name, host in self.volumes:
            for m in (self.main.spec.get("volumeMounts") or []) if self.main else []:
                if m.get("name") == name and (path == m.get("mountPath") or path.startswith(str(m.get("mountPath")).rstrip("/") + "/")):
                    rel = path[len(str(m.get("mountPath"))) :].lstrip("/")
                    return Path(host) / rel if rel else Path(host)
        return plan.stage_path(path)

    def _materialize_volumes(self) -> None:
        run = self.run
        defined: dict[str, dict[str, Any]] = {}
        for v in (run.spec.get("volumes") or []) + (self.tmpl.get("volumes") or []):
            defined[v["name"]] = v
        for name, path in self.volumes:
            v = defined.get(name) or {}
            data: dict[str, str] | None = None
            items = None
            if v.get("configMap") is not None:
                cm = self.sched.get_config_map(run.namespace, v["configMap"].get("name", ""))
                if cm is None and not v["configMap"].get("optional"):
                    raise PodError(f'configmap "{v["configMap"].get("name")}" not found')
                data = (cm or {}).get("data") or {}
                items = v["configMap"].get("items")
            elif v.get("secret") is not None:
                sec = self.sched.get_secret(run.namespace, v["secret"].get("secretName", ""))
                if sec is None and not v["secret"].get("optional"):
                    raise PodError(f'secret "{v["secret"].get("secretName")}" not found')
                data = self.sched.secret_data(sec or {})
                items = v["secret"].get("items")
            if data is None:
                continue
            if items:
                for it in items:
                    if it.get("key") in data:
                        target = Path(path) / (it.get("path") or it["key"])
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_text(data[it["key"]])
            else:
                for k, val in data.items():
                    (Path(path) / k).write_text(val)

    # -- running -------------------------------------------------------------------------------------
    def _prepared(self, error: BaseException | None) -> None:
        if self.done:
            return
        if error is not None:
            self._fail("Error", str(error) if isinstance(error, PodError | arts.ArtifactError) else f"failed to set up the pod: {error}")
            return
        run, node = self.run, self.node
        if run.shutdown and not self.req.is_exit:
            self._fail("Failed", f"Stopped with strategy '{run.shutdown}'")
            return
        # a node whose row is already stored (it waited for a slot) starts at once; a new one after the
        # commit that stores it (write before act: an engine restart finds every started node)
        stored = node["id"] not in run.dirty
        node["phase"] = "Running"
        run.mark(node, "Running")
        self.pod_started = time.time()
        deadline = self.tmpl.get("activeDeadlineSeconds")
        if deadline not in (None, ""):
            try:
                secs = float(deadline) * self.sched.time_scale
                self._set_deadline(time.time() + secs)
                self.timers.append(self.sched.call_later(run, secs, self._expire, DEADLINE_MESSAGE))
            except (TypeError, ValueError):
                pass
        if stored:
            self._run_next()
        else:
            self.sched.defer(self._run_next)

    def _run_next(self) -> None:
        """Start whatever can start now: the next init container, then sidecars and main/containerSet."""
        if self.done or self.kill_reason is not None:
            return
        if self.init_queue:
            cr = self.init_queue[0]
            if not cr.started:
                self._spawn(cr)
            return
        for cr in self.containers.values():
            if cr.role == "sidecar" and not cr.started:
                self._spawn(cr)
        for cr in self.containers.values():
            if cr.role in ("main", "set") and not cr.started:
                if all(self.containers[d].finished for d in cr.deps if d in self.containers):
                    failed_dep = next(
                        (d for d in cr.deps if d in self.containers and (self.containers[d].exit_code or 0) != 0), None
                    )
                    if failed_dep is not None:
                        cr.started = True
                        cr.finished = True
                        cr.exit_code = None
                        self._container_node(cr, "Omitted", "omitted: depends condition not met")
                        continue
                    self._spawn(cr)
        self._check_done()

    def _env(self, cr: CRun) -> dict[str, str]:
        sched, run = self.sched, self.run
        env = dict(sched.base_env)
        env.update(run.node_env)
        if self.mode == "overlay":
            env["PATH"] = f"{VIEW_BIN}:{env.get('PATH', '/usr/local/bin:/usr/bin:/bin')}"
        else:
            env["PATH"] = f"{sched.shim_dir}:{env.get('PATH', '/usr/local/bin:/usr/bin:/bin')}"
        env["ARGO_CONTAINER_NAME"] = cr.name
        env["ARGO_NODE_ID"] = self.node["id"]
        env["ARGO_POD_NAME"] = self.pod
        env["ARGO_WORKFLOW_NAME"] = run.name
        env["ARGO_WORKFLOW_NAMESPACE"] = run.namespace
        env["ARGO_INCLUDE_SCRIPT_OUTPUT"] = "true"
        for ef in cr.spec.get("envFrom") or []:
            prefix = ef.get("prefix") or ""
            if ef.get("configMapRef"):
                cm = sched.get_config_map(run.namespace, ef["configMapRef"].get("name", ""))
                if cm is None and not ef["configMapRef"].get("optional"):
                    raise PodError(f'configmap "{ef["configMapRef"].get("name")}" not found')
                for k, v in ((cm or {}).get("data") or {}).items():
                    env[prefix + k] = str(v)
            if ef.get("secretRef"):
                sec = sched.get_secret(run.namespace, ef["secretRef"].get("name", ""))
                if sec is None and not ef["secretRef"].get("optional"):
                    raise PodError(f'secret "{ef["secretRef"].get("name")}" not found')
                for k, v in sched.secret_data(sec or {}).items():
                    env[prefix + k] = v
        for e in cr.spec.get("env") or []:
            name = e.get("name")
            if not name:
                continue
            if e.get("value") is not None:
                env[name] = _expand(param_text(e["value"]), env)
                continue
            vf = e.get("valueFrom") or {}
            if vf.get("secretKeyRef"):
                ref = vf["secretKeyRef"]
                sec = sched.get_secret(run.namespace, ref.get("name", ""))
                data = sched.secret_data(sec or {})
                if ref.get("key") in data:
                    env[name] = data[ref["key"]]
                elif not ref.get("optional"):
                    raise PodError(
                        f'secret "{ref.get("name")}" key "{ref.get("key")}" not found: add it to the local store'
                        " (hera engine secrets) or mark the reference optional"
                    )
            elif vf.get("configMapKeyRef"):
                ref = vf["configMapKeyRef"]
                cm = sched.get_config_map(run.namespace, ref.get("name", ""))
                data = (cm or {}).get("data") or {}
                if ref.get("key") in data:
                    env[name] = str(data[ref["key"]])
                elif not ref.get("optional"):
                    raise PodError(f'configmap "{ref.get("name")}" key "{ref.get("key")}" not found')
            elif vf.get("fieldRef"):
                path = vf["fieldRef"].get("fieldPath", "")
                env[name] = {
                    "metadata.name": self.pod,
                    "metadata.namespace": run.namespace,
                    "status.podIP": "127.0.0.1",
                    "spec.nodeName": hostname(),
                    "spec.serviceAccountName": str(run.spec.get("serviceAccountName") or "default"),
                    "status.hostIP": "127.0.0.1",
                }.get(path, "")
            elif vf.get("resourceFieldRef"):
                env[name] = "0"
        if sched.time_scale != 1.0 or sched.max_sleep:
            env["HERA_TIME_SCALE"] = repr(sched.time_scale)
            env["HERA_MAX_SLEEP"] = repr(sched.max_sleep or 0)
        return env

    def _argv(self, cr: CRun, env: dict[str, str]) -> list[str]:
        spec = cr.spec
        image = spec.get("image") or ""
        command = spec.get("command")
        args = spec.get("args")
        if command is not None:
            command = [_expand(param_text(c), env) for c in command]
        if args is not None:
            args = [_expand(param_text(a), env) for a in args]
        argv = image_argv(image, command, args)
        if cr.source is not None:
            if self.mode == "none" and cr.plan is not None:
                argv = [*argv, str(cr.plan.tmp) + "/.hera-script"]
            elif self.mode == "tmp":
                argv = [*argv, "/tmp/.hera-script"]
            else:
                argv = [*argv, SCRIPT_PATH]
        shim = VIEW_BIN if self.mode == "overlay" else str(self.sched.shim_dir)
        return host_argv(argv, self.sched.python, shim, image=spec.get("image"))

    def _spawn(self, cr: CRun) -> None:
        cr.started = True
        try:
            env = self._env(cr)
            argv = self._argv(cr, env)
        except PodError as e:
            self._fail("Error", str(e))
            return
        if not argv:
            self._fail("Error", f"container {cr.name} has no command")
            return
        if cr.plan is None:
            self._fail("Error", "internal error: container plan missing")
            return
        header = b""
        if self.node.get("message", "").startswith("re-run"):
            header = f"--- {now_rfc3339()} {self.node['message']} ---\n".encode()
        spec = ProcSpec(
            key=(self.node["id"], cr.name),
            argv=argv,
            env=env,
            plan=cr.plan,
            log_path=self.log_path,
            log_header=header,
            tty=bool(cr.spec.get("tty")),
        )
        if self.containers and cr.role == "set":
            self._container_node(cr, "Running", None)
        try:
            cr.handle = self.sched.procs.spawn(spec, partial(self._on_exit, cr))
        except SpawnError as e:
            cr.failed_to_start = str(e)
            cr.exit_code = 127
            cr.finished = True
            self.sched.post(self._exited, cr, None)
            return
        if self.daemon and cr.role == "main":
            self.node["daemoned"] = True
            self.node["podIP"] = "127.0.0.1"
            self.run.mark(self.node, "Running")
            boundary = self.req.boundary_id or ""
            self.run.daemons.setdefault(boundary, []).append(self)
            self.sched.post(self.finisher.on_done, self.node)

    def _on_exit(self, cr: CRun, h: ProcHandle) -> None:
        """Called on the I/O thread: hand the exit over to the scheduler thread."""
        self.sched.post(self._exited, cr, h)

    def _container_node(self, cr: CRun, phase: str, message: str | None) -> None:
        run = self.run
        name = f"{self.node['name']}.{cr.name}"
        if cr.node is None:
            cr.node = run.create_node(
                name, "Container", boundary_id=self.req.boundary_id, phase=phase, message=message, template_name=self.tmpl.get("name")
            )
            deps = [self.containers[d].node for d in cr.deps if d in self.containers and self.containers[d].node]
            if deps:
                for d in deps:
                    if d is not None:
                        run.add_child(d["id"], cr.node["id"])
            else:
                run.add_child(self.node["id"], cr.node["id"])
        else:
            run.mark(cr.node, phase, message)

    def _exited(self, cr: CRun, h: ProcHandle | None) -> None:
        if h is not None:
            cr.exit_code = h.exit_code
        cr.finished = True
        if cr.role == "init":
            if self.init_queue and self.init_queue[0] is cr:
                self.init_queue.pop(0)
            if cr.exit_code != 0 and self.kill_reason is None:
                self._cleanup_processes()
                self._finish_outputs("Failed", f"{cr.name}: Error (exit code {cr.exit_code})")
                return
            self.sched.defer(self._run_next)
            return
        if cr.role == "sidecar":
            self._check_done()
            return
        if cr.role == "set":
            phase = "Succeeded" if cr.exit_code == 0 else "Failed"
            msg = None if cr.exit_code == 0 else f"Error (exit code {cr.exit_code})"
            self._container_node(cr, phase, msg)
            if cr.node is not None:
                cr.node.setdefault("outputs", {})["exitCode"] = str(cr.exit_code)
            self.sched.defer(self._run_next)
            return
        self._check_done()

    def _check_done(self) -> None:
        if self.done:
            return
        mains = [c for c in self.containers.values() if c.role in ("main", "set")]
        if not all(c.finished for c in mains):
            return
        sidecars = [c for c in self.containers.values() if c.role == "sidecar" and c.started and not c.finished]
        if sidecars:
            for c in sidecars:
                if c.handle is not None:
                    self.sched.procs.signal(c.handle, signal.SIGKILL)
            return
        # every process of the pod has ended: the next waiting pod gets the slot before the outputs are read
        self._release_slot(now=True)
        main = self.main
        if self.kill_reason is None and main is not None and main.handle is not None:
            # the exit and the deadline raced (a busy scheduler): a process that outlived its deadline failed
            ended = main.handle.exited_at or time.time()
            if self.deadline_at is not None and ended > self.deadline_at:
                self.kill_reason = ("Failed", DEADLINE_MESSAGE)
            elif self.run.deadline_at is not None and ended > self.run.deadline_at and not self.req.is_exit:
                self.kill_reason = ("Failed", "Step exceeded its deadline")
        if self.kill_reason is not None:
            phase, message = self.kill_reason
            self._finish_outputs(phase, message)
            return
        if main is None:
            self._finish_outputs("Error", "no main container")
            return
        if self.daemon and self.daemon_stopping:
            self._finish_outputs("Succeeded", "")
            return
        if main.failed_to_start:
            self._finish_outputs("Failed", f"{main.name}: Error (exit code {main.exit_code}): {main.failed_to_start}")
            return
        stderr = bytes(main.handle.stderr_tail) if main.handle is not None else b""
        code = main.exit_code
        if code == 125 and b"hera-sandbox:" in stderr:
            self._finish_outputs("Error", stderr.decode(errors="replace").strip().splitlines()[-1])
            return
        failed_set = [c for c in mains if c.role == "set" and (c.exit_code or 0) != 0 and c.node and c.node.get("phase") == "Failed"]
        if code != 0 and code is not None:
            self._finish_outputs("Failed", f"{main.name}: Error (exit code {code})")
        elif failed_set:
            c = failed_set[0]
            self._finish_outputs("Failed", f"{c.name}: Error (exit code {c.exit_code})")
        elif self.daemon:
            self._finish_outputs("Failed", "daemoned process exited on its own")
        else:
            self._finish_outputs("Succeeded", "")

    # -- outputs -------------------------------------------------------------------------------------
    def _finish_outputs(self, phase: str, message: str) -> None:
        if self.done:
            return
        self.done = True
        for t in self.timers:
            t.cancel()
        main = self.main
        plan = main.plan if main is not None else None
        declared = self.tmpl.get("outputs") or {}
        needs_io = bool(declared.get("artifacts")) or bool((self.tmpl.get("archiveLocation") or {}).get("archiveLogs"))
        if plan is None:
            self._complete(phase, message, {}, None)
            return
        if needs_io:
            self.sched.work(lambda: self._collect(plan, phase), lambda res: self._collected(res, phase, message))
        else:
            try:
                res: Any = self._collect(plan, phase)
            except Exception as e:
                res = e
            self._collected(res, phase, message)

    def _collect(self, plan: Plan, phase: str) -> tuple[dict[str, Any], str | None]:
        """Read output parameters and save output artifacts: (outputs, error message or None)."""
        outputs: dict[str, Any] = {}
        main = self.main
        error: str | None = None
        if main is not None and main.handle is not None:
            outputs["result"] = main.handle.result_text()
        if main is not None and main.exit_code is not None:
            outputs["exitCode"] = str(main.exit_code)
        declared = self.tmpl.get("outputs") or {}
        params = []
        for p in declared.get("parameters") or []:
            q = dict(p)
            vf = p.get("valueFrom") or {}
            if vf.get("path"):
                host = self._host_path(plan, str(vf["path"]))
                try:
                    text = host.read_text(errors="replace") if host.is_file() else None
                except OSError:
                    text = None
                if text is None:
                    if vf.get("default") is not None:
                        q["value"] = param_text(vf["default"])
                    else:
                        error = error or f"open {vf['path']}: no such file or directory"
                        params.append(q)
                        continue
                else:
                    q["value"] = text[:-1] if text.endswith("\n") else text
            elif p.get("value") is not None:
                q["value"] = param_text(p["value"])
            elif vf.get("default") is not None:
                q["value"] = param_text(vf["default"])
            elif vf.get("expression") is not None or vf.get("parameter") is not None:
                error = error or f"output parameter {p['name']}: valueFrom.{('expression' if vf.get('expression') else 'parameter')} is only valid in steps/dag templates"
            params.append(q)
        if params:
            outputs["parameters"] = params
        saved = []
        root = self.sched.artifact_root
        key_prefix = self._key_prefix()
        for a in declared.get("artifacts") or []:
            path = a.get("path")
            if not path:
                if a.get("optional"):
                    continue
                error = error or f"output artifact {a['name']} has no path"
                continue
            host = self._host_path(plan, str(path))
            if not host.exists():
                if a.get("optional"):
                    continue
                error = error or f"failed to save output artifact {a['name']}: path {path} does not exist"
                continue
            s3 = a.get("s3") or {}
            key = s3.get("key") or f"{key_prefix}/{arts.object_name(a, host)}"
            try:
                record = arts.save(host, {**a, "s3": {k: v for k, v in s3.items() if k in ("bucket", "key")}}, root, key)
            except arts.ArtifactError as e:
                error = error or str(e)
                continue
            saved.append({k: v for k, v in record.items() if k not in ("globalName",)} | ({"globalName": a["globalName"]} if a.get("globalName") else {}))
        if (self.tmpl.get("archiveLocation") or {}).get("archiveLogs") and os.path.exists(self.log_path):
            try:
                saved.append(arts.save(Path(self.log_path), {"name": "main-logs", "archive": {"none": {}}}, root, f"{key_prefix}/main.log"))
            except arts.ArtifactError:
                pass
        if saved:
            outputs["artifacts"] = saved
        return outputs, error

    def _key_prefix(self) -> str:
        loc = self.tmpl.get("archiveLocation") or {}
        s3 = loc.get("s3") or {}
        if s3.get("key"):
            return str(s3["key"]).rstrip("/")
        return f"{self.run.name}/{self.pod}"

    def _host_path(self, plan: Plan, path: str) -> Path:
        if self.mode != "none":
            for name, host in self.volumes:
                mounts = (self.main.spec.get("volumeMounts") or []) if self.main else []
                mounts = mounts + list((self.tmpl.get("containerSet") or {}).get("volumeMounts") or [])
                for m in mounts:
                    mp = str(m.get("mountPath") or "")
                    if m.get("name") == name and mp and (path == mp or path.startswith(mp.rstrip("/") + "/")):
                        rel = path[len(mp) :].lstrip("/")
                        return Path(host) / rel if rel else Path(host)
        return plan.host_path(path)

    def _collected(self, res: Any, phase: str, message: str) -> None:
        if isinstance(res, BaseException):
            outputs: dict[str, Any] = {}
            error: str | None = f"failed to collect outputs: {res}"
        else:
            outputs, error = res
        if phase == "Succeeded" and error:
            phase, message = "Error", error
        self._complete(phase, message, outputs, None)

    def _complete(self, phase: str, message: str, outputs: dict[str, Any], _unused: Any) -> None:
        run, node = self.run, self.node
        self.done = True
        run.pods.pop(node["id"], None)
        self._release_slot()
        self.sched.locks.release(node["id"])
        start = self.pod_started or (parse_rfc3339(node.get("startedAt")) or time.time())
        dur = max(1, round(time.time() - start))
        node["resourcesDuration"] = {"cpu": dur, "memory": dur}
        node["progress"] = "1/1"
        for t in self.timers:
            t.cancel()
        self._release_sandboxes()
        if self.daemon and node.get("daemoned") and not self.daemon_stopping:
            # a daemon that ended by itself: the flow already moved on; record the failure
            node.pop("daemoned", None)
            if outputs:
                node["outputs"] = outputs
            run.mark(node, "Failed" if phase == "Succeeded" else phase, message or "daemoned process exited")
            return
        if self.daemon and self.daemon_stopping:
            if outputs:
                node["outputs"] = outputs
                run.touch(node)
            return
        self.finisher.finish(phase, message, outputs or None)

    # -- control -------------------------------------------------------------------------------------
    def _set_deadline(self, when: float) -> None:
        if self.deadline_at is None or when < self.deadline_at:
            self.deadline_at = when

    def _release_slot(self, *, now: bool = False) -> None:
        if self.slot:
            self.slot = False
            self.sched.slots.release(now=now)

    def _fail(self, phase: str, message: str) -> None:
        if self.done:
            return
        self.done = True
        for t in self.timers:
            t.cancel()
        self._cleanup_processes()
        run, node = self.run, self.node
        run.pods.pop(node["id"], None)
        self._release_slot()
        self.sched.locks.release(node["id"])
        self._release_sandboxes()
        self.finisher.finish(phase, message)

    def _cleanup_processes(self) -> None:
        for c in self.containers.values():
            if c.handle is not None and not c.finished:
                self.sched.procs.signal(c.handle, signal.SIGKILL)

    def _expire(self, message: str) -> None:
        self.kill("Failed", message)

    def kill(self, phase: str, message: str) -> None:
        """Stop the pod (deadline, stop, terminate): kill its processes; the node ends with `phase`."""
        if self.done:
            return
        running = [c for c in self.containers.values() if c.handle is not None and not c.finished]
        if not running:
            self._fail(phase, message)
            return
        self.kill_reason = (phase, message)
        for c in running:
            if c.handle is not None:
                self.sched.procs.signal(c.handle, signal.SIGKILL)

    def stop_daemon(self) -> None:
        """The daemon's boundary finished: it ends Succeeded now, and its processes are killed."""
        if self.done:
            return
        self.daemon_stopping = True
        node = self.node
        if node.get("daemoned"):
            node.pop("daemoned", None)
            self.run.mark(node, "Succeeded", "")
        running = [c for c in self.containers.values() if c.handle is not None and not c.finished]
        if not running:
            self._complete("Succeeded", "", {}, None)
            return
        for c in running:
            if c.handle is not None:
                self.sched.procs.signal(c.handle, signal.SIGTERM)

    def _release_sandboxes(self) -> None:
        """Hand the containers' sandboxes back to the pool (scrubbed on a worker thread)."""
        if self.sched.options.keep_sandboxes:
            return
        for c in self.containers.values():
            if c.plan is not None:
                self.sched.release_sandbox(c.plan.node_dir, c.plan.mode)
                c.plan = None
        if self._dir is not None:
            self.sched.cleanup_later(self.dir)


def _has_data(a: dict[str, Any]) -> bool:
    return any(a.get(k) is not None for k in ("s3", "raw", "http", "git", "gcs", "azure", "oss", "hdfs", "artifactory", "plugin"))


def _expand(text: str, env: dict[str, str]) -> str:
    """Kubernetes `$(VAR)` expansion in command/args/env values (`$$(` escapes)."""
    if "$(" not in text:
        return text
    out = []
    i = 0
    while i < len(text):
        if text.startswith("$$(", i):
            out.append("$(")
            i += 3
            continue
        m = _ENV_REF.match(text, i)
        if m and text[i] == "$":
            name = m.group(1)
            out.append(env[name] if name in env else m.group(0))
            i = m.end()
            continue
        out.append(text[i])
        i += 1
    return "".join(out)
