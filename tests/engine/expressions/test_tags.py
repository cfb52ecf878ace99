"""`{{...}}` substitution and `Scope` (argo-semantics.md §8)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from hera.engine.expressions import (
    ABSENT,
    AbsentValueError,
    ExpressionError,
    Scope,
    UnresolvedTagError,
    find_tags,
    has_tags,
    render_value,
    single_tag,
    substitute,
    substitute_object,
)

GLOBAL = Scope(
    {
        "workflow.name": "wf-abc",
        "workflow.parameters.greeting": "hello",
        "workflow.parameters.json": '[{"name":"greeting","value":"hello"}]',
        "workflow.parameters.config": '{"a": "1", "b": "2"}',
        "workflow.annotations.example.io/owner": "team-a",
    }
)


def node_scope(**extra: Any) -> Scope:
    return GLOBAL.child(
        {
            "inputs.parameters.msg": "hi there",
            "inputs.parameters.count": "3",
            "tasks.my-task.outputs.result": "done",
            "tasks.my-task.status": "Succeeded",
            **extra,
        }
    )


# -- simple tags -------------------------------------------------------------------------------------
def test_simple_tags_are_literal_lookups() -> None:
    scope = node_scope()
    assert substitute("{{inputs.parameters.msg}}!", scope) == "hi there!"
    assert substitute("{{ inputs.parameters.msg }}", scope) == "hi there"
    assert substitute("{{tasks.my-task.outputs.result}}", scope) == "done"
    assert substitute("{{workflow.annotations.example.io/owner}}", scope) == "team-a"
    assert substitute("a {{workflow.name}} b {{workflow.name}}", scope) == "a wf-abc b wf-abc"
    assert substitute("no tags", scope) == "no tags"
    assert substitute("unclosed {{ tag", scope) == "unclosed {{ tag"


def test_values_are_inserted_raw_not_escaped() -> None:
    scope = Scope({"x": 'he said "hi"\nbye'})
    assert substitute("{{x}}", scope) == 'he said "hi"\nbye'


def test_non_string_values_are_written_as_json() -> None:
    scope = Scope({"n": 3, "f": 1.5, "b": True, "item": {"b": 1, "a": "x"}, "l": [1, "a"], "none": None})
    assert substitute("{{n}} {{f}} {{b}} {{item}} {{l}} {{none}}", scope) == '3 1.5 true {"a":"x","b":1} [1,"a"] null'
    assert render_value(2.0) == "2"


def test_unresolved_simple_tags_stay_verbatim_by_default() -> None:
    scope = node_scope()
    text = "{{item}} {{pod.name}} {{outputs.parameters.x.path}} {{steps.later.outputs.result}}"
    assert substitute(text, scope) == text


def test_strict_prefixes_make_missing_step_and_task_references_errors() -> None:
    scope = node_scope()
    with pytest.raises(UnresolvedTagError) as info:
        substitute("{{tasks.other.outputs.result}}", scope, strict=("steps.", "tasks."))
    assert info.value.tag == "tasks.other.outputs.result"
    assert "failed to resolve {{tasks.other.outputs.result}}" in str(info.value)
    assert substitute("{{item}}", scope, strict=("steps.", "tasks.")) == "{{item}}"


def test_strict_true_and_keep() -> None:
    scope = node_scope()
    with pytest.raises(UnresolvedTagError):
        substitute("{{item}}", scope, strict=True)
    assert substitute("{{item}} {{inputs.parameters.msg}}", scope, strict=True, keep=("item",)) == "{{item}} hi there"


def test_nested_tag_is_resolved_one_level() -> None:
    scope = Scope({"item": "a"})
    assert substitute("{{steps.{{item}}.outputs.result}}", scope) == "{{steps.a.outputs.result}}"


def test_absent_values_raise_in_simple_tags() -> None:
    scope = node_scope(**{"tasks.skipped.outputs.result": ABSENT})
    with pytest.raises(AbsentValueError) as info:
        substitute("{{tasks.skipped.outputs.result}}", scope)
    assert info.value.tag == "tasks.skipped.outputs.result"
    assert substitute("{{=tasks.skipped.outputs.result ?? 'fallback'}}", scope) == "fallback"
    assert substitute("{{=tasks.skipped.outputs.result == ''}}", scope) == "false"


# -- expression tags ---------------------------------------------------------------------------------
def test_expression_tags() -> None:
    scope = node_scope()
    assert substitute("{{=asInt(inputs.parameters.count) * 10}}", scope) == "30"
    assert substitute("{{= inputs.parameters.msg + '!' }}", scope) == "hi there!"
    assert substitute("{{=jsonpath(workflow.parameters.config, '$.a')}}", scope) == "1"
    assert substitute("{{=tasks['my-task'].outputs.result}}", scope) == "done"
    assert substitute("{{=asInt(inputs.parameters.count) > 2}}", scope) == "true"
    assert substitute("{{=[1, 'a']}}", scope) == '[1,"a"]'
    assert substitute("{{=1.0 * 2}}", scope) == "2"


def test_failing_expressions_stay_verbatim_unless_strict() -> None:
    scope = node_scope()
    text = "{{=jsonpath(workflow.parameters.missing, '$.id')}}"
    assert substitute(text, scope) == text
    with pytest.raises(ExpressionError):
        substitute(text, scope, strict=True)
    nil = "{{=inputs.parameters.nope}}"
    assert substitute(nil, scope) == nil
    with pytest.raises(ExpressionError, match="nil"):
        substitute(nil, scope, strict=True)


def test_expressions_mentioning_late_variables_wait_for_them() -> None:
    scope = node_scope()
    for text in ("{{=item}}", "{{=sprig.int(retries)}}", "{{=lastRetry.exitCode}}", "{{=workflow.status}}"):
        assert substitute(text, scope) == text
    later = scope.child({"item": "x", "retries": "2", "workflow.status": "Failed"})
    assert substitute("{{=item}} {{=sprig.int(retries) + 1}} {{=workflow.status}}", later) == "x 3 Failed"


def test_expression_strict_prefixes_apply_to_what_the_expression_reads() -> None:
    scope = node_scope()
    with pytest.raises(ExpressionError):
        substitute("{{=steps.gone.outputs.result}}", scope, strict=("steps.",))
    assert substitute("{{=inputs.parameters.nope}}", scope, strict=("steps.",)) == "{{=inputs.parameters.nope}}"


def test_substitute_object_walks_dicts_and_lists() -> None:
    scope = node_scope()
    obj = {"args": ["{{inputs.parameters.msg}}", 3, {"k": "{{workflow.name}}"}], "plain": {"a": "b"}}
    out = substitute_object(obj, scope)
    assert out == {"args": ["hi there", 3, {"k": "wf-abc"}], "plain": {"a": "b"}}
    assert out["plain"] is obj["plain"]  # untouched parts are shared
    assert obj["args"][0] == "{{inputs.parameters.msg}}"  # input not mutated


def test_plain_dict_as_scope() -> None:
    assert substitute("{{a.b}} {{=a.b + 'c'}}", {"a.b": "x"}) == "x xc"


# -- tag helpers --------------------------------------------------------------------------------------
def test_find_tags_and_helpers() -> None:
    text = "{{ inputs.parameters.x }} and {{=asInt(y) + 1}} and {{steps.a.outputs.result}} {{ open"
    assert find_tags(text) == ["inputs.parameters.x", "=asInt(y) + 1", "steps.a.outputs.result"]
    assert has_tags(text) and not has_tags("{{ open")
    assert single_tag("{{ steps.a.outputs.result }}") == "steps.a.outputs.result"
    assert single_tag("x{{a}}") is None
    assert single_tag("{{a}}{{b}}") is None
    assert single_tag("{{=a}}") is None


# -- Scope ----------------------------------------------------------------------------------------------
def test_scope_layers() -> None:
    child = GLOBAL.child({"inputs.parameters.x": "1"}, extra="e")
    assert child["workflow.name"] == "wf-abc"
    assert child.get("inputs.parameters.x") == "1" and child["extra"] == "e"
    assert "inputs.parameters.x" not in GLOBAL
    grandchild = child.child({"workflow.name": "override"})
    assert grandchild["workflow.name"] == "override" and child["workflow.name"] == "wf-abc"
    assert dict(grandchild.flat)["inputs.parameters.x"] == "1"
    assert len(grandchild) == len(GLOBAL) + 2
    with pytest.raises(KeyError):
        child["nope"]


def test_nested_view() -> None:
    scope = Scope(
        {
            "inputs.parameters": '[{"name":"x"}]',
            "inputs.parameters.x": "1",
            "tasks.my-task.outputs.result": "r",
            "tasks.my-task.outputs.parameters.p": "v",
            "workflow.parameters.json": "[]",
        }
    )
    nested = scope.nested()
    # the less specific `inputs.parameters` is dropped because it has child keys
    assert nested["inputs"] == {"parameters": {"x": "1"}}
    assert nested["tasks"]["my-task"] == {"outputs": {"result": "r", "parameters": {"p": "v"}}}
    assert nested["workflow"]["parameters"]["json"] == "[]"


def test_nested_view_is_layered_copy_on_write() -> None:
    parent = Scope({"workflow.name": "w", "workflow.parameters.a": "1"})
    base = parent.nested()
    child = parent.child({"workflow.parameters.b": "2", "item": {"k": 1}})
    nested = child.nested()
    assert nested["workflow"]["parameters"] == {"a": "1", "b": "2"}
    assert base["workflow"]["parameters"] == {"a": "1"}  # the parent's view is untouched
    assert nested["item"] == {"k": 1}
    assert child.nested() is nested  # cached
    parent.update({"workflow.status": "Succeeded"})
    assert child.nested()["workflow"]["status"] == "Succeeded"  # refreshed after the parent changed


def test_child_scopes_are_cheap() -> None:
    big = Scope({f"tasks.t{i}.outputs.result": str(i) for i in range(20000)})
    big.nested()
    start = time.perf_counter()
    for i in range(1000):
        child = big.child({"inputs.parameters.i": str(i), "pod.name": f"p{i}"})
        assert child["tasks.t5.outputs.result"] == "5"
        assert child.nested()["inputs"]["parameters"]["i"] == str(i)
    # 1,000 children over a 20,000-key scope: building each must not copy the parent
    assert time.perf_counter() - start < 1.0
