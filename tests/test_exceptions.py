"""hera.exceptions: status codes map to classes and the server's message is quoted."""

from __future__ import annotations

import httpx

from hera.exceptions import AlreadyExists, HeraException, NotFound, exception_from_server_response


def test_server_response_message_is_quoted():
    resp = httpx.Response(404, json={"message": "workflow not found"})
    exc = exception_from_server_response(resp)
    assert isinstance(exc, NotFound)
    assert exc.status_code == 404
    assert str(exc) == "Server returned status code 404 with message: `workflow not found`"


def test_text_body_and_unmapped_code():
    exc = exception_from_server_response(httpx.Response(418, text="teapot"))
    assert type(exc) is HeraException and exc.status_code == 418 and "teapot" in str(exc)
    assert AlreadyExists().status_code == 409
