"""Bad input to `hera run`, `hera generate yaml`, `hera lint`, `get`, `list` and `logs`: a short message that names
the file, document and field, a non-zero exit status (2 for a usage mistake, 1 otherwise), never a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hera._cli.main import cli

HERA = str(Path(sys.executable).with_name("hera"))

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: {name}
spec:
  entrypoint: main
  {extra}
  arguments:
    parameters:
    - name: msg
      value: hello
  templates:
  - name: main
    inputs:
      parameters:
      - name: msg
    script:
      image: python
      command: [python]
      source: print("{{{{inputs.parameters.msg}}}}")
"""

TEMPLATE_AND_USER = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: greeter
spec:
  entrypoint: main
  arguments:
    parameters:
    - name: msg
      value: hello
  templates:
  - name: main
    inputs:
      parameters:
      - name: msg
    script:
      image: python
      command: [python]
      source: print("{{inputs.parameters.msg}}")
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: uses-greeter-
spec:
  workflowTemplateRef:
    name: greeter
"""

PROGRAM = """\
from hera.workflows import Workflow, script


@script()
def hello(msg: str = "x"):
    print(msg)


with Workflow(name="from-py", entrypoint="hello") as w:
    hello()
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    texts = {
        "syntax.py": "from hera.workflows import Workflow\ndef f(:\n    pass\n",
        "raises.py": "x = 1\nraise RuntimeError('boom at import')\n",
        "nowf.py": "x = 1\n",
        "empty.py": "",
        "empty.yaml": "",
        "notyaml.yaml": "foo: [1, 2\nbar: {",
        "unknown.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Frobnicator\nmetadata: {name: x}\nspec: {}\n",
        "sensor.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Sensor\nmetadata: {name: s}\nspec: {}\n",
        "scalar.yaml": "- a\n- b\n",
        "wrongtype.yaml": WORKFLOW.format(name="wrongtype", extra="parallelism: abc"),
        "ok.yaml": WORKFLOW.format(name="okwf", extra="parallelism: 1"),
        "multi.yaml": TEMPLATE_AND_USER,
        "bad.json": '{"kind": "Workflow", "metadata": {"name": "x"\n',
        "deep.json": "[" * 50_000 + "]" * 50_000,
        "program.py": PROGRAM,
    }
    out = {}
    for name, text in texts.items():
        out[name] = tmp_path / name
        out[name].write_text(text)
    (tmp_path / "folder").mkdir()
    return out


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    # a clean exit (click's own SystemExit), never an exception escaping the command
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def fails(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


@pytest.fixture
def state(tmp_path: Path) -> str:
    return str(tmp_path / "state")


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("syntax.py", ["syntax.py:2: SyntaxError: invalid syntax"]),
        ("raises.py", ["raises.py:2: RuntimeError: boom at import"]),
        ("nowf.py", ["nowf.py: no Workflow"]),
        ("empty.yaml", ["empty.yaml: no Workflow"]),
        ("notyaml.yaml", ["notyaml.yaml:2:4: not valid YAML"]),
        ("unknown.yaml", ["unknown.yaml[0]: kind: unknown kind 'Frobnicator'"]),
        ("sensor.yaml", ["sensor.yaml[0]: Sensor cannot be run"]),
        ("scalar.yaml", ["scalar.yaml[0]: expected a mapping"]),
        ("wrongtype.yaml", ["wrongtype.yaml[0] (Workflow 'wrongtype'): spec.parallelism:", "'abc'"]),
        ("bad.json", ["bad.json:2:1: not valid JSON"]),
        ("deep.json", ["deep.json: nested too deeply"]),
    ],
)
def test_run_rejects_bad_files_before_running_anything(
    files: dict[str, Path], state: str, name: str, fragments: list[str]
) -> None:
    fails(invoke("run", str(files[name]), "--state-dir", state, "-q"), 1, *fragments)
    listed = invoke("list", "--state-dir", state)
    assert len(listed.output.strip().splitlines()) == 1  # only the header: nothing was stored or started


def test_run_missing_file_and_directory(files: dict[str, Path], tmp_path: Path, state: str) -> None:
    fails(invoke("run", str(tmp_path / "absent.py"), "--state-dir", state), 1, "absent.py: no such file")
    fails(invoke("run", str(tmp_path / "folder"), "--state-dir", state), 2, "is a directory")


def test_run_parameters_must_be_name_value_and_declared(files: dict[str, Path], state: str) -> None:
    fails(invoke("run", str(files["ok.yaml"]), "-p", "msg", "--state-dir", state), 2, "'msg' must be name=value")
    fails(invoke("run", str(files["ok.yaml"]), "-p", "=v", "--state-dir", state), 2, "'=v' must be name=value")
    fails(
        invoke("run", str(files["ok.yaml"]), "-p", "mgs=hi", "--state-dir", state),
        2,
        "workflow 'okwf' has no parameter 'mgs' (it declares msg",
    )
    fails(
        invoke("run", str(files["program.py"]), "-p", "msg=hi", "--state-dir", state),
        2,
        "workflow 'from-py' has no parameter 'msg' (it declares no parameters",
    )


def test_run_parameters_declared_by_a_referenced_template(files: dict[str, Path], state: str) -> None:
    fails(
        invoke("run", str(files["multi.yaml"]), "-p", "other=x", "--state-dir", state, "-q"),
        2,
        "no parameter 'other' (it declares msg",
    )
    ok = invoke("run", str(files["multi.yaml"]), "-p", "msg=from-cli", "--state-dir", state, "-q")
    assert ok.exit_code == 0, ok.output
    name = next(w for w in ok.output.split() if w.startswith("uses-greeter-"))
    logs = invoke("logs", name, "--state-dir", state)
    assert "from-cli" in logs.output


