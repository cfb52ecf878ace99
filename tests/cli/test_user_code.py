"""Runner scripts import the user's own module on the local engine, as the user's image would on a cluster:
real programs run as `python FILE` and `hera run FILE` (projects under /tmp included, which every node's
private /tmp hides), the acceptance-style runner programs, and the guard against a module that submits its
own workflow at import time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ROOT.parent / "shared" / "acceptance" / "programs"
HERA = str(Path(sys.executable).with_name("hera"))

FLOW = '''
from hera.workflows import DAG, Workflow, script


@script(constructor="runner")
def add(a: int, b: int) -> int:
    return a + b


@script(constructor="runner")
def show(x: int) -> str:
    from helpers import shout

    return shout(f"got {x}")


with Workflow(generate_name="flow-", entrypoint="main") as w:
    with DAG(name="main"):
        s = add(arguments={"a": 1, "b": 2})
        t = show(arguments={"x": s.result})
        s >> t
'''

MAIN = '''
if __name__ == "__main__":
    import json

    wf = w.create(wait=True)
    print(json.dumps({"phase": wf.status.phase, "results": {n.display_name: n.outputs.result for n in
        wf.status.nodes.values() if n.type == "Pod" and n.outputs is not None}}))
'''


def _env(state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGO_", "HERA_"))}
    env["HERA_STATE_DIR"] = str(state)
    return env


def _project(root: Path) -> Path:
    proj = root / "proj"
    proj.mkdir()
    (proj / "flow.py").write_text(FLOW + MAIN)
    (proj / "helpers.py").write_text("def shout(s):\n    return s.upper()\n")
    return proj


def _last_json(out: str) -> dict[str, object]:
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_python_file_runs_runner_scripts_from_its_own_directory(tmp_path: Path) -> None:
    proj = _project(tmp_path)  # under /tmp: hidden by each node's private /tmp unless the engine shows it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run(
        [sys.executable, str(proj / "flow.py")], cwd=elsewhere, env=_env(tmp_path / "state"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = _last_json(proc.stdout)
    assert out == {"phase": "Succeeded", "results": {"add": "3", "show": "GOT 3"}}


def test_python_dash_m_finds_the_package_from_the_working_directory(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    (proj / "__init__.py").write_text("")
    (proj / "flow.py").write_text((FLOW + MAIN).replace("from helpers import", "from proj.helpers import"))
    proc = subprocess.run(
        [sys.executable, "-m", "proj.flow"], cwd=tmp_path, env=_env(tmp_path / "state"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert _last_json(proc.stdout)["results"] == {"add": "3", "show": "GOT 3"}


def test_hera_run_imports_the_file_under_its_own_name(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    sub = proj / "sub"  # the working directory inside the project: both directories are code directories
    sub.mkdir()
    state = tmp_path / "state"
    proc = subprocess.run(
        [HERA, "run", "../flow.py", "-q"], cwd=sub, env=_env(state), capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Succeeded" in proc.stdout
    listed = subprocess.run([HERA, "list"], env=_env(state), capture_output=True, text=True, timeout=60)
    assert len(listed.stdout.strip().splitlines()) == 2  # the guarded `w.create()` did not run as well
    name = listed.stdout.splitlines()[1].split()[0]
    got = json.loads(subprocess.run([HERA, "get", name, "-o", "json"], env=_env(state), capture_output=True, text=True, timeout=60).stdout)
    args = [t["script"]["args"] for t in got["spec"]["templates"] if "script" in t]
    assert ["-m", "hera.workflows.runner", "-e", "flow:add"] in args


def test_code_directories_are_read_only_in_the_view(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    (proj / "flow.py").write_text(
        FLOW.replace("return a + b", "open(__file__ + '.x', 'w')\n    return a + b") + MAIN
    )
    proc = subprocess.run(
        [sys.executable, str(proj / "flow.py")], cwd=proj, env=_env(tmp_path / "state"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert _last_json(proc.stdout)["phase"] == "Failed"
    assert not (proj / "flow.py.x").exists()
    state = tmp_path / "state"
    name = subprocess.run([HERA, "list"], env=_env(state), capture_output=True, text=True, timeout=60).stdout.splitlines()[1].split()[0]
    logs = subprocess.run([HERA, "logs", name], env=_env(state), capture_output=True, text=True, timeout=60).stdout
    assert "Read-only file system" in logs


def test_module_level_create_is_stopped_with_a_clear_message(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "loop.py").write_text(FLOW + "\nwf = w.create(wait=True)\nprint('phase', wf.status.phase)\n")
    state = tmp_path / "state"
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(proj / "loop.py")], cwd=proj, env=_env(state), capture_output=True, text=True, timeout=120
    )
    assert time.monotonic() - t0 < 60
    assert proc.returncode == 0 and "phase Failed" in proc.stdout, proc.stderr
    listed = subprocess.run([HERA, "list"], env=_env(state), capture_output=True, text=True, timeout=60)
    assert len(listed.stdout.strip().splitlines()) == 2  # one workflow: the nodes did not submit it again
    name = listed.stdout.splitlines()[1].split()[0]
    logs = subprocess.run([HERA, "logs", name], env=_env(state), capture_output=True, text=True, timeout=60).stdout
    assert 'guard the call with `if __name__ == "__main__":`' in logs


def _acceptance(tmp_path: Path, program: str, module: str) -> Path:
    src = PROGRAMS / program
    if not src.exists():
        pytest.skip(f"{src} not present")
    proj = tmp_path / "proj"
    proj.mkdir()
    text = src.read_text()
    (proj / f"{module}.py").write_text(text + MAIN)
    return proj


def test_acceptance_program_39_runs_end_to_end(tmp_path: Path) -> None:
    proj = _acceptance(tmp_path, "39_runner_annotated.py", "hpo")
    state = tmp_path / "state"
    repo = state / "artifacts" / "ml-data" / "hpo"
    repo.mkdir(parents=True)
    (repo / "train.parquet").write_text("rows")
    (repo / "settings.json").write_text('{"epochs": 3}')
    proc = subprocess.run(
        [sys.executable, str(proj / "hpo.py")], cwd=proj, env=_env(state), capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stderr
    out = _last_json(proc.stdout)
    assert out["phase"] == "Succeeded", out
    results = out["results"]
    assert isinstance(results, dict) and len([k for k in results if k.startswith("train-trial(")]) == 2


def test_acceptance_program_40_needs_its_workflow_artifact_declared(tmp_path: Path) -> None:
    proj = _acceptance(tmp_path, "40_runner_io_models.py", "quotes")
    state = tmp_path / "state"
    proc = subprocess.run(
        [sys.executable, str(proj / "quotes.py")], cwd=proj, env=_env(state), capture_output=True, text=True, timeout=180
    )
    # as on a cluster: `{{workflow.artifacts.acme-history}}` names no argument of the workflow
    assert proc.returncode == 1 and "failed to resolve {{workflow.artifacts.acme-history}}" in proc.stderr
    text = (proj / "quotes.py").read_text()
    text = text.replace(
        'with Workflow(generate_name="quote-stats-", entrypoint="daily") as w:',
        "from hera.workflows import S3Artifact\n\n"
        'with Workflow(generate_name="quote-stats-", entrypoint="daily",'
        ' arguments=[S3Artifact(name="acme-history", bucket="market", key="acme/history.csv")]) as w:',
    ).replace(
        "def summarize(req: QuoteRequest) -> QuoteStats:\n",
        "def summarize(req: QuoteRequest) -> QuoteStats:\n    Path('/tmp/chart.png').write_text(req.history.read_text())\n",
    )
    (proj / "quotes.py").write_text(text)
    repo = state / "artifacts" / "market" / "acme"
    repo.mkdir(parents=True)
    (repo / "history.csv").write_text("day,close\n1,101.5\n")
    proc = subprocess.run(
        [sys.executable, str(proj / "quotes.py")], cwd=proj, env=_env(state), capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stderr
    out = _last_json(proc.stdout)
    assert out["phase"] == "Succeeded", out
    assert out["results"]["publish"] == "ACME vol=0.21"  # type: ignore[index]


SUBMITS_ITSELF = '''
from hera.workflows import DAG, Workflow, script


@script()
def echo(message: str):
    print(message)


with Workflow(generate_name="self-", entrypoint="d") as w:
    with DAG(name="d"):
        echo(arguments={"message": "hi"})

w.create(wait=True)  # no __main__ guard: runs when `hera run` imports the file
'''


def test_hera_run_follows_a_workflow_the_program_submitted_itself(tmp_path: Path) -> None:
    flow = tmp_path / "self_submit.py"
    flow.write_text(SUBMITS_ITSELF)
    state = tmp_path / "state"
    done = subprocess.run([HERA, "run", str(flow)], env=_env(state), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "submitted by self_submit.py itself" in done.stderr
    listed = subprocess.run([HERA, "list"], env=_env(state), capture_output=True, text=True, timeout=60).stdout
    assert len([line for line in listed.splitlines() if line.startswith("self-")]) == 1  # run once, not twice
