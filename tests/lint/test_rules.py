"""One test per validation rule: a small hand-written bad document, and the valid forms next to it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from hera.lint import Problem, TemplateStore, WorkflowValidationError, lint_workflow, validate_workflow


def container(name: str, *params: str, image: str = "alpine", **extra: Any) -> dict[str, Any]:
    tmpl: dict[str, Any] = {"name": name, "container": {"image": image, "command": ["echo", "hi"]}}
    if params:
        tmpl["inputs"] = {"parameters": [{"name": p} for p in params]}
    tmpl.update(extra)
    return tmpl


def workflow(*templates: dict[str, Any], entrypoint: str = "main", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "wf-"},
        "spec": {"entrypoint": entrypoint, "templates": list(templates), **spec},
    }


def dag(*tasks: dict[str, Any], name: str = "main", **extra: Any) -> dict[str, Any]:
    return {"name": name, "dag": {"tasks": list(tasks)}, **extra}


def steps(*groups: list[dict[str, Any]], name: str = "main", **extra: Any) -> dict[str, Any]:
    return {"name": name, "steps": [list(g) for g in groups], **extra}


def task(name: str, template: str = "echo", **extra: Any) -> dict[str, Any]:
    return {"name": name, "template": template, **extra}


def rules(doc: dict[str, Any], **kwargs: Any) -> list[str]:
    return [p.rule for p in lint_workflow(doc, **kwargs)]


def only(doc: dict[str, Any], rule: str, **kwargs: Any) -> Problem:
    """The document has exactly one problem, of the given rule; return it."""
    problems = lint_workflow(doc, **kwargs)
    assert [p.rule for p in problems] == [rule], [str(p) for p in problems]
    return problems[0]


def args(**values: str) -> dict[str, Any]:
    return {"parameters": [{"name": k, "value": v} for k, v in values.items()]}


GOOD_DAG = workflow(
    dag(
        task("a", arguments=args(msg="x")),
        task("b", depends="a", arguments=args(msg="{{tasks.a.outputs.result}}")),
        task("c", depends="a && b.Succeeded", arguments=args(msg="{{tasks.b.outputs.parameters.out}}")),
    ),
    {
        "name": "echo",
        "inputs": {"parameters": [{"name": "msg"}]},
        "outputs": {"parameters": [{"name": "out", "valueFrom": {"path": "/tmp/out"}}]},
        "container": {"image": "alpine", "args": ["{{inputs.parameters.msg}}", "{{outputs.parameters.out.path}}"]},
    },
)


def test_valid_documents_have_no_problems() -> None:
    assert lint_workflow(GOOD_DAG) == []
    good_steps = workflow(
        steps(
            [task("a", arguments=args(msg="x"))],
            [task("b", arguments=args(msg="{{steps.a.outputs.result}}"), when="{{steps.a.status}} == Succeeded")],
        ),
        container("echo", "msg"),
    )
    assert lint_workflow(good_steps) == []
    validate_workflow(GOOD_DAG)  # does not raise


# -- kinds and names ---------------------------------------------------------------------------------
def test_unsupported_kind() -> None:
    assert only({"kind": "Pod", "metadata": {"name": "p"}}, "unsupported-kind").field == "kind"


@pytest.mark.parametrize(
    ("metadata", "fragment"),
    [
        ({"name": "My-Workflow"}, "lowercase RFC 1123"),
        ({"name": "a" * 64}, "no more than 63 characters"),
        ({"name": "ends-with-dash-"}, "lowercase RFC 1123"),
        ({"generateName": "Upper-"}, "prefix of a lowercase RFC 1123"),
        ({"generateName": "under_score-"}, "prefix of a lowercase RFC 1123"),
    ],
)
def test_workflow_names_kubernetes_refuses(metadata: dict[str, str], fragment: str) -> None:
    doc = copy.deepcopy(GOOD_DAG)
    doc["metadata"] = metadata
    problem = only(doc, "invalid-name")
    assert fragment in problem.message
    assert problem.field in ("metadata.name", "metadata.generateName")


def test_valid_workflow_names() -> None:
    for metadata in ({"name": "a" * 63}, {"name": "my.wf-1"}, {"generateName": "x-"}, {"generateName": "a" * 80}):
        doc = copy.deepcopy(GOOD_DAG)
        doc["metadata"] = metadata
        assert lint_workflow(doc) == [], metadata


def test_cron_workflow_name_is_limited_to_52_characters() -> None:
    cron = {
        "kind": "CronWorkflow",
        "metadata": {"name": "c" * 53},
        "spec": {"schedules": ["*/5 * * * *"], "workflowSpec": copy.deepcopy(GOOD_DAG["spec"])},
    }
    assert "no more than 52" in only(cron, "invalid-name").message
    cron["metadata"]["name"] = "c" * 52
    assert lint_workflow(cron) == []


def test_template_step_and_task_names() -> None:
    bad_template = workflow(container("main"), container("bad_name"))
    assert only(bad_template, "invalid-name").template == "bad_name"
    bad_step = workflow(steps([task("has.dot")]), container("echo"))
    assert only(bad_step, "invalid-name").task == "has.dot"
    bad_task = workflow(dag(task("-a")), container("echo"))
    assert only(bad_task, "invalid-name").task == "-a"
    long_task = workflow(dag(task("a" * 129)), container("echo"))
    assert "128" in only(long_task, "invalid-name").message


def test_parameter_names() -> None:
    doc = workflow(container("main", "ok_name-1", "bad name"))
    doc["spec"]["arguments"] = args(**{"ok_name-1": "1", "bad name": "2"})
    problems = lint_workflow(doc)
    assert {p.rule for p in problems} == {"invalid-name"}
    assert all("bad name" in p.message for p in problems)


def test_duplicate_names() -> None:
    assert only(workflow(container("main"), container("main")), "duplicate-name").template == "main"
    dup_steps = workflow(steps([task("a")], [task("a")]), container("echo"))
    assert only(dup_steps, "duplicate-name").task == "a"
    dup_tasks = workflow(dag(task("a"), task("a")), container("echo"))
    assert only(dup_tasks, "duplicate-name").task == "a"
    dup_inputs = workflow(container("main", "p", "p"))
    dup_inputs["spec"]["arguments"] = args(p="1")
    assert only(dup_inputs, "duplicate-name").message == "inputs.parameters name 'p' is not unique"


# -- template types and references ----------------------------------------------------------------
def test_template_with_no_type() -> None:
    problem = only(workflow({"name": "main"}), "template-type")
    assert "unspecified" in problem.message
    assert problem.template == "main"


def test_template_with_two_types() -> None:
    doc = workflow({"name": "main", "container": {"image": "a"}, "script": {"image": "a", "source": "x"}})
    assert "container, script" in only(doc, "template-type").message


def test_entrypoint_must_exist() -> None:
    problem = only(workflow(container("main"), entrypoint="nope"), "unknown-template")
    assert problem.field == "spec.entrypoint"
    doc = workflow(container("main"))
    del doc["spec"]["entrypoint"]
    assert only(doc, "missing-field").field == "spec.entrypoint"


def test_task_and_step_templates_must_exist() -> None:
    problem = only(workflow(dag(task("a", template="nope"))), "unknown-template")
    assert (problem.template, problem.task) == ("main", "a")
    assert "'nope'" in problem.message
    assert only(workflow(steps([task("a", template="nope")])), "unknown-template").task == "a"


def test_exit_handlers_must_exist() -> None:
    assert only(workflow(container("main"), onExit="gone"), "unknown-template").field == "spec.onExit"
    doc = workflow(dag(task("a", onExit="gone")), container("echo"))
    assert only(doc, "unknown-template").field.endswith(".onExit")


def test_step_needs_a_template() -> None:
    assert only(workflow(steps([{"name": "a"}])), "missing-template").task == "a"


def test_step_with_two_template_references() -> None:
    doc = workflow(steps([task("a", templateRef={"name": "lib", "template": "t"})]), container("echo"))
    assert "multiple-templates" in rules(doc)


LIBRARY = {
    "kind": "WorkflowTemplate",
    "metadata": {"name": "lib"},
    "spec": {"templates": [container("greet", "who"), container("plain")]},
}


def test_template_ref_is_checked_only_with_a_lookup() -> None:
    doc = workflow(dag(task("a", template="", templateRef={"name": "lib", "template": "missing"})))
    assert lint_workflow(doc) == []
    store = TemplateStore([LIBRARY])
    assert "not found in WorkflowTemplate 'lib'" in only(doc, "unknown-template-ref", templates=store).message
    doc["spec"]["templates"][0]["dag"]["tasks"][0]["templateRef"] = {"name": "other", "template": "x"}
    assert "WorkflowTemplate 'other' not found" in only(doc, "unknown-template-ref", templates=store).message
    cluster = {"name": "lib", "template": "plain", "clusterScope": True}
    doc["spec"]["templates"][0]["dag"]["tasks"][0]["templateRef"] = cluster
    assert "ClusterWorkflowTemplate 'lib' not found" in only(doc, "unknown-template-ref", templates=store).message


def test_template_ref_arguments_are_checked_against_the_referenced_inputs() -> None:
    store = TemplateStore([LIBRARY])
    doc = workflow(dag(task("a", template="", templateRef={"name": "lib", "template": "greet"})))
    assert "inputs.parameters.who was not supplied" in only(doc, "input-not-supplied", templates=store).message
    doc["spec"]["templates"][0]["dag"]["tasks"][0]["arguments"] = args(who="me")
    assert lint_workflow(doc, templates=store) == []


def test_workflow_template_ref() -> None:
    doc = {"kind": "Workflow", "metadata": {"generateName": "x-"}, "spec": {"workflowTemplateRef": {"name": "lib"}}}
    assert lint_workflow(doc) == []  # nothing to check without a lookup
    store = TemplateStore([])
    assert only(doc, "unknown-workflow-template", templates=store).field == "spec.workflowTemplateRef"
    lib = copy.deepcopy(LIBRARY)
    lib["spec"]["entrypoint"] = "greet"
    store = TemplateStore([lib])
    assert "inputs.parameters.who was not supplied" in only(doc, "input-not-supplied", templates=store).message
    doc["spec"]["arguments"] = args(who="me")
    assert lint_workflow(doc, templates=store) == []


# -- DAG ---------------------------------------------------------------------------------------------
def test_depends_naming_an_unknown_task() -> None:
    problem = only(workflow(dag(task("a"), task("b", depends="a && ghost")), container("echo")), "unknown-dependency")
    assert (problem.task, "'ghost'" in problem.message) == ("b", True)
    legacy = workflow(dag(task("a"), task("b", dependencies=["ghost"])), container("echo"))
    assert only(legacy, "unknown-dependency").field.endswith(".dependencies")


@pytest.mark.parametrize("expression", ["a &&", "a & b", "(a", "a.Bogus", "a b"])
def test_malformed_depends(expression: str) -> None:
    problem = only(workflow(dag(task("a"), task("b", depends=expression)), container("echo")), "invalid-depends")
    assert expression in problem.message
    assert problem.field == "spec.templates[0].dag.tasks[1].depends"


def test_dag_cycle() -> None:
    doc = workflow(
        dag(task("a", depends="c"), task("b", depends="a"), task("c", depends="b"), task("d")), container("echo")
    )
    problem = only(doc, "dag-cycle")
    assert "a -> c -> b -> a" in problem.message or "cycle" in problem.message
    self_loop = workflow(dag(task("a", dependencies=["a"])), container("echo"))
    assert only(self_loop, "dag-cycle").message.endswith("a -> a")


def test_depends_and_dependencies_in_one_dag() -> None:
    doc = workflow(dag(task("a"), task("b", depends="a"), task("c", dependencies=["a"])), container("echo"))
    assert only(doc, "depends-and-dependencies").template == "main"


def test_continue_on_with_depends() -> None:
    doc = workflow(dag(task("a", continueOn={"failed": True}), task("b", depends="a")), container("echo"))
    assert only(doc, "continue-on-with-depends").task == "a"
    with_dependencies = workflow(dag(task("a", continueOn={"failed": True}), task("b", dependencies=["a"])), container("echo"))
    assert lint_workflow(with_dependencies) == []


def test_task_names_starting_with_a_digit_with_depends() -> None:
    doc = workflow(dag(task("1a"), task("b", depends="1a")), container("echo"))
    assert only(doc, "task-name-digit").task == "1a"
    assert lint_workflow(workflow(dag(task("1a"), task("b")), container("echo"))) == []


def test_dag_target_must_exist() -> None:
    doc = workflow(dag(task("a"), task("b")), container("echo"))
    doc["spec"]["templates"][0]["dag"]["target"] = "a ghost"
    assert "'ghost'" in only(doc, "unknown-target").message


# -- variables ---------------------------------------------------------------------------------------
def test_undeclared_input_parameter() -> None:
    tmpl = container("main", "declared")
    tmpl["container"]["args"] = ["{{inputs.parameters.declared}}", "{{ inputs.parameters.missing }}"]
    doc = workflow(tmpl, arguments=args(declared="x"))
    problem = only(doc, "unresolved-variable")
    assert problem.message == "failed to resolve {{inputs.parameters.missing}}"
    assert problem.template == "main"


def test_undeclared_input_artifact() -> None:
    tmpl = container("main")
    tmpl["inputs"] = {"artifacts": [{"name": "data", "path": "/tmp/data"}]}
    tmpl["container"]["args"] = ["{{inputs.artifacts.data.path}}", "{{inputs.artifacts.other.path}}"]
    doc = workflow(tmpl)
    doc["spec"]["templates"][0]["inputs"]["artifacts"][0]["raw"] = {"data": "x"}
    assert "inputs.artifacts.other.path" in only(doc, "unresolved-variable").message


def test_reference_to_unknown_task() -> None:
    doc = copy.deepcopy(GOOD_DAG)
    doc["spec"]["templates"][0]["dag"]["tasks"][2]["arguments"] = args(msg="{{tasks.ghost.outputs.result}}")
    assert "tasks.ghost" in only(doc, "unresolved-variable").message


def test_reference_to_undeclared_output_of_a_task() -> None:
    doc = copy.deepcopy(GOOD_DAG)
    doc["spec"]["templates"][0]["dag"]["tasks"][2]["arguments"] = args(msg="{{tasks.b.outputs.parameters.nope}}")
    assert only(doc, "unresolved-variable").task == "c"


def test_task_argument_must_come_from_an_ancestor() -> None:
    doc = workflow(
        dag(task("a", arguments=args(msg="x")), task("b", arguments=args(msg="{{tasks.a.outputs.result}}"))),
        container("echo", "msg"),
    )
    problem = only(doc, "missing-dependency")
    assert problem.message == "missing dependency 'a' for parameter 'msg'"
    transitive = workflow(
        dag(
            task("a", arguments=args(msg="x")),
            task("b", depends="a", arguments=args(msg="x")),
            task("c", depends="b", arguments=args(msg="{{tasks.a.outputs.result}}")),
        ),
        container("echo", "msg"),
    )
    assert lint_workflow(transitive) == []


def test_task_status_only_from_ancestors() -> None:
    doc = workflow(dag(task("a"), task("b", when="{{tasks.a.status}} == Succeeded")), container("echo"))
    assert "tasks.a.status" in only(doc, "unresolved-variable").message
    doc["spec"]["templates"][0]["dag"]["tasks"][1]["depends"] = "a"
    assert lint_workflow(doc) == []


def test_steps_may_only_refer_to_earlier_groups() -> None:
    same_group = workflow(
        steps([task("a", arguments=args(msg="x")), task("b", arguments=args(msg="{{steps.a.outputs.result}}"))]),
        container("echo", "msg"),
    )
    assert only(same_group, "unresolved-variable").task == "b"
    unknown = workflow(steps([task("a", arguments=args(msg="{{steps.zzz.outputs.result}}"))]), container("echo", "msg"))
    assert "steps.zzz" in only(unknown, "unresolved-variable").message


def test_item_outside_a_loop() -> None:
    doc = workflow(steps([task("a", arguments=args(msg="{{item}}"))]), container("echo", "msg"))
    assert only(doc, "unresolved-variable").message == "failed to resolve {{item}}"
    doc["spec"]["templates"][0]["steps"][0][0]["withItems"] = [{"k": 1}]
    doc["spec"]["templates"][0]["steps"][0][0]["arguments"] = args(msg="{{item.k}} {{item}}")
    assert lint_workflow(doc) == []
    doc["spec"]["templates"][0]["steps"][0][0]["arguments"] = args(msg="{{item.other}}")
    assert only(doc, "unresolved-variable").message == "failed to resolve {{item.other}}"


def test_workflow_variables() -> None:
    tmpl = container("main")
    tmpl["container"]["args"] = ["{{workflow.parameters.p}}", "{{workflow.name}}", "{{workflow.labels.team}}"]
    doc = workflow(tmpl, arguments=args(p="1"))
    doc["metadata"]["labels"] = {"team": "x"}
    assert lint_workflow(doc) == []
    tmpl["container"]["args"] = ["{{workflow.parameters.undeclared}}", "{{workflow.nonsense}}"]
    assert [p.message for p in lint_workflow(doc)] == [
        "failed to resolve {{workflow.parameters.undeclared}}",
        "failed to resolve {{workflow.nonsense}}",
    ]


def test_workflow_artifacts_resolve_when_declared_in_spec_arguments() -> None:
    consumer = container("main", inputs={"artifacts": [{"name": "data", "path": "/tmp/data"}]})
    run = dag(task("a", template="main", arguments={"artifacts": [{"name": "data", "from": "{{workflow.artifacts.x}}"}]}), name="entry")
    doc = workflow(run, consumer, entrypoint="entry", arguments={"artifacts": [{"name": "x", "raw": {"data": "hi"}}]})
    assert lint_workflow(doc) == []
    run["dag"]["tasks"][0]["arguments"]["artifacts"][0]["from"] = "{{workflow.artifacts.y}}"
    assert only(doc, "unresolved-variable").message == "failed to resolve {{workflow.artifacts.y}}"
    run["dag"]["tasks"][0]["arguments"]["artifacts"][0]["from"] = "{{workflow.artifacts.x}}"
    del doc["spec"]["arguments"]
    assert only(doc, "unresolved-variable").message == "failed to resolve {{workflow.artifacts.x}}"


def test_workflow_template_may_use_parameters_given_at_submission() -> None:
    tmpl = container("main")
    tmpl["container"]["args"] = ["{{workflow.parameters.later}}"]
    doc = {"kind": "WorkflowTemplate", "metadata": {"name": "wt"}, "spec": {"templates": [tmpl]}}
    assert lint_workflow(doc) == []


def test_expression_tags_and_unknown_prefixes_are_not_validated() -> None:
    tmpl = container("main")
    tmpl["container"]["args"] = ["{{=anything(at.all)}}", "{{retries}}", "{{custom.thing}}", "{{outputs.result}}"]
    assert lint_workflow(workflow(tmpl)) == []


def test_exit_hook_arguments_may_refer_to_the_own_step() -> None:
    doc = workflow(
        steps(
            [
                task(
                    "a",
                    template="produce",
                    hooks={"exit": {"template": "echo", "arguments": args(msg="{{steps.a.outputs.parameters.out}}")}},
                )
            ]
        ),
        container("echo", "msg"),
        {"name": "produce", "outputs": {"parameters": [{"name": "out", "valueFrom": {"path": "/o"}}]}, "container": {"image": "a"}},
    )
    assert lint_workflow(doc) == []


# -- calls and arguments ------------------------------------------------------------------------------
def test_input_parameter_not_supplied() -> None:
    doc = workflow(dag(task("a")), container("echo", "msg"))
    problem = only(doc, "input-not-supplied")
    assert (problem.message, problem.task) == ("inputs.parameters.msg was not supplied", "a")
    entry = workflow(container("main", "msg"))
    assert only(entry, "input-not-supplied").field == "spec.arguments"
    defaulted = workflow(container("main"), container("echo", **{"inputs": {"parameters": [{"name": "m", "default": "d"}]}}))
    assert lint_workflow(defaulted) == []


def test_argument_parameter_needs_a_value() -> None:
    doc = workflow(steps([task("a", arguments={"parameters": [{"name": "msg"}]})]), container("echo", "msg"))
    assert only(doc, "missing-argument-value").task == "a"


def test_enum_values() -> None:
    doc = workflow(container("main", "color"))
    doc["spec"]["arguments"] = {"parameters": [{"name": "color", "value": "pink", "enum": ["red", "blue"]}]}
    assert "not in its enum" in only(doc, "invalid-enum").message
    doc["spec"]["arguments"]["parameters"][0]["enum"] = []
    assert "at least one value" in only(doc, "invalid-enum").message


def test_only_one_loop_kind() -> None:
    doc = workflow(steps([task("a", withItems=[1], withParam="[1]")]), container("echo"))
    assert only(doc, "invalid-loop").task == "a"
    seq = workflow(steps([task("a", withSequence={"count": "2", "end": "3"})]), container("echo"))
    assert "count or end" in only(seq, "invalid-loop").message


# -- template fields ------------------------------------------------------------------------------------
def test_parallelism_only_on_steps_and_dag() -> None:
    assert only(workflow(container("main", parallelism=2)), "invalid-field").field.endswith("parallelism")
    assert lint_workflow(workflow(dag(task("a"), parallelism=2), container("echo"))) == []


def test_active_deadline_seconds() -> None:
    assert only(workflow(container("main", activeDeadlineSeconds=0)), "invalid-field").message.endswith("greater than 0")
    on_dag = workflow(dag(task("a"), activeDeadlineSeconds=5), container("echo"))
    assert "leaf templates" in only(on_dag, "invalid-field").message
    assert lint_workflow(workflow(container("main", activeDeadlineSeconds="{{workflow.parameters.t}}"), arguments=args(t="5"))) == []


def test_image_required_unless_defaulted() -> None:
    doc = workflow({"name": "main", "container": {"command": ["true"]}})
    assert only(doc, "missing-image").field == "spec.templates[0].container.image"
    doc["spec"]["templateDefaults"] = {"container": {"image": "alpine"}}
    assert lint_workflow(doc) == []


def test_artifact_paths() -> None:
    leaf = container("main")
    leaf["inputs"] = {"artifacts": [{"name": "a", "raw": {"data": "x"}}]}
    assert "path not specified" in only(workflow(leaf), "artifact-path").message
    non_leaf = dag(task("x"), outputs={"artifacts": [{"name": "o", "path": "/tmp/o", "from": "{{tasks.x.outputs.artifacts.a}}"}]})
    producer = container("echo", outputs={"artifacts": [{"name": "a", "path": "/a"}]})
    assert "only valid in container/script" in only(workflow(non_leaf, producer), "artifact-path").message


def test_output_parameter_value_from() -> None:
    no_path = container("main", outputs={"parameters": [{"name": "o", "valueFrom": {"parameter": "x"}}]})
    assert "path must be specified" in only(workflow(no_path), "output-value-from").message
    nothing = container("main", outputs={"parameters": [{"name": "o"}]})
    assert "does not have valueFrom or value" in only(workflow(nothing), "output-value-from").message
    dag_output = dag(task("a"), outputs={"parameters": [{"name": "o", "valueFrom": {"path": "/x"}}]})
    assert "parameter or expression" in only(workflow(dag_output, container("echo")), "output-value-from").message
    good = dag(task("a"), outputs={"parameters": [{"name": "o", "valueFrom": {"expression": "tasks.a.outputs.result"}}]})
    assert lint_workflow(workflow(good, container("echo"))) == []


def test_reserved_container_names() -> None:
    doc = workflow(container("main", sidecars=[{"name": "wait", "image": "x"}]))
    assert only(doc, "reserved-name").field == "spec.templates[0].sidecars[0].name"


def test_container_set_with_io_needs_main() -> None:
    tmpl = {
        "name": "main",
        "inputs": {"parameters": [{"name": "p", "value": "1"}]},
        "containerSet": {"containers": [{"name": "a", "image": "x"}]},
    }
    assert only(workflow(tmpl), "container-set-main").template == "main"


def test_lifecycle_hook_needs_an_expression() -> None:
    doc = workflow(container("main"), container("h"), hooks={"running": {"template": "h"}})
    assert only(doc, "hook-expression").field == "spec.hooks.running.expression"


def test_cron_workflow_rules() -> None:
    cron = {
        "kind": "CronWorkflow",
        "metadata": {"name": "nightly"},
        "spec": {"schedule": "0 25 * * *", "concurrencyPolicy": "Sometimes", "workflowSpec": copy.deepcopy(GOOD_DAG["spec"])},
    }
    assert sorted(rules(cron)) == ["cron-concurrency-policy", "cron-schedule"]
    cron["spec"].update(schedule="0 2 * * MON-FRI", concurrencyPolicy="Forbid")
    assert lint_workflow(cron) == []
    del cron["spec"]["schedule"]
    assert rules(cron) == ["cron-schedule"]


# -- the error type --------------------------------------------------------------------------------------
def test_validate_workflow_lists_every_problem() -> None:
    doc = workflow(dag(task("a", template="nope"), task("b", depends="ghost")), container("echo"))
    with pytest.raises(WorkflowValidationError) as info:
        validate_workflow(doc)
    error = info.value
    assert [p.rule for p in error.problems] == ["unknown-dependency", "unknown-template"] or sorted(
        p.rule for p in error.problems
    ) == ["unknown-dependency", "unknown-template"]
    text = str(error)
    assert "2 problems" in text and "'nope'" in text and "'ghost'" in text
    assert "workflow 'wf-'" in text and "task 'a'" in text
    assert isinstance(error, ValueError)


def test_single_problem_error_carries_its_location() -> None:
    with pytest.raises(WorkflowValidationError) as info:
        validate_workflow(workflow(dag(task("a", template="nope"))))
    error = info.value
    assert (error.workflow, error.template, error.task) == ("wf-", "main", "a")
    assert str(error).startswith("workflow 'wf-', template 'main', task 'a'")


def test_nameless_inline_template_says_why_it_is_there() -> None:
    from hera.workflows import DAG, Container, Task, Workflow

    with Workflow(generate_name="inl-", entrypoint="d") as w:
        with DAG(name="d"):
            Task(name="a", inline=Container(image="alpine", command=["echo", "hi"]))
    problems = w.validation_problems()
    assert [p.rule for p in problems] == ["missing-name"]
    assert "inline" in str(problems[0]) and "outside the context" in str(problems[0])

    outside = Container(image="alpine", command=["echo", "hi"])
    with Workflow(generate_name="inl-", entrypoint="d") as w2:
        with DAG(name="d"):
            Task(name="a", inline=outside)
    assert w2.validation_problems() == []


def test_from_in_a_templates_own_input_artifacts_is_refused() -> None:
    from hera.lint import lint_workflow

    wf = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "f-"},
        "spec": {
            "entrypoint": "c",
            "templates": [
                {
                    "name": "c",
                    "inputs": {"artifacts": [{"name": "g", "path": "/tmp/g", "from": "{{workflow.outputs.artifacts.g}}"}]},
                    "container": {"image": "alpine", "command": ["cat", "/tmp/g"]},
                }
            ],
        },
    }
    problems = lint_workflow(wf)
    found = [(p.rule, p.field) for p in problems if p.rule == "artifact-from"]
    assert found == [("artifact-from", "spec.templates[0].inputs.artifacts[0].from")]


def test_a_workflow_template_refs_enum_holds_for_the_values_a_workflow_gives() -> None:
    lib = {
        "kind": "WorkflowTemplate",
        "metadata": {"name": "picky"},
        "spec": {
            "entrypoint": "plain",
            "arguments": {"parameters": [{"name": "msg", "value": "a", "enum": ["a", "b"]}]},
            "templates": [container("plain")],
        },
    }
    store = TemplateStore([lib])
    doc = {
        "kind": "Workflow",
        "metadata": {"generateName": "x-"},
        "spec": {"workflowTemplateRef": {"name": "picky"}, "arguments": {"parameters": [{"name": "msg", "value": "zzz"}]}},
    }
    assert "not in its enum" in only(doc, "invalid-enum", templates=store).message
    doc["spec"]["arguments"]["parameters"][0]["value"] = "b"
    assert lint_workflow(doc, templates=store) == []
