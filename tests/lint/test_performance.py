"""A guard against accidental quadratic work: linting a 10,000-task DAG stays fast (benchmarks/lint.py measures)."""

from __future__ import annotations

import time
from typing import Any

from hera.lint import lint_workflow


def chain_dag(n: int) -> dict[str, Any]:
    tasks = [{"name": "t0", "template": "echo", "arguments": {"parameters": [{"name": "m", "value": "x"}]}}]
    for i in range(1, n):
        value = f"{{{{tasks.t{i - 1}.outputs.result}}}}"
        tasks.append(
            {"name": f"t{i}", "template": "echo", "depends": f"t{i - 1}", "arguments": {"parameters": [{"name": "m", "value": value}]}}
        )
    echo = {"name": "echo", "inputs": {"parameters": [{"name": "m"}]}, "container": {"image": "a", "args": ["{{inputs.parameters.m}}"]}}
    return {"kind": "Workflow", "metadata": {"name": "big"}, "spec": {"entrypoint": "main", "templates": [{"name": "main", "dag": {"tasks": tasks}}, echo]}}


def test_ten_thousand_task_chain_lints_in_linear_time() -> None:
    doc = chain_dag(10_000)
    start = time.perf_counter()
    problems = lint_workflow(doc)
    elapsed = time.perf_counter() - start
    assert problems == []
    # about 0.25 s on a shared 2-core machine; quadratic work would take tens of seconds
    assert elapsed < 3.0, elapsed


def test_a_late_cycle_in_a_long_chain_is_found() -> None:
    doc = chain_dag(5_000)
    doc["spec"]["templates"][0]["dag"]["tasks"][0]["depends"] = "t4999"
    problems = lint_workflow(doc)
    assert [p.rule for p in problems] == ["dag-cycle"]
    assert problems[0].message.startswith("dependency cycle detected: t0 -> t4999 -> t4998")
