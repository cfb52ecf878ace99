"""Control flow on the real engine: steps, DAGs and their depends logic, when, loops and aggregation, node
names and ids as Argo computes them."""

from __future__ import annotations

import json

import pytest

from hera.engine import Engine
from hera.engine.naming import fnv32a
from hera.exceptions import BadRequest
from tests.engine.helpers import load, nodes_by_display, param, run

STEPS = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: steps-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: hello1
        template: echo
        arguments: {parameters: [{name: msg, value: one}]}
    - - name: hello2a
        template: echo
        arguments: {parameters: [{name: msg, value: "{{steps.hello1.outputs.result}}-a"}]}
      - name: hello2b
        template: echo
        arguments: {parameters: [{name: msg, value: b}]}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.msg}}"]}
"""


def test_steps_run_in_groups_and_pass_results(engine: Engine) -> None:
    wf = run(engine, STEPS)
    assert wf["status"]["phase"] == "Succeeded"
    nodes = nodes_by_display(wf)
    name = wf["metadata"]["name"]
    assert nodes[name]["type"] == "Steps" and nodes[name]["id"] == name
    assert nodes["[0]"]["type"] == "StepGroup" and nodes["[1]"]["type"] == "StepGroup"
    assert nodes["hello2a"]["outputs"]["result"] == "one-a"
    # node ids and names follow Argo: <wf>-<fnv32a(node name)>
    assert nodes["hello1"]["name"] == f"{name}[0].hello1"
    assert nodes["hello1"]["id"] == f"{name}-{fnv32a(name + '[0].hello1')}"
    # the second group hangs off the first group's outbound node
    assert nodes["[1]"]["id"] in nodes["hello1"]["children"]
    assert set(nodes["[1]"]["children"]) == {nodes["hello2a"]["id"], nodes["hello2b"]["id"]}
    assert nodes["hello1"]["boundaryID"] == name
    assert nodes["hello1"]["outputs"]["exitCode"] == "0"
    assert nodes["hello1"]["startedAt"] <= nodes["hello2a"]["startedAt"]
    assert nodes[name]["progress"] == "3/3" and wf["status"]["progress"] == "3/3"


DAG = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: dag-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: ok}
      - {name: B, depends: A, template: fail}
      - {name: C, depends: A, template: ok}
      - {name: D, depends: "B.Failed && C", template: ok}
      - {name: E, depends: "B", template: ok}
      - {name: F, depends: "D || E", template: ok}
  - name: ok
    container: {image: alpine:3.23, command: [sh, -c, "echo ok"]}
  - name: fail
    container: {image: alpine:3.23, command: [sh, -c, "exit 3"]}
"""


def test_dag_enhanced_depends_omits_and_fails_the_failed_branch(engine: Engine) -> None:
    wf = run(engine, DAG)
    nodes = nodes_by_display(wf)
    assert nodes["B"]["phase"] == "Failed"
    assert nodes["B"]["message"] == "main: Error (exit code 3)"
    assert nodes["B"]["outputs"]["exitCode"] == "3"
    assert nodes["D"]["phase"] == "Succeeded"
    assert nodes["E"]["phase"] == "Omitted" and nodes["E"]["type"] == "Skipped"
    assert nodes["E"]["message"] == "omitted: depends condition not met"
    assert nodes["F"]["phase"] == "Succeeded"
    # F is the only target and succeeded, so the DAG and the workflow succeed although B failed
    assert wf["status"]["phase"] == "Succeeded"
    # edges: D hangs off B and C; root tasks hang off the DAG node
    assert nodes["D"]["id"] in nodes["B"]["children"] and nodes["D"]["id"] in nodes["C"]["children"]
    assert nodes["A"]["id"] in nodes[wf["metadata"]["name"]]["children"]


DAG_FAIL = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: dag-fail-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: fail}
      - {name: B, dependencies: [A], template: ok}
      - {name: C, template: ok}
  - name: ok
    container: {image: alpine:3.23, command: ["true"]}
  - name: fail
    container: {image: alpine:3.23, command: [sh, -c, "exit 1"]}
