"""YAML benchmark: `hera.shared.yaml.dump`/`load` of an N-task workflow dict against bare libyaml PyYAML.

    .venv/bin/python benchmarks/yaml_dump.py [-n 10000] [--repeat 3]

Prints the best CPU time of each, and hera's dump as a multiple of `yaml.dump(..., Dumper=CSafeDumper)`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

import yaml

from hera.shared import yaml as hera_yaml


def workflow(tasks: int) -> dict[str, Any]:
    """A DAG of `tasks` tasks, each with a dependency and two arguments (one of them a `{{...}}` tag)."""
    dag = []
    for i in range(tasks):
        task: dict[str, Any] = {"name": f"task-{i}", "template": "work"}
        if i:
            task["depends"] = f"task-{i // 2}"
        task["arguments"] = {
            "parameters": [{"name": "i", "value": str(i)}, {"name": "msg", "value": "{{inputs.parameters.x}}"}]
        }
        dag.append(task)
    work = {
        "name": "work",
        "inputs": {"parameters": [{"name": "i"}, {"name": "msg"}]},
        "container": {"image": "alpine", "command": ["sh", "-c"], "args": ["echo {{inputs.parameters.i}}"]},
    }
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "big-"},
        "spec": {"entrypoint": "main", "templates": [{"name": "main", "dag": {"tasks": dag}}, work]},
    }


def best(fn: Callable[[], Any], repeat: int) -> float:
    """Lowest CPU seconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = workflow(args.tasks)
    text = hera_yaml.dump(data)
    bare = best(lambda: yaml.dump(data, Dumper=yaml.CSafeDumper, default_flow_style=False, sort_keys=False), args.repeat)
    ours = best(lambda: hera_yaml.dump(data), args.repeat)
    bare_load = best(lambda: yaml.load(text, Loader=yaml.CSafeLoader), args.repeat)
    our_load = best(lambda: hera_yaml.load(text), args.repeat)
    print(f"{args.tasks} tasks, {len(text):,} bytes of YAML (libyaml: {yaml.__with_libyaml__})")
    print(f"dump  bare CSafeDumper {bare:.3f}s  hera.shared.yaml.dump {ours:.3f}s  ({ours / bare:.2f}x)")
    print(f"load  bare CSafeLoader {bare_load:.3f}s  hera.shared.yaml.load {our_load:.3f}s  ({our_load / bare_load:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
