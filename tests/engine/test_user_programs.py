"""Behaviours realistic Hera programs rely on, found by running them end to end on the engine: runner scripts
with no input parameters, loops whose results cannot be aggregated, and a template's own input artifacts
that use variables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hera.engine import Engine, EngineOptions
from tests.engine.helpers import nodes_by_display, param, run

USER_MODULE = '''
from typing import Annotated

from hera.workflows import Parameter


def seed() -> Annotated[int, Parameter(name="seed")]:
    return 42


def nothing():
    print("ran with no inputs")
'''

RUNNER_NO_INPUTS = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: runner-no-inputs-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: seed, template: seed}
      - {name: nothing, template: nothing}
  - name: seed
    outputs:
      parameters:
      - name: seed
        valueFrom: {path: /tmp/hera-outputs/parameters/seed}
    script:
      image: python:3.11
      command: [python]
      args: [-m, hera.workflows.runner, -e, e2e_user_fns:seed]
      source: '{{inputs.parameters}}'
  - name: nothing
    script:
      image: python:3.11
      command: [python]
      args: [-m, hera.workflows.runner, -e, e2e_user_fns:nothing]
      source: '{{inputs.parameters}}'
"""


@pytest.fixture(scope="module")
def code_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine whose nodes import the user's module (as `python flow.py` sets it up for a runner script)."""
    code = tmp_path_factory.mktemp("code")
    (code / "e2e_user_fns.py").write_text(USER_MODULE)
    e = Engine(tmp_path_factory.mktemp("state"), options=EngineOptions(parallelism=8, python_path=[str(code)]))
    e.start()
    yield e
    e.close()


def test_runner_script_without_input_parameters_is_accepted_and_runs(code_engine: Engine) -> None:
    # Argo substitutes `{{inputs.parameters}}` (to `null`) before validating, so a Hera runner function
    # with no parameters is a valid template; the runner reads `null` as no inputs
    wf = run(code_engine, RUNNER_NO_INPUTS)
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    nodes = nodes_by_display(wf)
    assert param(nodes["seed"], "seed") == "42"
    assert nodes["nothing"]["outputs"]["result"] == "ran with no inputs"


STEPS_PLAIN_RESULTS = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: steps-plain-agg-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: echo
        template: echo
        withItems: [a, b]
        arguments: {parameters: [{name: v, value: '{{item}}'}]}
    - - name: show
        template: echo
        arguments: {parameters: [{name: v, value: '{{steps.echo.outputs.result}}'}]}
  - name: echo
    inputs: {parameters: [{name: v}]}
    container: {image: alpine, command: [echo, '{{inputs.parameters.v}}']}
"""


def test_steps_loop_results_that_are_not_json_error_the_steps_template(engine: Engine) -> None:
    # Argo parses each result to aggregate `steps.echo.outputs.result` (issue #10775): plain text is an error
    # of the Steps template itself; the pods that printed it stay Succeeded and later groups never start
    wf = run(engine, STEPS_PLAIN_RESULTS)
    assert wf["status"]["phase"] == "Error"
    nodes = nodes_by_display(wf)
    root = nodes[wf["metadata"]["name"]]
    assert root["phase"] == "Error" and "is not JSON" in root["message"], root
    assert nodes["echo(0:a)"]["phase"] == "Succeeded" and nodes["echo(1:b)"]["phase"] == "Succeeded"
    assert nodes["[0]"]["phase"] == "Succeeded"
    assert "show" not in nodes


DAG_PLAIN_RESULTS = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: dag-plain-agg-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: echo
        template: echo
        withItems: [a, b]
        arguments: {parameters: [{name: v, value: '{{item}}'}]}
      - name: show
        depends: echo
        template: echo
        arguments: {parameters: [{name: v, value: '{{tasks.echo.outputs.result}}'}]}
  - name: echo
    inputs: {parameters: [{name: v}]}
    container: {image: alpine, command: [echo, '{{inputs.parameters.v}}']}
"""


def test_dag_loop_results_that_are_not_json_error_the_task_reading_them(engine: Engine) -> None:
    wf = run(engine, DAG_PLAIN_RESULTS)
    assert wf["status"]["phase"] == "Error"
    nodes = nodes_by_display(wf)
    assert nodes["echo"]["type"] == "TaskGroup" and nodes["echo"]["phase"] == "Succeeded"
    show = nodes["show"]
    assert show["phase"] == "Error" and show["message"].startswith("failed to aggregate outputs for echo:"), show


RAW_WITH_VARIABLES = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: raw-vars-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: greeting, value: hello}]}
  templates:
  - name: main
    steps:
    - - name: show
        template: show
        arguments: {parameters: [{name: who, value: world}]}
  - name: show
    inputs:
      parameters: [{name: who}]
      artifacts:
      - name: note
        path: /tmp/note.txt
        raw: {data: '{{workflow.parameters.greeting}} {{inputs.parameters.who}} from {{workflow.name}}'}
    container: {image: alpine, command: [cat, /tmp/note.txt]}
"""


def test_a_templates_own_input_artifact_is_substituted_like_the_rest_of_it(engine: Engine) -> None:
    wf = run(engine, RAW_WITH_VARIABLES)
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    show = nodes_by_display(wf)["show"]
    assert show["outputs"]["result"] == f"hello world from {wf['metadata']['name']}"
    # the workflow's own template keeps its tags: each node substitutes a copy
    stored = next(t for t in wf["spec"]["templates"] if t["name"] == "show")
    assert "{{" in stored["inputs"]["artifacts"][0]["raw"]["data"]


def test_hera_run_imports_a_file_inside_a_package_as_python_dash_m_would(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    pkg = tmp_path / "proj" / "mypkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "util.py").write_text("def greet(name):\n    return 'hello ' + name\n")
    (pkg / "flow.py").write_text(
        "from hera.workflows import Steps, Workflow, script\n"
        "from mypkg.util import greet\n\n\n"
        '@script(constructor="runner")\n'
        "def hi(name: str) -> str:\n"
        "    return greet(name)\n\n\n"
        'with Workflow(generate_name="pkg-", entrypoint="s") as w:\n'
        '    with Steps(name="s"):\n'
        '        hi(arguments={"name": "pkg"})\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGO_", "HERA_"))}
    env["HERA_STATE_DIR"] = str(tmp_path / "state")
    hera = str(Path(sys.executable).with_name("hera"))
    proc = subprocess.run(
        [hera, "run", str(pkg / "flow.py"), "-q"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    listed = subprocess.run([hera, "list"], env=env, capture_output=True, text=True, timeout=60).stdout
    name = listed.splitlines()[1].split()[0]
    logs = subprocess.run([hera, "logs", name], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "hello pkg" in logs, logs


HOSTILE = "x''' + str(6*7) + r'''\"\n{{nope}}"


def test_safe_inline_script_gets_hostile_values_as_data_on_the_engine(engine: Engine) -> None:
    # the safe script form reads `{{inputs.parameters}}` from a raw input artifact: the engine substitutes it
    # there (as Argo substitutes the whole template), so the function receives the value unchanged
    from hera.workflows import DAG, InlineScriptConstructor, Workflow, script

    @script(constructor=InlineScriptConstructor(safe=True))
    def show(s: str, n: int = 1) -> None:
        print(repr(s) * n)

    with Workflow(generate_name="safe-", entrypoint="d", arguments={"v": HOSTILE}) as w:
        with DAG(name="d"):
            show(arguments={"s": "{{workflow.parameters.v}}", "n": 2})
    wf = run(engine, w.to_dict())
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    assert nodes_by_display(wf)["show"]["outputs"]["result"] == repr(HOSTILE) * 2
