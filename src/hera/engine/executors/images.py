"""Host equivalents of container images: entrypoints of known images, the argosay/cowsay test-image shims,
and the sleep shim that applies the engine's documented time scale.

Images run on the host: `busybox`/`alpine`/`debian` map to the host's shell and coreutils, `python:*` to the
engine's own Python interpreter; `argoproj/argosay:v2` and `cowsay` (argosay:v1, docker/whalesay) are small
shell shims installed in `/.hera/bin` of every node's view.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

#: The directory where the shims appear inside a node's view (first on PATH).
VIEW_BIN = "/.hera/bin"

_ARGOSAY = r"""#!/bin/sh
# argosay v2: Argo's test-image dispatcher (host shim installed by hera's engine)
if [ $# -eq 0 ]; then echo "hello argo"; exit 0; fi
cmd="$1"; shift
case "$cmd" in
  echo)
    if [ $# -eq 0 ]; then echo "hello argo"
    elif [ $# -eq 1 ]; then printf '%s\n' "$1"
    else mkdir -p "$(dirname "$2")" && printf '%s\n' "$1" > "$2"; fi ;;
  cat) cat "$@" ;;
  sleep) exec sleep "$@" ;;
  exit) exit "${1:-0}" ;;
  assert_contains) grep -F -q -- "$2" "$1" || { echo "$1 does not contain $2" >&2; exit 1; } ;;
  assert_equals) [ "$(cat "$1")" = "$2" ] || { echo "$1 does not equal $2" >&2; exit 1; } ;;
  sh) exec sh "$@" ;;
  *) echo "unknown command $cmd" >&2; exit 1 ;;
esac
"""

_COWSAY = r"""#!/bin/sh
# cowsay (host shim installed by hera's engine): the message in a speech bubble
msg="$*"
if [ -z "$msg" ]; then msg="$(cat)"; fi
line=$(printf '%s' "$msg" | sed 's/./-/g')
printf ' _%s_\n< %s >\n -%s-\n        \\   ^__^\n         \\  (oo)\\_______\n            (__)\\       )\\/\\\n                ||----w |\n                ||     ||\n' "$line" "$msg" "$line"
"""

_SLEEP = r"""#!/bin/sh
# sleep (host shim installed by hera's engine when a time scale is set): sleeps scaled and capped
d="${1:-0}"
secs=$(printf '%s\n' "$d" | awk -v scale="${HERA_TIME_SCALE:-1}" -v cap="${HERA_MAX_SLEEP:-0}" '{
  s = $0; total = 0; n = "";
  while (length(s) > 0) {
    c = substr(s, 1, 1);
    if (c ~ /[0-9.]/) { n = n c; s = substr(s, 2); continue }
    u = 1;
    if (substr(s, 1, 2) == "ms") { u = 0.001; s = substr(s, 3) }
    else { if (c == "s") u = 1; else if (c == "m") u = 60; else if (c == "h") u = 3600; else if (c == "d") u = 86400; s = substr(s, 2) }
    total += n * u; n = "";
  }
  if (n != "") total += n;
  total = total * scale;
  if (cap > 0 && total > cap) total = cap;
  printf "%.3f", total
}')
exec __REAL_SLEEP__ "$secs"
"""

_PYTHON = """#!/bin/sh
exec __PYTHON__ "$@"
"""

#: Entrypoints (ENTRYPOINT) of images whose behaviour depends on it.
_ENTRYPOINTS = {"argoproj/argosay:v2": ["/argosay"]}
#: Default commands (CMD) by image repository.
_DEFAULT_CMDS = {
    "argoproj/argosay:v1": ["cowsay"],
    "docker/whalesay": ["/bin/bash"],
    "busybox": ["sh"],
    "alpine": ["/bin/sh"],
    "debian": ["bash"],
    "ubuntu": ["bash"],
    "python": ["python3"],
    "node": ["node"],
}

_PYTHON_NAMES = {"python", "python3", "python2"}


def _normalize(image: str) -> tuple[str, str]:
    """(repository without registry and `library/`, tag) of an image reference."""
    ref = image.strip()
    ref = ref.split("@", 1)[0]
    tag = ""
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        ref, tag = ref.rsplit(":", 1)
    parts = ref.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if parts and parts[0] == "library":
        parts = parts[1:]
    return "/".join(parts), tag


def image_argv(image: str | None, command: list[str] | None, args: list[str] | None) -> list[str]:
    """The argv a container of `image` runs for this `command`/`args`, as Docker combines them."""
    repo, tag = _normalize(image or "")
    key = f"{repo}:{tag}" if tag else repo
    entry = _ENTRYPOINTS.get(key) or _ENTRYPOINTS.get(repo)
    if command:
        return [*command, *(args or [])]
    if entry:
        return [*entry, *(args or [])]
    if args:
        return list(args)
    cmd = _DEFAULT_CMDS.get(key) or _DEFAULT_CMDS.get(repo)
    if cmd is None:
        cmd = ["sh"]
    return list(cmd)


#: Images whose `sh` is busybox ash: bash runs their scripts closer than a POSIX-only sh such as dash
#: (ash has `$RANDOM`, `[[ ]]`, `echo -e`, `${var:0:1}`).
_ASH_IMAGES = ("alpine", "busybox", "python", "argoproj/argosay", "node", "docker/whalesay")
_BASH = shutil.which("bash")


def uses_ash(image: str | None) -> bool:
    """True when the image's `sh` is busybox ash."""
    repo, tag = _normalize(image or "")
    if repo == "python" and "alpine" not in tag:
        return False
    return any(repo == i or repo.startswith(i + ":") for i in _ASH_IMAGES) and (repo != "argoproj/argosay" or tag == "v2")


def host_argv(argv: list[str], python: str, shim_dir: str, *, image: str | None = None) -> list[str]:
    """`argv` with container programs replaced by host equivalents (python, /argosay, cowsay, ash)."""
    if not argv:
        return argv
    prog = argv[0]
    base = prog.rsplit("/", 1)[-1]
    if base in ("sh", "ash") and _BASH and uses_ash(image):
        return [_BASH, *argv[1:]]
    if base in _PYTHON_NAMES or (base.startswith("python3.") and base[8:].isdigit()):
        return [python, *argv[1:]]
    if prog in ("/argosay", "argosay"):
        return [f"{shim_dir}/argosay", *argv[1:]]
    if base == "cowsay":
        return [f"{shim_dir}/cowsay", *argv[1:]]
    return argv


def write_shims(cache_dir: Path, python: str, *, with_sleep: bool) -> Path:
    """Create (once) the host directory holding the shims; returns it."""
    real_sleep = "/bin/sleep" if os.path.exists("/bin/sleep") else "/usr/bin/sleep"
    files = {
        "argosay": _ARGOSAY,
        "cowsay": _COWSAY,
        "python": _PYTHON.replace("__PYTHON__", python),
        "python3": _PYTHON.replace("__PYTHON__", python),
    }
    if with_sleep:
        files["sleep"] = _SLEEP.replace("__REAL_SLEEP__", real_sleep)
    digest = hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()[:12]
    target = cache_dir / f"shims-{digest}"
    if target.is_dir():
        return target
    tmp = cache_dir / f".shims-{digest}-{os.getpid()}"
    tmp.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = tmp / name
        path.write_text(text)
        path.chmod(0o755)
    try:
        os.replace(tmp, target)
    except OSError:
        if not target.is_dir():
            raise
        for child in tmp.iterdir():
            child.unlink()
        tmp.rmdir()
    return target


def default_python() -> str:
    """The interpreter that runs Python script templates: the engine's own."""
    return sys.executable or "python3"
