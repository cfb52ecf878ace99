"""Fixtures for the engine tests: a real engine on a temporary state directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hera.engine import Engine, EngineOptions


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One running engine per test module (state in a fresh temporary directory)."""
    e = Engine(tmp_path_factory.mktemp("state"), options=EngineOptions(parallelism=8))
    e.start()
    yield e
    e.close()

