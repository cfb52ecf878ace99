"""`Call`: what a handler gets (path and query parameters, the body, the engine); `json_endpoint` and
`stream_endpoint` wrap handlers into Starlette endpoints that answer Argo's JSON and error shapes.

JSON handlers are plain functions run in the thread pool (the engine blocks on SQLite); stream handlers are
coroutines that check their inputs, then return an `NDJSONStream`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hera.engine.server.bodies import parse_json, validate
from hera.engine.server.errors import ApiError, error_bytes, status_and_message

if TYPE_CHECKING:
    from hera.engine.api import Engine
    from hera.engine.server.holder import EngineHolder

_TRUE = ("true", "1", "yes", "True")


class Call:
    """One request as a handler sees it."""

    def __init__(self, request: Request, raw_body: bytes) -> None:
        self.request = request
        self.path: dict[str, str] = dict(request.path_params)
        self.query = request.query_params
        self.raw_body = raw_body
        self.holder: EngineHolder = request.app.state.holder

    @property
    def engine(self) -> Engine:
        """The engine (started on first use)."""
        return self.holder.get()

    @property
    def namespace(self) -> str:
        """The `{namespace}` path parameter ("" for the all-namespaces routes)."""
        return self.path.get("namespace", "")

    def q(self, name: str) -> str | None:
        """A query parameter (None when absent or empty)."""
        value = self.query.get(name)
        return value if value not in (None, "") else None

    def q_list(self, name: str) -> list[str]:
        """Every value of a repeated query parameter."""
        return [v for v in self.query.getlist(name) if v != ""]

    def q_int(self, name: str) -> int | None:
        """An integer query parameter; 400 when it is not one."""
        value = self.q(name)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise ApiError(400, f"query parameter {name} must be an integer, got {value!r}") from None

    def q_bool(self, name: str) -> bool:
        """A boolean query parameter (`true`/`1`)."""
        return (self.q(name) or "") in _TRUE

    def list_options(self) -> dict[str, Any]:
        """`listOptions.labelSelector`, `.limit` and `.continue` as the engine's list keyword arguments."""
        return {
            "label_selector": self.q("listOptions.labelSelector"),
            "limit": self.q_int("listOptions.limit"),
            "continue_": self.q("listOptions.continue"),
        }

    def body(self, model: str, *, package: str = "workflows") -> dict[str, Any]:
        """The body validated against the generated model `model`, in Argo's JSON form."""
        return validate(model, parse_json(self.raw_body), package=package)


def _json_response(status: int, content: bytes) -> Response:
    return Response(content, status_code=status, media_type="application/json")


def error_response(status: int, message: str) -> Response:
    """An error answer in Argo's shape."""
    return _json_response(status, error_bytes(status, message))


def json_endpoint(handler: Callable[[Call], Any]) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint running `handler(call)` in the thread pool; dict results are the 200 body."""

    async def endpoint(request: Request) -> Response:
        raw = await request.body() if request.method in ("POST", "PUT", "PATCH") else b""
        try:
            call = Call(request, raw)
            result = await run_in_threadpool(handler, call)
        except Exception as e:
            return error_response(*status_and_message(e))
        if isinstance(result, Response):
            return result
        return _json_response(200, json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode())

    endpoint.__name__ = handler.__name__
    return endpoint


def stream_endpoint(handler: Callable[[Call], Awaitable[Any]]) -> Callable[[Request], Awaitable[Any]]:
    """A Starlette endpoint for a coroutine handler that returns a streaming ASGI response."""

    async def endpoint(request: Request) -> Any:
        try:
            return await handler(Call(request, b""))
        except Exception as e:
            return error_response(*status_and_message(e))

    endpoint.__name__ = handler.__name__
    return endpoint


def not_implemented(operation: str, why: str) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint answering 501 for an Argo operation the embedded engine does not serve."""

    async def endpoint(request: Request) -> Response:
        return error_response(
            501, f"{operation} is not implemented by hera's embedded engine server: {why}"
        )

    endpoint.__name__ = f"not_implemented_{operation}"
    return endpoint
