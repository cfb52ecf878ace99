"""`@script` and Script: inline source shape (§3.7), signature → inputs/outputs, runner constructor (§3.8), loops."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Annotated, Literal, Optional

import pytest
import yaml
from pydantic import BaseModel

from hera.shared import global_config
from hera.workflows import (
    DAG,
    Artifact,
    ArtifactLoader,
    EmptyDirVolume,
    InlineScriptConstructor,
    Input,
    Output,
    Parameter,
    RunnerScriptConstructor,
    Script,
    ScriptConstructor,
    Steps,
    Workflow,
    script,
)
from hera.workflows import models as m


def template_of(w: Workflow, name: str) -> dict:
    return next(t for t in w.to_dict()["spec"]["templates"] if t["name"] == name)


def build(s: Script) -> dict:
    return s._build_template().model_dump(exclude_none=True, by_alias=True)


def test_inline_source_shape() -> None:
    @script(image="python:3.11")
    def greet(s: str, count: int = 2):
        # a comment that must disappear
        print("Hello, " + s * count)

    assert build(greet.template) == yaml.safe_load(  # type: ignore[attr-defined]
        textwrap.dedent(
            """
            name: greet
            inputs:
              parameters:
              - name: s
              - name: count
                default: '2'
            script:
              image: python:3.11
              command: [python]
              source: |-
                import os
                import sys
                sys.path.append(os.getcwd())
                import json
                try: count = json.loads(r'''{{inputs.parameters.count}}''')
                except: count = r'''{{inputs.parameters.count}}'''
                try: s = json.loads(r'''{{inputs.parameters.s}}''')
                except: s = r'''{{inputs.parameters.s}}'''

                print('Hello, ' + s * count)
            """
        )
    )


def test_no_parameters_no_json_block_and_no_cwd() -> None:
    @script(add_cwd_to_sys_path=False)
    def plain():
        """Docstring kept."""
        x = 1
        return x

    src = build(plain.template)["script"]["source"]  # type: ignore[attr-defined]
    assert src == '"""Docstring kept."""\nx = 1\nreturn x'  # the def is re-emitted whole: docstring triple-quoted


def test_body_is_the_whole_def_re_emitted_after_its_def_line() -> None:
    @script(add_cwd_to_sys_path=False)
    def nested(n: int):
        """Sum twice.

        Long form.
        """
        def double(x):  # a helper
            return x * 2
        total = double(n)
        class Box:
            value = total
        print(Box.value)

    src = build(nested.template)["script"]["source"]  # type: ignore[attr-defined]
    body = src.split("\n\n", 1)[1]  # after the json block
    assert body == textwrap.dedent(
        '''\
        """Sum twice.

        Long form.
        """

        def double(x):
            return x * 2
        total = double(n)

        class Box:
            value = total
        print(Box.value)'''
    )
    compile(src, "source", "exec")  # still valid Python


def test_explicit_inputs_join_the_block_sorted_and_value_from_skipped() -> None:
    @script(inputs=[Parameter(name="zeta"), Parameter(name="fixed", value_from=m.ValueFrom(path="/x"))])
    def f(alpha: str):
        print(alpha)

    t = build(f.template)  # type: ignore[attr-defined]
    assert [p["name"] for p in t["inputs"]["parameters"]] == ["zeta", "fixed", "alpha"]
    src = t["script"]["source"]
    assert src.index("alpha = json.loads") < src.index("zeta = json.loads") and "fixed =" not in src


def test_name_defaults_and_globals_are_read_at_decoration() -> None:
    global_config.image = "img:1"
    global_config.script_command = ["python3"]

    @script()
    def my_func():
        pass

    global_config.image = "img:2"
    t = build(my_func.template)  # type: ignore[attr-defined]
    assert (t["name"], t["script"]["image"], t["script"]["command"]) == ("my-func", "img:1", ["python3"])


class Cfg(BaseModel):
    x: int = 1


def test_signature_types_defaults_enum_and_errors() -> None:
    @script()
    def f(
        a: Annotated[Literal["x", "y"], Parameter(name="a-name", description="d")] = "x",
        b: Optional[int] = None,
        c: Cfg = Cfg(),
        d: dict = {"k": 1},  # noqa: B006  (a default Hera serialises)
    ):
        pass

    params = build(f.template)["inputs"]["parameters"]  # type: ignore[attr-defined]
    assert params == [
        {"name": "a-name", "default": "x", "description": "d", "enum": ["x", "y"]},
        {"name": "b", "default": "null"},
        {"name": "c", "default": '{"x": 1}'},
        {"name": "d", "default": '{"k": 1}'},
    ]

    @script()
    def bad_optional(b: Optional[int]):
        pass

    with pytest.raises(ValueError, match="must default to None"):
        build(bad_optional.template)  # type: ignore[attr-defined]

    @script()
    def bad_default(b: Annotated[int, Parameter(default=3)]):
        pass

    with pytest.raises(ValueError, match="default"):
        build(bad_default.template)  # type: ignore[attr-defined]


def test_annotated_artifacts_and_outputs_inline() -> None:
    @script()
    def f(
        data: Annotated[Path, Artifact(name="data")],
        out: Annotated[Path, Parameter(name="out", output=True)],
    ) -> tuple[Annotated[int, Parameter(name="n")], Annotated[str, Artifact(name="rep")]]:
        return 1, "x"

    t = build(f.template)  # type: ignore[attr-defined]
    assert t["inputs"] == {"artifacts": [{"name": "data", "path": "/tmp/hera-inputs/artifacts/data"}]}
    assert t["outputs"] == {"artifacts": [{"name": "rep"}], "parameters": [{"name": "out"}, {"name": "n"}]}


def test_output_annotation_errors() -> None:
    @script()
    def partial() -> tuple[Annotated[int, Parameter(name="n")], str]:
        return 1, "x"

    with pytest.raises(ValueError, match="every item"):
        build(partial.template)  # type: ignore[attr-defined]

    @script(constructor="runner")
    def two(x: MyIn, y: int):
        pass

    with pytest.raises(SyntaxError, match="only function parameter"):
        build(two.template)  # type: ignore[attr-defined]


class MyIn(Input):
    n: int
    label: Annotated[str, Parameter(name="the-label", description="lbl")] = "L"
    data: Annotated[dict, Artifact(name="data-art", loader=ArtifactLoader.json)]


class MyOut(Output):
    total: int
    report: Annotated[str, Artifact(name="report-art")]


def test_runner_constructor_matches_spec_example() -> None:
    @script(
        constructor=RunnerScriptConstructor(outputs_directory="/mnt/out", volume_for_outputs=EmptyDirVolume(name="outv")),
        image="my-image:latest",
    )
    def pyd(inp: MyIn) -> MyOut: ...

    expected = yaml.safe_load(
        f"""
        name: pyd
        volumes: [{{name: outv, emptyDir: {{}}}}]
        inputs:
          artifacts: [{{name: data-art, path: /tmp/hera-inputs/artifacts/data-art}}]
          parameters:
          - {{name: 'n'}}
          - {{name: the-label, default: L, description: lbl}}
        outputs:
          artifacts: [{{name: report-art, path: /mnt/out/artifacts/report-art}}]
          parameters: [{{name: total, valueFrom: {{path: /mnt/out/parameters/total}}}}]
        script:
          image: my-image:latest
          source: '{{{{inputs.parameters}}}}'
          args: [-m, hera.workflows.runner, -e, '{__name__}:pyd']
          command: [python]
          env: [{{name: hera__outputs_directory, value: /mnt/out}}]
          volumeMounts: [{{name: outv, mountPath: /mnt/out}}]
        """
    )
    assert build(pyd.template) == expected  # type: ignore[attr-defined]


def test_runner_rejects_args_and_adds_pydantic_mode() -> None:
    def fn(a: int) -> Annotated[int, Parameter(name="r")]:
        return a

    with pytest.raises(ValueError, match="args"):
        Script(name="x", source=fn, constructor="runner", args=["nope"])
    s = Script(name="x", source=fn, constructor=RunnerScriptConstructor(pydantic_mode=1))
    env = build(s)["script"]["env"]
    assert env == [
        {"name": "hera__outputs_directory", "value": "/tmp/hera-outputs"},
        {"name": "hera__pydantic_mode", "value": "1"},
    ]
    with pytest.raises(ValueError, match="constructor"):
        Script(name="x", source=fn, constructor="nope")
    assert isinstance(Script(name="y", source=fn, constructor="RUNNER").constructor, RunnerScriptConstructor)


def test_class_defaults_can_pick_the_runner() -> None:
    global_config.set_class_defaults(Script, constructor="runner")

    @script()
    def f(a: int):
        pass

    assert build(f.template)["script"]["source"] == "{{inputs.parameters}}"  # type: ignore[attr-defined]


def test_user_constructor() -> None:
    class Shout(ScriptConstructor):
        def generate_source(self, instance: Script) -> str:
            return "echo HI"

        def transform_template_post_build(self, instance: Script, template: m.Template) -> m.Template:
            template.timeout = "1m"
            return template

    s = Script(name="s", source="ignored", constructor=Shout(), command=["sh"])
    t = build(s)
    assert (t["script"]["source"], t["timeout"]) == ("echo HI", "1m")


def test_string_source_is_kept_verbatim() -> None:
    s = Script(name="sh", source='echo "{{inputs.parameters.x}}"\n', command=["sh"], inputs=Parameter(name="x"))
    assert build(s)["script"]["source"] == 'echo "{{inputs.parameters.x}}"\n'


def test_loops_infer_arguments() -> None:
    @script()
    def two(path: str, width: int):
        pass

    @script()
    def one(x: int, y: int = 2):
        pass

    with Workflow(name="w") as w:
        with DAG(name="d"):
            g = two(name="gen", arguments={"path": "p", "width": 1})
            two(name="items", with_items=[{"path": "a", "width": 1}, {"path": "b", "width": 2}])
            two(name="param", with_param=g.result)
            one(name="single", with_param=g.result)
            two(name="given", with_param=g.result, arguments={"path": "fixed"})
            with pytest.raises(ValueError, match="not a parameter"):
                two(name="bad", with_items=[{"nope": 1}])
            with pytest.raises(ValueError, match="mixes"):
                two(name="mixed", with_items=[{"path": "a", "width": 1}, "x"])
    tasks = {t["name"]: t for t in template_of(w, "d")["dag"]["tasks"]}
    args = {n: [(p["name"], p["value"]) for p in t["arguments"]["parameters"]] for n, t in tasks.items()}
    assert args["items"] == [("path", "{{item.path}}"), ("width", "{{item.width}}")]
    assert tasks["items"]["withItems"] == [{"path": "a", "width": 1}, {"path": "b", "width": 2}]
    assert args["param"] == [("path", "{{item.path}}"), ("width", "{{item.width}}")]
    assert tasks["param"]["withParam"] == "{{tasks.gen.outputs.result}}"
    assert args["single"] == [("x", "{{item}}")]
    assert args["given"] == [("path", "fixed"), ("width", "{{item}}")]


def test_inline_constructor_object_and_staticmethod() -> None:
    class Holder:
        @script(constructor=InlineScriptConstructor(add_cwd_to_sys_path=False))
        @staticmethod
        def run(v: str):
            print(v)

    src = build(Holder.run.template)["script"]["source"]  # type: ignore[attr-defined]
    assert src.startswith("import json\n") and src.endswith("print(v)")


def test_script_under_steps_uses_steps_prefix() -> None:
    @script(outputs=Parameter(name="o", value_from=m.ValueFrom(path="/o")))
    def produce():
        pass

    with Workflow(name="w"):
        with Steps(name="s"):
            p = produce()
            assert p.get_parameter("o").value == "{{steps.produce.outputs.parameters.o}}"
            assert p.result == "{{steps.produce.outputs.result}}"
            with pytest.raises(KeyError):
                p.get_parameter("missing")
