"""Inputs: the runner turns the args file's text into the Python values the function's annotations ask for."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.runner.conftest import RunnerHarness

DESCRIBE = """
def describe(**values):
    import json
    return json.dumps({k: [type(v).__name__, v if isinstance(v, (int, float, str, bool, list, dict, type(None))) else repr(v)]
                       for k, v in values.items()})
"""


def test_json_typed_parameters_arrive_as_their_annotated_types(runner: RunnerHarness) -> None:
    runner.module(
        DESCRIBE
        + """
from typing import Literal, Optional, Union

def f(i: int, fl: float, b: bool, s: str, xs: list[int], d: dict[str, float], o: Optional[int],
      u: Union[int, str], lit: Literal["a", "b"], t: tuple[int, str], raw, q: str):
    return describe(i=i, fl=fl, b=b, s=s, xs=xs, d=d, o=o, u=u, lit=lit, t=list(t), t_type=type(t).__name__,
                    raw=raw, q=q)
"""
    )
    run = runner.run(
        "mod:f",
        {
            "i": "7",
            "fl": "2",
            "b": "true",
            "s": "hello world",
            "xs": "[1, 2, 3]",
            "d": '{"k": 1}',
            "o": "null",
            "u": "not-a-number",
            "lit": "b",
            "t": '[1, "x"]',
            "raw": '{"y": [1]}',
            "q": '"q"',
        },
    )
    assert run.returncode == 0, run.stderr
    got = run.json_stdout()
    assert got["i"] == ["int", 7]
    assert got["fl"] == ["float", 2.0]
    assert got["b"] == ["bool", True]
    assert got["s"] == ["str", "hello world"]
    assert got["xs"] == ["list", [1, 2, 3]]
    assert got["d"] == ["dict", {"k": 1.0}]
    assert got["o"] == ["NoneType", None]
    assert got["u"] == ["str", "not-a-number"]
    assert got["lit"] == ["str", "b"]
    assert got["t"] == ["list", [1, "x"]] and got["t_type"] == ["str", "tuple"]
    assert got["raw"] == ["dict", {"y": [1]}]  # un-annotated: json.loads
    assert got["q"] == ["str", '"q"']  # str: the raw text, quotes and all (as Hera does)


def test_defaults_apply_and_unknown_inputs_are_ignored(runner: RunnerHarness) -> None:
    runner.module(
        DESCRIBE
        + """
from typing import Optional

def f(a: int, s: str = "hi", n: Optional[str] = None, *, k: int = 3):
    return describe(a=a, s=s, n=n, k=k)
"""
    )
    run = runner.run("mod:f", {"a": "1", "extra": "ignored"})
    assert run.returncode == 0, run.stderr
    assert run.json_stdout() == {"a": ["int", 1], "s": ["str", "hi"], "n": ["NoneType", None], "k": ["int", 3]}


def test_optional_str_gets_the_text_as_hera_passes_it_even_null(runner: RunnerHarness) -> None:
    # Argo passes the rendered default 'null' for `Optional[str] = None`; Hera hands str-typed parameters the
    # text as is, so programs written for it see "null" (and test for it): keep that. Optional[int] parses it.
    runner.module(DESCRIBE + "\nfrom typing import Optional\n"
                  "def f(n: Optional[str] = None, m: Optional[str] = None, i: Optional[int] = None):\n"
                  "    return describe(n=n, m=m, i=i)\n")
    run = runner.run("mod:f", {"n": "null", "m": "text", "i": "null"})
    assert run.returncode == 0, run.stderr
    assert run.json_stdout() == {"n": ["str", "null"], "m": ["str", "text"], "i": ["NoneType", None]}


def test_annotated_parameter_renames_and_custom_loads(runner: RunnerHarness) -> None:
    runner.module(
        DESCRIBE
        + """
from typing import Annotated
from hera.workflows import Parameter

def f(
    label: Annotated[str, Parameter(name="the-label")],
    nums: Annotated[list, Parameter(name="nums-csv", loads=lambda s: [int(x) for x in s.split(",")])],
    plain: Annotated[int, Parameter(description="no rename")],
):
    return describe(label=label, nums=nums, plain=plain)
"""
    )
    run = runner.run("mod:f", {"the-label": "L", "nums-csv": "1,2,3", "plain": "5"})
    assert run.returncode == 0, run.stderr
    assert run.json_stdout() == {"label": ["str", "L"], "nums": ["list", [1, 2, 3]], "plain": ["int", 5]}


def test_pydantic_models_lists_dicts_optionals_and_unions_of_models(runner: RunnerHarness) -> None:
    runner.module(
        """
from datetime import datetime
from typing import Optional, Union
from pydantic import BaseModel

