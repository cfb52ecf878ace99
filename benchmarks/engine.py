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
            subprocess.run([python, script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)

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
    """Run one workflow on a fresh engine; wall time from submission to completion, engine CPU."""
    from hera.engine import Engine, EngineOptions

    engine = Engine(state_dir, options=EngineOptions(parallelism=parallelism, isolation=isolation))
    engine.start()
    try:
        # warm-up: the first node pays for compiling the sandbox helper and loading modules
        warm = fanout_workflow(2)
        w = engine.create_workflow("default", warm)
        engine.wait_workflow("default", w["metadata"]["name"], timeout=120)
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        created = engine.create_workflow("default", wf)
        done = engine.wait_workflow("default", created["metadata"]["name"], timeout=3600)
        wall = time.perf_counter() - t
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        pods = [n for n in done["status"]["nodes"].values() if n.get("type") == "Pod"]
        return {
            "phase": done["status"]["phase"],
            "pods": len(pods),
            "wall": wall,
            "engine_cpu": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime),
            "children_cpu": (kids1.ru_utime - kids0.ru_utime) + (kids1.ru_stime - kids0.ru_stime),
            "isolation": engine.sandbox_mode,
        }
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--parallelism", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--isolation", default="auto", choices=["auto", "overlay", "tmp", "none"])
    parser.add_argument("--json", default=None, help="write the figures to this file")
    args = parser.parse_args(argv)
    n, par = args.n, args.parallelism
    python = sys.executable
    report: dict[str, Any] = {"n": n, "parallelism": par, "python": python}
    k0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    f = floor(n, par, python)
    k1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    report["floor"] = {
        "wall": f,
        "tasks_per_s": n / f,
        "children_cpu": (k1.ru_utime - k0.ru_utime) + (k1.ru_stime - k0.ru_stime),
    }
    print(f"floor: {n} python processes, {par} at a time: {f:.2f}s = {n / f:.1f}/s")
    for label, wf in (("dag", dag_workflow(n)), ("fanout", fanout_workflow(n))):
        with tempfile.TemporaryDirectory(prefix="hera-bench-") as d:
            r = run_engine(wf, par, args.isolation, d)
        r["tasks_per_s"] = n / r["wall"]
        r["ratio_to_floor"] = f / r["wall"]
        r["overhead_ms_per_node"] = (r["wall"] - f) / n * par * 1000
        r["engine_cpu_ms_per_node"] = r["engine_cpu"] / n * 1000
        r["extra_child_cpu_ms_per_node"] = (r["children_cpu"] - report["floor"]["children_cpu"]) / n * 1000
        report[label] = r
        print(
            f"{label:6s}: {r['phase']} {r['pods']} pods in {r['wall']:.2f}s = {r['tasks_per_s']:.1f}/s,"
            f" {r['ratio_to_floor']:.2f}x floor, overhead {r['overhead_ms_per_node']:.2f} ms/node"
            f" (engine CPU {r['engine_cpu_ms_per_node']:.2f} ms/node, sandbox+helper CPU"
            f" {r['extra_child_cpu_ms_per_node']:.2f} ms/node, isolation {r['isolation']})"
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)
    ok = all(report[k]["ratio_to_floor"] >= 0.8 and report[k]["overhead_ms_per_node"] <= 5.0 for k in ("dag", "fanout"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
