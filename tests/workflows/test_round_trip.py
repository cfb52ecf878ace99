"""from_dict / from_yaml / from_file / to_yaml / to_file (spec §3.12, §2.2)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hera.workflows import Container, CronWorkflow, Steps, Workflow, WorkflowTemplate
from hera.workflows import models as m


def sample() -> Workflow:
    with Workflow(generate_name="rt-", entrypoint="s", arguments={"a": 1}, labels={"k": "v"}) as w:
        c = Container(name="c", image="alpine", args=["{{workflow.parameters.a}}"])
        with Steps(name="s"):
            c()
    return w


def test_from_dict_holds_models_and_compares_equal() -> None:
    w = sample()
    loaded = Workflow.from_dict(w.to_dict())
    assert loaded == w
    assert all(isinstance(t, m.Template) for t in loaded.templates)
    assert isinstance(loaded.arguments, m.Arguments)
    assert loaded.generate_name == "rt-" and loaded.labels == {"k": "v"}


def test_cron_maps_workflow_spec_and_suspend_back() -> None:
    cw = CronWorkflow(name="c", schedules=["0 1 * * *"], cron_suspend=True, entrypoint="e", parallelism=2)
    loaded = CronWorkflow.from_dict(cw.to_dict())
    assert (loaded.cron_suspend, loaded.entrypoint, loaded.parallelism, loaded.schedules) == (
        True,
        "e",
        2,
        ["0 1 * * *"],
    )
    assert loaded.to_dict() == cw.to_dict()


def test_wrong_kind_and_invalid_documents_raise_typed_errors() -> None:
    with pytest.raises(ValueError, match="expected kind Workflow"):
        Workflow.from_dict(WorkflowTemplate(name="t").to_dict())
    with pytest.raises(ValueError, match=r"spec\.templates"):
        Workflow.from_dict({"kind": "Workflow", "metadata": {"name": "x"}, "spec": {"templates": 3}})


def test_yaml_round_trip_and_to_file(tmp_path: Path) -> None:
    pytest.importorskip("hera.shared.yaml")
    w = sample()
    text = w.to_yaml()
    assert yaml.safe_load(text) == w.to_dict()
    again = Workflow.from_yaml(text)
    assert again == w and again.to_yaml() == text
    path = w.to_file(tmp_path)
    assert path == (tmp_path / "rt.yaml").resolve() and Workflow.from_file(path) == w
    assert Workflow(name="named").to_file(tmp_path, name="other").name == "other.yaml"
    assert Workflow().to_file(tmp_path).name == "workflow.yaml"


def test_to_file_keeps_every_dot_of_a_name(tmp_path: Path) -> None:
    pytest.importorskip("hera.shared.yaml")
    # the file is `<name>.yaml`: a dot inside the name is not a suffix to replace
    assert Workflow(name="release-v1.2").to_file(tmp_path).name == "release-v1.2.yaml"
    assert Workflow(generate_name="etl.daily-").to_file(tmp_path).name == "etl.daily.yaml"
    assert Workflow(name="w").to_file(tmp_path, name="nightly.run").name == "nightly.run.yaml"
