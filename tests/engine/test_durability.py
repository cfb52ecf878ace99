"""Durability with real processes and a real SIGKILL: a killed engine loses no workflow, node or log, and a
restarted engine carries the workflow on; two engines on one state directory never run a workflow twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hera.engine import Engine
from tests.engine.helpers import nodes_by_display

DRIVER = """
import json, sys, time
from hera.engine import Engine
engine = Engine(sys.argv[1])
engine.start()
if len(sys.argv) > 2:
    wf = engine.create_workflow("default", json.loads(sys.argv[2]))
    print(wf["metadata"]["name"], flush=True)
else:
    print("runner" if engine.is_runner else "follower", flush=True)
while True:
    time.sleep(1)
"""


def _driver(tmp_path: Path, state: Path, *extra: str) -> subprocess.Popen[str]:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    return subprocess.Popen(
        [sys.executable, str(script), str(state), *extra], stdout=subprocess.PIPE, text=True, env={**os.environ}
    )


def _until(fn: Callable[[], Any], timeout: float = 30) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = fn()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not reached")


def _node_processes(node_id: str) -> list[int]:
    """Pids of live processes started for a node (found by their ARGO_NODE_ID)."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            env = Path(f"/proc/{pid}/environ").read_bytes()
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            continue
        if f"ARGO_NODE_ID={node_id}".encode() in env.split(b"\0") and state != "Z":
            out.append(int(pid))
    return out


def test_sigkilled_engine_loses_nothing_and_carries_on(tmp_path: Path) -> None:
    state = tmp_path / "state"
    wf_doc = {
        "metadata": {"generateName": "durable-"},
        "spec": {
            "entrypoint": "main",
            "templates": [
                {
                    "name": "main",
                    "steps": [
                        [{"name": "a", "template": "echo", "arguments": {"parameters": [{"name": "m", "value": "first"}]}}],
                        [{"name": "b", "template": "slow"}],
                        [{"name": "c", "template": "echo", "arguments": {"parameters": [{"name": "m", "value": "{{steps.b.outputs.result}}"}]}}],
                    ],
                },
                {"name": "echo", "inputs": {"parameters": [{"name": "m"}]}, "container": {"image": "alpine:3.23", "command": ["echo", "{{inputs.parameters.m}}"]}},
                {"name": "slow", "container": {"image": "alpine:3.23", "command": ["sh", "-c", "echo started-b; sleep 2; echo finished-b"]}},
            ],
        },
    }
    import json

    proc = _driver(tmp_path, state, json.dumps(wf_doc))
    assert proc.stdout is not None
    name = proc.stdout.readline().strip()
    reader = Engine(state)  # not started: reads the state directory only
    try:

        def b_running() -> dict[str, Any] | None:
            wf = reader.get_workflow("default", name)
            b = nodes_by_display(wf).get("b")
            if b and b["phase"] == "Running":
                logs = [e["content"] for e in reader.workflow_logs("default", name, pod_name="b")]
                if "started-b" in logs:
                    return wf
            return None

        before = _until(b_running)
        b_id = nodes_by_display(before)["b"]["id"]
        a_before = nodes_by_display(before)["a"]
        assert _node_processes(b_id)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # the node's process died with the engine
        _until(lambda: not _node_processes(b_id), timeout=10)
        mid = reader.get_workflow("default", name)
        assert mid["status"]["phase"] == "Running"
        assert nodes_by_display(mid)["a"] == a_before
    finally:
        reader.close()
        if proc.poll() is None:
            proc.kill()
    engine = Engine(state)
    engine.start()
    try:
        wf = engine.wait_workflow("default", name, timeout=60)
        nodes = nodes_by_display(wf)
        assert wf["status"]["phase"] == "Succeeded"
        assert nodes["a"]["startedAt"] == a_before["startedAt"]  # not run again
        assert [e["content"] for e in engine.workflow_logs("default", name, pod_name="a")] == ["first"]
        b_logs = [e["content"] for e in engine.workflow_logs("default", name, pod_name="b")]
        assert b_logs[0] == "started-b"  # the first attempt's log is kept
        assert any("re-run after engine restart" in line for line in b_logs)
        assert b_logs[-1] == "finished-b"
        assert nodes["c"]["outputs"]["result"] == "started-b\nfinished-b"
    finally:
        engine.close()


def test_two_engines_on_one_state_directory_never_double_run(tmp_path: Path) -> None:
    state = tmp_path / "state"
    counter = tmp_path / "counter"
    counter.mkdir()
    runner = _driver(tmp_path, state)
    assert runner.stdout is not None
    assert runner.stdout.readline().strip() == "runner"
    follower = Engine(state)
    follower.start()
    try:
        assert not follower.is_runner
        doc = {
            "metadata": {"generateName": "once-"},
            "spec": {
                "entrypoint": "count",
                "volumes": [{"name": "c", "hostPath": {"path": str(counter)}}],
                "templates": [
                    {
                        "name": "count",
                        "container": {
                            "image": "alpine:3.23",
                            "command": ["sh", "-c", "echo $$ >> /c/runs"],
                            "volumeMounts": [{"name": "c", "mountPath": "/c"}],
                        },
                    }
                ],
            },
        }
        name = follower.create_workflow("default", doc)["metadata"]["name"]
        wf = follower.wait_workflow("default", name, timeout=30)
        assert wf["status"]["phase"] == "Succeeded"
        time.sleep(1.0)
        assert len((counter / "runs").read_text().split()) == 1
        # the runner goes away: the follower takes over and runs new work
        os.kill(runner.pid, signal.SIGKILL)
        runner.wait(timeout=10)
        _until(lambda: follower.is_runner, timeout=10)
        name2 = follower.create_workflow("default", doc)["metadata"]["name"]
        assert follower.wait_workflow("default", name2, timeout=30)["status"]["phase"] == "Succeeded"
        assert len((counter / "runs").read_text().split()) == 2
    finally:
        follower.close()
        if runner.poll() is None:
            runner.kill()


@pytest.mark.slow
def test_follower_commands_reach_the_runner(tmp_path: Path) -> None:
    state = tmp_path / "state"
    runner = _driver(tmp_path, state)
    assert runner.stdout is not None and runner.stdout.readline().strip() == "runner"
    follower = Engine(state)
    follower.start()
    try:
        doc = {
            "metadata": {"generateName": "remote-stop-"},
            "spec": {"entrypoint": "s", "templates": [{"name": "s", "container": {"image": "alpine:3.23", "command": ["sleep", "60"]}}]},
        }
        name = follower.create_workflow("default", doc)["metadata"]["name"]
        _until(lambda: follower.get_workflow("default", name)["status"].get("phase") == "Running")
        follower.stop_workflow("default", name)
        wf = follower.wait_workflow("default", name, timeout=30)
        assert wf["status"]["phase"] == "Failed"
        assert wf["status"]["message"] == "Stopped with strategy 'Stop'"
    finally:
        follower.close()
        runner.kill()
