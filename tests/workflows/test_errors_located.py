"""Bad programs fail with typed errors naming workflow, template, task and field (issue 3 "Errors"), never with a
raw model (pydantic) error or an AttributeError from deep inside the build."""

from __future__ import annotations

from typing import Any

import pytest

from hera.shared.errors import HeraValidationError
from hera.workflows import DAG, Container, Parameter, Resources, Step, Steps, Task, Workflow, script
from hera.workflows import models as m
from hera.workflows.exceptions import InvalidTemplateCall, InvalidType


def located(exc: Any) -> tuple[Any, Any, Any, Any]:
    return (exc.workflow, exc.template, exc.task, exc.field)


def test_wrong_type_for_a_model_field_of_a_template() -> None:
    with Workflow(name="wf") as w:
        Container(name="c", image="a", command="echo hi")  # type: ignore[arg-type]
    with pytest.raises(HeraValidationError) as e:
        w.to_dict()
    assert located(e.value) == ("wf", "c", None, "command")
    assert "valid list" in str(e.value) and "'echo hi'" in str(e.value)
    assert isinstance(e.value, ValueError)


def test_wrong_type_in_a_task_field() -> None:
    with Workflow(name="wf") as w:
        with DAG(name="d"):
            Task(name="t", template="c", hooks={"exit": "bye"})  # type: ignore[dict-item]
    with pytest.raises(HeraValidationError) as e:
        w.to_dict()
    assert located(e.value) == ("wf", "d", "t", "hooks.exit")


def test_wrong_type_in_a_step_field() -> None:
    with Workflow(name="wf") as w:
        with Steps(name="s"):
            Step(name="a", template="c", continue_on={"failed": "yes please"})  # type: ignore[arg-type]
    with pytest.raises(HeraValidationError) as e:
        w.to_dict()
    assert located(e.value) == ("wf", "s", "a", "continue_on.failed")


def test_wrong_type_in_a_workflow_spec_field() -> None:
    with pytest.raises(HeraValidationError) as e:
        Workflow(name="wf", parallelism="lots").to_dict()  # type: ignore[arg-type]
    assert located(e.value) == ("wf", None, None, "parallelism")


def test_errors_raised_inside_a_workflow_block_name_the_workflow() -> None:
    with pytest.raises(HeraValidationError) as e:
        with Workflow(name="wf"):
            Container(name="c", image="a", resources=Resources(memory_request="1G"))
    assert e.value.workflow == "wf" and e.value.field == "memory_request"
    assert str(e.value).startswith("workflow 'wf', field 'memory_request'")


def test_output_reference_errors_name_the_task() -> None:
    with Workflow(name="wf"):
        c = Container(name="c", image="a")
        with DAG(name="d"):
            t = c(name="t")
            with pytest.raises(ValueError) as e:
                t.get_parameter("x")
            assert isinstance(e.value, HeraValidationError)
            assert located(e.value)[:3] == ("wf", "d", "t")
            by_name = Task(name="n", template="c")
            with pytest.raises(ValueError, match="given by name"):
                by_name.get_parameter("x")


def test_missing_output_name_is_a_key_error_with_location() -> None:
    with Workflow(name="wf"):
        c = Container(name="c", image="a", outputs=Parameter(name="o", value_from={"path": "/o"}))
        with DAG(name="d"):
            t = c(name="t")
            with pytest.raises(KeyError, match="workflow 'wf', template 'd', task 't'"):
                t.get_parameter("nope")


def test_inline_must_be_a_template() -> None:
    with pytest.raises(InvalidType, match="`inline` of task 't' is a str"):
        with Workflow(name="wf"):
            with DAG(name="d"):
                Task(name="t", inline="not a template")  # type: ignore[arg-type]


def test_calling_an_unnamed_template() -> None:
    with pytest.raises(InvalidTemplateCall, match=r"without a name.*workflow 'wf', template 'd'"):
        with Workflow(name="wf"):
            c = Container(image="a")
            with DAG(name="d"):
                c()


def test_templates_given_as_dicts_are_models_and_bad_ones_are_located() -> None:
    w = Workflow(name="wf", templates=[{"name": "x", "container": {"image": "a"}}])
    assert w.to_dict()["spec"]["templates"] == [{"name": "x", "container": {"image": "a"}}]
    bad = Workflow(name="wf", templates=[{"name": "x", "container": {"image": 3}}])
    with pytest.raises(HeraValidationError) as e:
        bad.to_dict()
    assert located(e.value) == ("wf", "x", None, "templates[0].container.image")
    with pytest.raises(InvalidType, match=r"templates\[0\] of workflow 'wf' is a int"):
        Workflow(name="wf", templates=[3]).to_dict()


def test_bad_sidecar_names_the_field() -> None:
    with Workflow(name="wf") as w:
        Container(name="c", image="a", sidecars=["x"])
    with pytest.raises(HeraValidationError) as e:
        w.to_dict()
    assert located(e.value) == ("wf", "c", None, "sidecars")


def test_parameter_with_value_and_value_from() -> None:
    with pytest.raises(HeraValidationError) as e:
        Parameter(name="p", value="1", value_from=m.ValueFrom(path="/x"))
    assert e.value.field == "value_from" and "parameter 'p'" in str(e.value)


def test_bare_script_decorator_is_accepted() -> None:
    @script
    def hello(s: str) -> None:
        print(s)

    with Workflow(name="wf") as w:
        with DAG(name="d"):
            hello(arguments={"s": "x"})
    assert [t["name"] for t in w.to_dict()["spec"]["templates"]] == ["d", "hello"]
    assert hello("plain") is None  # outside a context it is the function
