"""Errors of the REST client beyond the server's own answers (`hera.exceptions`): the server could not be
reached, did not answer in time, or answered something that is not the API's shape.

Every message the client raises passes through `redact`, so the token never appears in one, even when a
server echoes the request's headers back.
"""

from __future__ import annotations

from typing import Any

from hera.exceptions import HeraException, exception_from_server_response
from hera.shared.errors import HeraError


class ServerUnreachable(HeraError, ConnectionError):
    """The server could not be reached (refused, reset, DNS or TLS failure), after the retries allowed."""


class ServerTimeout(HeraError, TimeoutError):
    """The server did not answer within the call's timeout."""


class InvalidResponse(HeraError, ValueError):
    """The server answered 2xx with a body that is not what the API promises."""


def redact(text: str, secret: str | None) -> str:
    """`text` with the Authorization value (and its bare token) replaced by `***`."""
    if not secret:
        return text
    bare = secret.split(None, 1)[1] if " " in secret else secret
    for s in (secret, bare):
        if len(s) >= 4 and s in text:
            text = text.replace(s, "***")
    return text


def http_error(response: Any, secret: str | None) -> HeraException:
    """The hera.exceptions error for a non-2xx answer, quoting the server's message (token redacted)."""
    exc = exception_from_server_response(response)
    clean = redact(exc.message, secret)
    if clean != exc.message:
        exc.message = clean
        exc.args = (clean,)
    return exc
