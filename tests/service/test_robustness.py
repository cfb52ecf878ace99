"""Retries, timeouts, error mapping and token redaction, against real (tiny) HTTP servers."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest

from hera.exceptions import InternalServerError, NotFound
from hera.workflows import models as m
from hera.workflows.service import InvalidResponse, ServerTimeout, ServerUnreachable, WorkflowsService
from tests.server._support import TinyServer, free_port

SECRET = "tok-3f9a7c1e2b"
WF = {"metadata": {"name": "w", "namespace": "argo"}, "spec": {}, "status": {"phase": "Succeeded"}}


def _flaky(fail_times: int, status: int = 503) -> Any:
    count = {"n": 0}

    def handler(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        count["n"] += 1
        if count["n"] <= fail_times:
            return status, {"retry-after": "0"}, {"code": 14, "message": "try later"}
        return 200, {}, WF

    return handler


def test_idempotent_calls_retry_on_503() -> None:
    with TinyServer(_flaky(2)) as tiny, WorkflowsService(host=tiny.url, namespace="argo") as svc:
        wf = svc.get_workflow("w")
        assert wf.status.phase == "Succeeded"
        assert [r[0] for r in tiny.requests] == ["GET", "GET", "GET"]


def test_retries_are_bounded() -> None:
    with TinyServer(_flaky(100, status=502)) as tiny, WorkflowsService(host=tiny.url, namespace="argo", retries=2) as svc:
        with pytest.raises(Exception, match="502"):
            svc.get_workflow("w")
        assert len(tiny.requests) == 3


def test_non_idempotent_calls_are_not_repeated_on_503() -> None:
    with TinyServer(_flaky(1)) as tiny, WorkflowsService(host=tiny.url, namespace="argo") as svc:
        with pytest.raises(Exception, match="503") as err:
            svc.create_workflow(m.WorkflowCreateRequest(workflow=m.Workflow(metadata=m.ObjectMeta(name="w"), spec=m.WorkflowSpec())))
        assert "try later" in str(err.value)
        assert [r[0] for r in tiny.requests] == ["POST"]


def test_connection_refused_is_retried_then_reported() -> None:
    port = free_port()
    with WorkflowsService(host=f"http://127.0.0.1:{port}", namespace="argo", retries=2) as svc:
        start = time.monotonic()
        with pytest.raises(ServerUnreachable, match="after 3 attempts") as err:
            svc.get_workflow("w")
        assert time.monotonic() - start < 5
        assert isinstance(err.value, ConnectionError)


def test_every_call_has_a_timeout() -> None:
    def slow(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        time.sleep(2)
        return 200, {}, WF

    with TinyServer(slow) as tiny, WorkflowsService(host=tiny.url, namespace="argo", timeout=0.3) as svc:
        start = time.monotonic()
        with pytest.raises(ServerTimeout, match=r"0\.3 s") as err:
            svc.get_workflow("w")
        assert time.monotonic() - start < 1.5 and isinstance(err.value, TimeoutError)


def test_a_stream_whose_headers_never_come_times_out_too() -> None:
    def silent(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        time.sleep(2)
        return 200, {}, iter([b'{"result": {"content": "late"}}\n'])

    with TinyServer(silent) as tiny, WorkflowsService(host=tiny.url, namespace="argo", timeout=0.3) as svc:
        start = time.monotonic()
        with pytest.raises(ServerTimeout):
            list(svc.workflow_logs("w", follow=True))
        assert time.monotonic() - start < 1.5


def test_status_codes_map_to_hera_exceptions() -> None:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        if path.endswith("/missing"):
            return 404, {}, {"code": 5, "message": "no such thing"}
        return 500, {}, b"plain text failure"

    with TinyServer(answer) as tiny, WorkflowsService(host=tiny.url, namespace="argo", retries=0) as svc:
        with pytest.raises(NotFound, match="no such thing"):
            svc.get_workflow("missing")
        with pytest.raises(InternalServerError, match="plain text failure"):
            svc.get_workflow("other")


@pytest.fixture
def echo() -> Iterator[TinyServer]:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        if "log" in path:  # a stream whose error line echoes the header
            line = b'{"error": {"http_code": 500, "message": "bad header %s"}}\n' % headers["authorization"].encode()
            return 200, {}, iter([line])
        return 400, {}, {"code": 3, "message": f"refusing {headers.get('authorization')}"}

    with TinyServer(answer) as tiny:
        yield tiny


def test_the_token_never_appears_in_errors_or_logs(echo: TinyServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with WorkflowsService(host=echo.url, namespace="argo", token=SECRET) as svc:
        with pytest.raises(Exception) as err:
            svc.get_workflow("w")
        assert echo.requests[-1][2]["authorization"] == f"Bearer {SECRET}"  # it was sent
        assert SECRET not in str(err.value) and "***" in str(err.value)
        assert SECRET not in repr(err.value) and SECRET not in repr(svc)
        with pytest.raises(InternalServerError) as stream_err:
            list(svc.workflow_logs("w"))
        assert SECRET not in str(stream_err.value)
    dead = WorkflowsService(host=f"http://127.0.0.1:{free_port()}", namespace="argo", token=SECRET, retries=1)
    with pytest.raises(ServerUnreachable) as unreachable:
        dead.get_workflow("w")
    assert SECRET not in str(unreachable.value)
    assert SECRET not in caplog.text


def test_debug_logs_of_the_http_stack_never_show_the_token(caplog: pytest.LogCaptureFixture) -> None:
    def echo_header(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        return 200, {"x-echo": headers["authorization"]}, WF  # httpcore logs response headers at DEBUG

    caplog.set_level(logging.DEBUG)
    with TinyServer(echo_header) as tiny, WorkflowsService(host=tiny.url, namespace="argo", token=SECRET) as svc:
        svc.get_workflow("w")
        assert tiny.requests[-1][2]["authorization"] == f"Bearer {SECRET}"
    assert "x-echo" in caplog.text and "***" in caplog.text  # the line was logged, redacted
    assert SECRET not in caplog.text


def test_a_wait_deadline_bounds_every_request_even_against_a_server_that_never_answers() -> None:
    def hung(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        time.sleep(5)
        return 200, {}, WF

    with TinyServer(hung) as tiny, WorkflowsService(host=tiny.url, namespace="argo", timeout=30) as svc:
        start = time.monotonic()
        with pytest.raises(TimeoutError, match="did not complete within 1 s"):
            svc.wait_workflow("w", timeout=1, poll_interval=0.2)
        assert time.monotonic() - start < 2.5  # not the 30 s a single request may take


def test_a_wait_rides_through_unavailable_answers_and_unknown_phases() -> None:
    answers = [(503, {"code": 14, "message": "restarting"}), (200, {"phase": "Pending"}), (502, {}),
               (200, {"phase": "SomethingNewer"}), (504, {}), (200, {"phase": "Succeeded"})]  # fmt: skip

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        if "workflow-events" in path:
            return 501, {}, {"code": 12, "message": "no watch"}
        status, payload = answers.pop(0)
        if status != 200:
            return status, {}, payload
        return 200, {}, {**WF, "status": payload}

    with TinyServer(answer) as tiny, WorkflowsService(host=tiny.url, namespace="argo", retries=0) as svc:
        done = svc.wait_workflow("w", timeout=20, poll_interval=0.05)
    assert done.status.phase == "Succeeded" and answers == []


def test_a_wait_for_a_missing_workflow_fails_at_once() -> None:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        return 404, {}, {"code": 5, "message": 'workflows.argoproj.io "w" not found'}

    with TinyServer(answer) as tiny, WorkflowsService(host=tiny.url, namespace="argo") as svc:
        start = time.monotonic()
        with pytest.raises(NotFound, match="not found"):
            svc.wait_workflow("w", timeout=30)
        assert time.monotonic() - start < 1 and len(tiny.requests) == 1


class _Dropper:
    """A socket server that reads each request and closes the connection without answering."""

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.count = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                self.count += 1

    def close(self) -> None:
        self.sock.close()


def test_a_dropped_connection_is_retried_only_for_idempotent_calls() -> None:
    dropper = _Dropper()
    try:
        with WorkflowsService(host=dropper.url, namespace="argo", retries=2) as svc:
            with pytest.raises(ServerUnreachable, match="after 3 attempts"):
                svc.get_workflow("w")
            assert dropper.count == 3
            with pytest.raises(ServerUnreachable) as err:
                svc.create_workflow(m.WorkflowCreateRequest(workflow=m.Workflow(metadata=m.ObjectMeta(name="w"), spec=m.WorkflowSpec())))
            assert dropper.count == 4 and "attempts" not in str(err.value)  # a create may have happened: never resent
    finally:
        dropper.close()


def test_a_retried_delete_that_finds_the_object_gone_succeeded() -> None:
    answers = [(503, {"code": 14, "message": "unavailable"}), (404, {"code": 5, "message": "not found"})]

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        status, payload = answers.pop(0) if answers else (404, {"code": 5, "message": "not found"})
        return status, {"retry-after": "0"}, payload

    with TinyServer(answer) as tiny, WorkflowsService(host=tiny.url, namespace="argo") as svc:
        assert isinstance(svc.delete_workflow("w"), m.WorkflowDeleteResponse)
        assert [r[0] for r in tiny.requests] == ["DELETE", "DELETE"]
        with pytest.raises(NotFound):  # gone at the first attempt: it was never there
            svc.delete_workflow("w")


def test_a_redirect_is_reported_not_followed_nor_parsed() -> None:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        return 302, {"location": "https://sso.example/login"}, b"<html>login</html>"

    with TinyServer(answer) as tiny, WorkflowsService(host=tiny.url, namespace="argo", token=SECRET) as svc:
        with pytest.raises(InvalidResponse, match=r"302, redirecting to 'https://sso\.example/login'"):
            svc.get_workflow("w")
        assert len(tiny.requests) == 1


def test_a_non_json_answer_is_reported_without_the_token() -> None:
    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        return 200, {"content-type": "text/html"}, f"<html>hello {headers['authorization']}</html>".encode()

    with TinyServer(answer) as tiny, WorkflowsService(host=tiny.url, namespace="argo", token=SECRET) as svc:
        with pytest.raises(InvalidResponse, match="not JSON") as err:
            svc.get_workflow("w")
    assert SECRET not in str(err.value)


def test_an_async_service_serves_one_asyncio_run_after_another() -> None:
    import asyncio

    from hera.workflows.async_service import AsyncWorkflowsService

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        return 200, {}, WF

    with TinyServer(answer) as tiny:
        svc = AsyncWorkflowsService(host=tiny.url, namespace="argo")
        for _ in range(3):  # each run has its own event loop; connections of an ended one are not reused
            assert asyncio.run(svc.get_workflow("w")).metadata.name == "w"
        asyncio.run(svc.close())
    from hera.engine.server.local import close_local_apps

    local = AsyncWorkflowsService()
    try:
        assert asyncio.run(local.get_version()).version == asyncio.run(local.get_version()).version
    finally:
        close_local_apps()
