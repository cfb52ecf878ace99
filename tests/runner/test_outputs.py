"""Outputs: the return value printed as the step's result, or written as declared output parameters/artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runner.conftest import RunnerHarness


def test_stdout_result_str_raw_others_json_falsy_nothing(runner: RunnerHarness) -> None:
    runner.module(
        """
from pydantic import BaseModel

class M(BaseModel):
    x: int
    y: str = "d"

def text(): return 'say "hi"'
def number(): return 1.5
def mapping(a: int): return {"a": a, "l": [1, 2]}
def model(): return M(x=1)
def models(): return [M(x=1), M(x=2, y="e")]
def none(): return None
def zero(): return 0
def empty_str(): return ""
def empty_list(): return []
def false(): return False
def empty_dict(): return {}
"""
    )
    expected = {
        "text": 'say "hi"\n',
        "number": "1.5\n",
        "mapping": '{"a": 7, "l": [1, 2]}\n',
        "model": '{"x": 1, "y": "d"}\n',
        "models": '[{"x": 1, "y": "d"}, {"x": 2, "y": "e"}]\n',
        "none": "",
        "zero": "",
        "empty_str": "",
        "empty_list": "",
        "false": "",
        "empty_dict": "",
    }
    for fn, out in expected.items():
        run = runner.run(f"mod:{fn}", {"a": "7"})
        assert (run.returncode, run.stdout) == (0, out), (fn, run.stderr)


def test_annotated_parameter_and_artifact_returns_are_files_not_stdout(runner: RunnerHarness) -> None:
    runner.module(
        """
from typing import Annotated
from hera.workflows import Artifact, Parameter

def one() -> Annotated[list, Parameter(name="trials")]:
    print("log line")
    return [{"lr": 0.1}]

def art() -> Annotated[str, Artifact(name="report")]:
    return "the report"
"""
    )
    run = runner.run("mod:one", {})
    assert run.returncode == 0, run.stderr
    assert run.stdout == "log line\n"  # the function's own prints only: no result printed
    assert run.param("trials") == '[{"lr": 0.1}]'
    run = runner.run("mod:art", {})
    assert (run.returncode, run.stdout) == (0, "")
    assert run.artifact("report") == "the report"


def test_tuple_return_writes_each_output(runner: RunnerHarness) -> None:
    runner.module(
        """
from typing import Annotated, Tuple
from hera.workflows import Artifact, Parameter

def f() -> Tuple[Annotated[int, Parameter(name="one")], Annotated[str, Artifact(name="two")]]:
    return 1, "two"
"""
    )
    run = runner.run("mod:f", {})
    assert run.returncode == 0, run.stderr
    assert (run.param("one"), run.artifact("two")) == ("1", "two")
    assert run.files() == ["artifacts/two", "parameters/one"]  # and no temporary files left behind


def test_explicit_paths_value_from_and_custom_dumps_dumpb(runner: RunnerHarness, tmp_path: Path) -> None:
    custom = tmp_path / "custom"
    runner.module(
        f"""
from typing import Annotated, Tuple
from hera.workflows import Artifact, Parameter

C = {str(custom)!r}

def f() -> Tuple[
    Annotated[dict, Parameter(name="vf", value_from={{"path": C + "/vf.txt"}})],
    Annotated[str, Artifact(name="at", path=C + "/deep/at.txt")],
    Annotated[list, Parameter(name="csv", dumps=lambda v: ",".join(map(str, v)))],
    Annotated[str, Artifact(name="bin", dumpb=lambda s: s.encode("utf-16-le"))],
]:
    return {{"k": 1}}, "artifact text", [1, 2, 3], "hi"
"""
    )
    run = runner.run("mod:f", {})
    assert run.returncode == 0, run.stderr
    assert (custom / "vf.txt").read_text() == '{"k": 1}'
    assert (custom / "deep" / "at.txt").read_text() == "artifact text"
    assert run.param("csv") == "1,2,3"
    assert (run.outputs / "artifacts" / "bin").read_bytes() == "hi".encode("utf-16-le")


def test_output_model_writes_fields_prints_result_and_exits_with_exit_code(runner: RunnerHarness, tmp_path: Path) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"PNG...")
    runner.module(
        f"""
from pathlib import Path
from typing import Annotated
from pydantic import BaseModel
from hera.workflows import Artifact, Output, Parameter

class Band(BaseModel):
    low: float
    high: float

class Stats(Output):
    mean: float
    volatility: Annotated[float, Parameter(name="vol")]
    band: Band
    chart: Annotated[Path, Artifact(name="chart")]
    note: Annotated[str, Artifact(name="note")]

def f() -> Stats:
    return Stats(mean=101.5, volatility=0.21, band=Band(low=95, high=108), chart=Path({str(chart)!r}),
                 note="n", result={{"x": 1}}, exit_code=3)

def plain() -> Output:
    return Output(result="done")

def no_result() -> Output:
    return Output()
