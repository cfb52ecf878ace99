"""What importing the authoring names costs: the runner path stays free of dataclasses, pydantic and models."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any


def run(code: str, tmp_path: Path) -> Any:
    program = tmp_path / "program.py"
    program.write_text(textwrap.dedent(code))
    out = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, check=True, cwd=tmp_path)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_runner_process_imports_stay_light(tmp_path: Path) -> None:
    result = run(
        """
        import json, sys
        import hera.workflows._runner
        hera.workflows._runner.DEFER_SCRIPTS = True  # as inside `python -m hera.workflows.runner`
        from hera.workflows import Artifact, ArtifactLoader, Parameter, script

        @script(constructor="runner", image="x")
        def f(a: int, p: "Parameter" = None) -> None:
            return a

        heavy = [m for m in ("dataclasses", "pydantic", "hera.workflows.models", "hera.workflows._mixins",
                             "inspect", "typing") if m in sys.modules]
        print(json.dumps({"heavy": heavy, "call": f(a=2), "wrapped": f.wrapped_function.__name__,
                          "name": f.__name__, "p": Parameter(name="x", value=1).value,
                          "art": Artifact(name="a", loader=ArtifactLoader.json).loader.value}))
        """,
        tmp_path,
    )
    assert result == {"heavy": [], "call": 2, "wrapped": "f", "name": "f", "p": "1", "art": "json"}


def test_deferred_script_still_builds_when_asked(tmp_path: Path) -> None:
    result = run(
        """
        import json
        import hera.workflows._runner
        hera.workflows._runner.DEFER_SCRIPTS = True
        from hera.workflows import DAG, Workflow, script

        @script(image="img")
        def g(x: int):
            print(x)

        with Workflow(name="w") as w:
            with DAG(name="d"):
                g(arguments={"x": 1})
        t = w.to_dict()["spec"]["templates"]
        print(json.dumps([t[0]["name"], t[1]["script"]["image"]]))
        """,
        tmp_path,
    )
    assert result == ["d", "img"]


def test_authoring_import_does_not_load_models_or_pydantic(tmp_path: Path) -> None:
    result = run(
        """
        import json, sys
        from hera.workflows import DAG, Container, Parameter, Steps, Task, Workflow, script
        print(json.dumps([m for m in ("pydantic", "hera.workflows.models", "httpx", "yaml", "asyncio", "ssl") if m in sys.modules]))
        """,
        tmp_path,
    )
    assert result == []
