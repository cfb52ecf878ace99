"""ArgoCLITokenGenerator runs a real `argo` executable found on PATH (a small script written per test)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hera.auth import ArgoCLITokenGenerator, TokenGenerationError, TokenGenerator
from hera.shared import global_config


def _install_argo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    script = tmp_path / "argo"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")


def test_strips_bearer_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_argo(tmp_path, monkeypatch, '[ "$1 $2" = "auth token" ] || exit 9\necho "Bearer abc.def"')
    assert ArgoCLITokenGenerator()() == "abc.def"


def test_token_without_prefix_is_returned_as_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_argo(tmp_path, monkeypatch, "echo plain-token")
    assert ArgoCLITokenGenerator()() == "plain-token"


def test_global_config_calls_the_generator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_argo(tmp_path, monkeypatch, 'echo "Bearer from-cli"')
    try:
        global_config.token = ArgoCLITokenGenerator()
        assert global_config.token == "from-cli"
    finally:
        global_config.reset()


def test_missing_argo_is_a_runtime_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="`argo` was not found on PATH"):
        ArgoCLITokenGenerator()()


def test_failure_reports_exit_code_and_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_argo(tmp_path, monkeypatch, "echo 'not logged in' >&2\nexit 3")
    with pytest.raises(TokenGenerationError, match="exit code 3: not logged in"):
        ArgoCLITokenGenerator()()


def test_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_argo(tmp_path, monkeypatch, "sleep 5\necho late")  # the shell waits for its child
    with pytest.raises(TokenGenerationError, match=r"did not finish within 0\.2 s"):
        ArgoCLITokenGenerator(timeout=0.2)()


def test_token_generator_is_abstract() -> None:
    with pytest.raises(TypeError):
        TokenGenerator()  # type: ignore[abstract]

    class Fixed(TokenGenerator):
        def __call__(self) -> str:
            return "t"

    assert Fixed()() == "t"
