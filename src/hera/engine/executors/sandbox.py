"""A private filesystem view per node: an overlay of the host root in a mount namespace.

Modes, best first (the engine probes once at start-up and uses the best that works):

- `overlay`: a mount namespace with an overlay of `/` (writes land in a per-node upper directory), a private
  `/tmp`, bind mounts for volumes, then chroot. Absolute paths such as `/tmp/out.txt` or `/mnt/out` never
  collide between parallel nodes and never touch the host.
- `tmp`: a mount namespace with only a private `/tmp` and the volume binds (kernels without overlay-in-namespace
  support). Other absolute paths are the host's, shared by all nodes.
- `none`: no namespaces (no privileges, no user namespaces): processes run on the host, with a private working
  directory; absolute paths are shared and parallel nodes writing the same path may collide.

The fast path is a small C helper (`sandbox.c`) compiled once with the host's C compiler and started with
posix_spawn; without a compiler the same steps run in Python between fork and exec (slower, same result).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MODES = ("overlay", "tmp", "none")

_SOURCE = Path(__file__).with_name("sandbox.c")


def helper_binary(cache_dir: Path) -> Path | None:
    """Path of the compiled sandbox helper (compiled on first use), or None when no C compiler works."""
    try:
        source = _SOURCE.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(source).hexdigest()[:16]
    target = cache_dir / f"hera-sandbox-{digest}"
    if target.exists():
        return target
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".hera-sandbox-", dir=cache_dir)
    os.close(fd)
    try:
        result = subprocess.run(
            [compiler, "-O2", "-o", tmp, str(_SOURCE)], capture_output=True, timeout=120, check=False
        )
        if result.returncode != 0:
            return None
        os.chmod(tmp, 0o755)
        os.replace(tmp, target)
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def host_submounts() -> list[str]:
    """Mount points besides `/` and `/tmp` bound into each overlay view, parents first (/proc, /dev, /dev/shm,
    /dev/pts, /sys, ...); mounts below /proc and /sys (cgroups, binfmt) are left out to keep views cheap."""
    points: list[str] = []
    try:
        with open("/proc/self/mountinfo") as f:
            for line in f:
                parts = line.split()
                if len(parts) > 4:
                    points.append(parts[4].replace("\\040", " "))
    except OSError:
        return ["/proc", "/dev", "/sys"]
    out: list[str] = []
    for p in sorted(set(points), key=lambda x: (x.count("/"), x)):
        if p == "/" or p == "/tmp" or p.startswith("/tmp/"):
            continue
        if p.startswith(("/proc/", "/sys/")):
            continue
        out.append(p)
    return out


@dataclass
class Plan:
    """How one node's process sees the filesystem, and where its view's paths live on the host.

    `node_dir` (a sandbox from the pool) holds `u` (overlay upper layer), `w` (overlay work dir), `r` (mount
    point of the view) and `t` (the private /tmp).
    """

    mode: str
    node_dir: Path
    binds: list[tuple[str, str]] = field(default_factory=list)  # (host source, view path)
    cwd: str | None = None
    ro_binds: list[tuple[str, str]] = field(default_factory=list)  # read-only (the user's code directories)

    @property
    def upper(self) -> Path:
        return self.node_dir / "u"

    @property
    def tmp(self) -> Path:
        return self.node_dir / "t"

    def host_path(self, view_path: str) -> Path:
        """Where a path of the node's view lives on the host (for reading outputs after the process ended)."""
        if self.mode == "none":
            p = Path(view_path)
            return p if p.is_absolute() else self.node_dir / "t" / p
        norm = os.path.normpath(view_path if view_path.startswith("/") else "/" + view_path)
        best: tuple[str, str] | None = None
        for src, dst in self.binds:
            if norm == dst or norm.startswith(dst.rstrip("/") + "/"):
                if best is None or len(dst) > len(best[1]):
                    best = (src, dst)
        if best is not None:
            rel = norm[len(best[1]) :].lstrip("/")
            return Path(best[0]) / rel if rel else Path(best[0])
        if self.mode == "overlay":
            candidate = self.upper / norm.lstrip("/")
            if os.path.lexists(candidate):
                return candidate
        return Path(norm)

    def stage_path(self, view_path: str) -> Path:
        """Where to write a file so the process finds it at `view_path` (input artifacts, script sources)."""
        if self.mode == "overlay":
            hp = self.host_path(view_path)
            if str(hp).startswith(str(self.node_dir)):
                return hp
            return self.upper / os.path.normpath(view_path).lstrip("/")
        return self.host_path(view_path)

    def helper_args(self, submounts: list[str], *, pid_namespace: bool, user_namespace: bool) -> list[str]:
        """The helper's options for this plan (everything before `--`)."""
        args: list[str] = []
        if pid_namespace:
            args.append("-p")
        if user_namespace:
            args.append("-u")
        if self.mode == "overlay":
            d = str(self.node_dir)
            args += ["-o", d + "/u", d + "/w", d + "/r"]
            for m in submounts:
                args += ["-b", m, m]
        for src, dst in self.binds:
            args += ["-b", src, dst]
        for src, dst in self.ro_binds:
            args += ["-B", src, dst]
        if self.mode == "tmp":
            args.append("-R")
        if self.cwd:
            args += ["-c", self.cwd]
        return args

    def preexec(self, submounts: list[str], *, user_namespace: bool) -> Callable[[], None]:
        """The same setup as the helper, for a fork-then-exec start when no helper could be compiled."""
        return _python_preexec(self, submounts, user_namespace=user_namespace)


