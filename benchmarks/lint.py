"""Benchmark of offline validation and of the expression evaluators.

- `lint_workflow` on DAG workflows of 1,000 and 10,000 tasks (a tree: task i depends on i // 2; and a chain:
  task i depends on i - 1), each task passing `{{tasks.<parent>.outputs.result}}` to a container template.
  Goal: a 10,000-task DAG lints in well under 0.5 s.
- Throughput of `substitute` (simple and `{{=...}}` tags), `evaluate_when` and `evaluate_depends`.

    .venv/bin/python benchmarks/lint.py [--repeat 5]

Times are the best of `--repeat` runs (the machine may be shared).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any


def dag_workflow(n: int, chain: bool) -> dict[str, Any]:
    tasks = []
    for i in range(n):
        parent = i - 1 if chain else i // 2
        task: dict[str, Any] = {"name": f"t{i}", "template": "echo"}
        if i:
            task["depends"] = f"t{parent}"
            task["arguments"] = {"parameters": [{"name": "message", "value": f"{{{{tasks.t{parent}.outputs.result}}}}"}]}
        else:
            task["arguments"] = {"parameters": [{"name": "message", "value": "start"}]}
        tasks.append(task)
    echo = {
        "name": "echo",
        "inputs": {"parameters": [{"name": "message"}]},
        "container": {"image": "alpine", "command": ["echo", "{{inputs.parameters.message}}"]},
    }
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "big-"},
        "spec": {"entrypoint": "main", "templates": [{"name": "main", "dag": {"tasks": tasks}}, echo]},
    }


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()

    start = time.perf_counter()
    from hera.engine.expressions import Scope, TaskOutcome, evaluate_depends, evaluate_when, substitute
    from hera.lint import lint_workflow

    print(f"import hera.lint + hera.engine.expressions: {(time.perf_counter() - start) * 1000:.0f} ms")

    for n in (1000, 10000):
        for chain in (False, True):
            doc = dag_workflow(n, chain)
            problems = lint_workflow(doc)
            assert not problems, problems[:3]
            seconds = best(lambda doc=doc: lint_workflow(doc), opts.repeat)
            shape = "chain" if chain else "tree "
            print(f"lint_workflow  {n:>6} tasks ({shape}): {seconds * 1000:7.1f} ms  ({seconds / n * 1e6:.1f} µs/task)")

    scope = Scope({"workflow.name": "w", "inputs.parameters.count": "3"}).child(
        {"tasks.a.outputs.result": "heads", "item": "x"}
    )
    count = 20000
    cases: list[tuple[str, Callable[[], object]]] = [
        ("substitute simple tag", lambda: substitute("echo {{inputs.parameters.count}} {{workflow.name}}", scope)),
        ("substitute {{=expr}} tag", lambda: substitute("{{=asInt(inputs.parameters.count) * 10}}", scope)),
        ("evaluate_when", lambda: evaluate_when("heads == heads && 3 > 2")),
        (
            "evaluate_depends",
            lambda: evaluate_depends("a && (b.Failed || b.Succeeded)", {"a": TaskOutcome("Succeeded"), "b": TaskOutcome("Failed")}),
        ),
    ]
    for label, fn in cases:
        seconds = best(lambda fn=fn: [fn() for _ in range(count)], opts.repeat)
        print(f"{label:<28}: {seconds / count * 1e6:6.2f} µs per call")


if __name__ == "__main__":
    main()
