"""Argo's own corpus on the embedded engine (marker `conformance`).

By default the examples upstream's e2e suite runs (the YES/SHIM rows of argo-conformance.md marked
`examples_test`); `HERA_CONFORMANCE=all` runs every YES/SHIM file. Each file must reach its expected phase.
The runner itself is benchmarks/conformance.py (which also prints per-folder counts).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from hera.engine import Engine, EngineOptions

_RUNNER = Path(__file__).resolve().parents[2] / "benchmarks" / "conformance.py"


def _load_runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hera_conformance_runner", _RUNNER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


runner = _load_runner()
_ALL = os.environ.get("HERA_CONFORMANCE") == "all"
ENTRIES = runner.selected(runner.parse_table(), only_upstream=not _ALL) if runner.SPEC.exists() else []

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not ENTRIES, reason="../shared/spec/argo-conformance.md is not available"),
]


@pytest.fixture(scope="module")
def corpus_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = Engine(
        tmp_path_factory.mktemp("conformance"),
        options=EngineOptions(time_scale=0.05, max_sleep=5.0, parallelism=256),
    )
    engine.start()
    runner.load_store(engine, ["argo"])
    yield engine
    engine.close()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.key for e in ENTRIES])
def test_corpus_file_reaches_its_expected_phase(corpus_engine: Engine, entry: Any) -> None:
    if entry.key in runner.KNOWN_DEVIATIONS:
        pytest.xfail(runner.KNOWN_DEVIATIONS[entry.key])
    # every file gets the namespace where the store's templates were loaded
    attempts = 3 if entry.file in runner.RANDOM_BY_DESIGN else 1
    for _ in range(attempts):
        result = runner.run_entry(corpus_engine, entry, "argo", timeout=300, cleanup=True)
        if result.passed:
            break
    assert result.passed, f"{entry.key}: expected {entry.expected}, got {result.phases}: {result.reason}"
