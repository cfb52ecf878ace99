"""REST client figures: create+wait latency of a one-node workflow and the cost of one request, through the
in-process local transport and over HTTP on localhost (uvicorn), against the engine called directly.

    .venv/bin/python benchmarks/service.py [-n 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hera.workflows import models as m
from hera.workflows.service import WorkflowsService


def one_node() -> m.WorkflowCreateRequest:
    template = m.Template(name="main", script=m.ScriptTemplate(image="python:3.11", command=["python"], source="print(1)"))
    wf = m.Workflow(metadata=m.ObjectMeta(generate_name="bench-"), spec=m.WorkflowSpec(entrypoint="main", templates=[template]))
    return m.WorkflowCreateRequest(workflow=wf)


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def report(label: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    print(f"{label:<48} median {statistics.median(ms):8.2f} ms   p90 {ms[int(len(ms) * 0.9) - 1]:8.2f} ms")


def create_and_wait(svc: WorkflowsService) -> None:
    name = svc.create_workflow(one_node()).metadata.name
    done = svc.wait_workflow(name, timeout=60, poll_interval=5)
    assert done.status.phase == "Succeeded", done.status.phase


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    import os

    os.environ["HERA_STATE_DIR"] = tempfile.mkdtemp(prefix="hera-bench-")
    local = WorkflowsService(host="local")
    start = time.perf_counter()
    create_and_wait(local)
    print(f"{'local: first create+wait (engine start included)':<48} {1000 * (time.perf_counter() - start):8.2f} ms")
    report("local: create+wait, one-node script workflow", timed(lambda: create_and_wait(local), args.n))
    name = local.list_workflows(limit=1).items[0].metadata.name
    report("local: get_version", timed(local.get_version, args.n * 20))
    report("local: get_workflow (one node)", timed(lambda: local.get_workflow(name), args.n * 20))

    from hera.engine.server.local import local_app

    engine = local_app().state.holder.get()
    report("engine direct: get_workflow (no REST)", timed(lambda: engine.get_workflow("default", name), args.n * 20))

    from tests.server._support import ThreadServer

    with ThreadServer(local_app()) as server:
        remote = WorkflowsService(host=server.url, namespace="default")
        remote.get_version()
        report("http localhost: get_version", timed(remote.get_version, args.n * 20))
        report("http localhost: get_workflow (one node)", timed(lambda: remote.get_workflow(name), args.n * 20))
        report("http localhost: create+wait, one-node workflow", timed(lambda: create_and_wait(remote), args.n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
