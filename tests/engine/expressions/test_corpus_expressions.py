"""Every expression of Argo's corpus parses: `{{=...}}` tags, `expression` / `fromExpression` fields, `depends`,
and `when` conditions (evaluated after their tags are replaced by sample values)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from hera.engine.expressions import compile_expression, evaluate_when, find_tags
from hera.lint.depends import parse_depends

ARGO = Path(__file__).resolve().parents[3].parent / "shared" / "argo"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _walk(obj: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, str(k))
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v, key)
    elif isinstance(obj, str):
        yield key, obj


def _collect() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"tag": set(), "expression": set(), "depends": set(), "when": set()}
    if not ARGO.is_dir():
        return found
    for path in sorted(ARGO.glob("**/*.yaml")) + sorted(ARGO.glob("e2e/**/*.json")):
        with path.open() as fh:
            for doc in yaml.load_all(fh, Loader=Loader):
                for key, text in _walk(doc):
                    for tag in find_tags(text):
                        if tag.startswith("="):
                            found["tag"].add(tag[1:])
                    if key in ("expression", "fromExpression"):
                        found["expression"].add(text)
                    elif key == "depends":
                        found["depends"].add(text)
                    elif key == "when":
                        found["when"].add(text)
    return found


FOUND = _collect()
needs_corpus = pytest.mark.skipif(not ARGO.is_dir(), reason="../shared/argo is not present")


def _sample(text: str) -> str:
    """Replace simple tags by a sample value and expression tags by `true`, as substitution would."""
    text = re.sub(r"\{\{=[^}]*\}\}", "true", text)
    return re.sub(r"\{\{[^}]*\}\}", "sample", text)


@needs_corpus
def test_corpus_has_expressions() -> None:
    assert len(FOUND["tag"]) >= 15
    assert len(FOUND["expression"]) >= 10
    assert len(FOUND["depends"]) >= 40
    assert len(FOUND["when"]) >= 25


@needs_corpus
@pytest.mark.parametrize("source", sorted(FOUND["tag"]))
def test_expression_tags_parse(source: str) -> None:
    compile_expression(source)


@needs_corpus
@pytest.mark.parametrize("source", sorted(FOUND["expression"]))
def test_expression_fields_parse(source: str) -> None:
    compile_expression(_sample(source))


@needs_corpus
@pytest.mark.parametrize("source", sorted(FOUND["depends"]))
def test_depends_parse(source: str) -> None:
    assert parse_depends(source).task_names()


@needs_corpus
@pytest.mark.parametrize("source", sorted(FOUND["when"]))
def test_when_conditions_evaluate(source: str) -> None:
    assert evaluate_when(_sample(source)) in (True, False)
