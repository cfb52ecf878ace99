"""One engine server per test module (uvicorn in a thread over a fresh state directory)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.server._support import ThreadServer, serve_engine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    with serve_engine(tmp_path_factory.mktemp("state")) as s:
        yield s


@pytest.fixture(scope="module")
def http(server: ThreadServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c
