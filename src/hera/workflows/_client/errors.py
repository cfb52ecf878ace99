"""Errors of the REST client beyond the server's own answers (`hera.exceptions`): the server could not be
reached, did not answer in time, or answered something that is not the API's shape.

Every message the client raises passes through `redact`, so the token never appears in one, even when a
server echoes the request's headers back; `protect` installs the same redaction on the loggers of httpx and
httpcore (whose DEBUG lines quote the response's headers), so no log line shows it either.
"""

from __future__ import annotations

import logging
import threading
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


_SECRETS: set[str] = set()
_LOCK = threading.Lock()
_HTTP_LOGGERS = (
    "httpx", "httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy", "httpcore.socks",
    "hera.service",
)  # fmt: skip


class _Redact(logging.Filter):
    """Replaces the tokens of this process's services in a record's message by `***` (only runs for records
    whose level is enabled, so it costs nothing when DEBUG is off)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a record that cannot be formatted is the logging module's business
            return True
        clean = text
        for secret in tuple(_SECRETS):
            clean = redact(clean, secret)
        if clean != text:
            record.msg, record.args = clean, None
        return True


_FILTER = _Redact()


def protect(secret: str | None) -> None:
    """Keep `secret` (an Authorization value) out of every log line of the HTTP stack, from now on."""
    if not secret or secret in _SECRETS:
        return
    with _LOCK:
        if not _SECRETS:
            for name in _HTTP_LOGGERS:
                logging.getLogger(name).addFilter(_FILTER)
        _SECRETS.add(secret)


def http_error(response: Any, secret: str | None) -> HeraException:
    """The hera.exceptions error for a non-2xx answer, quoting the server's message (token redacted)."""
    exc = exception_from_server_response(response)
    clean = redact(exc.message, secret)
    if clean != exc.message:
        exc.message = clean
        exc.args = (clean,)
    return exc