class Cat(BaseModel):
    name: str
    lives: int = 9

class Dog(BaseModel):
    name: str
    good: bool

def f(one: Cat, many: list[Cat], by_name: dict[str, Cat], maybe: Optional[Cat], none: Optional[Cat],
      pet: Union[Dog, Cat], when: datetime):
    import json
    return json.dumps({
        "one": [type(one).__name__, one.lives],
        "many": [type(c).__name__ + ":" + c.name for c in many],
        "by_name": {k: type(v).__name__ for k, v in by_name.items()},
        "maybe": type(maybe).__name__, "none": none,
        "pet": type(pet).__name__, "when": [type(when).__name__, when.year],
    })
"""
    )
    run = runner.run(
        "mod:f",
        {
            "one": '{"name": "tom"}',
            "many": '[{"name": "a"}, {"name": "b", "lives": 3}]',
            "by_name": '{"x": {"name": "x"}}',
            "maybe": '{"name": "m"}',
            "none": "null",
            "pet": '{"name": "rex", "good": true}',
            "when": "2024-05-06T07:08:09",
        },
    )
    assert run.returncode == 0, run.stderr
    assert run.json_stdout() == {
        "one": ["Cat", 9],
        "many": ["Cat:a", "Cat:b"],
        "by_name": {"x": "Cat"},
        "maybe": "Cat",
        "none": None,
        "pet": "Dog",
        "when": ["datetime", 2024],
    }


def test_input_artifacts_loaded_by_loader_loads_loadb_or_given_as_path(runner: RunnerHarness, tmp_path: Path) -> None:
    art = tmp_path / "arts"
    art.mkdir()
    (art / "cfg.json").write_text('{"a": [1, 2]}')
    (art / "text.txt").write_text("plain text")
    (art / "blob.bin").write_bytes(b"\x00\x01\x02")
    (art / "pts.json").write_text('[{"x": 1}, {"x": 2}]')
    runner.module(
        f"""
import json
from pathlib import Path
from typing import Annotated, Optional
from pydantic import BaseModel
from hera.workflows import Artifact, ArtifactLoader

A = {str(art)!r}

class P(BaseModel):
    x: int

def f(
    cfg: Annotated[dict, Artifact(name="cfg", path=A + "/cfg.json", loader=ArtifactLoader.json)],
    text: Annotated[str, Artifact(name="text", path=A + "/text.txt", loader=ArtifactLoader.file)],
    as_path: Annotated[Path, Artifact(name="p", path=A + "/text.txt")],
    as_str: Annotated[str, Artifact(name="s", path=A + "/text.txt")],
    upper: Annotated[str, Artifact(name="u", path=A + "/text.txt", loads=str.upper)],
    size: Annotated[int, Artifact(name="b", path=A + "/blob.bin", loadb=len)],
    points: Annotated[list[P], Artifact(name="pts", path=A + "/pts.json", loader=ArtifactLoader.json)],
    absent: Annotated[Optional[dict], Artifact(name="gone", path=A + "/missing.json", optional=True,
                                               loader=ArtifactLoader.json)] = None,
):
    return json.dumps({{
        "cfg": cfg, "text": text, "as_path": [type(as_path).__name__, as_path.read_text()],
        "as_str": [type(as_str).__name__, as_str], "upper": upper, "size": size,
        "points": [type(p).__name__ for p in points], "absent": absent,
    }})
"""
    )
    run = runner.run("mod:f", {})
    assert run.returncode == 0, run.stderr
    assert run.json_stdout() == {
        "cfg": {"a": [1, 2]},
        "text": "plain text",
        "as_path": ["PosixPath", "plain text"],
        "as_str": ["str", str(art / "text.txt")],
        "upper": "PLAIN TEXT",
        "size": 3,
        "points": ["P", "P"],
        "absent": None,
    }


def test_input_artifact_default_path_is_under_tmp_hera_inputs(runner: RunnerHarness) -> None:
    name = f"art-{uuid.uuid4().hex}"
    default = Path("/tmp/hera-inputs/artifacts") / name
    default.parent.mkdir(parents=True, exist_ok=True)
    default.write_text("[1, 2]")
    try:
        runner.module(
            f"""
from typing import Annotated
from hera.workflows import Artifact, ArtifactLoader

def f(data: Annotated[list, Artifact(name={name!r}, loader=ArtifactLoader.json)]):
    return sum(data)
"""
        )
        run = runner.run("mod:f", {})
    finally:
        default.unlink()
    assert run.returncode == 0, run.stderr
    assert run.stdout == "3\n"


def test_input_model_fields_from_parameters_and_artifacts(runner: RunnerHarness, tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_text("1,2,3")
    runner.module(
        f"""
