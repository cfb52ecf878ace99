"""Retries, exit handlers, lifecycle hooks, deadlines, suspend/resume/set, stop/terminate and parallelism on
the real engine."""

from __future__ import annotations

import time

from hera.engine import Engine
from tests.engine.helpers import load, nodes_by_display, param, run


def test_retry_attempts_backoff_and_limit(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: retry-}
spec:
  entrypoint: flaky
  templates:
  - name: flaky
    retryStrategy: {limit: "2", backoff: {duration: "0.1s", factor: "2"}}
    container: {image: alpine:3.23, command: [sh, -c, "echo attempt {{retries}}; exit 1"]}
""",
    )
    nodes = nodes_by_display(wf)
    name = wf["metadata"]["name"]
    assert wf["status"]["phase"] == "Failed"
    assert nodes[name]["type"] == "Retry"
    assert nodes[name]["message"] == "No more retries left"
    attempts = [nodes[f"{name}({i})"] for i in range(3)]
    assert [a["outputs"]["result"] for a in attempts] == ["attempt 0", "attempt 1", "attempt 2"]
    assert all(a["nodeFlag"] == {"retried": True} for a in attempts)
    assert f"{name}(3)" not in nodes


def test_retry_succeeds_and_copies_outputs_and_expression_stops(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: retry-ok-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: third-time, template: third-time}
      - {name: expr, template: expr}
  - name: third-time
    retryStrategy: {limit: 5, retryPolicy: Always}
    container: {image: alpine:3.23, command: [sh, -c, "echo try{{retries}}; test {{retries}} -ge 2"]}
  - name: expr
    retryStrategy: {limit: 5, expression: "asInt(lastRetry.exitCode) == 3"}
    container: {image: alpine:3.23, command: [sh, -c, "exit $(( {{retries}} + 3 ))"]}
""",
    )
    nodes = nodes_by_display(wf)
    assert nodes["third-time"]["phase"] == "Succeeded"
    assert nodes["third-time"]["outputs"]["result"] == "try2"
    assert nodes["expr"]["phase"] == "Failed"
    assert nodes["expr"]["message"] == "retryStrategy.expression evaluated to false"
    assert "expr(1)" in nodes and "expr(2)" not in nodes


def test_workflow_exit_handler_sees_status_and_failures(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: exit-}
spec:
  entrypoint: fail
  onExit: report
  templates:
  - name: fail
    container: {image: alpine:3.23, command: [sh, -c, "exit 1"]}
  - name: report
    container: {image: alpine:3.23, command: [sh, -c, "echo {{workflow.status}}; echo '{{workflow.failures}}'"]}
""",
    )
    nodes = nodes_by_display(wf)
    name = wf["metadata"]["name"]
    assert wf["status"]["phase"] == "Failed"
    exit_node = nodes[f"{name}.onExit"]
    assert exit_node["phase"] == "Succeeded"
    status_line, failures = exit_node["outputs"]["result"].split("\n")
    assert status_line == "Failed"
    assert '"displayName":"' + name + '"' in failures.replace("\\", "")


def test_exit_handler_failure_fails_a_successful_workflow(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: exit-fail-}
spec:
  entrypoint: ok
  hooks: {exit: {template: fail}}
  templates:
  - name: ok
    container: {image: alpine:3.23, command: ["true"]}
  - name: fail
    container: {image: alpine:3.23, command: [sh, -c, "exit 2"]}
""",
    )
    assert wf["status"]["phase"] == "Failed"
    assert wf["status"]["message"] == "main: Error (exit code 2)"


def test_step_exit_hook_gets_the_steps_outputs_and_lifecycle_hook_runs(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hooks-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: step1
        template: produce
        hooks:
          exit:
            template: echo
            arguments: {parameters: [{name: msg, value: "exit saw {{steps.step1.outputs.parameters.p}}"}]}
          succeeded:
            expression: steps["step1"].status == "Succeeded"
            template: echo
            arguments: {parameters: [{name: msg, value: "hook"}]}
  - name: produce
    container: {image: alpine:3.23, command: [sh, -c, "echo -n val > /tmp/p"]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.msg}}"]}
