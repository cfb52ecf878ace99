"""Import-time benchmark: median wall time of N fresh interpreter runs per command, printed as a table.

    .venv/bin/python benchmarks/import_time.py [-n 15] [STATEMENT ...]

Each STATEMENT runs as `python -c STATEMENT` in a new process (so nothing is cached in memory); the table
shows the median and the minimum, and each median's difference to the first row (`import pydantic` unless
statements are given). Byte-code caches are warmed by one run before timing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
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


def run_once(statement: str) -> float:
    """Wall seconds of one `python -c statement` in a fresh process; fails loudly if the statement fails."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", statement], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"`{statement}` failed:\n{proc.stderr.strip()}")
    return elapsed


def measure(statement: str, runs: int) -> tuple[float, float]:
    """(median, min) seconds over `runs` fresh processes, after one warm-up run."""
    run_once(statement)
    times = [run_once(statement) for _ in range(runs)]
    return statistics.median(times), min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="median import time of fresh interpreters")
    parser.add_argument("-n", "--runs", type=int, default=15, help="fresh processes per statement")
    parser.add_argument("statements", nargs="*", help="python statements (default: a built-in list)")
    args = parser.parse_args(argv)
    statements = args.statements or DEFAULT
    base: float | None = None
    width = max(len(s) for s in statements)
    print(f"{'statement':<{width}}  median_s    min_s  vs_first")
    for statement in statements:
        try:
            median, low = measure(statement, args.runs)
        except SystemExit as err:
            print(f"{statement:<{width}}  (failed: {str(err).splitlines()[-1]})")
            continue
        if base is None:
            base = median
        print(f"{statement:<{width}}  {median:8.3f} {low:8.3f} {median - base:+9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