import json
from pathlib import Path
from typing import Annotated
from hera.workflows import Artifact, Input, Parameter

class Req(Input):
    symbol: str
    days: int = 30
    source: Annotated[str, Parameter(name="data-source", description="vendor")] = "exchange"
    tags: list[str] = []
    history: Annotated[Path, Artifact(name="history", path={str(history)!r})]

def f(req: Req):
    return json.dumps({{"type": type(req).__name__, "symbol": req.symbol, "days": req.days, "source": req.source,
                       "tags": req.tags, "history": req.history.read_text()}})
"""
    )
    run = runner.run("mod:f", {"symbol": "123", "data-source": "vendor-b", "tags": '["a", "b"]'})
    assert run.returncode == 0, run.stderr
    assert run.json_stdout() == {
        "type": "Req",
        "symbol": "123",  # str field: raw text, not the JSON number 123
        "days": 30,
        "source": "vendor-b",
        "tags": ["a", "b"],
        "history": "1,2,3",
    }


def test_var_keyword_receives_the_remaining_inputs_raw(runner: RunnerHarness) -> None:
    runner.module("import json\ndef f(a: int, **rest):\n    return json.dumps({'a': a, 'rest': rest})\n")
    run = runner.run("mod:f", {"a": "1", "b": "2", "c": '{"x": 1}'})
    assert run.returncode == 0, run.stderr
    assert run.json_stdout() == {"a": 1, "rest": {"b": "2", "c": '{"x": 1}'}}


def test_async_function_runs_to_completion(runner: RunnerHarness) -> None:
    runner.module(
        """
import asyncio

async def f(n: int):
    total = 0
    for i in range(n):
        await asyncio.sleep(0.001)
        total += i
    return {"total": total}
"""
    )
    run = runner.run("mod:f", {"n": "5"})
    assert run.returncode == 0, run.stderr
    assert run.json_stdout() == {"total": 10}


def test_module_in_working_directory_imports_even_with_safe_path(runner: RunnerHarness) -> None:
    # PYTHONSAFEPATH keeps `python -m` from putting the working directory on sys.path; Argo's pods may run so.
    runner.module("def f(x: int):\n    return x + 1\n", name="workdir_module")
    run = runner.run("workdir_module:f", {"x": "41"}, env={"PYTHONSAFEPATH": "1"})
    assert run.returncode == 0, run.stderr
    assert run.stdout == "42\n"


def test_module_in_a_package_and_a_method_entrypoint(runner: RunnerHarness) -> None:
    pkg = runner.workdir / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "jobs.py").write_text(
        "class Jobs:\n    @staticmethod\n    def double(x: int):\n        return x * 2\n"
        "def triple(x: int):\n    return x * 3\n"
    )
    assert runner.run("pkg.jobs:Jobs.double", {"x": "4"}).stdout == "8\n"
    assert runner.run("pkg.jobs:triple", {"x": "4"}).stdout == "12\n"


def test_script_decorated_function_is_unwrapped(runner: RunnerHarness) -> None:
    runner.module(
        """
from hera.workflows import script

@script(constructor="runner")
def f(a: int, b: list[int]):
    return {"sum": a + sum(b)}
"""
    )
    run = runner.run("mod:f", {"a": "1", "b": "[2, 3]"})
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"sum": 6}


def test_empty_and_null_args_files_mean_no_inputs(runner: RunnerHarness) -> None:
    runner.module("def f(a: int = 5):\n    return a\n")
    assert runner.run("mod:f", args_text="").stdout == "5\n"
    assert runner.run("mod:f", args_text="null").stdout == "5\n"
    # entries without name or value are skipped; extra keys are ignored
    text = json.dumps([{"name": "a"}, {"value": "1"}, {"name": "a", "value": "7", "default": "3"}])
    assert runner.run("mod:f", args_text=text).stdout == "7\n"


def test_plain_signature_does_not_import_pydantic_typing_inspect_or_models(runner: RunnerHarness) -> None:
    # Cold start: a JSON-typed function must not pay for pydantic, typing, inspect or the generated models.
    runner.module(
        """
import sys

def f(a: int, xs: list[int], d: dict[str, float], s: str = "x"):
    heavy = ("pydantic", "typing", "inspect", "asyncio", "dataclasses", "hera.workflows.models",
             "hera.shared._global_config", "hera.workflows.parameter", "argparse", "tempfile")
    return [m for m in heavy if m in sys.modules] or "none"
"""
    )
    run = runner.run("mod:f", {"a": "1", "xs": "[1]", "d": '{"k": 1.5}'})
    assert run.returncode == 0, run.stderr
    assert run.stdout == "none\n"
