"""`Input`/`Output` on pydantic v2 (`hera.workflows.io`) and v1 (`hera.workflows.io.v1`): template IO (§2.4, §3.8)."""

# no `from __future__ import annotations`: the models below are local classes used in annotations
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Annotated, Any

import pytest

from hera.workflows import DAG, Artifact, ArtifactLoader, Parameter, RunnerScriptConstructor, Workflow, script
from hera.workflows.io import v1, v2

REPO = Path(__file__).resolve().parents[2]


def _models(io: Any) -> tuple[type, type]:
    class MyIn(io.Input):  # type: ignore[name-defined,misc]
        n: int
        label: Annotated[str, Parameter(name="the-label", description="lbl")] = "L"
        data: Annotated[dict, Artifact(name="data-art", loader=ArtifactLoader.json)]

    class MyOut(io.Output):  # type: ignore[name-defined,misc]
        total: int
        report: Annotated[str, Artifact(name="report-art")]

    return MyIn, MyOut


@pytest.mark.parametrize("io", [v2, v1], ids=["v2", "v1"])
def test_spec_runner_example(io: Any) -> None:
    my_in, my_out = _models(io)

    def pyd(inp: my_in) -> my_out:  # type: ignore[valid-type]
        raise NotImplementedError

    pyd.__module__ = "mypkg.wf"
    template = script(
        constructor=RunnerScriptConstructor(outputs_directory="/mnt/out"), image="my-image:latest"
    )(pyd).template  # type: ignore[attr-defined]
    t = template._build_template().model_dump(by_alias=True, exclude_none=True)
    # expected from spec §3.8's example
    assert t["inputs"] == {
        "artifacts": [{"name": "data-art", "path": "/tmp/hera-inputs/artifacts/data-art"}],
        "parameters": [{"name": "n"}, {"name": "the-label", "default": "L", "description": "lbl"}],
    }
    assert t["outputs"] == {
        "artifacts": [{"name": "report-art", "path": "/mnt/out/artifacts/report-art"}],
        "parameters": [{"name": "total", "valueFrom": {"path": "/mnt/out/parameters/total"}}],
    }
    assert t["script"]["args"] == ["-m", "hera.workflows.runner", "-e", "mypkg.wf:pyd"]
    assert t["script"]["source"] == "{{inputs.parameters}}"
    assert t["script"]["env"] == [{"name": "hera__outputs_directory", "value": "/mnt/out"}]


@pytest.mark.parametrize("io", [v2, v1], ids=["v2", "v1"])
def test_input_instance_as_arguments(io: Any) -> None:
    my_in, _ = _models(io)

    @script(constructor="runner")
    def f(inp: my_in) -> None:  # type: ignore[valid-type]
        raise NotImplementedError

    with Workflow(name="w") as w:
        with DAG(name="d"):
            f(arguments=my_in(n=3, data={}))
    task = w.to_dict()["spec"]["templates"][0]["dag"]["tasks"][0]
    assert task["arguments"] == {"parameters": [{"name": "n", "value": "3"}, {"name": "the-label", "value": "L"}]}


@pytest.mark.parametrize("io", [v2, v1], ids=["v2", "v1"])
def test_output_cannot_be_in_a_tuple(io: Any) -> None:
    _, my_out = _models(io)

    @script(constructor="runner")
    def f() -> tuple[my_out, Annotated[int, Parameter(name="x")]]:  # type: ignore[valid-type]
        raise NotImplementedError

    with pytest.raises(ValueError, match="Output"):
        f.template._build_template()  # type: ignore[attr-defined]


def test_v1_models_run_through_the_runner(tmp_path: Path) -> None:
    (tmp_path / "v1flow.py").write_text(
        textwrap.dedent(
            """
            from typing import Annotated
            from hera.workflows import Parameter, script
            from hera.workflows.io.v1 import Input, Output

            class In(Input):
                n: int
                label: Annotated[str, Parameter(name="the-label")] = "L"

            class Out(Output):
                total: int

            @script(constructor="runner")
            def f(inp: In) -> Out:
                return Out(total=inp.n * 2, result={"label": inp.label}, exit_code=3)
            """
        )
    )
    args = tmp_path / "args.json"
    args.write_text(json.dumps([{"name": "n", "value": "4"}, {"name": "the-label", "value": "hey"}]))
    out_dir = tmp_path / "out"
    env = {**os.environ, "hera__outputs_directory": str(out_dir), "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO / 'src'}"}
    proc = subprocess.run(
        [sys.executable, "-m", "hera.workflows.runner", "-e", "v1flow:f", str(args)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )
    # spec §4.5: Output instance → files for the fields, result on stdout, exit with exit_code
    assert proc.returncode == 3, proc.stderr
    assert json.loads(proc.stdout) == {"label": "hey"}
    assert (out_dir / "parameters" / "total").read_text() == "8"
