"""Token generators: callables that `global_config.token` accepts and that return a fresh bearer token."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from abc import ABC, abstractmethod

from hera.shared.errors import HeraError


class TokenGenerationError(HeraError, RuntimeError):
    """A token could not be produced (the tool is missing, failed or timed out)."""


class TokenGenerator(ABC):
    """Abstract callable returning a token string; set an instance as `global_config.token`."""

    @abstractmethod
    def __call__(self) -> str:
        """Return the token (without the `Bearer ` prefix, or with it: services accept both)."""


class ArgoCLITokenGenerator(TokenGenerator):
    """Runs `argo auth token` and returns the token without its leading `Bearer `.

    The token is never put into an error message.
    """

    def __init__(self, executable: str = "argo", timeout: float = 30.0) -> None:
        self.executable = executable
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"ArgoCLITokenGenerator(executable={self.executable!r})"

    def _run(self, argv: list[str]) -> tuple[int, str, str]:
        """Run `argv` in its own process group, killed as a whole when it outlives the timeout."""
        proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        try:
            stdout, stderr = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                proc.kill()
            proc.communicate()
            raise TokenGenerationError(
                f"`{self.executable} auth token` did not finish within {self.timeout} s"
            ) from None
        return proc.returncode, stdout, stderr

    def __call__(self) -> str:
        path = shutil.which(self.executable)
        if path is None:
            raise TokenGenerationError(
                f"`{self.executable}` was not found on PATH; install the Argo CLI or set global_config.token"
            )
        returncode, stdout, stderr = self._run([path, "auth", "token"])
        if returncode != 0:
            detail = stderr.strip()[-500:]
            raise TokenGenerationError(
                f"`{self.executable} auth token` failed with exit code {returncode}" + (f": {detail}" if detail else "")
            )
        token = stdout.strip()
        if token.startswith("Bearer "):
            token = token[len("Bearer ") :]
        return token
