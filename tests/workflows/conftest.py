"""Every test starts from hera's defaults: global_config is reset before and after each one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hera.shared import global_config


@pytest.fixture(autouse=True)
def _reset_global_config() -> Iterator[None]:
    global_config.reset()
    yield
    global_config.reset()
