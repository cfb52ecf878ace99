"""Argo's own corpus: no false positives on what upstream runs, and the deliberate lint failures are caught."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from hera.lint import TemplateStore, lint_workflow

ARGO = Path(__file__).resolve().parents[2].parent / "shared" / "argo"
LINTED_KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Files upstream expects `argo lint` to refuse (cli_test.go: TestWorkflowLint), with the rule that catches them.
#: dag-failFast-hang.yaml has generateName `dag-hang-failFast-`: Kubernetes refuses upper-case names, and
#: upstream never submits that file (no Go test names it).
EXPECTED = {
    "e2e/expectedfailures/empty-parameter-dag.yaml": {"input-not-supplied"},
    "e2e/expectedfailures/empty-parameter-steps.yaml": {"input-not-supplied"},
    "e2e/expectedfailures/misreference-template-name.yaml": {"unknown-template"},
    "e2e/expectedfailures/dag-failFast-hang.yaml": {"invalid-name"},
}


def _files() -> list[Path]:
    if not ARGO.is_dir():
        return []
    patterns = ("examples/*.yaml", "e2e/functional/*.yaml", "e2e/functional/*.json", "e2e/expectedfailures/**/*.yaml")
    return sorted({p for pattern in patterns for p in ARGO.glob(pattern)})


def _documents(path: Path) -> list[dict[str, Any]]:
    with path.open() as fh:
        return [d for d in yaml.load_all(fh, Loader=Loader) if isinstance(d, dict) and d.get("kind") in LINTED_KINDS]


@pytest.fixture(scope="module")
def store() -> TemplateStore:
    """WorkflowTemplates and ClusterWorkflowTemplates of the corpus, as upstream's e2e setup applies them."""
    docs = []
    for path in _files():
        if "expectedfailures" not in str(path):
            docs.extend(_documents(path))
    return TemplateStore(docs)


FILES = _files()


@pytest.mark.skipif(not FILES, reason="../shared/argo is not present")
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ARGO)) for p in FILES] if FILES else None)
def test_corpus_file(path: Path, store: TemplateStore) -> None:
    rel = str(path.relative_to(ARGO))
    found: set[str] = set()
    messages: list[str] = []
    for doc in _documents(path):
        for problem in lint_workflow(doc, templates=store):
            found.add(problem.rule)
            messages.append(str(problem))
    assert found == EXPECTED.get(rel, set()), messages


@pytest.mark.skipif(not FILES, reason="../shared/argo is not present")
def test_corpus_size() -> None:
    """The corpus holds the documents the classification describes (guards against a silently empty glob)."""
    kinds: dict[str, int] = {}
    for path in FILES:
        for doc in _documents(path):
            kinds[doc["kind"]] = kinds.get(doc["kind"], 0) + 1
    assert kinds == {"Workflow": 353, "WorkflowTemplate": 14, "ClusterWorkflowTemplate": 6, "CronWorkflow": 5}


@pytest.mark.skipif(not FILES, reason="../shared/argo is not present")
def test_lint_failure_messages_name_the_culprit(store: TemplateStore) -> None:
    misreference = _documents(ARGO / "e2e/expectedfailures/misreference-template-name.yaml")[0]
    (problem,) = lint_workflow(misreference, templates=store)
    assert (problem.template, problem.task) == ("steps-with-misreference", "hello2")
    assert "'hell0'" in problem.message
    empty = _documents(ARGO / "e2e/expectedfailures/empty-parameter-dag.yaml")[0]
    (problem,) = lint_workflow(empty, templates=store)
    assert (problem.task, problem.message) == ("a", "inputs.parameters.message was not supplied")
