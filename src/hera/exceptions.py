"""Errors for answers of an Argo Server (or hera's engine): one class per HTTP status, each with `status_code`."""

from __future__ import annotations

from typing import Any

from hera.shared.errors import HeraError


class HeraException(HeraError):
    """An error answer from the server; `status_code` is the HTTP status."""

    status_code: int = 0

    def __init__(self, message: str = "", status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code


class BadRequest(HeraException):
    status_code = 400


class Unauthorized(HeraException):
    status_code = 401


class Forbidden(HeraException):
    status_code = 403


class NotFound(HeraException):
    status_code = 404


class AlreadyExists(HeraException):
    status_code = 409


class InternalServerError(HeraException):
    status_code = 500


class NotImplemented(HeraException):  # shadows the builtin: the public name Hera users import
    status_code = 501


status_code_to_exception_map: dict[int, type[HeraException]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: AlreadyExists,
    500: InternalServerError,
    501: NotImplemented,
}


def exception_from_status_code(status_code: int, msg: str) -> HeraException:
    """The exception class for `status_code` (HeraException for unmapped codes), carrying `msg`."""
    cls = status_code_to_exception_map.get(status_code, HeraException)
    return cls(msg, status_code)


def exception_from_server_response(resp: Any) -> HeraException:
    """Build the exception for an httpx/requests response, quoting the server's own message."""
    status = int(resp.status_code)
    try:
        body = resp.json()
        message = body.get("message") if isinstance(body, dict) else None
    except Exception:
        message = None
    if not message:
        message = resp.text
    return exception_from_status_code(status, f"Server returned status code {status} with message: `{message}`")


__all__ = [
    "AlreadyExists",
    "BadRequest",
    "Forbidden",
    "HeraException",
    "InternalServerError",
    "NotFound",
    "NotImplemented",
    "Unauthorized",
    "exception_from_server_response",
    "exception_from_status_code",
    "status_code_to_exception_map",
]
