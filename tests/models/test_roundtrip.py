"""Every Argo document of the upstream corpus loads into the models and dumps back equal to what was read."""

from __future__ import annotations

from typing import Any

import pytest

from hera import _documents
from hera.shared import yaml

from .conftest import ARGO

# Documents that do not come back identical, and why.
EXCEPTIONS = {
    # `arguments.parameters: null`: an explicit null list. `exclude_none` drops it; Argo reads it as absent (and
    # its linter rejects these two files, which upstream keeps as expected failures).
    ("e2e/expectedfailures/empty-parameter-dag.yaml", 0): "explicit null list is dumped as absent",
    ("e2e/expectedfailures/empty-parameter-steps.yaml", 0): "explicit null list is dumped as absent",
}


FILES = sorted(p for folder in ("examples", "e2e") for p in (ARGO / folder).rglob("*") if p.suffix in (".yaml", ".json"))


def _corpus() -> list[tuple[str, int, dict[str, Any]]]:
    out = []
    for path in FILES:
        for index, doc in enumerate(yaml.load_all(path.read_text(encoding="utf-8"))):
            if isinstance(doc, dict) and doc.get("kind") in _documents.MODEL_KINDS:
                out.append((path.relative_to(ARGO).as_posix(), index, doc))
    return out


CORPUS = _corpus()


def test_corpus_is_complete() -> None:
    # 372 YAML files and one JSON file; 378 of their documents are of the four workflow kinds (the others are
    # ConfigMaps, PVCs, a ResourceQuota and WorkflowEventBindings).
    assert sum(p.suffix == ".yaml" for p in FILES) == 372
    assert sum(p.suffix == ".json" for p in FILES) == 1
    assert len(CORPUS) == 378


@pytest.mark.parametrize(("name", "index", "doc"), CORPUS, ids=[f"{n}[{i}]" for n, i, _ in CORPUS])
def test_round_trip(name: str, index: int, doc: dict[str, Any]) -> None:
    obj = _documents.from_data(doc, source=name, index=index).obj
    dumped = obj.model_dump(by_alias=True, exclude_none=True)
    if (name, index) in EXCEPTIONS:
        assert dumped != doc, f"{name} now round-trips: remove it from EXCEPTIONS"
        return
    assert dumped == doc
    # the dump keeps the value types of the input (no int -> str coercion and back)
    assert repr(dumped) == repr(_reordered(doc, dumped))


def _reordered(original: Any, like: Any) -> Any:
    """`original` with its mappings in the key order of `like`, so reprs compare types and values only."""
    if isinstance(original, dict):
        return {k: _reordered(original[k], like[k]) for k in like}
    if isinstance(original, list):
        return [_reordered(a, b) for a, b in zip(original, like)]
    return original