"""
    )
    run = runner.run("mod:f", {})
    assert run.returncode == 3, run.stderr
    assert run.stdout == '{"x": 1}\n'
    assert run.param("mean") == "101.5"
    assert run.param("vol") == "0.21"
    assert run.param("band") == '{"low": 95.0, "high": 108.0}'
    assert (run.outputs / "artifacts" / "chart").read_bytes() == b"PNG..."  # the returned file, copied
    assert run.artifact("note") == "n"
    run = runner.run("mod:plain", {})
    assert (run.returncode, run.stdout) == (0, "done\n")
    run = runner.run("mod:no_result", {})
    assert (run.returncode, run.stdout) == (0, "null\n")  # unlike plain returns, None prints `null`


def test_output_path_parameters_are_paths_under_the_outputs_directory(runner: RunnerHarness) -> None:
    runner.module(
        """
from pathlib import Path
from typing import Annotated
from hera.workflows import Artifact, Parameter

def f(
    x: int,
    curve: Annotated[Path, Parameter(name="loss-curve", output=True)],
    model: Annotated[Path, Artifact(name="model", output=True)],
) -> Annotated[int, Parameter(name="double")]:
    curve.write_text("[0.9, 0.5]")
    model.write_bytes(b"weights")
    return 2 * x
"""
    )
    run = runner.run("mod:f", {"x": "21"})
    assert run.returncode == 0, run.stderr
    assert run.param("loss-curve") == "[0.9, 0.5]"
    assert (run.outputs / "artifacts" / "model").read_bytes() == b"weights"
    assert run.param("double") == "42"


@pytest.mark.parametrize(
    ("annotation", "body", "message"),
    [
        (
            "Annotated[int, Parameter(name='n')]",
            "return 'abc'",
            "mod:f: output parameter 'n' expects int, the function returned str 'abc'",
        ),
        (
            "Tuple[Annotated[int, Parameter(name='n')], Annotated[int, Parameter(name='m')]]",
            "return (1,)",
            "mod:f: the return annotation declares 2 outputs, got 1 values",
        ),
    ],
)
def test_returned_value_must_match_the_declared_outputs(
    runner: RunnerHarness, annotation: str, body: str, message: str
) -> None:
    runner.module(
        f"from typing import Annotated, Tuple\nfrom hera.workflows import Parameter\n"
        f"def f() -> {annotation}:\n    {body}\n"
    )
    run = runner.run("mod:f", {})
    assert run.returncode == 1
    assert run.stderr == f"hera runner: error: {message}\n"


def test_placeholders_written_when_the_function_raises(runner: RunnerHarness) -> None:
    runner.module(
        """
from pathlib import Path
from typing import Annotated, Tuple
from hera.workflows import Artifact, Parameter

def f(
    early: Annotated[Path, Parameter(name="early", output=True)],
    late: Annotated[Path, Parameter(name="late", output=True)],
) -> Tuple[Annotated[int, Parameter(name="score")], Annotated[str, Artifact(name="weights")]]:
    early.write_text("written before the failure")
    raise RuntimeError("training diverged")
"""
    )
    run = runner.run("mod:f", {})
    assert run.returncode == 1
    assert "Traceback" in run.stderr and "RuntimeError: training diverged" in run.stderr
    assert 'raise RuntimeError("training diverged")' in run.stderr  # the user's frame is shown
    assert "_runner" not in run.stderr  # the runner's own frames are not
    assert run.param("early") == "written before the failure"
    assert run.param("late") == ""
    assert run.param("score") == ""
    assert run.artifact("weights") == ""


def test_placeholders_for_output_model_fields_when_the_function_raises(runner: RunnerHarness) -> None:
    runner.module(
        """
from typing import Annotated
from hera.workflows import Artifact, Output

class Out(Output):
    total: int
    report: Annotated[str, Artifact(name="report-art")]

def f() -> Out:
    raise ValueError("no data")
"""
    )
    run = runner.run("mod:f", {})
    assert run.returncode == 1
    assert "ValueError: no data" in run.stderr
    assert run.files() == ["artifacts/report-art", "parameters/total"]
    assert run.param("total") == ""


def test_returned_path_that_does_not_exist_fails_clearly(runner: RunnerHarness) -> None:
    runner.module(
        """
from pathlib import Path
from typing import Annotated
from hera.workflows import Artifact

def f() -> Annotated[Path, Artifact(name="chart")]:
    return Path("/nonexistent/chart.png")
"""
    )
    run = runner.run("mod:f", {})
    assert run.returncode == 1
    assert "output artifact 'chart': the returned path '/nonexistent/chart.png' does not exist" in run.stderr


def test_async_function_outputs(runner: RunnerHarness) -> None:
    runner.module(
        """
import asyncio
from typing import Annotated
from hera.workflows import Parameter

async def f(n: int) -> Annotated[int, Parameter(name="sq")]:
    await asyncio.sleep(0)
    return n * n
"""
    )
    run = runner.run("mod:f", {"n": "9"})
    assert run.returncode == 0, run.stderr
    assert run.param("sq") == "81"
