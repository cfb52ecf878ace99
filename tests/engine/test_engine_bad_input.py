"""Bad input to the Engine facade itself: typed errors that name the state directory, the field or the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from hera.engine.api import Engine
from hera.exceptions import BadRequest
from hera.shared.errors import HeraError


def _wf(spec: dict) -> dict:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"generateName": "bad-"}, "spec": spec}


def test_a_state_dir_that_is_a_file_is_named(tmp_path: Path) -> None:
    f = tmp_path / "state"
    f.write_text("not a directory")
    with pytest.raises(HeraError, match="is a file, not a directory") as err:
        Engine(f)
    assert str(f) in str(err.value)


def test_a_state_dir_holding_a_foreign_database_is_named(tmp_path: Path) -> None:
    (tmp_path / "state.db").write_text("junk " * 1000)
    with pytest.raises(HeraError, match="cannot use its database") as err:
        Engine(tmp_path)
    assert str(tmp_path) in str(err.value)


def test_a_wrong_typed_field_is_refused_before_anything_runs(engine: Engine) -> None:
    spec = {"entrypoint": "m", "parallelism": "abc", "templates": [{"name": "m", "container": {"image": "alpine", "command": ["true"]}}]}
    with pytest.raises(BadRequest, match=r"spec\.parallelism") as err:
        engine.create_workflow("default", _wf(spec))
    assert "abc" in str(err.value)


def test_an_invalid_grep_is_a_bad_request(engine: Engine) -> None:
    spec = {"entrypoint": "m", "templates": [{"name": "m", "container": {"image": "alpine", "command": ["echo", "hi"]}}]}
    name = engine.create_workflow("default", _wf(spec))["metadata"]["name"]
    engine.wait_workflow("default", name, timeout=30)
    with pytest.raises(BadRequest, match="not a valid regular expression"):
        list(engine.workflow_logs("default", name, grep="("))
