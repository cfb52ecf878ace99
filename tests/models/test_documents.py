"""Documents from text, files and dicts; broken input names the document, the field path and the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hera.workflows.models as m
from hera._documents import Document, DocumentError, from_data, from_file, from_text
from hera.shared.errors import HeraValidationError

from .conftest import ARGO

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine
"""


def test_models_by_kind_and_raw_dicts_for_other_kinds() -> None:
    text = WORKFLOW + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n---\n"
    text += "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowEventBinding\nmetadata: {name: b}\n"
    docs = from_text(text, source="flow.yaml")
    assert [(d.kind, d.raw, d.name, d.index) for d in docs] == [
        ("Workflow", False, "hello-", 0),
        ("ConfigMap", True, "cm", 1),
        ("WorkflowEventBinding", True, "b", 2),
    ]
    assert isinstance(docs[0].obj, m.Workflow) and docs[0].obj.spec.templates[0].container.image == "alpine"
    assert docs[1].obj == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}}


def test_json_text_and_files(tmp_path: Path) -> None:
    docs = from_file(ARGO / "e2e" / "functional" / "hello-world.json")
    assert [d.kind for d in docs] == ["Workflow"]
    path = tmp_path / "wf.json"
    cron = {"metadata": {"name": "c"}, "spec": {"schedules": ["* * * * *"], "workflowSpec": {"entrypoint": "x"}}}
    path.write_text(json.dumps({"apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow", **cron}))
    assert isinstance(from_file(path)[0].obj, m.CronWorkflow)


def test_empty_documents_are_skipped_and_indexes_kept() -> None:
    docs = from_text("---\n" + WORKFLOW + "---\n---\n" + WORKFLOW.replace("hello-", "again-"))
    assert [(d.index, d.name) for d in docs] == [(0, "hello-"), (2, "again-")]


def error(text: str, source: str = "flow.yaml") -> DocumentError:
    with pytest.raises(DocumentError) as info:
        from_text(text, source=source)
    assert isinstance(info.value, HeraValidationError)
    return info.value


def test_not_yaml() -> None:
    err = error("a: [1, 2\nb: 3\n")
    assert str(err).startswith("flow.yaml:2:")
    assert "not valid YAML" in str(err)


def test_missing_and_unknown_kind() -> None:
    assert str(error("metadata: {name: x}\n")) == "flow.yaml[0]: kind: missing 'kind'"
    err = error("apiVersion: argoproj.io/v1alpha1\nkind: Workfow\n")
    assert err.field == "kind" and "unknown kind 'Workfow'" in str(err)
    assert "expected a mapping" in str(error("- a\n- b\n"))


def test_wrong_type_names_the_field_path() -> None:
    text = WORKFLOW + "  - name: b\n  - name: c\n    retryStrategy:\n      limit: [1]\n"
    err = error(text)
    assert err.field == "spec.templates[2].retryStrategy.limit"
    assert err.workflow == "hello-"
    assert str(err) == (
        "flow.yaml[0] (Workflow 'hello-'): spec.templates[2].retryStrategy.limit: "
        "should be a valid integer or a valid string, got [1]"
    )


def test_unknown_and_missing_fields_are_listed() -> None:
    text = WORKFLOW.replace("    container:", "    contaner:") + "  arguments:\n    parameters:\n    - value: 1\n"
    err = error(text)
    assert err.errors == [
        ("spec.arguments.parameters[0].name", "required field missing"),
        ("spec.templates[0].contaner", "unknown field"),
    ]
    assert str(err).endswith(
        "spec.arguments.parameters[0].name: required field missing; also spec.templates[0].contaner: unknown field"
    )


def test_documents_from_dicts_are_named_by_source_and_index() -> None:
    with pytest.raises(DocumentError, match=r"^cli\[3\] \(WorkflowTemplate 't'\): spec.entrypoint: should be"):
        from_data(
            {"kind": "WorkflowTemplate", "metadata": {"name": "t"}, "spec": {"entrypoint": 1}}, source="cli", index=3
        )
    doc = from_data({"kind": "ClusterWorkflowTemplate", "metadata": {"name": "c"}, "spec": {}})
    assert isinstance(doc, Document) and isinstance(doc.obj, m.ClusterWorkflowTemplate) and doc.name == "c"
