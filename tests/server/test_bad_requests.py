"""Bad requests to the engine's server answer in Argo's error shape (`{"code", "message"}`) with a message that
names the field, never a 500; and `hera server` refuses bad options in one line before it starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from hera.exceptions import BadRequest
from hera.workflows.service import WorkflowsService
from tests.server._support import ThreadServer, free_port

WF = {
    "metadata": {"name": "bad-input"},
    "spec": {"entrypoint": "m", "templates": [{"name": "m", "container": {"image": "alpine"}}]},
}


def error(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"code", "message"} and isinstance(body["code"], int), body
    return str(body["message"])


def test_a_body_nested_too_deeply_is_400_not_500(http: httpx.Client) -> None:
    deep = b'{"workflow": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert "nested too deeply" in error(http.post("/api/v1/workflows/default", content=deep), 400)


def test_a_body_that_is_not_utf8_is_400(http: httpx.Client) -> None:
    assert "not valid JSON" in error(http.post("/api/v1/workflows/default", content=b"\xff\xfe{}"), 400)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/workflows/default", {"workflow": {**WF, "spec": {**WF["spec"], "parallelism": "abc"}}}, "workflow.spec.parallelism"),  # type: ignore[dict-item]
        ("/api/v1/workflow-templates/default", {"template": {"metadata": {"name": "t"}, "spec": {"templates": 5}}}, "template.spec.templates"),
        ("/api/v1/cron-workflows/default", {"cronWorkflow": {"metadata": {"name": "c"}, "spec": {"schedules": "* * * * *", "workflowSpec": WF["spec"]}}}, "cronWorkflow.spec.schedules"),
        ("/api/v1/workflows/default/submit", {"resourceKind": "WorkflowTemplate", "resourceName": 5}, "resourceName"),
    ],
)  # fmt: skip
def test_a_wrong_type_is_400_naming_the_field(http: httpx.Client, path: str, body: dict[str, object], field: str) -> None:
    assert f"{field}:" in error(http.post(path, json=body), 400)


def test_unknown_routes_and_methods_answer_json(http: httpx.Client) -> None:
    assert "no such API path: GET /api/v1/nosuch" in error(http.get("/api/v1/nosuch"), 404)
    assert "method PATCH is not allowed" in error(http.patch("/api/v1/workflows/default/x"), 405)
    assert "Argo Events" in error(http.get("/api/v1/event-sources/default"), 501)


def test_the_client_reports_the_servers_400_with_the_operation_and_field(server: ThreadServer) -> None:
    bad = {"workflow": {**WF, "spec": {**WF["spec"], "parallelism": "abc"}}}  # type: ignore[dict-item]
    with WorkflowsService(host=server.url, namespace="default") as svc, pytest.raises(BadRequest) as err:
        svc.create_workflow(bad)  # a dict body is sent as it is: the server validates it
    text = str(err.value)
    assert text.startswith("CreateWorkflow POST ") and "status code 400" in text
    assert "workflow.spec.parallelism" in text


def _hera_server(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hera", "server", "--port", str(free_port()), *args],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_hera_server_refuses_bad_options_in_one_line(tmp_path: Path) -> None:
    not_pem = tmp_path / "cert.txt"
    not_pem.write_text("not a certificate\n")
    a_file = tmp_path / "file"
    a_file.write_text("")
    cases = [
        (["--port", "99999"], "'--port': 99999 is not in the range"),
        (["--tls-cert-file", str(not_pem), "--tls-key-file", str(not_pem)], f"cannot load {not_pem}"),
        (["--tls-cert-file", str(tmp_path / "absent.pem"), "--tls-key-file", str(not_pem)], "does not exist"),
        (["--state-dir", str(a_file)], "is a file"),
        (["--state-dir", str(a_file / "below")], "'--state-dir'"),
    ]
    for args, fragment in cases:
        done = _hera_server(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert fragment in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
