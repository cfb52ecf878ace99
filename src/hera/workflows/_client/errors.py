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


_MAX_BODY = 500  # characters of a non-JSON error body quoted in a message (an HTML error page can be huge)


def safe_url(url: str) -> str:
    """`url` with the password of its user-info part (`https://user:pass@host`) replaced by `***`."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, path = rest.partition("/")
    userinfo, at, hostport = authority.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{hostport}{slash}{path}"


def url_password(url: str) -> str | None:
    """The password of a URL's `user:password@` part, if any (kept out of messages and logs like a token)."""
    authority = url.partition("://")[2].partition("/")[0]
    userinfo, at, _ = authority.rpartition("@")
    return userinfo.split(":", 1)[1] if at and ":" in userinfo else None


def http_error(response: Any, secret: str | None, operation: str = "") -> HeraException:
    """The hera.exceptions error for a non-2xx answer, quoting the server's message (token redacted, a long
    non-JSON body such as an HTML page shortened), prefixed by the operation (`GetWorkflow GET <url>: `)."""
    exc = exception_from_server_response(response)
    message = exc.message
    body = _quoted(message)
    if body is not None and not body.strip():
        reason = getattr(response, "reason_phrase", "") or "no message"
        message = message.replace("``", f"`(empty body: {reason})`")
    elif body is not None and len(body) > _MAX_BODY:
        message = message.replace(body, f"{body[:_MAX_BODY]}... ({len(body) - _MAX_BODY} more characters)")
    if operation:
        message = f"{operation}: {message}"
    clean = redact(message, secret)
    exc.message = clean
    exc.args = (clean,)
    return exc


def _quoted(message: str) -> str | None:
    """The server's text inside `Server returned status code N with message: `...``."""
    head = " with message: `"
    start = message.find(head)
    if start < 0 or not message.endswith("`"):
        return None
    return message[start + len(head) : -1]
