"""Context managers, template registration and calling templates (spec §3.2, §3.1 template order)."""

from __future__ import annotations

import pytest

from hera.workflows import DAG, Container, Parallel, Step, Steps, Task, Workflow, script
from hera.workflows.exceptions import InvalidTemplateCall, InvalidType, NodeNameConflict


@script()
def f(a: int = 1):
    print(a)


def names(w: Workflow) -> list[str]:
    return [t["name"] for t in w.to_dict()["spec"]["templates"]]


def test_templates_join_outermost_workflow_in_registration_order() -> None:
    with Workflow(name="w") as w:
        with DAG(name="d"):
            c = Container(name="inner", image="alpine")  # constructed inside the DAG: still a workflow template
            c()
            f()
        Container(name="after", image="alpine")
    assert names(w) == ["d", "inner", "f", "after"]


def test_script_called_under_workflow_is_added_each_time() -> None:
    with Workflow(name="w") as w:
        f()
        f()
        with Steps(name="s"):
            f(name="step")
    assert names(w) == ["f", "f", "s"]


def test_called_template_is_a_copy() -> None:
    c = Container(name="c", image="one")
    with Workflow(name="w") as w:
        with DAG(name="d"):
            c()
    c.image = "two"
    assert w.to_dict()["spec"]["templates"][1]["container"]["image"] == "one"


def test_call_returns_task_in_dag_and_step_in_steps() -> None:
    with Workflow(name="w"):
        c = Container(name="c", image="alpine")
        with DAG(name="d") as d:
            t = c(name="t1", when="x == y")
        with Steps(name="s") as s:
            st = c()
            with s.parallel() as p:
                ps = c(name="p1")
    assert isinstance(t, Task) and d.tasks == [t] and t.when == "x == y"
    assert isinstance(st, Step) and st.name == "c"
    assert s.sub_steps == [st, p] and p.sub_steps == [ps]


def test_calling_outside_any_context_is_an_error_but_script_runs_python() -> None:
    c = Container(name="c", image="alpine")
    with pytest.raises(InvalidTemplateCall, match="not under a Workflow, Steps, Parallel, or DAG context"):
        c()
    assert f.wrapped_function.__name__ == "f"  # type: ignore[attr-defined]
    assert f(a=3) is None  # runs the plain function


def test_non_script_template_not_callable_under_workflow() -> None:
    with Workflow(name="w"):
        c = Container(name="c", image="alpine")
        with pytest.raises(InvalidTemplateCall, match="Callable Template 'c' is not callable under a Workflow"):
            c()


def test_a_nameless_template_cannot_be_called_even_with_a_task_name() -> None:
    c = Container(image="alpine")
    for ctx in (DAG, Steps):
        with Workflow(name="w"), ctx(name="d"):
            with pytest.raises(InvalidTemplateCall, match="template without a name cannot be called"):
                c(name="t")


def test_duplicate_task_names_conflict_with_location() -> None:
    with Workflow(name="wf"):
        c = Container(name="c", image="alpine")
        with DAG(name="d"):
            c(name="x")
            with pytest.raises(NodeNameConflict, match="Found multiple Task nodes with name: x") as e:
                c(name="x")
    assert "workflow 'wf'" in str(e.value) and "template 'd'" in str(e.value)


def test_parallel_shares_the_steps_name_scope() -> None:
    with Workflow(name="w"):
        c = Container(name="c", image="alpine")
        with Steps(name="s") as s:
            c(name="a")
            with s.parallel():
                with pytest.raises(NodeNameConflict, match="Step nodes with name: a"):
                    c(name="a")


def test_duplicate_names_in_explicit_dag_found_at_build() -> None:
    c = Container(name="c", image="alpine")
    with pytest.raises(NodeNameConflict):
        DAG(name="d", tasks=[Task(name="t", template=c), Task(name="t", template=c)])


def test_only_tasks_in_dag_only_steps_in_steps() -> None:
    with Workflow(name="w"):
        c = Container(name="c", image="alpine")
        with DAG(name="d"):
            with pytest.raises(InvalidType, match="only Tasks"):
                Step(name="s", template=c)
        with Steps(name="s"):
            with pytest.raises(InvalidType, match="only Step and Parallel"):
                Task(name="t", template=c)


def test_template_object_outside_workflow_context_is_a_syntax_error() -> None:
    c = Container(name="c", image="alpine")
    with DAG(name="d"):
        with pytest.raises(SyntaxError, match="Not under a Workflow context"):
            Task(name="t", template=c)


def test_exactly_one_of_template_ref_inline() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Task(name="t")
    with pytest.raises(ValueError, match="exactly one"):
        Task(name="t", template="a", inline=Container(name="c", image="x"))


def test_parallel_class_groups_steps_and_inline_renders() -> None:
    with Workflow(name="w") as w:
        c = Container(name="c", image="alpine")
        with Steps(name="s"):
            with Parallel():
                Step(name="a", template=c)
                Step(name="b", template="c")
            Step(name="inl", inline=Container(image="busybox", command=["true"]))
    steps = w.to_dict()["spec"]["templates"][1]["steps"]
    assert steps[0] == [{"name": "a", "template": "c"}, {"name": "b", "template": "c"}]
    assert steps[1] == [{"name": "inl", "inline": {"container": {"image": "busybox", "command": ["true"]}}}]


def test_module_level_parallel_is_a_no_op() -> None:
    from hera.workflows import parallel

    with Workflow(name="w") as w:
        c = Container(name="c", image="alpine")
        with Steps(name="s"):
            with parallel():
                c(name="a")
                c(name="b")
    assert [len(g) for g in w.to_dict()["spec"]["templates"][1]["steps"]] == [1, 1]


def test_task_accepts_a_script_function_as_template() -> None:
    with Workflow(name="w") as w:
        with DAG(name="d"):
            Task(name="t", template=f, arguments={"a": 2})
    tasks = w.to_dict()["spec"]["templates"][0]["dag"]["tasks"]
    assert tasks == [{"name": "t", "template": "f", "arguments": {"parameters": [{"name": "a", "value": "2"}]}}]