"""


def test_dag_dependencies_failure_fails_the_workflow(engine: Engine) -> None:
    wf = run(engine, DAG_FAIL)
    nodes = nodes_by_display(wf)
    assert wf["status"]["phase"] == "Failed"
    assert nodes["B"]["phase"] == "Omitted"
    assert nodes["C"]["phase"] == "Succeeded"


WHEN_LOOPS = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: loops-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: gen
        template: gen
    - - name: each
        template: square
        arguments: {parameters: [{name: n, value: "{{item.n}}"}]}
        withParam: "{{steps.gen.outputs.result}}"
        when: "{{item.n}} != 3"
      - name: seq
        template: echo
        arguments: {parameters: [{name: msg, value: "{{item}}"}]}
        withSequence: {count: "3", start: "1", format: "x%02d"}
    - - name: sum
        template: echo
        arguments: {parameters: [{name: msg, value: "{{steps.each.outputs.parameters.sq}}|{{steps.seq.outputs.result}}"}]}
  - name: gen
    script:
      image: python:alpine3.23
      command: [python]
      source: |
        import json
        print(json.dumps([{"n": i} for i in range(1, 5)]))
  - name: square
    inputs: {parameters: [{name: n}]}
    script:
      image: python:alpine3.23
      command: [python]
      source: |
        open("/tmp/sq", "w").write(str({{inputs.parameters.n}} ** 2))
    outputs: {parameters: [{name: sq, valueFrom: {path: /tmp/sq}}]}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo, '"{{inputs.parameters.msg}}"']}
"""


def test_loops_when_and_aggregated_outputs(engine: Engine) -> None:
    wf = run(engine, WHEN_LOOPS)
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    nodes = nodes_by_display(wf)
    assert nodes["each(2:n:3)"]["phase"] == "Skipped"
    assert nodes["each(2:n:3)"]["message"] == "when '3 != 3' evaluated false"
    assert nodes["seq(0:x01)"]["phase"] == "Succeeded"
    # aggregated parameters: only Succeeded children, in index order; the results of `seq` are JSON strings
    sq, results = nodes["sum"]["outputs"]["result"].strip('"').split("|")
    assert json.loads(sq) == ["1", "4", "16"]
    assert json.loads(results) == ["x01", "x02", "x03"]


def test_empty_loop_gives_a_skipped_node(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: empty-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: none, template: ok, withItems: []}
  - name: ok
    container: {image: alpine:3.23, command: ["true"]}
""",
    )
    node = nodes_by_display(wf)["none"]
    assert wf["status"]["phase"] == "Succeeded"
    assert node["phase"] == "Skipped" and node["message"] == "Skipped, empty params"


def test_dag_loop_makes_a_task_group_with_any_succeeded(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: taskgroup-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: try
        template: code
        arguments: {parameters: [{name: c, value: "{{item}}"}]}
        withItems: [0, 1, 1]
      - {name: after, depends: try.AnySucceeded, template: code, arguments: {parameters: [{name: c, value: "0"}]}}
      - {name: never, depends: try.AllFailed, template: code, arguments: {parameters: [{name: c, value: "0"}]}}
  - name: code
    inputs: {parameters: [{name: c}]}
    container: {image: alpine:3.23, command: [sh, -c, "exit {{inputs.parameters.c}}"]}
""",
    )
    nodes = nodes_by_display(wf)
    assert nodes["try"]["type"] == "TaskGroup" and nodes["try"]["phase"] == "Failed"
    assert [nodes[f"try({i}:{v})"]["phase"] for i, v in enumerate([0, 1, 1])] == ["Succeeded", "Failed", "Failed"]
    assert nodes["after"]["phase"] == "Succeeded"
    assert nodes["never"]["phase"] == "Omitted"


def test_dag_target_runs_only_what_the_targets_need(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: target-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: target, value: B}]}
  templates:
  - name: main
    dag:
      target: "{{workflow.parameters.target}}"
      tasks:
      - {name: A, template: ok}
      - {name: B, depends: A, template: ok}
      - {name: C, depends: A, template: ok}
  - name: ok
    container: {image: alpine:3.23, command: ["true"]}
""",
    )
    names = set(nodes_by_display(wf))
    assert {"A", "B"} <= names and "C" not in names


def test_step_when_with_expression_tags(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: when-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: flag, value: "yes"}]}
  templates:
  - name: main
    steps:
    - - {name: go, template: ok, when: "{{=workflow.parameters.flag == 'yes'}}"}
      - {name: stop, template: ok, when: "{{workflow.parameters.flag}} == no"}
  - name: ok
    container: {image: alpine:3.23, command: ["true"]}
""",
    )
    nodes = nodes_by_display(wf)
    assert nodes["go"]["phase"] == "Succeeded"
    assert nodes["stop"]["phase"] == "Skipped"


