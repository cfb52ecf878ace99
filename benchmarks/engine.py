"""Engine throughput: 1,000 no-op Python script tasks as a DAG and as a 1,000-item fan-out, against the floor of
starting the same number of Python processes directly with the same parallelism.

    python benchmarks/engine.py [--n 1000] [--parallelism N] [--isolation auto|overlay|tmp|none] [--json out.json]

Reports tasks/s, the ratio to the floor (goal >= 0.8), the wall-clock overhead per node
((engine - floor) / n x parallelism, i.e. the time each process slot loses per node; goal <= 5 ms) and the
engine's own CPU per node (scheduler, store, process start-up, sandbox helper included).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def floor(n: int, parallelism: int, python: str) -> float:
    """Seconds to run `python <no-op script>` n times, `parallelism` at a time."""
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, "script")
        with open(script, "w") as f:
            f.write("pass\n")

        def one(_: int) -> None:
            subprocess.run([python, script], capture_output=True, check=True)

        t = time.perf_counter()
        with ThreadPoolExecutor(parallelism) as ex:
            list(ex.map(one, range(n)))
        return time.perf_counter() - t


def dag_workflow(n: int) -> dict[str, Any]:
    """n no-op script tasks; task i depends on task (i-1)//2 (a binary tree: parallel, with real edges)."""
    tasks = []
    for i in range(n):
        t: dict[str, Any] = {"name": f"t{i}", "template": "noop"}
        if i:
            t["depends"] = f"t{(i - 1) // 2}"
        tasks.append(t)
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "bench-dag-"},
        "spec": {
            "entrypoint": "main",
            "templates": [
                {"name": "main", "dag": {"tasks": tasks}},
                {"name": "noop", "script": {"image": "python:3.11", "command": ["python"], "source": "pass\n"}},
            ],
        },
    }


def fanout_workflow(n: int) -> dict[str, Any]:
    """One step expanded over n items (withSequence)."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "bench-fanout-"},
        "spec": {
            "entrypoint": "main",
            "templates": [
                {
                    "name": "main",
                    "steps": [[{"name": "noop", "template": "noop", "withSequence": {"count": str(n)}}]],
                },
                {"name": "noop", "script": {"image": "python:3.11", "command": ["python"], "source": "pass\n"}},
            ],
        },
    }


def run_engine(wf: dict[str, Any], parallelism: int, isolation: str, state_dir: str) -> dict[str, Any]:
    """Run one workflow on a fresh engine; wall time from submission to completion, engine and node CPU."""
    from hera.engine import Engine, EngineOptions

    options = EngineOptions(parallelism=parallelism, isolation=isolation)
    # warm-up on its own engine: the first node pays for compiling the sandbox helper and loading modules
    with Engine(state_dir, options=options) as warm_engine:
        w = warm_engine.create_workflow("default", fanout_workflow(2))
        warm_engine.wait_workflow("default", w["metadata"]["name"], timeout=120)
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    engine = Engine(state_dir, options=options)
    engine.start()
    try:
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        t = time.perf_counter()
        created = engine.create_workflow("default", wf)
        done = engine.wait_workflow("default", created["metadata"]["name"], timeout=3600)
        wall = time.perf_counter() - t
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        mode = engine.sandbox_mode
    finally:
        engine.close()
    # node processes are children of the sandbox helper's fork server: their CPU reaches this process's
    # RUSAGE_CHILDREN when the engine has closed and reaped the server
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    pods = [n for n in done["status"]["nodes"].values() if n.get("type") == "Pod"]
    return {
        "phase": done["status"]["phase"],
        "pods": len(pods),
        "wall": wall,
        "engine_cpu": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime),
        "children_cpu": (kids1.ru_utime - kids0.ru_utime) + (kids1.ru_stime - kids0.ru_stime),
        "isolation": mode,
    }


def _median(values: list[float]) -> float:
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--parallelism", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--isolation", default="auto", choices=["auto", "overlay", "tmp", "none"])
    parser.add_argument("--rounds", type=int, default=3, help="floor/engine rounds (each engine run next to a floor run)")
    parser.add_argument("--json", default=None, help="write the figures to this file")
    args = parser.parse_args(argv)
    n, par = args.n, args.parallelism
    python = sys.executable
    report: dict[str, Any] = {"n": n, "parallelism": par, "python": python, "isolation": args.isolation, "rounds": []}
    for rnd in range(args.rounds):
        row: dict[str, Any] = {}
        for label, wf in (("dag", dag_workflow(n)), ("fanout", fanout_workflow(n))):
            k0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            f = floor(n, par, python)
            k1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            floor_cpu = (k1.ru_utime - k0.ru_utime) + (k1.ru_stime - k0.ru_stime)
            with tempfile.TemporaryDirectory(prefix="hera-bench-") as d:
                r = run_engine(wf, par, args.isolation, d)
            r["floor_wall"] = f
            r["tasks_per_s"] = n / r["wall"]
            r["floor_tasks_per_s"] = n / f
            r["ratio_to_floor"] = f / r["wall"]
            r["overhead_ms_per_node"] = (r["wall"] - f) / n * par * 1000
            r["engine_cpu_ms_per_node"] = r["engine_cpu"] / n * 1000
            r["extra_child_cpu_ms_per_node"] = (r["children_cpu"] - floor_cpu) / n * 1000
            row[label] = r
            print(
                f"round {rnd + 1} {label:6s}: {r['phase']} {r['pods']} pods in {r['wall']:.2f}s = {r['tasks_per_s']:.1f}/s"
                f" (floor {f:.2f}s = {n / f:.1f}/s): {r['ratio_to_floor']:.2f}x floor,"
                f" overhead {r['overhead_ms_per_node']:.2f} ms/node; engine CPU {r['engine_cpu_ms_per_node']:.2f} ms/node,"
                f" extra child CPU {r['extra_child_cpu_ms_per_node']:.2f} ms/node",
                flush=True,
            )
        report["rounds"].append(row)
    ok = True
    for label in ("dag", "fanout"):
        runs = [row[label] for row in report["rounds"]]
        summary = {
            key: _median([r[key] for r in runs])
            for key in ("tasks_per_s", "floor_tasks_per_s", "ratio_to_floor", "overhead_ms_per_node", "engine_cpu_ms_per_node")
        }
        report[label] = summary
        ok = ok and summary["ratio_to_floor"] >= 0.8 and summary["overhead_ms_per_node"] <= 5.0
        print(
            f"median {label:6s}: {summary['tasks_per_s']:.1f} tasks/s vs floor {summary['floor_tasks_per_s']:.1f}/s"
            f" = {summary['ratio_to_floor']:.2f}x; overhead {summary['overhead_ms_per_node']:.2f} ms/node;"
            f" engine CPU {summary['engine_cpu_ms_per_node']:.2f} ms/node"
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
