"""EngineOptions: the knobs of the embedded engine (all optional; defaults suit a developer machine)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _default_parallelism() -> int:
    return max(8, 4 * (os.cpu_count() or 2))


@dataclass
class EngineOptions:
    """Options of the embedded engine.

    - `parallelism`: how many node processes run at once across all workflows (default: 4 x CPUs, at least 8).
    - `time_scale`: multiplies every duration the engine waits for (suspend durations, retry backoffs,
      deadlines and timeouts) and every `sleep` run through the shell shim. 1.0 (the default) keeps
      Argo's timing; the conformance runner uses a smaller scale to shorten long sleeps. Inputs are never
      edited: the scale applies at run time only.
    - `max_sleep`: caps each `sleep` (seconds, after scaling) run by node processes; None for no cap.
    - `executor`: `host` (processes on this machine, the default) or `docker` / `podman` when one is installed.
    - `isolation`: `auto` (best available), `overlay`, `tmp` or `none` (see hera.engine.executors.sandbox).
    - `pid_namespace`: also give each node its own PID namespace (everything it starts dies with it).
    - `python`: interpreter for `python` commands (default: the engine's own interpreter).
    - `artifact_dir`: root of the local artifact repository (default `<state>/artifacts`).
    - `cache_dir`: where the compiled sandbox helper and shims live (default `$XDG_CACHE_HOME/hera`).
    - `env`: extra environment variables for every node process.
    - `keep_sandboxes`: keep each node's private filesystem layers after it ended (debugging).
    - `python_path`: directories holding the user's code, put first on every node's `PYTHONPATH` and made
      visible (read-only) in its view, as the user's image would hold them on a cluster; runner scripts
      (`python -m hera.workflows.runner -e module:function`) import their module from there. An engine that
      creates a workflow records its directories with it, so they apply wherever the workflow runs.
      `hera run` uses the file's directory and the working directory, the in-process `host="local"` client
      the submitting program's directory and working directory, `hera server` its working directory.
    """

    parallelism: int = field(default_factory=_default_parallelism)
    time_scale: float = 1.0
    max_sleep: float | None = None
    executor: str = "host"
    isolation: str = "auto"
    pid_namespace: bool = False
    python: str | None = None
    artifact_dir: str | None = None
    cache_dir: str | None = None
    env: dict[str, str] | None = None
    keep_sandboxes: bool = False
    python_path: list[str] | None = None
