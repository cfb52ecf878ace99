"""Import-time benchmark: median wall time of N fresh interpreter runs per statement, printed as a table.

    .venv/bin/python benchmarks/import_time.py [-n 15] [STATEMENT ...]

Each STATEMENT runs as `python -c STATEMENT` in a new process, twice over: `src` with PYTHONDONTWRITEBYTECODE=1
(the installed libraries' bytecode is used, hera's own modules compile from source, as in a fresh checkout),
`pyc` with every module's bytecode cached by a warm-up run (a temporary PYTHONPYCACHEPREFIX, never the tree).
Each median is also shown as the difference to the first statement (`import pydantic` by default).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

DEFAULT = [
    "import pydantic",
    "pass",
    "from pydantic import BaseModel",
    "import hera.workflows.models",
    "from hera.workflows.models import Workflow, Template, Parameter",
    "from hera.workflows.models import Workflow; Workflow(metadata={'name': 'w'}, spec={})",
    "import hera.events.models",
    "from hera.events.models import Sensor, EventSource",
    "from hera.workflows import DAG, Container, Parameter, Steps, Task, Workflow, script",
]


def run_once(statement: str, env: dict[str, str]) -> float:
    """Wall seconds of one `python -c statement` in a fresh process; raises if the statement fails."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", statement], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["(no output)"]
        raise RuntimeError(lines[-1])
    return elapsed


def measure(statement: str, runs: int, env: dict[str, str]) -> float:
    """Median seconds over `runs` fresh processes, after one warm-up run."""
    run_once(statement, env)
    return statistics.median(run_once(statement, env) for _ in range(runs))


def environments(tmp: str) -> dict[str, dict[str, str]]:
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    return {
        "src": {**base, "PYTHONDONTWRITEBYTECODE": "1"},
        "pyc": {**base, "PYTHONPYCACHEPREFIX": os.path.join(tmp, "pyc")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="median import time of fresh interpreters")
    parser.add_argument("-n", "--runs", type=int, default=15, help="fresh processes per statement and mode")
    parser.add_argument("statements", nargs="*", help="python statements (default: a built-in list)")
    args = parser.parse_args(argv)
    statements = args.statements or DEFAULT
    width = max(len(s) for s in statements)
    with tempfile.TemporaryDirectory() as tmp:
        envs = environments(tmp)
        print(f"{'statement':<{width}}  {'src_s':>9} {'vs_first':>9}  {'pyc_s':>9} {'vs_first':>9}")
        base: dict[str, float] = {}
        for statement in statements:
            cells = []
            for mode, env in envs.items():
                try:
                    median = measure(statement, args.runs, env)
                except RuntimeError as err:
                    cells.append(f"{'failed: ' + str(err):>19}"[:19])
                    continue
                base.setdefault(mode, median)
                cells.append(f"{median:9.3f} {median - base[mode]:+9.3f}")
            print(f"{statement:<{width}}  " + "  ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
