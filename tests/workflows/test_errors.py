"""Construction/build errors are typed and say where the problem is (workflow, template, task, field)."""

from __future__ import annotations

from typing import Optional

import pytest

from hera.shared.errors import HeraError, HeraValidationError
from hera.workflows import DAG, Container, Parameter, Steps, Workflow, script
from hera.workflows.exceptions import InvalidTemplateCall, InvalidType, NodeNameConflict


def test_unnamed_parameter_in_task_arguments_names_every_level() -> None:
    with Workflow(name="wf") as w:
        c = Container(name="c", image="x")
        with DAG(name="d"):
            c(name="t", arguments=[Parameter(value="1")])
    with pytest.raises(HeraValidationError) as e:
        w.to_dict()
    assert (e.value.workflow, e.value.template, e.value.task) == ("wf", "d", "t")
    assert str(e.value).startswith("workflow 'wf', template 'd', task 't'")


def test_unnamed_input_names_workflow_and_template() -> None:
    with Workflow(name="wf") as w:
        with Steps(name="s", inputs=[Parameter(default="1")]):
            pass
    with pytest.raises(ValueError, match="workflow 'wf', template 's'"):
        w.to_dict()


def test_bad_script_signature_names_the_template() -> None:
    @script()
    def g(b: Optional[int] = 3):
        pass

    with Workflow(name="wf") as w:
        with Steps(name="s"):
            g()
    with pytest.raises(HeraValidationError) as e:
        w.to_dict()
    assert (e.value.workflow, e.value.template, e.value.field) == ("wf", "g", "b")


def test_typed_error_hierarchy() -> None:
    for cls in (InvalidTemplateCall, InvalidType, NodeNameConflict):
        assert issubclass(cls, HeraError)
    assert issubclass(HeraValidationError, ValueError)


def test_name_too_long_names_the_field() -> None:
    with pytest.raises(HeraValidationError) as e:
        Workflow(name="n" * 70)
    assert e.value.field == "name" and "63" in str(e.value)
