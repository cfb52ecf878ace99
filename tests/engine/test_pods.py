"""Pod-like features on the real engine: containerSet, init containers, sidecars, daemons, test-image shims,
synchronization, memoization, data and HTTP templates."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import pytest

from hera.engine import Engine
from tests.engine.helpers import nodes_by_display, run


def test_container_set_runs_containers_in_dependency_order(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cset-}
spec:
  entrypoint: main
  templates:
  - name: main
    volumes: [{name: ws, emptyDir: {}}]
    containerSet:
      volumeMounts: [{name: ws, mountPath: /ws}]
      containers:
      - {name: a, image: alpine:3.23, command: [sh, -c, "echo a > /ws/a"]}
      - {name: b, image: alpine:3.23, command: [sh, -c, "echo b > /ws/b"]}
      - {name: main, image: alpine:3.23, command: [sh, -c, "cat /ws/a /ws/b"], dependencies: [a, b]}
""",
    )
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    nodes = nodes_by_display(wf)
    pod = nodes[wf["metadata"]["name"]]
    assert pod["outputs"]["result"] == "a\nb"
    assert nodes[f"{wf['metadata']['name']}.main"]["type"] == "Container"
    assert nodes[f"{wf['metadata']['name']}.a"]["phase"] == "Succeeded"


def test_init_containers_sidecars_and_test_image_shims(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: pod-}
spec:
  entrypoint: main
  templates:
  - name: main
    volumes: [{name: shared, emptyDir: {}}]
    initContainers:
    - {name: init, image: alpine:3.23, command: [sh, -c, "echo from-init > /shared/i"], mirrorVolumeMounts: true}
    sidecars:
    - {name: side, image: alpine:3.23, command: [sleep, "300"]}
    container:
      image: argoproj/argosay:v2
      args: [echo, hello]
      volumeMounts: [{name: shared, mountPath: /shared}]
""",
    )
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    assert nodes_by_display(wf)[wf["metadata"]["name"]]["outputs"]["result"] == "hello"


def test_argosay_and_cowsay_shims_and_missing_programs(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: shims-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: file, template: file}
      - {name: cow, template: cow}
      - {name: missing, template: missing, continueOn: {failed: true}}
  - name: file
    container: {image: argoproj/argosay:v2, args: [echo, "in a file", /tmp/out/msg.txt]}
    outputs: {parameters: [{name: m, valueFrom: {path: /tmp/out/msg.txt}}]}
  - name: cow
    container: {image: docker/whalesay, command: [cowsay], args: [moo]}
  - name: missing
    container: {image: alpine:3.23, command: [no-such-program]}
""",
    )
    nodes = nodes_by_display(wf)
    assert nodes["file"]["outputs"]["parameters"][0]["value"] == "in a file"
    assert "< moo >" in nodes["cow"]["outputs"]["result"]
    assert nodes["missing"]["phase"] == "Failed"
    assert nodes["missing"]["outputs"]["exitCode"] == "127"


def test_daemon_serves_its_steps_and_is_stopped_with_them(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: daemon-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: server, template: server}
    - - name: client
        template: client
        arguments: {parameters: [{name: ip, value: "{{steps.server.ip}}"}]}
  - name: server
    daemon: true
    script:
      image: python:alpine3.23
      command: [python]
      source: |
        import http.server, socketserver
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200); self.end_headers(); self.wfile.write(b"pong")
        socketserver.TCPServer.allow_reuse_address = True
        socketserver.TCPServer(("127.0.0.1", 18765), H).serve_forever()
  - name: client
    inputs: {parameters: [{name: ip}]}
    script:
      image: python:alpine3.23
      command: [python]
      source: |
        import time, urllib.request
        for _ in range(50):
            try:
                print(urllib.request.urlopen("http://{{inputs.parameters.ip}}:18765").read().decode()); break
            except OSError:
                time.sleep(0.1)
""",
    )
    nodes = nodes_by_display(wf)
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    assert nodes["client"]["outputs"]["result"] == "pong"
    assert nodes["server"]["phase"] == "Succeeded"
    assert "daemoned" not in nodes["server"]


def test_mutex_serializes_nodes(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: mutex-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: s, template: locked, withSequence: {count: "3"}}
  - name: locked
    synchronization: {mutexes: [{name: only-one}]}
    script:
      image: python:alpine3.23
      command: [python]
      source: |
        import time
        print(time.time()); time.sleep(0.2); print(time.time())
""",
    )
    assert wf["status"]["phase"] == "Succeeded"
    spans = sorted(
        tuple(map(float, n["outputs"]["result"].split())) for n in wf["status"]["nodes"].values() if n["type"] == "Pod"
    )
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