""",
    )
    assert wf["status"]["phase"] == "Succeeded"
    nodes = nodes_by_display(wf)
    assert nodes["step1.onExit"]["outputs"]["result"] == "exit saw val"
    assert nodes["step1.onExit"]["nodeFlag"] == {"hooked": True}
    assert nodes["step1.hooks.succeeded"]["outputs"]["result"] == "hook"
    assert nodes["step1.onExit"]["id"] in nodes["step1"]["children"]


def test_template_deadline_kills_the_process(engine: Engine) -> None:
    t = time.monotonic()
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: deadline-}
spec:
  entrypoint: sleep
  templates:
  - name: sleep
    activeDeadlineSeconds: 1
    container: {image: alpine:3.23, command: [sleep, "30"]}
""",
    )
    assert time.monotonic() - t < 15
    assert wf["status"]["phase"] == "Failed"
    assert "deadline" in wf["status"]["message"]


def test_workflow_deadline_fails_running_steps(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: wf-deadline-}
spec:
  entrypoint: main
  activeDeadlineSeconds: 2
  onExit: cleanup
  templates:
  - name: main
    steps:
    - - {name: long, template: sleep}
    - - {name: never, template: sleep}
  - name: sleep
    container: {image: alpine:3.23, command: [sleep, "60"]}
  - name: cleanup
    container: {image: alpine:3.23, command: [echo, cleaned]}
""",
    )
    nodes = nodes_by_display(wf)
    assert wf["status"]["phase"] == "Failed"
    assert nodes["long"]["message"] == "Step exceeded its deadline"
    assert "never" not in nodes
    assert nodes[f"{wf['metadata']['name']}.onExit"]["phase"] == "Succeeded"


SUSPEND = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: suspend-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: approve, template: approve}
    - - name: after
        template: echo
        arguments: {parameters: [{name: msg, value: "{{steps.approve.outputs.parameters.answer}}"}]}
  - name: approve
    suspend: {}
    outputs: {parameters: [{name: answer, valueFrom: {supplied: {}}}]}
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.msg}}"]}
"""


def _wait_for(engine: Engine, name: str, pred: object, timeout: float = 20) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        wf = engine.get_workflow("default", name)
        if pred(wf):  # type: ignore[operator]
            return wf
        time.sleep(0.1)
    raise AssertionError(f"condition not reached for {name}")


def test_suspend_node_waits_for_set_with_output_parameters(engine: Engine) -> None:
    wf = engine.create_workflow("default", load(SUSPEND))
    name = wf["metadata"]["name"]
    wf = _wait_for(engine, name, lambda w: nodes_by_display(w).get("approve", {}).get("phase") == "Running")
    assert nodes_by_display(wf)["approve"]["type"] == "Suspend"
    time.sleep(0.3)
    assert engine.get_workflow("default", name)["status"]["phase"] == "Running"
    engine.set_workflow("default", name, node_field_selector="displayName=approve", output_parameters={"answer": "yes"})
    wf = engine.wait_workflow("default", name, timeout=30)
    nodes = nodes_by_display(wf)
    assert wf["status"]["phase"] == "Succeeded"
    assert param(nodes["approve"], "answer") == "yes"
    assert nodes["after"]["outputs"]["result"] == "yes"


def test_suspend_with_duration_resumes_by_itself(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: delay-}
spec:
  entrypoint: delay
  templates:
  - name: delay
    suspend: {duration: "1"}
""",
    )
    assert wf["status"]["phase"] == "Succeeded"


def test_workflow_suspend_holds_new_nodes_until_resume(engine: Engine) -> None:
    doc = load(
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: wf-suspend-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: first, template: sleep}
    - - {name: second, template: ok}
  - name: sleep
    container: {image: alpine:3.23, command: [sleep, "1"]}
  - name: ok
    container: {image: alpine:3.23, command: ["true"]}
"""
    )
    name = engine.create_workflow("default", doc)["metadata"]["name"]
    _wait_for(engine, name, lambda w: nodes_by_display(w).get("first", {}).get("phase") == "Running")
    engine.suspend_workflow("default", name)
    _wait_for(engine, name, lambda w: nodes_by_display(w).get("first", {}).get("phase") == "Succeeded")
    time.sleep(0.5)
    wf = engine.get_workflow("default", name)
    assert wf["spec"]["suspend"] is True
    assert "second" not in nodes_by_display(wf)
    engine.resume_workflow("default", name)
    wf = engine.wait_workflow("default", name, timeout=30)
    assert wf["status"]["phase"] == "Succeeded"


