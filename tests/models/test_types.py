"""Where the models accept what Argo accepts (more than its spec says) and dump back exactly what they got."""

from __future__ import annotations

import pickle
from datetime import datetime, timezone
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

import hera.events.models as em
import hera.workflows.models as m


def dump(obj: BaseModel) -> Any:
    return obj.model_dump(by_alias=True, exclude_none=True)


@pytest.mark.parametrize("value", [5, "5", "{{inputs.parameters.n}}"])
def test_int_or_string_keeps_the_type_it_got(value: Any) -> None:
    assert m.IntOrString(value).root == value
    assert type(m.IntOrString(root=value).root) is type(value)
    assert dump(m.RetryStrategy(limit=value)) == {"limit": value}
    assert dump(m.RetryStrategy.model_validate({"limit": value})) == {"limit": value}


@pytest.mark.parametrize("value", [1, 0.5, "500m", "1Gi"])
def test_quantity_keeps_numbers_and_strings(value: Any) -> None:
    resources = m.ResourceRequirements.model_validate({"limits": {"cpu": value}})
    assert type(dump(resources)["limits"]["cpu"]) is type(value)
    assert dump(resources) == {"limits": {"cpu": value}}


@pytest.mark.parametrize("value", ["1", 1, 1.5, True, False, 0])
def test_parameter_value_and_default_are_not_coerced(value: Any) -> None:
    parameter = m.Parameter(name="p", value=value, default=value)
    assert parameter.value == value and type(parameter.value) is type(value)
    assert type(dump(parameter)["default"]) is type(value)
    assert dump(m.ValueFrom(default=value)) == {"default": value}


def test_parameter_value_rejects_what_argo_rejects() -> None:
    with pytest.raises(ValidationError):
        m.Parameter(name="p", value=[1, 2])


def test_item_holds_any_json_value() -> None:
    items = [1, "a", True, {"k": [1, {"x": None}]}, [1, 2]]
    task = m.DAGTask(name="t", template="x", with_items=items)
    assert [i.root for i in task.with_items or []] == items
    assert dump(task)["withItems"] == items


def test_free_form_objects_keep_their_content() -> None:
    plugin = {"hello": {"args": ["x"], "nested": {"n": 1}}}
    template = m.Template.model_validate({"name": "t", "plugin": plugin})
    assert dump(template) == {"name": "t", "plugin": plugin}
    assert dump(m.FieldsV1.model_validate({"f:metadata": {"f:name": {}}})) == {"f:metadata": {"f:name": {}}}


def test_image_and_source_may_come_from_elsewhere() -> None:
    # image from templateDefaults; a script without source runs like a container
    assert dump(m.Container()) == {}
    assert dump(m.ScriptTemplate()) == {}
    with pytest.raises(ValidationError):
        m.Parameter()  # other required fields stay required


def test_time_keeps_strings_and_datetimes() -> None:
    text = "2024-01-02T03:04:05Z"
    assert dump(m.ObjectMeta(creation_timestamp=text)) == {"creationTimestamp": text}
    moment = datetime(2024, 1, 2, tzinfo=timezone.utc)
    assert m.ObjectMeta(creation_timestamp=moment).model_dump(mode="json", by_alias=True, exclude_none=True) == {
        "creationTimestamp": "2024-01-02T00:00:00Z"
    }


def test_amount_keeps_ints() -> None:
    assert m.Amount(2).model_dump() == 2 and m.Amount(2.5).model_dump() == 2.5
    assert type(em.Amount(3).root) is int


def test_fields_by_name_or_alias_and_unknown_fields_rejected() -> None:
    a = m.NodeStatus(id="n", name="n", type="Pod", pod_ip="1.2.3.4")
    b = m.NodeStatus.model_validate({"id": "n", "name": "n", "type": "Pod", "podIP": "1.2.3.4"})
    assert a == b and dump(a)["podIP"] == "1.2.3.4"
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        m.Parameter(name="p", vaule="x")


def test_enum_members_dump_as_their_values() -> None:
    container = m.Container(image="x", image_pull_policy=m.ImagePullPolicy.if_not_present)
    assert dump(container) == {"image": "x", "imagePullPolicy": "IfNotPresent"}


def test_root_models_and_lists_of_them() -> None:
    steps = m.ParallelSteps([m.WorkflowStep(name="a", template="t")])
    assert steps.model_dump(by_alias=True, exclude_none=True) == [{"name": "a", "template": "t"}]
    template = m.Template(name="s", steps=[steps, [{"name": "b", "template": "t"}]])
    assert dump(template)["steps"] == [[{"name": "a", "template": "t"}], [{"name": "b", "template": "t"}]]


def test_models_pickle_and_copy() -> None:
    template = m.Template(name="t", container=m.Container(image="alpine", args=["a"]))
    assert pickle.loads(pickle.dumps(template)) == template
    assert template.model_copy(deep=True) == template


def test_models_inside_other_pydantic_schemas() -> None:
    # a foreign schema that contains a model class made lazily must resolve its references too
    adapter = TypeAdapter(list[m.LifecycleHook])
    assert adapter.validate_python([{"template": "t", "arguments": {"parameters": [{"name": "a", "value": 1}]}}])

    class Holder(BaseModel):
        template: m.Template

    assert Holder(template={"name": "t", "dag": {"tasks": [{"name": "a", "template": "x"}]}}).template.dag


def test_subclassing_a_model() -> None:
    class MyStep(m.WorkflowStep):
        note: str = ""

    step = MyStep(name="a", template="t", note="n", arguments={"parameters": [{"name": "p", "value": 1}]})
    assert step.arguments and step.arguments.parameters and step.arguments.parameters[0].value == 1