#: Top-level directories a process may read but (in `tmp` views) not write: paths under them do not call for
#: an overlay. Everything else absolute that a template names does.
_READ_ONLY_ROOTS = ("/bin", "/sbin", "/usr", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/proc", "/sys", "/dev")
_PATH_RE = re.compile(r"""(?:^|[\s=:"'(<>|;&,`\[{])(/(?:[A-Za-z0-9_.+@%-][^\s"'`;|&<>(){}\[\],]*)?)(?=$|[\s"'`;|&<>(){}\[\],])""")


def _writes_outside_tmp(text: str) -> bool:
    """True when `text` names an absolute path that a process might write outside /tmp (or the home dir)."""
    if "~" in text or "HOME" in text:
        return True
    for m in _PATH_RE.finditer(text):
        p = m.group(1)
        if p.startswith("//"):
            continue
        if p == "/tmp" or p.startswith("/tmp/"):
            continue
        if p in ("/argosay", "/argo/staging/script", "/.hera/bin"):
            continue
        if any(p == r or p.startswith(r + "/") for r in _READ_ONLY_ROOTS):
            continue
        return True
    return False


def needs_overlay(tmpl: dict[str, object]) -> bool:
    """Whether a leaf template needs a full private overlay of `/` (see `choose_mode`)."""
    import json

    def under_tmp(p: object) -> bool:
        return isinstance(p, str) and (p == "/tmp" or p.startswith("/tmp/"))

    containers: list[dict[str, object]] = []
    for key in ("container", "script"):
        c = tmpl.get(key)
        if isinstance(c, dict):
            containers.append(c)
    for key in ("initContainers", "sidecars"):
        items = tmpl.get(key)
        if isinstance(items, list):
            containers.extend(c for c in items if isinstance(c, dict))
    cset = tmpl.get("containerSet")
    if isinstance(cset, dict):
        if cset.get("volumeMounts"):
            return True
        containers.extend(c for c in cset.get("containers") or [] if isinstance(c, dict))  # type: ignore[union-attr]
    if tmpl.get("volumes"):
        return True
    for c in containers:
        if c.get("volumeMounts") or c.get("mirrorVolumeMounts"):
            return True
        if c.get("workingDir") and not under_tmp(c.get("workingDir")):
            return True
        text = json.dumps([c.get("command"), c.get("args"), c.get("source"), c.get("env")])
        if _writes_outside_tmp(text):
            return True
    for section in ("inputs", "outputs"):
        io = tmpl.get(section)
        if not isinstance(io, dict):
            continue
        for a in io.get("artifacts") or []:
            if isinstance(a, dict) and a.get("path") and not under_tmp(a.get("path")):
                return True
        for p in io.get("parameters") or []:
            path = ((p.get("valueFrom") or {}) if isinstance(p, dict) else {}).get("path")
            if path and not under_tmp(path):
                return True
    return False


_OVERLAY_CACHE: dict[int, tuple[object, bool]] = {}


def _needs_overlay_cached(tmpl: dict[str, object]) -> bool:
    hit = _OVERLAY_CACHE.get(id(tmpl))
    if hit is not None and hit[0] is tmpl:
        return hit[1]
    value = needs_overlay(tmpl)
    if len(_OVERLAY_CACHE) > 4096:
        _OVERLAY_CACHE.clear()
    _OVERLAY_CACHE[id(tmpl)] = (tmpl, value)
    return value


def choose_mode(available: str, isolation: str, tmpl: dict[str, object]) -> str:
    """The view a node gets.

    `isolation="auto"` with overlays available: a full overlay of `/` when the template names an absolute
    path outside /tmp (in its command, args, script source, env, working dir, volumes, artifacts or output
    parameters) or the home directory; otherwise a cheaper `tmp` view: private /tmp, host root read-only (a
    write the template did not announce fails with "Read-only file system" instead of touching the host).
    """
    if available == "none" or isolation == "none":
        return "none"
    if available == "tmp" or isolation == "tmp":
        return "tmp"
    if isolation == "overlay":
        return "overlay"
    return "overlay" if _needs_overlay_cached(tmpl) else "tmp"


SCRIPT_DIR = "argo/staging"
#: Where `tmp` views find a script template's source (overlay views use /argo/staging/script, like Argo).
TMP_SCRIPT = ".hera-script"


class SandboxPool:
    """Reusable per-node sandbox directories: creating and deleting four directories per node is a large part
    of a short node's cost, so finished sandboxes are scrubbed and handed out again."""

    def __init__(self, root: Path, mode: str) -> None:
        self.root = root
        self.mode = mode
        self.free: list[Path] = []
        self.count = 0
        self.lock = threading.Lock()
        if root.exists():
            remove_tree(root)
        root.mkdir(parents=True, exist_ok=True)

    def acquire(self) -> Path:
        """An empty sandbox directory (u, w, r, t; `u/argo/staging` for script sources)."""
        with self.lock:
            if self.free:
                return self.free.pop()
            self.count += 1
            n = self.count
        d = self.root / str(n)
        os.mkdir(d)
        os.mkdir(d / "t")
        if self.mode == "overlay":
            os.makedirs(d / "u" / SCRIPT_DIR)
            os.makedirs(d / "u" / ".hera" / "bin")
            os.mkdir(d / "w")
            os.mkdir(d / "r")
        return d

    def release(self, d: Path, mode: str = "overlay") -> None:
        """Scrub a sandbox whose processes have ended and return it to the pool (call off the scheduler thread).

        Only the parts the view used are checked: `t` always, the overlay layers after an overlay view.
        """
        base = str(d)
        try:
            _empty(base + "/t", keep=(TMP_SCRIPT,))
            if mode == "overlay":
                upper = base + "/u"
                names = os.listdir(upper)
                if len(names) != 2 or "argo" not in names or ".hera" not in names:
                    for name in names:
                        if name not in ("argo", ".hera"):
                            _rm(upper + "/" + name)
                if os.listdir(upper + "/argo") != ["staging"]:
                    for name in os.listdir(upper + "/argo"):
                        if name != "staging":
                            _rm(upper + "/argo/" + name)
                _empty(upper + "/argo/staging", keep=("script",))
                if os.listdir(upper + "/.hera") != ["bin"]:
                    for name in os.listdir(upper + "/.hera"):
                        if name != "bin":
                            _rm(upper + "/.hera/" + name)
                _empty(upper + "/.hera/bin")
                if os.listdir(base + "/r"):
                    raise OSError("view mount point not empty")
        except OSError:
            remove_tree(d)
            return
        with self.lock:
            self.free.append(d)


def _rm(p: str) -> None:
    if os.path.isdir(p) and not os.path.islink(p):
        remove_tree(Path(p))
    else:
        os.unlink(p)


def _empty(d: str, keep: tuple[str, ...] = ()) -> None:
    for name in os.listdir(d):
        if name not in keep:
            _rm(d + "/" + name)


def remove_tree(path: Path) -> None:
    """Delete a node directory, including overlay work dirs whose permissions block a plain rmtree."""

    def onerror(func: Callable[..., object], p: str, exc: object) -> None:
        try:
            os.chmod(p, 0o700)
            func(p)
        except OSError:
            pass

    shutil.rmtree(path, onerror=onerror)


# -- the fork-then-exec fallback ------------------------------------------------------------------------
_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_MS_BIND = 4096
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_MS_RDONLY = 1
_MS_REMOUNT = 32
_PR_SET_PDEATHSIG = 1


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    return libc


def _python_preexec(plan: Plan, submounts: list[str], *, user_namespace: bool) -> Callable[[], None]:
    libc = _libc()
    d = str(plan.node_dir).encode()
    root = d + b"/r" if plan.mode == "overlay" else b""
    opts = b"lowerdir=/,upperdir=" + d + b"/u,workdir=" + d + b"/w"
    binds: list[tuple[bytes, bytes, int]] = []
    if plan.mode == "overlay":
        binds += [(m.encode(), root + m.encode(), _MS_BIND | _MS_REC) for m in submounts]
    binds += [(s.encode(), root + t.encode(), _MS_BIND) for s, t in plan.binds]
    binds += [(s.encode(), root + t.encode(), _MS_BIND | _MS_RDONLY) for s, t in plan.ro_binds]
    uid, gid = os.geteuid(), os.getegid()
    cwd = plan.cwd

    def fail(what: str) -> None:
        err = ctypes.get_errno()
        os.write(2, f"hera-sandbox: {what}: {os.strerror(err)}\n".encode())
        os._exit(125)

    def setup() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)
        flags = _CLONE_NEWNS | (_CLONE_NEWUSER if user_namespace else 0)
        if libc.unshare(flags) != 0:
            fail("unshare")
        if user_namespace:
            for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
                with open(f"/proc/self/{name}", "w") as f:
                    f.write(text)
        if libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
            fail("make-private /")
        held = []  # bind sources, held before a bind onto /tmp can hide those below it
        for src, dst, flags2 in binds:
            try:
                held.append((f"/proc/self/fd/{os.open(src, os.O_PATH | os.O_CLOEXEC)}".encode(), dst, flags2))
            except OSError:
                held.append((src, dst, flags2))
        if plan.mode == "overlay" and libc.mount(b"overlay", root, b"overlay", 0, opts) != 0:
            fail("mount overlay")
        for fd_src, dst, flags2 in held:
            if os.path.isdir(fd_src):
                os.makedirs(dst, exist_ok=True)
            elif not os.path.exists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                open(dst, "a").close()
            if libc.mount(fd_src, dst, None, flags2 & ~_MS_RDONLY, None) != 0:
                fail(f"bind {dst.decode()}")
            if flags2 & _MS_RDONLY and libc.mount(None, dst, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY, None) != 0:
                fail(f"remount read-only {dst.decode()}")
        if plan.mode == "tmp" and libc.mount(None, b"/", None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY, None) != 0:
            fail("remount read-only /")
        if plan.mode == "overlay":
            os.chroot(root)
            os.chdir("/")
        if cwd:
            os.makedirs(cwd, exist_ok=True)
            os.chdir(cwd)

    return setup


