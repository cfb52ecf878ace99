"""Errors: each problem the runner detects is one clear line on stderr and a non-zero exit, never a deep traceback."""

from __future__ import annotations

import json

import pytest

from tests.runner.conftest import Run, RunnerHarness

PREFIX = "hera runner: error: "


def one_line(run: Run) -> str:
    """The single stderr line of a runner-detected error (asserting there is exactly one and no traceback)."""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(PREFIX), run.stderr
    return lines[0][len(PREFIX) :]


@pytest.mark.parametrize(
    ("annotation", "value", "message"),
    [
        ("int", "notint", "mod:f: input parameter 'x' expects int, received 'notint'"),
        ("float", "1.2.3", "mod:f: input parameter 'x' expects float, received '1.2.3'"),
        ("bool", "maybe", "mod:f: input parameter 'x' expects bool, received 'maybe'"),
        ("list[int]", '[1, "a"]', "mod:f: input parameter 'x' expects list[int], received '[1, \"a\"]' (at [1]: expected int)"),
        ("dict[str, int]", "[1]", "mod:f: input parameter 'x' expects dict[str, int], received '[1]'"),
        ("Optional[int]", "x", "mod:f: input parameter 'x' expects Optional[int], received 'x'"),
        ("Literal['a', 'b']", "c", "mod:f: input parameter 'x' expects Literal['a', 'b'], received 'c'"),
        ("int", "9" * 100, "mod:f: input parameter 'x' expects int, received '" + "9" * 100 + "'"),
    ],
)
def test_value_that_does_not_fit_the_type(runner: RunnerHarness, annotation: str, value: str, message: str) -> None:
    runner.module(f"from typing import Literal, Optional\ndef f(x: {annotation}):\n    return x\n")
    if value == "9" * 100:  # 100 digits is a valid int; make it too long AND invalid to see the shortening
        value = "9" * 99 + "x"
        message = "mod:f: input parameter 'x' expects int, received '" + "9" * 56 + "..."
    run = runner.run("mod:f", {"x": value})
    assert run.returncode == 1
    assert one_line(run) == message


def test_model_that_does_not_validate_names_the_field(runner: RunnerHarness) -> None:
    runner.module(
        """
from pydantic import BaseModel

class Cfg(BaseModel):
    depth: int
    name: str

def f(cfg: Cfg):
    return cfg
"""
    )
    run = runner.run("mod:f", {"cfg": '{"depth": "deep", "name": "n"}'})
    assert run.returncode == 1
    line = one_line(run)
    assert line.startswith("mod:f: input parameter 'cfg' expects Cfg, received '{\"depth\": \"deep\", \"name\": \"n\"}'")
    assert "field 'depth': Input should be a valid integer" in line
    assert "pydantic" not in run.stderr.lower()


def test_input_model_field_error_and_missing_field(runner: RunnerHarness) -> None:
    runner.module(
        """
from typing import Annotated
from hera.workflows import Input, Parameter

class Req(Input):
    symbol: str
    days: Annotated[int, Parameter(name="n-days")] = 30

def f(req: Req):
    return req.days
"""
    )
    run = runner.run("mod:f", {"symbol": "X", "n-days": "many"})
    assert run.returncode == 1
    assert one_line(run) == (
        "mod:f: input parameter 'n-days' (field 'days' of Req) expects int, received 'many' "
        "(Input should be a valid integer, unable to parse string as an integer)"
    )
    run = runner.run("mod:f", {"n-days": "3"})
    assert run.returncode == 1
    assert one_line(run) == "mod:f: missing input parameter 'symbol' (field 'symbol' of Req): the args file has no value for it (it gives: n-days)"


def test_missing_required_input(runner: RunnerHarness) -> None:
    runner.module("def f(a: int, b: str, c: int = 1):\n    return a\n")
    run = runner.run("mod:f", {"b": "x", "z": "1"})
    assert run.returncode == 1
    assert one_line(run) == "mod:f: missing input parameter 'a': the args file has no value for it (it gives: b, z)"


def test_missing_input_artifact(runner: RunnerHarness) -> None:
    runner.module(
        """
from typing import Annotated
from hera.workflows import Artifact, ArtifactLoader

def f(d: Annotated[dict, Artifact(name="d", path="/nonexistent/d.json", loader=ArtifactLoader.json)]):
    return d
"""
    )
    run = runner.run("mod:f", {})
    assert run.returncode == 1
    assert one_line(run) == "mod:f: input artifact 'd': cannot read /nonexistent/d.json: No such file or directory"


