"""Cold start of the runner against a plain script that does the same job: median of N fresh processes per case.

    .venv/bin/python benchmarks/runner.py [-n 30]

Cases (each a new interpreter, run in a scratch directory holding the user modules):
  (a) floor:    a plain script that imports the user's module, json-loads its inputs and calls the function
  (b) runner:   `python -m hera.workflows.runner -e jsonmod:f` on the same function (JSON-typed arguments)
  (b') runner on the same function decorated with `@script(constructor="runner")` (the usual user module)
  (c) floor:    the plain script for a function taking pydantic models (imports pydantic, builds the model class,
                `model_validate`s its inputs), i.e. the floor plus `import pydantic`
  (c) runner:   the runner on that function
Goals (issue 4): (b) <= 1.5 x (a); (c) runner <= 1.3 x (c) floor. Byte code is cached as in an installed image
(PYTHONPYCACHEPREFIX in the scratch directory, warmed before timing). Runs are interleaved so drift hits every
case alike. Also printed: what the user module's imports cost (`import` of each module, minus `pass`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

JSON_MODULE = '''
from typing import Optional


def f(a: int, b: str, ratio: float, flag: bool, xs: list[int], weights: dict[str, float], note: Optional[str] = None):
    return {"a": a, "b": b, "n": len(xs), "w": sum(weights.values()), "flag": flag, "ratio": ratio, "note": note}
'''

SCRIPT_MODULE = '''
from typing import Optional

from hera.workflows import script


@script(constructor="runner")
def f(a: int, b: str, ratio: float, flag: bool, xs: list[int], weights: dict[str, float], note: Optional[str] = None):
    return {"a": a, "b": b, "n": len(xs), "w": sum(weights.values()), "flag": flag, "ratio": ratio, "note": note}
'''

PYDANTIC_MODULE = '''
from pydantic import BaseModel


class Point(BaseModel):
    x: float
    y: float


class Config(BaseModel):
    name: str
    depth: int = 6
    origin: Point


def g(cfg: Config, points: list[Point], n: int):
    return {"name": cfg.name, "n": n, "sum": sum(p.x + p.y for p in points) + cfg.origin.x}
'''

FLOOR_JSON = '''
import json
import sys

from jsonmod import f

with open(sys.argv[1]) as fh:
    params = {p["name"]: p["value"] for p in json.load(fh)}
kwargs = {}
for name, value in params.items():
    if name in ("b", "note"):
        kwargs[name] = value
        continue
    try:
        kwargs[name] = json.loads(value)
    except ValueError:
        kwargs[name] = value
result = f(**kwargs)
if result:
    print(json.dumps(result))
'''

FLOOR_PYDANTIC = '''
import json
import sys

from pydmod import Config, Point, g

with open(sys.argv[1]) as fh:
    params = {p["name"]: p["value"] for p in json.load(fh)}
result = g(
    cfg=Config.model_validate(json.loads(params["cfg"])),
    points=[Point.model_validate(p) for p in json.loads(params["points"])],
    n=int(params["n"]),
)
if result:
    print(json.dumps(result))
'''

JSON_ARGS = [
    {"name": "a", "value": "7"},
    {"name": "b", "value": "hello"},
    {"name": "ratio", "value": "0.25"},
    {"name": "flag", "value": "true"},
    {"name": "xs", "value": json.dumps(list(range(50)))},
    {"name": "weights", "value": json.dumps({f"k{i}": i / 10 for i in range(20)})},
    {"name": "note", "value": "null"},
]

PYDANTIC_ARGS = [
    {"name": "cfg", "value": json.dumps({"name": "c", "depth": 3, "origin": {"x": 1, "y": 2}})},
    {"name": "points", "value": json.dumps([{"x": i, "y": -i} for i in range(20)])},
    {"name": "n", "value": "3"},
]


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _can_import(statement: str, cwd: str, env: dict[str, str]) -> bool:
    return subprocess.run([sys.executable, "-c", statement], cwd=cwd, env=env, capture_output=True).returncode == 0


def main() -> int:
    """Run the cases, print the table, exit 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="runs per case (default 30)")
    opts = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hera-runner-bench-") as tmp:
        files = {
            "jsonmod.py": JSON_MODULE,
            "scriptmod.py": SCRIPT_MODULE,
            "pydmod.py": PYDANTIC_MODULE,
            "floor_json.py": FLOOR_JSON,
            "floor_pydantic.py": FLOOR_PYDANTIC,
            "json_args": json.dumps(JSON_ARGS),
            "pydantic_args": json.dumps(PYDANTIC_ARGS),
        }
        for name, text in files.items():
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
        env["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pycache")
        env["hera__outputs_directory"] = os.path.join(tmp, "out")
        py = sys.executable
        runner = [py, "-m", "hera.workflows.runner", "-e"]
        cases: dict[str, list[str]] = {
            "python -c pass": [py, "-c", "pass"],
            "(a) floor: plain script, JSON args": [py, "floor_json.py", "json_args"],
            "(b) runner, JSON args": [*runner, "jsonmod:f", "json_args"],
        }
        has_script = _can_import("import scriptmod", tmp, env)
        if has_script:
            cases["(b') runner, JSON args, @script module"] = [*runner, "scriptmod:f", "json_args"]
        cases["(c) floor: plain script + pydantic"] = [py, "floor_pydantic.py", "pydantic_args"]
        cases["(c) runner, pydantic-model args"] = [*runner, "pydmod:g", "pydantic_args"]
        imports = {
            "import jsonmod (plain user module)": [py, "-c", "import jsonmod"],
            "import pydmod (pydantic user module)": [py, "-c", "import pydmod"],
            "from pydantic import BaseModel": [py, "-c", "from pydantic import BaseModel"],
            "import hera.workflows._runner.cli": [py, "-c", "import hera.workflows._runner.cli"],
        }
        if has_script:
            imports["import scriptmod (@script user module)"] = [py, "-c", "import scriptmod"]
            imports["from hera.workflows import script"] = [py, "-c", "from hera.workflows import script"]
        everything = {**cases, **imports}
        for name, cmd in everything.items():  # warm byte-code caches and check every case works
            done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"case {name!r} failed:\n{done.stderr}", file=sys.stderr)
                return 2
        samples: dict[str, list[float]] = {name: [] for name in everything}
        for _ in range(opts.n):
            for name, cmd in everything.items():
                start = time.perf_counter()
                subprocess.run(cmd, cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                samples[name].append(time.perf_counter() - start)

    med = {name: _median_ms(s) for name, s in samples.items()}
    floor_a = med["(a) floor: plain script, JSON args"]
    floor_c = med["(c) floor: plain script + pydantic"]
    goals = {
        "(b) runner, JSON args": (floor_a, 1.5),
        "(b') runner, JSON args, @script module": (floor_a, 1.5),
        "(c) runner, pydantic-model args": (floor_c, 1.3),
    }
    print(f"runner cold start, median of {opts.n} fresh processes (Python {sys.version.split()[0]})")
    print(f"{'case':<42} {'median ms':>10} {'x floor':>8} {'goal':>6}")
    missed = False
    for name in cases:
        line = f"{name:<42} {med[name]:>10.1f}"
        if name in goals:
            floor, goal = goals[name]
            ratio = med[name] / floor
            # (b') includes the authoring layer's import cost, reported rather than held to the runner's goal
            ok = ratio <= goal
            missed |= not ok and not name.startswith("(b')")
            line += f" {ratio:>8.2f} {goal:>5.1f}x {'ok' if ok else 'MISSED'}"
        print(line)
    base = med["python -c pass"]
    print(f"\n{'import cost in a fresh process (minus python -c pass)':<54} {'ms':>6}")
    for name in imports:
        print(f"{name:<54} {med[name] - base:>6.1f}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
