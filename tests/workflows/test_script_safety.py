"""Script sources fed hostile values through Argo's textual substitution, run by a real Python process.

Argo replaces `{{inputs.parameters.x}}` (and `{{inputs.parameters}}`, the JSON list of inputs) as plain text in
one pass. The compatible inline form puts the value inside Python code, so `'''` escapes it; the safe form
(`InlineScriptConstructor(safe=True)` or `global_config.safe_scripts`) carries every value as data in a raw input
artifact and must hand it to the function unchanged.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hera.shared import global_config
from hera.workflows import InlineScriptConstructor, Script, script

_TAG = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


def argo_substitute(text: str, values: dict[str, str]) -> str:
    """One pass over `text`, replacing known tags and leaving unknown ones verbatim (as Argo does)."""
    return _TAG.sub(lambda mt: values.get(mt.group(1), mt.group(0)), text)


def run_template(template: dict[str, Any], arguments: dict[str, str], workdir: Path) -> subprocess.CompletedProcess:
    """Resolve inputs like Argo (argument, else default), substitute, stage raw artifacts, run the script."""
    params = []
    for p in template.get("inputs", {}).get("parameters", []):
        value = arguments.get(p["name"], p.get("default"))
        assert value is not None, f"no value for {p['name']}"
        params.append({**{k: v for k, v in p.items() if k != "default"}, "name": p["name"], "value": value})
    values = {f"inputs.parameters.{p['name']}": p["value"] for p in params}
    values["inputs.parameters"] = json.dumps(params)
    for art in template.get("inputs", {}).get("artifacts", []):
        local = workdir / f"artifact-{art['name']}"
        values[f"inputs.artifacts.{art['name']}.path"] = str(local)
        local.write_text(argo_substitute(art["raw"]["data"], values))
    source = argo_substitute(template["script"]["source"], values)
    path = workdir / "script.py"
    path.write_text(source)
    return subprocess.run(
        [sys.executable, str(path)], cwd=workdir, capture_output=True, text=True, timeout=60, check=False
    )


@script(constructor=InlineScriptConstructor(safe=True))
def echo_safe(text: str, n: int = 1):
    import json as j

    print(j.dumps({"text": text, "n": n}))


@script()
def echo_compat(text: str):
    print(text)


def template(fn: Any) -> dict[str, Any]:
    return fn.template._build_template().model_dump(exclude_none=True, by_alias=True)


HOSTILE = [
    "'''",
    "a''' + str(6*7) + r'''b",
    "x'''); import os; os._exit(3) #",
    "back\\slash\\\\ and \\n and \\'",
    "line1\nline2\n\n'''\n",
    "{{inputs.parameters.n}} {{workflow.name}} }}{{",
    '"; rm -rf / #',
    '{"not": "json"',
    "ünïcødé ☃ \u0000 nul",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_form_hands_values_over_as_data(tmp_path: Path, value: str) -> None:
    proc = run_template(template(echo_safe), {"text": value}, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"text": value, "n": 1}


@script(constructor=InlineScriptConstructor(safe=True))
def shadowing(json: str, os: str):
    print(json + os)


def test_safe_form_survives_parameters_named_like_modules(tmp_path: Path) -> None:
    proc = run_template(template(shadowing), {"json": "a", "os": "b"}, tmp_path)
    assert (proc.returncode, proc.stdout.strip()) == (0, "ab"), proc.stderr


def test_safe_form_keeps_json_decoding_of_values(tmp_path: Path) -> None:
    proc = run_template(template(echo_safe), {"text": '["a", 1]', "n": "7"}, tmp_path)
    assert json.loads(proc.stdout) == {"text": ["a", 1], "n": 7}


def test_safe_form_large_value(tmp_path: Path) -> None:
    big = ("x'''\\" * 1_000_000)[:4_000_000]  # 4 MB: above the 128 KiB a single environment variable may hold
    proc = run_template(template(echo_safe), {"text": big}, tmp_path)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert json.loads(proc.stdout)["text"] == big


def test_compatible_form_runs_injected_code(tmp_path: Path) -> None:
    """Why the safe form exists: with Hera's text, a value containing `'''` becomes code."""
    proc = run_template(template(echo_compat), {"text": "''' + str(6*7) + r'''"}, tmp_path)
    assert proc.stdout.strip() == "42"
    proc = run_template(template(echo_compat), {"text": "'''"}, tmp_path)
    assert proc.returncode != 0 and "SyntaxError" in proc.stderr


def test_global_switch_and_yaml_shape() -> None:
    global_config.safe_scripts = True

    def f(a_b: str):
        print(a_b)

    t = Script(name="f", source=f)._build_template().model_dump(exclude_none=True, by_alias=True)
    assert t["inputs"] == {
        "artifacts": [
            {
                "name": "hera-inline-parameters",
                "path": "/tmp/hera-inputs/hera-inline-parameters.json",
                "raw": {"data": "{{inputs.parameters}}"},
            }
        ],
        "parameters": [{"name": "a_b"}],
    }
    assert "{{inputs.parameters.a_b}}" not in t["script"]["source"]
    assert "a_b = _hera_value('a_b')" in t["script"]["source"]
    compat = Script(name="g", source=f, constructor=InlineScriptConstructor(safe=False))
    assert "json.loads(r'''{{inputs.parameters.a_b}}''')" in compat._build_template().script.source  # type: ignore[union-attr]