@pytest.mark.parametrize(
    ("args_text", "message"),
    [
        (None, "cannot read the args file '{path}': No such file or directory"),
        ("{not json", "the args file '{path}' is not JSON: Expecting property name enclosed in double quotes"),
        ('{"a": 1}', 'the args file \'{path}\' must hold a JSON list of {{"name": ..., "value": ...}} objects, found a JSON dict'),
    ],
)
def test_unreadable_args_file(runner: RunnerHarness, args_text: str | None, message: str) -> None:
    runner.module("def f():\n    return 1\n")
    path = runner.workdir / "the-args"
    if args_text is not None:
        path.write_text(args_text)
    run = runner.run("mod:f", argv=["-e", "mod:f", str(path)])
    assert run.returncode == 1
    assert one_line(run).startswith(message.format(path=path))


def test_args_file_that_is_a_directory(runner: RunnerHarness) -> None:
    runner.module("def f():\n    return 1\n")
    run = runner.run("mod:f", argv=["-e", "mod:f", str(runner.workdir)])
    assert run.returncode == 1
    assert one_line(run) == f"cannot read the args file '{runner.workdir}': Is a directory"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("mod", "the entrypoint must be written module:function, got 'mod'"),
        ("nosuchmod:f", "cannot import module 'nosuchmod' (entrypoint 'nosuchmod:f'): no module named 'nosuchmod'"),
        ("nosuchpkg.sub:f", "cannot import module 'nosuchpkg.sub' (entrypoint 'nosuchpkg.sub:f'): no module named"),
        ("mod:g", "module 'mod' has no attribute 'g' (entrypoint 'mod:g')"),
        ("mod:VALUE", "the entrypoint 'mod:VALUE' is not callable: it is int 42"),
    ],
)
def test_bad_entrypoint(runner: RunnerHarness, entry: str, message: str) -> None:
    runner.module("VALUE = 42\ndef f():\n    return 1\n")
    run = runner.run(entry, {})
    assert run.returncode != 0
    assert one_line(run).startswith(message)


def test_module_that_fails_to_import_shows_its_own_traceback(runner: RunnerHarness) -> None:
    runner.module("import not_installed_dependency_xyz\ndef f():\n    return 1\n")
    run = runner.run("mod:f", {})
    assert run.returncode == 1
    assert "Traceback" in run.stderr
    assert "import not_installed_dependency_xyz" in run.stderr  # the user's line that failed
    assert run.stderr.rstrip().endswith("ModuleNotFoundError: No module named 'not_installed_dependency_xyz'")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: --entrypoint/-e, args_path"),
        (["args.json"], "the following arguments are required: --entrypoint/-e"),
        (["-e", "mod:f"], "the following arguments are required: args_path"),
        (["-e"], "argument --entrypoint/-e: expected one argument"),
        (["-e", "mod:f", "a", "b"], "unrecognized arguments: b"),
        (["--bogus", "-e", "mod:f", "a"], "unrecognized arguments: --bogus"),
    ],
)
def test_command_line_usage_errors_exit_2(runner: RunnerHarness, argv: list[str], message: str) -> None:
    run = runner.run("", argv=argv)
    assert run.returncode == 2
    assert run.stderr == f"usage: python -m hera.workflows.runner [-h] --entrypoint ENTRYPOINT args_path\n{PREFIX}{message}\n"


def test_command_line_forms_of_the_entrypoint_option(runner: RunnerHarness) -> None:
    runner.module("def f(a: int):\n    return a + 1\n")
    args = runner.workdir / "a.json"
    args.write_text(json.dumps([{"name": "a", "value": "1"}]))
    for argv in (
        ["--entrypoint", "mod:f", str(args)],
        ["--entrypoint=mod:f", str(args)],
        ["-emod:f", str(args)],
        [str(args), "-e", "mod:f"],
        ["--entry", "mod:f", str(args)],
    ):
        run = runner.run("", argv=argv)
        assert (run.returncode, run.stdout) == (0, "2\n"), (argv, run.stderr)
    help_run = runner.run("", argv=["-h"])
    assert help_run.returncode == 0 and help_run.stdout.startswith("usage: python -m hera.workflows.runner")
