"""What the client raises when a server answers badly, against real local servers: the error names the operation
and the status, quotes a bounded part of the body, suggests the usual fix, and never shows a credential."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hera.exceptions import InternalServerError, NotFound
from hera.workflows import models as m
from hera.workflows.async_service import AsyncWorkflowsService
from hera.workflows.service import InvalidResponse, ServerUnreachable, WorkflowsService
from tests.server._support import TinyServer

SECRET = "tok-77c1d9e0aa"
PASSWORD = "pw-5be1f0c3"
WF = {"metadata": {"name": "w", "namespace": "argo"}, "spec": {}}
Handler = Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, str], Any]]


def answering(status: int, body: Any, headers: dict[str, str] | None = None) -> Handler:
    def handler(method: str, path: str, h: dict[str, str], b: bytes) -> tuple[int, dict[str, str], Any]:
        return status, headers or {}, body

    return handler


class RawServer:
    """A TCP server that reads a request and then does `behaviour(connection)`: close, send garbage, ..."""

    def __init__(self, behaviour: Callable[[socket.socket], None]) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted = 0
        self.behaviour = behaviour
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn:
                conn.recv(65536)
                self.behaviour(conn)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def raw() -> Iterator[Callable[[Callable[[socket.socket], None]], RawServer]]:
    servers: list[RawServer] = []

    def make(behaviour: Callable[[socket.socket], None]) -> RawServer:
        servers.append(RawServer(behaviour))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def test_an_error_answer_names_the_operation_the_url_and_the_status() -> None:
    with TinyServer(answering(500, {"code": 13, "message": "database on fire"})) as tiny:
        with WorkflowsService(host=tiny.url, namespace="argo", token=SECRET, retries=0) as svc:
            with pytest.raises(InternalServerError) as err:
                svc.get_workflow("w")
    text = str(err.value)
    assert text.startswith(f"GetWorkflow GET {tiny.url}/api/v1/workflows/argo/w: ")
    assert "status code 500" in text and "`database on fire`" in text
    assert err.value.status_code == 500


def test_an_html_error_page_is_quoted_shortened_and_an_empty_one_by_its_reason() -> None:
    page = b"<html>" + b"x" * 5000 + b"</html>"
    with TinyServer(answering(502, page, {"content-type": "text/html"})) as tiny:
        with WorkflowsService(host=tiny.url, namespace="argo", retries=0) as svc, pytest.raises(Exception) as err:
            svc.create_workflow(m.WorkflowCreateRequest(workflow=m.Workflow(metadata=m.ObjectMeta(name="a"), spec=m.WorkflowSpec())))
    assert "CreateWorkflow POST" in str(err.value) and "status code 502" in str(err.value)
    assert len(str(err.value)) < 800 and "more characters" in str(err.value)
    with TinyServer(answering(404, b"")) as tiny:
        with WorkflowsService(host=tiny.url, namespace="argo") as svc, pytest.raises(NotFound) as missing:
            svc.get_workflow("w")
    assert "`(empty body: Not Found)`" in str(missing.value)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"metadata": {', r"GetWorkflow: the server's answer is not JSON \(application/json\)"),
        (b"[1, 2]", r"GetWorkflow: the server's answer is not a valid Workflow: Input should be"),
        ({"metadata": {"name": 5}, "spec": {}}, r"GetWorkflow: the server's answer is not a valid Workflow: metadata\.name"),
        (b"", r"GetWorkflow: the server answered 200 with an empty body"),
    ],
)
def test_a_2xx_answer_of_the_wrong_shape_names_the_operation(body: Any, expected: str) -> None:
    with TinyServer(answering(200, body)) as tiny, WorkflowsService(host=tiny.url, namespace="argo") as svc:
        with pytest.raises(InvalidResponse, match=expected):
            svc.get_workflow("w")


def test_an_empty_answer_to_a_delete_is_a_successful_delete() -> None:
    with TinyServer(answering(200, b"")) as tiny, WorkflowsService(host=tiny.url, namespace="argo") as svc:
        svc.delete_workflow("w")


def test_a_broken_connection_says_so_and_whether_the_call_may_have_acted(raw: Any) -> None:
    server = raw(lambda conn: None)  # reads the request, then hangs up without an answer
    with WorkflowsService(host=server.url, namespace="argo", retries=1) as svc:
        with pytest.raises(ServerUnreachable) as got:
            svc.get_workflow("w")
        assert "GetWorkflow GET" in str(got.value) and "connection broke before a complete answer" in str(got.value)
        assert server.accepted == 2  # a GET is sent again
        with pytest.raises(ServerUnreachable) as created:
            svc.create_workflow(m.WorkflowCreateRequest(workflow=m.Workflow(metadata=m.ObjectMeta(name="a"), spec=m.WorkflowSpec())))
        assert "not sent again, as CreateWorkflow is not idempotent" in str(created.value)
        assert server.accepted == 3


def test_a_server_that_does_not_speak_http(raw: Any) -> None:
    server = raw(lambda conn: conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"))
    with WorkflowsService(host=server.url, namespace="argo", retries=0) as svc, pytest.raises(ServerUnreachable) as got:
        svc.get_workflow("w")
    assert "the server did not answer in HTTP" in str(got.value)


def test_https_to_a_plain_http_server_suggests_http() -> None:
    with TinyServer(answering(200, WF)) as tiny:
        host = tiny.url.replace("http://", "https://")
        with WorkflowsService(host=host, namespace="argo", retries=0) as svc, pytest.raises(ServerUnreachable) as got:
            svc.get_workflow("w")
    assert "is the host http:// rather than https://?" in str(got.value)


def test_a_path_prefix_in_the_host_is_kept() -> None:
    def behind_proxy(method: str, path: str, h: dict[str, str], b: bytes) -> tuple[int, dict[str, str], Any]:
        if path == "/argo/api/v1/workflows/argo/w":
            return 200, {}, WF
        return 404, {"content-type": "text/plain"}, f"no route {path}".encode()

    with TinyServer(behind_proxy) as tiny:
        for host in (f"{tiny.url}/argo", f"{tiny.url}/argo/"):
            with WorkflowsService(host=host, namespace="argo") as svc:
                assert svc.get_workflow("w").metadata.name == "w"
        with WorkflowsService(host=tiny.url, namespace="argo") as svc, pytest.raises(NotFound) as got:
            svc.get_workflow("w")
    assert f"GET {tiny.url}/api/v1/workflows/argo/w" in str(got.value)  # the URL shows the prefix is missing


def test_a_password_in_the_host_url_never_shows(raw: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with TinyServer(answering(404, {"code": 5, "message": "no"})) as tiny:
        host = tiny.url.replace("http://", f"http://admin:{PASSWORD}@")
        with WorkflowsService(host=host, namespace="argo", retries=0) as svc:
            with pytest.raises(NotFound) as got:
                svc.get_workflow("w")
            assert tiny.requests[-1][2]["authorization"].startswith("Basic ")  # the credential was used
            assert PASSWORD not in repr(svc) and "admin:***@" in repr(svc)
            assert PASSWORD not in svc.get_workflow_link("w") and "admin" not in svc.get_workflow_link("w")
            assert PASSWORD not in svc.get_cron_workflow_link("c")
    assert PASSWORD not in str(got.value) and "admin:***@" in str(got.value)
    dead = raw(lambda conn: None)
    with WorkflowsService(host=dead.url.replace("http://", f"http://u:{PASSWORD}@"), namespace="a", retries=0) as svc:
        with pytest.raises(ServerUnreachable) as broken:
            svc.get_workflow("w")
    assert PASSWORD not in str(broken.value)
    assert "HTTP Request" in caplog.text and PASSWORD not in caplog.text  # httpx logs each URL at INFO


def test_the_async_service_reports_the_same_way() -> None:
    async def main(url: str) -> str:
        async with AsyncWorkflowsService(host=url, namespace="argo", token=SECRET, retries=0) as svc:
            try:
                await svc.get_workflow("w")
            except NotFound as e:
                return str(e)
        return "no error"

    def echo(method: str, path: str, h: dict[str, str], b: bytes) -> tuple[int, dict[str, str], Any]:
        return 404, {}, {"code": 5, "message": f"not found for {h.get('authorization')}"}

    with TinyServer(echo) as tiny:
        text = asyncio.run(main(tiny.url))
    assert text.startswith("GetWorkflow GET ") and "status code 404" in text
    assert SECRET not in text and "***" in text
