"""`hera lint FILE...`: offline validation of YAML documents and hera programs, located problems, exit status."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from hera._cli.main import cli

TEMPLATE = """
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: greeter}
spec:
  templates:
  - name: greet
    inputs: {parameters: [{name: who}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.who}}"]}
"""

USES = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: uses-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: greet
        templateRef: {name: greeter, template: greet}
        arguments: {parameters: [{name: who, value: x}]}
"""

BAD = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: bad-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: nope}
      - {name: b, template: c, depends: "a && zz"}
  - name: c
    container: {image: alpine, command: [echo, "{{inputs.parameters.undeclared}}"]}
"""


def lint(*paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["lint", *map(str, paths)])
    return result.exit_code, result.output


def files(tmp_path: Path, **texts: str) -> dict[str, Path]:
    out = {}
    for name, text in texts.items():
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        out[name] = path
    return out


def test_clean_files_exit_zero_and_templates_resolve_references(tmp_path: Path) -> None:
    f = files(tmp_path, **{"t.yaml": TEMPLATE, "u.yaml": USES})
    code, output = lint(f["t.yaml"], f["u.yaml"])
    assert code == 0, output
    assert "2 documents checked, no problems" in output


def test_unresolved_template_ref_without_the_store(tmp_path: Path) -> None:
    f = files(tmp_path, **{"u.yaml": USES})
    code, output = lint(f["u.yaml"])
    assert code == 1
    assert "u.yaml[0]: workflow 'uses-', template 'main', task 'greet'" in output
    assert "WorkflowTemplate 'greeter' not found" in output


def test_every_problem_is_listed_with_its_location(tmp_path: Path) -> None:
    f = files(tmp_path, **{"bad.yaml": BAD})
    code, output = lint(f["bad.yaml"])
    assert code == 1
    lines = [line for line in output.splitlines() if line.startswith(str(f["bad.yaml"]))]
    assert len(lines) == 3
    assert any("task 'a'" in line and "'nope'" in line for line in lines)
    assert any("task 'b'" in line and "'zz'" in line for line in lines)
    assert any("template 'c'" in line and "inputs.parameters.undeclared" in line for line in lines)


def test_python_programs_and_unreadable_inputs(tmp_path: Path) -> None:
    f = files(
        tmp_path,
        **{
            "flow.py": """
            from hera.workflows import DAG, Container, Task, Workflow
            with Workflow(generate_name="py-", entrypoint="d") as w:
                Container(name="c", image="alpine")
                with DAG(name="d"):
                    Task(name="t", template="missing")
            """,
            "broken.yaml": "kind: [\n",
        },
    )
    code, output = lint(f["flow.py"], f["broken.yaml"], tmp_path / "absent.yaml")
    assert code == 1
    assert f"{f['flow.py']}: workflow 'py-', template 'd', task 't'" in output
    assert "broken.yaml" in output and "not valid YAML" in output
    assert "absent.yaml: no such file" in output