def test_memoization_reuses_outputs(engine: Engine) -> None:
    doc = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: memo-}
spec:
  entrypoint: main
  templates:
  - name: main
    memoize: {key: "k-{{workflow.parameters.x}}", maxAge: "1h", cache: {configMap: {name: memo-cache}}}
    script: {image: python:alpine3.23, command: [python], source: "import random; print(random.random())"}
  arguments: {parameters: [{name: x, value: same}]}
"""
    first = run(engine, doc)
    second = run(engine, doc)
    n1 = first["status"]["nodes"][first["metadata"]["name"]]
    n2 = second["status"]["nodes"][second["metadata"]["name"]]
    assert n1["memoizationStatus"]["hit"] is False
    assert n2["memoizationStatus"] == {"hit": True, "key": "k-same", "cacheName": "memo-cache"}
    assert n2["outputs"]["result"] == n1["outputs"]["result"]


def test_data_template_lists_and_filters_repository_keys(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: data-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: put, template: put}
    - - {name: list, template: list}
  - name: put
    container: {image: alpine:3.23, command: [sh, -c, "mkdir /tmp/d && touch /tmp/d/a.log /tmp/d/b.txt"]}
    outputs: {artifacts: [{name: d, path: /tmp/d, archive: {none: {}}, s3: {key: datadir}}]}
  - name: list
    data:
      source: {artifactPaths: {name: d, s3: {key: datadir}}}
      transformation:
      - expression: 'filter(data, {# endsWith ".log"})'
""",
    )
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    assert json.loads(nodes_by_display(wf)["list"]["outputs"]["result"]) == ["datadir/a.log"]


@pytest.fixture()
def http_server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            code = 200 if self.path == "/ok" else 503
            self.send_response(code)
            self.end_headers()
            self.wfile.write(b'{"status": "fine"}')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_http_template_success_condition_and_status(engine: Engine, http_server: str) -> None:
    wf = run(
        engine,
        {
            "metadata": {"generateName": "http-"},
            "spec": {
                "entrypoint": "main",
                "templates": [
                    {
                        "name": "main",
                        "steps": [
                            [
                                {"name": "ok", "template": "get", "arguments": {"parameters": [{"name": "p", "value": "ok"}]}},
                                {
                                    "name": "bad",
                                    "template": "get",
                                    "continueOn": {"failed": True},
                                    "arguments": {"parameters": [{"name": "p", "value": "down"}]},
                                },
                            ]
                        ],
                    },
                    {
                        "name": "get",
                        "inputs": {"parameters": [{"name": "p"}]},
                        "http": {"url": f"{http_server}/{{{{inputs.parameters.p}}}}"},
                    },
                ],
            },
        },
    )
    nodes = nodes_by_display(wf)
    assert nodes["ok"]["type"] == "HTTP" and nodes["ok"]["phase"] == "Succeeded"
    assert json.loads(nodes["ok"]["outputs"]["result"]) == {"status": "fine"}
    assert nodes["bad"]["message"] == "received non-2xx response code: 503"


def test_workflow_level_mutex_and_semaphore_from_a_config_map(engine: Engine) -> None:
    engine.put_config_map("default", {"metadata": {"name": "limits"}, "data": {"two": "2"}})
    doc = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: wf-mutex-}
spec:
  entrypoint: main
  synchronization: {mutexes: [{name: whole-workflow}]}
  templates:
  - name: main
    steps:
    - - {name: s, template: sem, withSequence: {count: "4"}}
  - name: sem
    synchronization: {semaphores: [{configMapKeyRef: {name: limits, key: two}}]}
    script:
      image: python:alpine3.23
      command: [python]
      source: |
        import time
        print(time.time()); time.sleep(0.3); print(time.time())
"""
    from tests.engine.helpers import load

    first = engine.create_workflow("default", load(doc))["metadata"]["name"]
    second = engine.create_workflow("default", load(doc))["metadata"]["name"]
    import time

    end = time.monotonic() + 10
    waiting = engine.get_workflow("default", second)
    while "message" not in waiting["status"] and time.monotonic() < end:
        time.sleep(0.05)
        waiting = engine.get_workflow("default", second)
    assert waiting["status"]["phase"] == "Pending"
    assert "whole-workflow" in waiting["status"]["message"]
    a = engine.wait_workflow("default", first, timeout=60)
    b = engine.wait_workflow("default", second, timeout=60)
    assert a["status"]["phase"] == b["status"]["phase"] == "Succeeded"
    assert a["status"]["finishedAt"] <= b["status"]["startedAt"]
    spans = [tuple(map(float, n["outputs"]["result"].split())) for n in a["status"]["nodes"].values() if n["type"] == "Pod"]
    most = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
    assert most == 2
