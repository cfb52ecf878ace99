"""Engines started from inside a node: what a node process inherits, and the guards against runaway nesting.

Every node process of the embedded engine gets `HERA_ENGINE_DEPTH` (how many local workflows it is nested in)
and `HERA_ENGINE_STATE_DIR` (its engine's state directory). A program that a node runs cannot use that state
directory (the node sees it read-only or as a private copy), so an engine refuses to start there; and no
local workflow is created deeper than `MAX_DEPTH`. The usual cause is a runner module that calls
`w.create()` at import time: every runner node imports the module and would submit the workflow again.
"""

from __future__ import annotations

import os
from pathlib import Path

from hera.exceptions import BadRequest

ENV_DEPTH = "HERA_ENGINE_DEPTH"
ENV_STATE_DIR = "HERA_ENGINE_STATE_DIR"
#: Local workflows may nest this deep (a node's program creating a workflow on another state directory).
MAX_DEPTH = 3

_GUARD_HINT = (
    "If this is a runner script's module calling `w.create()` (or `w.submit()`) at import time, every node"
    ' that imports it submits the workflow again: guard the call with `if __name__ == "__main__":`'
)


def current_depth() -> int:
    """How many local workflows this process runs inside (0 outside any node)."""
    try:
        return max(0, int(os.environ.get(ENV_DEPTH, "0") or 0))
    except ValueError:
        return 0


def check_nested(state_dir: Path) -> None:
    """Refuse to open `state_dir` inside a node of the engine that owns it."""
    parent = os.environ.get(ENV_STATE_DIR)
    if not parent or current_depth() < 1:
        return
    try:
        same = Path(parent).resolve() == state_dir.resolve()
    except OSError:
        same = False
    if same:
        raise BadRequest(
            f"this process runs inside a node of the embedded engine of {parent}; a node cannot create or"
            f" control workflows on that state directory (it sees it read-only). {_GUARD_HINT}. To submit"
            " workflows from a node on purpose, point it at a `hera server` (ARGO_SERVER=http://HOST:PORT)."
        )


def check_create(name: str) -> None:
    """Refuse to create a local workflow nested deeper than MAX_DEPTH."""
    depth = current_depth()
    if depth >= MAX_DEPTH:
        raise BadRequest(
            f"workflow {name!r} would run {depth + 1} local workflows deep (at most {MAX_DEPTH}). {_GUARD_HINT}"
        )


def code_dirs(paths: list[str] | None) -> list[str]:
    """Absolute, existing, distinct directories of `paths` (the user's code, for node processes)."""
    out: list[str] = []
    for p in paths or []:
        if not p:
            continue
        full = os.path.abspath(os.path.expanduser(str(p)))
        if full not in out and os.path.isdir(full):
            out.append(full)
    return out


#: Where the view shows a code directory that is /tmp itself (the view's /tmp is private).
TMP_ALIAS = "/tmp/.hera-code"


def code_views(dirs: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Read-only binds that show the code directories hidden by a node's private /tmp, and each directory's
    path inside the view: (binds as (host dir, view dir), view paths in the order of `dirs`)."""
    views = [TMP_ALIAS if d == "/tmp" else d for d in dirs]
    binds: list[tuple[str, str]] = []
    for d, view in sorted(zip(dirs, views), key=lambda dv: dv[1].count("/")):
        if not (d == "/tmp" or d.startswith("/tmp/")):
            continue
        covered = any(view.startswith(v + "/") for _, v in binds if v != TMP_ALIAS)
        if not covered:
            binds.append((d, view))
    return binds, views


def node_env(depth: int, state_dir: Path) -> dict[str, str]:
    """The variables a node process of a workflow created at nesting `depth` inherits."""
    return {ENV_DEPTH: str(depth + 1), ENV_STATE_DIR: str(state_dir), "HERA_STATE_DIR": str(state_dir)}