def probe(helper: Path | None, work_dir: Path, submounts: list[str]) -> tuple[str, bool]:
    """The best mode that works here, and whether a user namespace is needed: runs `true` in each mode."""
    user_ns = os.geteuid() != 0
    work_dir.mkdir(parents=True, exist_ok=True)
    for mode in ("overlay", "tmp"):
        d = Path(tempfile.mkdtemp(prefix="probe-", dir=work_dir))
        pool = SandboxPool(d / "pool", mode)
        plan = Plan(mode=mode, node_dir=pool.acquire())
        plan.binds = [(str(plan.tmp), "/tmp")]
        try:
            (plan.tmp / "probe").write_text("ok")
            script = "test -f /tmp/probe"
            if mode == "overlay":
                script += " && echo x > /probe-write"
            argv = ["sh", "-c", script]
            if helper is not None:
                cmd = [str(helper), *plan.helper_args(submounts, pid_namespace=False, user_namespace=user_ns), "--"]
                result = subprocess.run([*cmd, *argv], capture_output=True, timeout=30, check=False)
            else:
                result = subprocess.run(
                    argv,
                    capture_output=True,
                    timeout=30,
                    check=False,
                    preexec_fn=plan.preexec(submounts, user_namespace=user_ns),
                )
            ok = result.returncode == 0
            if ok and mode == "overlay":
                ok = (plan.upper / "probe-write").exists() and not os.path.exists("/probe-write")
            if ok:
                return mode, user_ns
        except (OSError, subprocess.SubprocessError):
            pass
        finally:
            remove_tree(d)
    return "none", False
