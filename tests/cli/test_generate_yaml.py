"""`hera generate yaml`: Python programs → YAML (spec §1), run as a real `hera` process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def hera(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, "-m", "hera", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def project(root: Path) -> Path:
    src = root / "src"
    write(
        src / "first.py",
        """
        from hera.workflows import Container, Workflow, WorkflowTemplate

        class Custom(Workflow):
            pass

        with Custom(name="one", entrypoint="c") as w1:
            Container(name="c", image="alpine")
        w2 = WorkflowTemplate(name="two", entrypoint="c", templates=[{"name": "c", "container": {"image": "a"}}])
        same = w1  # the same object twice is written once
        """,
    )
    write(src / "nested" / "second.py", 'from hera.workflows import Workflow\nw = Workflow(name="three")\n')
    write(src / "empty.py", "x = 1\n")
    return src


def names(text: str) -> list[str]:
    return [d["metadata"]["name"] for d in yaml.safe_load_all(text)]


def test_single_file_to_stdout_joins_documents(tmp_path: Path) -> None:
    src = project(tmp_path)
    proc = hera("generate", "yaml", str(src / "first.py"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("---\n") == 1
    docs = list(yaml.safe_load_all(proc.stdout))
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [("Workflow", "one"), ("WorkflowTemplate", "two")]
    assert proc.stdout.startswith("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: one\n")


def test_folder_recursion_include_exclude(tmp_path: Path) -> None:
    src = project(tmp_path)
    top = hera("generate", "yaml", str(src), cwd=tmp_path)
    assert top.returncode == 0, top.stderr
    assert names(top.stdout) == ["one", "two"]
    everything = hera("generate", "yaml", str(src), "--recursive", cwd=tmp_path)
    assert names(everything.stdout) == ["one", "two", "three"]
    only = hera("generate", "yaml", str(src), "--recursive", "-i", "nested/*", cwd=tmp_path)
    assert names(only.stdout) == ["three"]
    skip = hera("generate", "yaml", str(src), "--recursive", "--exclude", "first.py", cwd=tmp_path)
    assert names(skip.stdout) == ["three"]


def test_to_file_and_to_folder(tmp_path: Path) -> None:
    src = project(tmp_path)
    one_file = tmp_path / "all.yaml"
    assert hera("generate", "yaml", str(src), "-r", "--to", str(one_file), cwd=tmp_path).returncode != 0  # no -r
    proc = hera("generate", "yaml", str(src), "--recursive", "--to", str(one_file), cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""
    assert names(one_file.read_text()) == ["one", "two", "three"]

    out = tmp_path / "out"
    assert hera("generate", "yaml", str(src), "--recursive", "--to", str(out), cwd=tmp_path).returncode == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml")) == ["first.yaml", "nested/second.yaml"]
    assert names((out / "nested" / "second.yaml").read_text()) == ["three"]

    flat = tmp_path / "flat"
    assert hera("generate", "yaml", str(src), "--recursive", "--flatten", "--to", str(flat), cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in flat.iterdir()) == ["first.yaml", "second.yaml"]

    existing = tmp_path / "existing"
    existing.write_text("old")
    assert hera("generate", "yaml", str(src / "nested"), "--to", str(existing), cwd=tmp_path).returncode == 0
    assert names(existing.read_text()) == ["three"]


def test_package_modules_and_runner_entrypoints(tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "common.py", 'IMAGE = "busybox"\n')
    write(
        tmp_path / "pkg" / "flow.py",
        """
        from hera.workflows import Container, Workflow, script
        from .common import IMAGE

        @script(constructor="runner")
        def f(a: int) -> None:
            print(a)

        with Workflow(name="p", entrypoint="c") as w:
            Container(name="c", image=IMAGE)
            f()
        """,
    )
    proc = hera("generate", "yaml", str(tmp_path / "pkg" / "flow.py"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = yaml.safe_load(proc.stdout)
    assert doc["spec"]["templates"][0]["container"]["image"] == "busybox"
    assert doc["spec"]["templates"][1]["script"]["args"] == ["-m", "hera.workflows.runner", "-e", "pkg.flow:f"]


def test_errors_name_the_file(tmp_path: Path) -> None:
    write(tmp_path / "broken.py", "from hera.workflows import Workflow\nraise RuntimeError('boom')\n")
    proc = hera("generate", "yaml", str(tmp_path / "broken.py"), cwd=tmp_path)
    assert proc.returncode == 1
    assert "broken.py:2: RuntimeError: boom" in proc.stderr and "Traceback" not in proc.stderr

    write(
        tmp_path / "invalid.py",
        """
        from hera.workflows import Container, Workflow
        with Workflow(name="bad") as w:
            Container(name="c", image="a", command="echo")
        """,
    )
    proc = hera("generate", "yaml", str(tmp_path / "invalid.py"), cwd=tmp_path)
    assert proc.returncode == 1
    assert "invalid.py: workflow 'bad', template 'c', field 'command'" in proc.stderr
    assert "Traceback" not in proc.stderr

    missing = hera("generate", "yaml", str(tmp_path / "nope.py"), cwd=tmp_path)
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_top_level_options(tmp_path: Path) -> None:
    usage = hera("-h", cwd=tmp_path).stdout
    assert usage.startswith("Usage: hera [OPTIONS] COMMAND") and "generate" in usage and "lint" in usage
    version = hera("-v", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("hera, version ")
    completion = hera("--completion", "bash", cwd=tmp_path)
    assert completion.returncode == 0 and "_HERA_COMPLETE" in completion.stdout


def test_files_named_like_modules_do_not_shadow_them(tmp_path: Path) -> None:
    # `types.py` is a standard module already loaded, `yaml.py` one hera loads to write the output
    write(tmp_path / "src" / "types.py", 'from hera.workflows import Workflow\nw = Workflow(name="types-flow")\n')
    write(tmp_path / "src" / "yaml.py", "raise RuntimeError('a user module named yaml was imported')\n")
    proc = hera("generate", "yaml", str(tmp_path / "src"), "-e", "yaml.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert names(proc.stdout) == ["types-flow"]
