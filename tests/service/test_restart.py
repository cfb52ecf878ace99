"""A wait survives the server going away: `hera server` is killed mid-wait and started again on the same
state directory; the engine carries the workflow on and the client's wait completes."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from hera.workflows import models as m
from hera.workflows.service import WorkflowsService
from tests.server._support import HeraServerProcess, free_port


def test_wait_completes_across_a_server_restart(tmp_path: Path) -> None:
    server = HeraServerProcess(tmp_path / "state", free_port()).start()
    try:
        svc = WorkflowsService(host=server.url, namespace="default", retries=1)
        source = "import time\ntime.sleep(1.5)\nprint('survived')"
        wf = m.Workflow(
            metadata=m.ObjectMeta(generate_name="restart-"),
            spec=m.WorkflowSpec(
                entrypoint="main",
                templates=[m.Template(name="main", script=m.ScriptTemplate(image="python:3.11", command=["python"], source=source))],
            ),
        )
        name = svc.create_workflow(m.WorkflowCreateRequest(workflow=wf)).metadata.name
        result: dict[str, Any] = {}

        def wait() -> None:
            try:
                result["wf"] = svc.wait_workflow(name, timeout=60, poll_interval=0.5)
            except BaseException as e:
                result["error"] = e

        waiter = threading.Thread(target=wait)
        waiter.start()
        time.sleep(0.5)
        server.kill()  # SIGKILL: no goodbye to the client, the node process dies with the sandbox
        time.sleep(1.0)
        assert waiter.is_alive(), result  # still waiting while nothing answers
        server.start()
        waiter.join(60)
        assert "error" not in result, result["error"]
        done = result["wf"]
        assert done.status.phase == "Succeeded"
        assert [n.outputs.result for n in done.status.nodes.values() if n.type == "Pod"] == ["survived"]
    finally:
        server.kill()
