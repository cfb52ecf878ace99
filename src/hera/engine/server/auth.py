"""Bearer-token check for the server: every HTTP request must carry `Authorization: Bearer <token>`.

The comparison is constant-time (`hmac.compare_digest`); a refused request gets 401 in Argo's error shape and
the server never echoes what it was sent.
"""

from __future__ import annotations

import hmac
from typing import Any

from hera.engine.server.errors import error_bytes

_MESSAGE = "Unauthorized: this server requires the header `Authorization: Bearer <token>` with its token"


def normalise_token(token: str) -> str:
    """The bare token (a leading `Bearer ` is dropped, surrounding blanks stripped)."""
    token = token.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    return token


class BearerAuth:
    """ASGI middleware refusing HTTP requests without the expected bearer token."""

    def __init__(self, app: Any, token: str) -> None:
        bare = normalise_token(token)
        if not bare:
            raise ValueError("the server's auth token must not be empty")
        self.app = app
        self._expected = f"Bearer {bare}".encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = b""
        for key, value in scope.get("headers") or ():
            if key == b"authorization":
                given = value
                break
        if given[:7].lower() == b"bearer ":
            given = b"Bearer " + given[7:].strip()
        if hmac.compare_digest(given, self._expected):
            await self.app(scope, receive, send)
            return
        body = error_bytes(401, _MESSAGE)
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b"Bearer"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})