def test_output_parameters_default_and_global_outputs(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: outputs-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: produce, template: produce}
    - - name: consume
        template: echo
        arguments: {parameters: [{name: msg, value: "{{workflow.outputs.parameters.g}}/{{steps.produce.outputs.parameters.missing}}"}]}
    outputs:
      parameters:
      - {name: out, valueFrom: {parameter: "{{steps.produce.outputs.parameters.p}}"}}
  - name: produce
    container: {image: alpine:3.23, command: [sh, -c, "printf 'hello\\n' > /tmp/p"]}
    outputs:
      parameters:
      - {name: p, globalName: g, valueFrom: {path: /tmp/p}}
      - {name: missing, valueFrom: {path: /tmp/nope, default: dflt}}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.msg}}"]}
""",
    )
    assert wf["status"]["phase"] == "Succeeded"
    nodes = nodes_by_display(wf)
    assert param(nodes["produce"], "p") == "hello"  # one trailing newline removed
    assert nodes["consume"]["outputs"]["result"] == "hello/dflt"
    assert param(nodes[wf["metadata"]["name"]], "out") == "hello"
    assert wf["status"]["outputs"]["parameters"] == [{"name": "g", "value": "hello"}]


def test_missing_output_file_without_default_is_an_error(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: missing-}
spec:
  entrypoint: p
  templates:
  - name: p
    container: {image: alpine:3.23, command: ["true"]}
    outputs: {parameters: [{name: x, valueFrom: {path: /tmp/none}}]}
""",
    )
    assert wf["status"]["phase"] == "Error"
    assert "/tmp/none" in wf["status"]["message"]


def test_reference_to_an_unknown_step_is_refused_at_submission(engine: Engine) -> None:
    doc = load(
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: noinput-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: s
        template: echo
        arguments: {parameters: [{name: msg, value: "{{steps.nope.outputs.result}}"}]}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo]}
"""
    )
    before = len(engine.list_workflows("default")[0])
    with pytest.raises(BadRequest, match=r"steps\.nope\.outputs\.result"):
        engine.create_workflow("default", doc)
    assert len(engine.list_workflows("default")[0]) == before


SKIPPED_OUTPUTS = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: skipped-outputs-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: producer, template: produce, when: "false"}
      - name: with-default
        depends: producer
        template: echo
        arguments: {parameters: [{name: msg, value: "{{tasks.producer.outputs.parameters.d}}"}]}
      - name: consumer-default
        depends: producer
        template: echo-default
        arguments: {parameters: [{name: msg, value: "{{tasks.producer.outputs.parameters.x}}"}]}
      - name: expr
        depends: producer
        template: echo
        arguments: {parameters: [{name: msg, value: "{{=tasks.producer.outputs.parameters.x ?? 'fallback'}}"}]}
  - name: produce
    container: {image: alpine:3.23, command: ["true"]}
    outputs:
      parameters:
      - {name: x, valueFrom: {path: /tmp/x}}
      - {name: d, valueFrom: {path: /tmp/d, default: from-producer}}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.msg}}"]}
  - name: echo-default
    inputs: {parameters: [{name: msg, default: consumer}]}
    container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.msg}}"]}
"""


def test_outputs_of_skipped_producers_follow_v4_rules(engine: Engine) -> None:
    wf = run(engine, SKIPPED_OUTPUTS)
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    nodes = nodes_by_display(wf)
    assert nodes["producer"]["phase"] == "Skipped"
    assert nodes["with-default"]["outputs"]["result"] == "from-producer"
    assert nodes["consumer-default"]["outputs"]["result"] == "consumer"
    assert nodes["expr"]["outputs"]["result"] == "fallback"


def test_absent_reference_without_default_is_a_terminal_error(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: absent-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: producer, template: produce, when: "false"}
    - - name: consumer
        template: echo
        arguments: {parameters: [{name: msg, value: "got {{steps.producer.outputs.parameters.x}}"}]}
  - name: produce
    container: {image: alpine:3.23, command: ["true"]}
    outputs: {parameters: [{name: x, valueFrom: {path: /tmp/x}}]}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.msg}}"]}
""",
    )
    nodes = nodes_by_display(wf)
    assert wf["status"]["phase"] == "Failed"
    assert nodes["consumer"]["phase"] == "Error"


def test_exit_code_and_continue_on(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: continue-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: fails, template: fail, continueOn: {failed: true}}
    - - name: report
        template: echo
        arguments: {parameters: [{name: msg, value: "{{steps.fails.exitCode}} {{steps.fails.status}}"}]}
  - name: fail
    container: {image: alpine:3.23, command: [sh, -c, "exit 7"]}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.msg}}"]}
""",
    )
    nodes = nodes_by_display(wf)
    assert wf["status"]["phase"] == "Succeeded"
    assert nodes["fails"]["phase"] == "Failed"
    assert nodes["report"]["outputs"]["result"] == "7 Failed"
