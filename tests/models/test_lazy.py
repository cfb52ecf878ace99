"""Importing the models is cheap: names are listed up front, each class is made when first asked for."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import hera.workflows.models as m


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_package_loads_no_pydantic() -> None:
    out = run(
        """
        import sys
        import hera.workflows.models as m, hera.events.models as e
        print("pydantic" in sys.modules, len(dir(m)) >= 425, "Workflow" in dir(m), hasattr(m, "Nope"))
        """
    )
    assert out == "False True True False"


def test_importing_a_class_makes_only_that_class() -> None:
    out = run(
        """
        import hera.workflows.models as m
        from hera.workflows.models import Workflow, Template, Parameter
        made = sorted(k for k, v in vars(m).items() if isinstance(v, type))
        print(made)
        Workflow(metadata={"name": "w"}, spec={"templates": [{"name": "t", "container": {"image": "x"}}]})
        print(len([k for k, v in vars(m).items() if isinstance(v, type)]) > 100)
        """
    )
    assert out.splitlines() == ["['Parameter', 'Template', 'Workflow']", "True"]


def test_star_import_and_module_attributes() -> None:
    namespace: dict[str, Any] = {}
    exec("from hera.events.models import *", namespace)
    assert "Sensor" in namespace and "EventSource" in namespace
    name = "DAGTask"
    assert getattr(m, name) is m.DAGTask and vars(m)[name] is m.DAGTask


def test_first_use_from_several_threads() -> None:
    out = run(
        """
        import threading
        import hera.workflows.models as m
        errors = []
        def build(i):
            try:
                t = m.Template(name=f"t{i}", dag={"tasks": [{"name": "a", "template": "b", "arguments": {"parameters": [{"name": "p", "value": i}]}}]})
                assert t.model_dump(by_alias=True, exclude_none=True)["dag"]["tasks"][0]["arguments"]["parameters"][0]["value"] == i
            except Exception as err:
                errors.append(repr(err))
        threads = [threading.Thread(target=build, args=(i,)) for i in range(8)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        print(errors)
        """
    )
    assert out == "[]"


def test_unknown_names_raise_attribute_error() -> None:
    try:
        m.NoSuchModel  # noqa: B018
    except AttributeError as err:
        assert "NoSuchModel" in str(err)
    else:
        raise AssertionError("expected AttributeError")
