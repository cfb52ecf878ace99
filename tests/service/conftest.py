"""Client tests start from hera's defaults and a clean argo environment, with a private state directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hera.shared import global_config

ARGO_ENV = (
    "ARGO_SERVER", "ARGO_TOKEN", "ARGO_NAMESPACE", "ARGO_INSECURE_SKIP_VERIFY", "ARGO_HTTP1", "ARGO_BASE_HREF",
    "ARGO_SECURE",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ARGO_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HERA_STATE_DIR", str(tmp_path / "state"))
    global_config.reset()
    yield
    global_config.reset()
