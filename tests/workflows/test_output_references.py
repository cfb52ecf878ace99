"""Task/Step output references and template/workflow input references (spec §2.3, §3.9)."""

from __future__ import annotations

from hera.workflows import DAG, Artifact, Container, Parameter, Steps, Workflow


def test_task_reference_properties() -> None:
    with Workflow(name="w"):
        c = Container(
            name="c", image="a", outputs=[Parameter(name="o", value_from={"path": "/o"}), Artifact(name="oa", path="/a")]
        )
        with DAG(name="d"):
            t = c(name="A")
    assert t.result == "{{tasks.A.outputs.result}}"
    assert (t.id, t.ip, t.status, t.exit_code, t.started_at, t.finished_at) == (
        "{{tasks.A.id}}",
        "{{tasks.A.ip}}",
        "{{tasks.A.status}}",
        "{{tasks.A.exitCode}}",
        "{{tasks.A.startedAt}}",
        "{{tasks.A.finishedAt}}",
    )
    p = t.get_parameter("o")
    assert (p.name, p.value) == ("o", "{{tasks.A.outputs.parameters.o}}")
    a = t.get_artifact("oa")
    assert (a.name, a.from_) == ("oa", "{{tasks.A.outputs.artifacts.oa}}")
    all_params = t.get_parameters_as("all")
    assert (all_params.name, all_params.value) == ("all", "{{tasks.A.outputs.parameters}}")
    r = t.get_result_as("r")
    assert (r.name, r.value) == ("r", "{{tasks.A.outputs.result}}")
    refs = t.get_outputs_as_arguments()
    assert [(x.name, getattr(x, "value", None) or x.from_) for x in refs] == [
        ("o", "{{tasks.A.outputs.parameters.o}}"),
        ("oa", "{{tasks.A.outputs.artifacts.oa}}"),
    ]


def test_step_references_use_the_steps_prefix() -> None:
    with Workflow(name="w"):
        c = Container(name="c", image="a", outputs=Parameter(name="o", value_from={"path": "/o"}))
        with Steps(name="s"):
            s = c(name="S")
    assert s.result == "{{steps.S.outputs.result}}"
    assert s.get_parameter("o").value == "{{steps.S.outputs.parameters.o}}"


def test_dag_hoisted_output_and_input_references() -> None:
    with Workflow(name="w", arguments={"p1": "v"}) as w:
        c = Container(name="c", image="a", inputs=Parameter(name="x"), outputs=Parameter(name="x", value_from={"path": "/x"}))
        with DAG(name="inner", outputs=Parameter(name="o", value_from={"parameter": "{{tasks.t.outputs.parameters.x}}"})) as inner:
            c(name="t", arguments=c.get_parameter("x"))
        with DAG(name="outer"):
            hoisted = inner(name="i")
    assert hoisted.get_parameter("o").value == "{{tasks.i.outputs.parameters.o}}"
    assert c.get_parameter("x").value == "{{inputs.parameters.x}}"
    assert w.get_parameter("p1").value == "{{workflow.parameters.p1}}"
    task = w.to_dict()["spec"]["templates"][1]["dag"]["tasks"][0]
    assert task["arguments"] == {"parameters": [{"name": "x", "value": "{{inputs.parameters.x}}"}]}
