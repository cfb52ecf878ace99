"""Fixtures for the runner tests: write a user module and an args file, run the real runner in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest


class Run:
    """What one runner process did: exit code, stdout, stderr, and the files under its outputs directory."""

    def __init__(self, done: subprocess.CompletedProcess[str], outputs: Path) -> None:
        self.returncode = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr
        self.outputs = outputs

    def param(self, name: str) -> str:
        """The text of output parameter `name` (the file under `<outputs>/parameters/`)."""
        return (self.outputs / "parameters" / name).read_text()

    def artifact(self, name: str) -> str:
        """The text of output artifact `name` (the file under `<outputs>/artifacts/`)."""
        return (self.outputs / "artifacts" / name).read_text()

    def files(self) -> list[str]:
        """Every file under the outputs directory, relative and sorted (temporary files would show here)."""
        if not self.outputs.exists():
            return []
        return sorted(str(p.relative_to(self.outputs)) for p in self.outputs.rglob("*") if p.is_file())

    def json_stdout(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.stdout)


class RunnerHarness:
    """A scratch working directory where tests put modules and run `python -m hera.workflows.runner`."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.outputs = workdir / "out"

    def module(self, source: str, name: str = "mod") -> Path:
        """Write `source` (dedented) as `<workdir>/<name>.py`."""
        path = self.workdir / f"{name}.py"
        path.write_text(textwrap.dedent(source))
        return path

    def run(
        self,
        entry: str,
        inputs: dict[str, Any] | None = None,
        *,
        args_text: str | None = None,
        argv: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> Run:
        """Run the runner on `entry` with `inputs` as the args file (name → value), return what it did."""
        args_file = self.workdir / "args.json"
        if args_text is None:
            args_text = json.dumps([{"name": k, "value": v} for k, v in (inputs or {}).items()])
        args_file.write_text(args_text)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("hera__")}
        full_env["hera__outputs_directory"] = str(self.outputs)
        full_env.update(env or {})
        cmd = [sys.executable, "-m", "hera.workflows.runner", *(argv if argv is not None else ["-e", entry, str(args_file)])]
        done = subprocess.run(cmd, cwd=self.workdir, env=full_env, capture_output=True, text=True, timeout=60)
        return Run(done, self.outputs)


@pytest.fixture
def runner(tmp_path: Path) -> RunnerHarness:
    """A harness in a fresh working directory."""
    return RunnerHarness(tmp_path)