def test_run_entrypoint_naming_a_missing_template(files: dict[str, Path], state: str) -> None:
    fails(
        invoke("run", str(files["ok.yaml"]), "--entrypoint", "nosuch", "--state-dir", state),
        1,
        "ok.yaml: workflow 'okwf', field 'spec.entrypoint'",
        "'nosuch'",
    )


def test_run_twice_with_a_fixed_name_says_how_to_avoid_it(files: dict[str, Path], state: str) -> None:
    assert invoke("run", str(files["ok.yaml"]), "--state-dir", state, "-q").exit_code == 0
    fails(invoke("run", str(files["ok.yaml"]), "--state-dir", state, "-q"), 1, '"okwf" already exists', "generateName")


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("syntax.py", ["syntax.py:2: SyntaxError: invalid syntax"]),
        ("raises.py", ["raises.py:2: RuntimeError: boom at import"]),
        ("nowf.py", ["nowf.py: no module-level Workflow objects found"]),
        ("empty.py", ["empty.py: no module-level Workflow objects found"]),
        ("notyaml.yaml", ["notyaml.yaml: not a .py file"]),
        ("folder", ["folder: no .py files found"]),
        ("absent.py", ["absent.py: no such file or folder"]),
    ],
)
def test_generate_yaml_bad_inputs(files: dict[str, Path], tmp_path: Path, name: str, fragments: list[str]) -> None:
    result = invoke("generate", "yaml", str(tmp_path / name))
    fails(result, 1, *fragments)
    assert "<frozen" not in result.output


def test_generate_yaml_to_a_place_that_cannot_be_written(files: dict[str, Path]) -> None:
    fails(invoke("generate", "yaml", str(files["program.py"]), "--to", str(files["ok.yaml"] / "x")), 1, "cannot write")


@pytest.mark.parametrize(
    ("names", "fragments"),
    [
        (["syntax.py"], ["syntax.py:2: SyntaxError: invalid syntax"]),
        (["empty.yaml"], ["empty.yaml: no workflow documents"]),
        (["nowf.py"], ["nowf.py: no workflow documents"]),
        (["folder"], ["folder: no workflow documents found"]),
        (["deep.json"], ["deep.json: nested too deeply"]),
        (["unknown.yaml"], ["unknown.yaml[0]: kind: unknown kind 'Frobnicator'"]),
        (["wrongtype.yaml"], ["wrongtype.yaml[0] (Workflow 'wrongtype'): spec.parallelism"]),
        (["ok.yaml", "empty.yaml"], ["1 document checked, 1 problem"]),
    ],
)
def test_lint_bad_inputs(files: dict[str, Path], tmp_path: Path, names: list[str], fragments: list[str]) -> None:
    fails(invoke("lint", *(str(tmp_path / n) for n in names)), 1, *fragments)


def test_lint_still_passes_a_folder_with_helper_modules(tmp_path: Path, files: dict[str, Path]) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "flow.yaml").write_text(files["ok.yaml"].read_text())
    (project / "helpers.py").write_text("def shout(s):\n    return s.upper()\n")
    result = invoke("lint", str(project))
    assert result.exit_code == 0, result.output


def test_get_logs_list_name_what_is_missing(files: dict[str, Path], state: str) -> None:
    fails(invoke("get", "nosuch", "--state-dir", state), 1, '"nosuch" not found', "namespace 'default'", state)
    fails(invoke("logs", "nosuch", "--state-dir", state), 1, '"nosuch" not found')
    assert invoke("run", str(files["ok.yaml"]), "--state-dir", state, "-q").exit_code == 0
    fails(invoke("logs", "okwf", "--node", "nope", "--state-dir", state), 1, "has no node 'nope'; its pod nodes are okwf")
    fails(invoke("logs", "okwf", "--grep", "(", "--state-dir", state), 2, "'(' is not a regular expression")
    fails(invoke("logs", "okwf", "--tail", "-1", "--state-dir", state), 2, "--tail")
    fails(invoke("list", "-l", "%%%", "--state-dir", state), 2, "invalid label selector")


def test_unusable_state_directories(files: dict[str, Path], tmp_path: Path) -> None:
    a_file = files["nowf.py"]
    for args in (["list"], ["get", "x"], ["logs", "x"], ["run", str(files["ok.yaml"])]):
        fails(invoke(*args, "--state-dir", str(a_file)), 1, f"state directory {a_file}: is a file, not a directory")
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "state.db").write_bytes(b"this is not sqlite" * 300)
    fails(invoke("list", "--state-dir", str(junk)), 1, f"state directory {junk}: cannot use its database")


def test_the_real_command_prints_no_traceback(files: dict[str, Path], state: str) -> None:
    for args, code in (
        (["run", str(files["unknown.yaml"])], 1),
        (["run", str(files["ok.yaml"]), "-p", "nope=1"], 2),
        (["generate", "yaml", str(files["syntax.py"])], 1),
        (["lint", str(files["empty.yaml"])], 1),
        (["list", "--state-dir", str(files["nowf.py"])], 1),
    ):
        done = subprocess.run([HERA, *args, "--state-dir", state] if args[0] == "run" else [HERA, *args],
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == code, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) <= 5, done.stderr


def test_a_folder_without_workflows_next_to_sub_folders_suggests_recursive(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "flow.py").write_text(textwrap.dedent(PROGRAM))
    fails(invoke("generate", "yaml", str(root)), 1, "no .py files found (sub-folders need --recursive)")
    assert invoke("generate", "yaml", str(root), "--recursive").exit_code == 0
