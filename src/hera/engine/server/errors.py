"""Argo's error answers: the grpc-gateway shape `{"code": <grpc code>, "message": ...}` with the HTTP status.

Streams report a failure after their first line as `{"error": {"grpc_code", "http_code", "message",
"http_status"}}`, as grpc-gateway does.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from hera.exceptions import HeraException
from hera.shared.errors import HeraValidationError

# HTTP status -> gRPC code (google.rpc.Code), as grpc-gateway maps them.
GRPC_CODES: dict[int, int] = {
    400: 3,  # InvalidArgument
    401: 16,  # Unauthenticated
    403: 7,  # PermissionDenied
    404: 5,  # NotFound
    405: 12,  # Unimplemented
    409: 6,  # AlreadyExists
    412: 9,  # FailedPrecondition
    429: 8,  # ResourceExhausted
    499: 1,  # Canceled
    500: 13,  # Internal
    501: 12,  # Unimplemented
    503: 14,  # Unavailable
    504: 4,  # DeadlineExceeded
}


class ApiError(Exception):
    """An error answer a handler raises: HTTP `status` and the message the client shows."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_body(status: int, message: str) -> dict[str, Any]:
    """The JSON body of an error answer."""
    return {"code": GRPC_CODES.get(status, 2), "message": message}


def error_bytes(status: int, message: str) -> bytes:
    """`error_body` encoded."""
    return json.dumps(error_body(status, message), ensure_ascii=False).encode()


def stream_error_line(status: int, message: str) -> bytes:
    """One NDJSON line reporting a failure in the middle of a stream."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    err = {"grpc_code": GRPC_CODES.get(status, 2), "http_code": status, "message": message, "http_status": phrase}
    return json.dumps({"error": err}, ensure_ascii=False).encode() + b"\n"


def status_and_message(exc: BaseException) -> tuple[int, str]:
    """The HTTP status and message for an exception raised while serving a request."""
    if isinstance(exc, ApiError):
        return exc.status, exc.message
    if isinstance(exc, HeraException):
        return (exc.status_code or 500), (exc.message or str(exc))
    if isinstance(exc, HeraValidationError):
        return 400, str(exc)
    if isinstance(exc, TimeoutError):
        return 504, str(exc) or "timed out"
    return 500, f"internal error: {type(exc).__name__}: {exc}"
