"""`hera generate python`: Argo YAML → hera programs that compile back to the same documents (spec §1)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hera import _documents
from hera._cli._pycode import generate_python
from hera._cli.main import cli
from hera.workflows import Workflow

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO.parent / "shared" / "argo" / "examples"
ALL_EXAMPLES = sorted(EXAMPLES.glob("*.yaml"))
WORKFLOW_KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")


def expected(doc: Any) -> dict[str, Any]:
    data = doc.obj.model_dump(by_alias=True, exclude_none=True, mode="json")
    data.pop("status", None)  # generated programs do not carry a status
    return data


def run_program(code: str, filename: str) -> list[Workflow]:
    namespace: dict[str, Any] = {}
    exec(compile(code, filename, "exec"), namespace)
    return [v for k, v in namespace.items() if isinstance(v, Workflow)]


@pytest.mark.skipif(not ALL_EXAMPLES, reason="../shared/argo/examples not present")
@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: p.stem)
def test_argo_examples_round_trip(path: Path) -> None:
    docs = [d for d in _documents.from_file(path) if d.kind in WORKFLOW_KINDS]
    if not docs:
        pytest.skip("no workflow documents")
    code = generate_python([d.obj for d in docs])
    objects = run_program(code, str(path))
    assert [o.to_dict() for o in objects] == [expected(d) for d in docs]


def test_shape_of_the_program() -> None:
    text = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: shape-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: who, value: world}]}
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: echo, arguments: {parameters: [{name: m, value: a}]}}
      - {name: b, template: echo, depends: a, arguments: {parameters: [{name: m, value: b}]}}
  - name: par
    steps:
    - - {name: x, template: echo}
      - {name: y, template: echo}
    - - {name: z, template: echo}
  - name: echo
    inputs: {parameters: [{name: m, default: hi}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.m}}"]}
  - name: py
    script: {image: python:3.12, command: [python], source: "print(1)\\nprint(2)\\n"}
  - name: cs
    containerSet:
      containers:
      - {name: a, image: alpine}
      - {name: b, image: alpine, dependencies: [a]}
  - name: wait
    suspend: {duration: "10"}
"""
    docs = _documents.from_text(text)
    code = generate_python([d.obj for d in docs])
    ast.parse(code)
    assert code.startswith(
        "from hera.workflows import (\n    Container,\n    ContainerNode,\n    ContainerSet,\n    DAG,\n    Script,\n"
        "    Step,\n    Steps,\n    Task,\n    Workflow,\n)\nfrom hera.workflows import models as m\n\n"
    )
    assert 'with Workflow(\n    generate_name="shape-",\n    entrypoint="main",\n' in code
    assert "\n    with DAG(name=\"main\"):\n        Task(\n" in code
    assert '    with Steps(name="par") as steps:\n        with steps.parallel():\n            Step(name="x", template="echo")\n' in code
    assert '        Step(name="z", template="echo")\n' in code
    assert "    Container(\n        name=\"echo\",\n" in code
    assert '    Script(\n        name="py",\n' in code and 'source="""print(1)\nprint(2)\n"""' in code
    assert '    with ContainerSet(name="cs"):\n        ContainerNode(name="a", image="alpine")\n' in code
    assert "    w.templates.append(\n        m.Template(name=\"wait\", suspend=m.SuspendTemplate(duration=\"10\")),\n" in code
    assert "kind=" not in code and "api_version=" not in code  # defaults are left out
    assert all(len(line) <= 88 for line in code.splitlines())
    assert [o.to_dict() for o in run_program(code, "shape")] == [expected(d) for d in docs]


def test_strings_that_need_escaping_survive() -> None:
    tricky = 'quote " and \'single\' and \\ backslash, tab\t, """triple""" \r a bell \x07 end"'
    source = f"{tricky}\n{tricky}\n"
    text = f"""
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {{name: tricky, labels: {{k: v}}}}
spec:
  templates:
  - name: s
    script:
      image: python
      command: [python]
      source: {json.dumps(source)}
      args: [{json.dumps(tricky)}]
"""
    docs = _documents.from_text(text)
    assert docs[0].obj.spec.templates[0].script.source == source
    code = generate_python([d.obj for d in docs])
    assert [o.to_dict() for o in run_program(code, "tricky")] == [expected(d) for d in docs]


def test_cli_writes_stdout_single_file_and_folder(tmp_path: Path) -> None:
    src = tmp_path / "yamls"
    (src / "sub").mkdir(parents=True)
    for name in ("dag-diamond.yaml", "cron-workflow.yaml"):
        (src / name).write_text((EXAMPLES / name).read_text())
    (src / "sub" / "steps.yaml").write_text((EXAMPLES / "steps.yaml").read_text())
    (src / "configmap.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n")
    runner = CliRunner()

    out = runner.invoke(cli, ["generate", "python", str(src / "dag-diamond.yaml")])
    assert out.exit_code == 0, out.output
    assert len(run_program(out.output, "stdout")) == 1

    one = tmp_path / "all.py"
    res = runner.invoke(cli, ["generate", "python", str(src), "--recursive", "--to", str(one)])
    assert res.exit_code == 0, res.output
    code = one.read_text()
    assert "with CronWorkflow(" in code and " as w3:" in code  # one program, one variable per document
    assert len(run_program(code, str(one))) == 3

    folder = tmp_path / "py"
    res = runner.invoke(cli, ["generate", "python", str(src), "--recursive", "--to", str(folder), "-e", "cron*"])
    assert res.exit_code == 0, res.output
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.py")) == ["dag-diamond.py", "sub/steps.py"]


def test_generated_folder_compiles_back_with_generate_yaml(tmp_path: Path) -> None:
    # YAML → Python → YAML through two real `hera` processes
    picks = ["dag-diamond.yaml", "steps.yaml", "exit-handlers.yaml", "loops-maps.yaml", "artifact-passing.yaml"]
    src = tmp_path / "in"
    src.mkdir()
    for name in picks:
        (src / name).write_text((EXAMPLES / name).read_text())
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}

    def hera(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "hera", *args], capture_output=True, text=True, env=env, timeout=120)

    assert hera("generate", "python", str(src), "--to", str(tmp_path / "py")).returncode == 0
    back = hera("generate", "yaml", str(tmp_path / "py"), "--to", str(tmp_path / "back"))
    assert back.returncode == 0, back.stderr
    for name in picks:
        original = [d for d in _documents.from_file(src / name) if d.kind in WORKFLOW_KINDS]
        again = _documents.from_file(tmp_path / "back" / name)
        assert [expected(d) for d in again] == [expected(d) for d in original], name


def test_invalid_yaml_is_reported_with_its_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Workflow\nspec: {templates: 3}\n")
    res = CliRunner().invoke(cli, ["generate", "python", str(bad)])
    assert res.exit_code == 1
    assert "bad.yaml[0]" in res.output and "spec.templates" in res.output