def test_stop_kills_running_work_and_runs_exit_handlers(engine: Engine) -> None:
    doc = load(
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: stop-}
spec:
  entrypoint: main
  onExit: bye
  templates:
  - name: main
    steps:
    - - {name: A, template: sleep}
    - - {name: B, template: bye}
  - name: sleep
    container: {image: alpine:3.23, command: [sleep, "60"]}
  - name: bye
    container: {image: alpine:3.23, command: [echo, bye]}
"""
    )
    name = engine.create_workflow("default", doc)["metadata"]["name"]
    _wait_for(engine, name, lambda w: nodes_by_display(w).get("A", {}).get("phase") == "Running")
    t = time.monotonic()
    engine.stop_workflow("default", name)
    wf = engine.wait_workflow("default", name, timeout=30)
    assert time.monotonic() - t < 10
    nodes = nodes_by_display(wf)
    assert wf["status"]["phase"] == "Failed"
    assert wf["status"]["message"] == "Stopped with strategy 'Stop'"
    assert nodes["A"]["phase"] == "Failed"
    assert "B" not in nodes
    assert nodes[f"{name}.onExit"]["phase"] == "Succeeded"


def test_terminate_runs_no_exit_handler(engine: Engine) -> None:
    doc = load(
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: terminate-}
spec:
  entrypoint: sleep
  onExit: bye
  templates:
  - name: sleep
    container: {image: alpine:3.23, command: [sleep, "60"]}
  - name: bye
    container: {image: alpine:3.23, command: [echo, bye]}
"""
    )
    name = engine.create_workflow("default", doc)["metadata"]["name"]
    _wait_for(engine, name, lambda w: w["status"].get("nodes", {}).get(name, {}).get("phase") == "Running")
    engine.terminate_workflow("default", name)
    wf = engine.wait_workflow("default", name, timeout=30)
    assert wf["status"]["phase"] == "Failed"
    assert wf["status"]["message"] == "Stopped with strategy 'Terminate'"
    assert f"{name}.onExit" not in nodes_by_display(wf)


def test_template_parallelism_and_fail_fast(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: par-}
spec:
  entrypoint: main
  templates:
  - name: main
    parallelism: 1
    failFast: true
    steps:
    - - name: item
        template: code
        arguments: {parameters: [{name: c, value: "{{item}}"}]}
        withItems: ["0", "1", "0", "0"]
  - name: code
    inputs: {parameters: [{name: c}]}
    container: {image: alpine:3.23, command: [sh, -c, "exit {{inputs.parameters.c}}"]}
""",
    )
    nodes = nodes_by_display(wf)
    assert wf["status"]["phase"] == "Failed"
    assert wf["status"]["message"] == "template has failed or errored children and failFast enabled"
    assert nodes["item(0:0)"]["phase"] == "Succeeded"
    assert nodes["item(1:1)"]["phase"] == "Failed"
    assert "item(2:0)" not in nodes and "item(3:0)" not in nodes
    # one child at a time: each started after the previous finished
    assert nodes["item(0:0)"]["finishedAt"] <= nodes["item(1:1)"]["startedAt"]


def test_workflow_parallelism_limits_running_pods(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: wf-par-}
spec:
  entrypoint: main
  parallelism: 2
  templates:
  - name: main
    steps:
    - - {name: s, template: stamp, withSequence: {count: "6"}}
  - name: stamp
    script:
      image: python:alpine3.23
      command: [python]
      source: |
        import time
        print(time.time()); time.sleep(0.3); print(time.time())
""",
    )
    assert wf["status"]["phase"] == "Succeeded"
    spans = []
    for n in wf["status"]["nodes"].values():
        if n["type"] == "Pod":
            a, b = map(float, n["outputs"]["result"].split())
            spans.append((a, b))
    most = max(sum(1 for a, b in spans if a <= t < b) for t, _ in spans)
    assert most <= 2
