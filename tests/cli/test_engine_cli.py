"""`hera run`, `hera get`, `hera list`, `hera logs` against a real state directory and real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hera._cli.main import cli

HELLO = """
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: greeter}
spec:
  templates:
  - name: greet
    inputs: {parameters: [{name: who}]}
    container: {image: alpine:3.23, command: [echo, "hello {{inputs.parameters.who}}"]}
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: cli-hello}
spec:
  entrypoint: main
  arguments: {parameters: [{name: who, value: world}]}
  templates:
  - name: main
    steps:
    - - name: greet
        templateRef: {name: greeter, template: greet}
        arguments: {parameters: [{name: who, value: "{{workflow.parameters.who}}"}]}
"""

FAILING = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cli-fail-}
spec:
  entrypoint: boom
  templates:
  - name: boom
    container: {image: alpine:3.23, command: [sh, -c, "echo about to fail; exit 4"]}
"""


@pytest.fixture()
def state(tmp_path: Path) -> str:
    return str(tmp_path / "state")


def test_run_yaml_with_parameters_then_get_list_logs(tmp_path: Path, state: str) -> None:
    f = tmp_path / "hello.yaml"
    f.write_text(HELLO)
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(f), "-p", "who=cli", "--state-dir", state])
    assert result.exit_code == 0, result.output
    assert "stored WorkflowTemplate greeter" in result.output
    assert "cli-hello Succeeded" in result.output
    assert "✔ greet" in result.output  # plain progress lines when not on a terminal
    got = runner.invoke(cli, ["get", "cli-hello", "--state-dir", state, "-o", "json"])
    wf = json.loads(got.output)
    greet = next(n for n in wf["status"]["nodes"].values() if n["displayName"] == "greet")
    assert greet["outputs"]["result"] == "hello cli"
    tree = runner.invoke(cli, ["get", "cli-hello", "--state-dir", state])
    assert "Succeeded" in tree.output and "greet" in tree.output
    listed = runner.invoke(cli, ["list", "--state-dir", state])
    assert listed.output.splitlines()[0].split()[:2] == ["NAME", "STATUS"]
    assert "cli-hello" in listed.output and "1/1" in listed.output
    logs = runner.invoke(cli, ["logs", "cli-hello", "--state-dir", state, "--node", "greet"])
    assert logs.output.strip() == "greet: hello cli"


def test_run_failure_exits_1_and_reports_the_failed_node(tmp_path: Path, state: str) -> None:
    f = tmp_path / "fail.yaml"
    f.write_text(FAILING)
    result = CliRunner().invoke(cli, ["run", str(f), "--state-dir", state, "-q"])
    assert result.exit_code == 1
    assert "Failed" in result.output and "main: Error (exit code 4)" in result.output


def test_run_python_file_collects_module_level_workflows(tmp_path: Path, state: str) -> None:
    f = tmp_path / "flow.py"
    f.write_text(
        "class W:\n"
        "    def to_dict(self):\n"
        "        return {'apiVersion': 'argoproj.io/v1alpha1', 'kind': 'Workflow', 'metadata': {'name': 'from-py'},\n"
        "                'spec': {'entrypoint': 'm', 'templates': [{'name': 'm', 'script': {'image': 'python:3',\n"
        "                'command': ['python'], 'source': 'print(6 * 7)'}}]}}\n"
        "w = W()\n"
    )
    result = CliRunner().invoke(cli, ["run", str(f), "--state-dir", state])
    assert result.exit_code == 0, result.output
    logs = CliRunner().invoke(cli, ["logs", "from-py", "--state-dir", state])
    assert logs.output.strip() == "from-py: 42"


def test_errors_are_reported_without_a_traceback(tmp_path: Path, state: str) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["get", "nope", "--state-dir", state])
    assert missing.exit_code == 1 and "not found" in missing.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Workflow\nmetadata: {name: x}\nspec: {entrypoint: nope, templates: []}\n")
    result = runner.invoke(cli, ["run", str(bad), "--state-dir", state])
    assert result.exit_code == 1 and "Error" in result.output and "Traceback" not in result.output


def test_hera_command_exit_codes(tmp_path: Path, state: str) -> None:
    f = tmp_path / "fail.yaml"
    f.write_text(FAILING)
    hera = Path(sys.executable).with_name("hera")
    proc = subprocess.run([str(hera), "run", str(f), "--state-dir", state], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "about to fail" not in proc.stdout  # logs are read with `hera logs`, not mixed into the summary
    help_run = subprocess.run([str(hera), "--help"], capture_output=True, text=True, timeout=60)
    assert help_run.returncode == 0 and "run" in help_run.stdout
