"""The request machinery under every service method (sync and async): URLs, bodies, timeouts, retries,
errors, answers and streams.

- Every call has a timeout (`timeout=`, 30 s by default) for connecting, sending and the answer's headers;
  a stream then waits for its next line as long as the server keeps it open, unless `stream_timeout=` is set.
- A call that never reached the server (connection refused, connect timeout) is tried again with backoff,
  `retries=` times (4 by default); so are idempotent calls (GET, DELETE, and the PUTs that may be repeated)
  on a dropped connection or a 502/503/504 answer (`Retry-After` honoured, capped).
- A non-2xx answer raises the `hera.exceptions` class of its status with the server's message; the token is
  never part of a repr, a log line or an error message.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import random
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import httpx

from hera.exceptions import HeraException
from hera.shared.errors import HeraValidationError
from hera.workflows._client.config import ClientConfig, check_certs, format_token, resolve, resolve_host, resolve_verify
from hera.workflows._client.errors import (
    InvalidResponse,
    ServerTimeout,
    ServerUnreachable,
    http_error,
    protect,
    redact,
    safe_url,
    url_password,
)  # fmt: skip
from hera.workflows._client.ops import Op, model_class, resolve_aliases
from hera.workflows._client.parse import parse, parse_line

log = logging.getLogger("hera.service")

RETRY_STATUSES = (502, 503, 504)
_BACKOFF_BASE = 0.25
_BACKOFF_CAP = 4.0
_LOCAL_BASE = "http://local"
_ALWAYS_RETRY = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
Limits = tuple[float, int] | None  # (timeout seconds, retries) for one call, instead of the service's
_IDEMPOTENT_RETRY = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError, httpx.CloseError)


def backoff(attempt: int, retry_after: str | None = None) -> float:
    """Seconds before retry `attempt` (0-based): exponential with jitter, or the server's Retry-After."""
    if retry_after:
        try:
            return max(0.0, min(_BACKOFF_CAP, float(retry_after)))
        except ValueError:
            pass
    return min(_BACKOFF_CAP, _BACKOFF_BASE * 2**attempt) * (0.5 + random.random() / 2)


def _query(values: dict[str, Any] | None) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in (values or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            out.append((key, "true" if value else "false"))
        elif isinstance(value, list | tuple):
            out.extend((key, str(v)) for v in value)
        else:
            out.append((key, str(value)))
    return out


def _body(req: Any) -> bytes | None:
    if req is None:
        return None
    if hasattr(req, "model_dump"):
        data = req.model_dump(mode="json", by_alias=True, exclude_none=True)
    else:
        data = req
    return json.dumps(data, separators=(",", ":")).encode()


def _ssl_context(verify: Any, certs: Any) -> Any:
    """An SSLContext for httpx (verification on unless `verify` is False; a client certificate if given)."""
    import ssl

    if isinstance(verify, ssl.SSLContext):
        ctx = verify
    elif verify is False:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    elif isinstance(verify, str):
        ctx = ssl.create_default_context(cafile=verify)
    else:
        ctx = ssl.create_default_context()
    if certs is not None:
        if isinstance(certs, tuple):
            ctx.load_cert_chain(str(certs[0]), str(certs[1]))
        else:
            ctx.load_cert_chain(str(certs))
    return ctx


class _Core:
    """Configuration and request building shared by the sync and async services."""

    _config: ClientConfig
    _session_type: type = httpx.Client
    _local_transport = "LocalTransport"  # the class of `_client.local` that serves `host="local"`

    def __init__(
        self,
        host: str | None = None,
        verify_ssl: Any = None,
        token: Any = None,
        client_certs: Any = None,
        namespace: str | None = None,
        session: Any = None,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        stream_timeout: float | None = None,
    ) -> None:
        self._config = resolve(
            host, verify_ssl, token, client_certs, namespace,
            timeout=timeout, retries=retries, stream_timeout=stream_timeout,
        )  # fmt: skip
        self._extra: dict[str, Any] = {}  # httpx settings taken over from a requests.Session
        if session is not None and not isinstance(session, self._session_type):
            from hera.workflows._client.session import adopt, is_requests_session

            if not is_requests_session(session):
                kind = f"{self._session_type.__module__}.{self._session_type.__name__}"
                raise HeraValidationError(
                    f"session must be an {kind} (or a requests.Session, whose settings are carried over), "
                    f"got {type(session).__name__}",
                    field="session",
                )
            adopted = adopt(session, self._config.host)
            self._extra = adopted.client_kwargs
            changes: dict[str, Any] = {}
            if adopted.authorization and not self._config.authorization:
                changes["authorization"] = adopted.authorization
            if adopted.cert is not None and self._config.client_certs is None:
                changes["client_certs"] = tuple(adopted.cert) if isinstance(adopted.cert, list) else adopted.cert
            if changes:
                self._config = dataclasses.replace(self._config, **changes)
            session = None  # hera makes (and closes) its own httpx client with those settings
        protect(self._config.authorization)
        protect(url_password(self._config.host))  # httpx logs each request's URL at INFO level
        self._session: Any = session
        self._own_session = session is None
        self._lock = threading.Lock()

    def _http(self) -> Any:
        """The HTTP client, made on first use: the in-process transport to the engine for `local`, else httpx's."""
        client = self._session
        if client is not None:
            return client
        with self._lock:
            if self._session is None:
                if self._config.is_local:
                    from hera.workflows._client import local

                    transport = getattr(local, self._local_transport)(_local_app)
                    self._session = self._session_type(transport=transport)
                else:
                    self._session = self._session_type(**self._client_kwargs())
            return self._session

    # -- public attributes (settable, as Hera's plain attributes are) -------------------------------------
    def _reconfigure(self, connection: bool, **changes: Any) -> None:
        self._config = dataclasses.replace(self._config, **changes)
        protect(self._config.authorization)
        protect(url_password(self._config.host))
        if connection and self._own_session and self._session is not None:
            self._drop_client()

    def _drop_client(self) -> None:
        """Forget the owned HTTP client after a change of host or TLS settings (the next call makes a new one)."""
        self._session = None

    @property
    def host(self) -> str:
        """The server's base URL, or `local` for the embedded engine."""
        return self._config.host

    @host.setter
    def host(self, value: str | None) -> None:
        self._reconfigure(True, host=resolve_host(value))

    @property
    def namespace(self) -> str | None:
        """The namespace used when a call names none."""
        return self._config.namespace

    @namespace.setter
    def namespace(self, value: str | None) -> None:
        self._reconfigure(False, namespace=value or None)

    @property
    def verify_ssl(self) -> Any:
        """Whether (and how) TLS certificates are verified."""
        return self._config.verify

    @verify_ssl.setter
    def verify_ssl(self, value: Any) -> None:
        self._reconfigure(True, verify=resolve_verify(value))

    @property
    def client_certs(self) -> Any:
        """The client certificate: a `(cert, key)` pair of paths, one combined file, or None."""
        return self._config.client_certs

    @client_certs.setter
    def client_certs(self, value: Any) -> None:
        self._reconfigure(True, client_certs=check_certs(value() if callable(value) else value))

    @property
    def token(self) -> str | None:
        """The `Authorization` header value sent (`Bearer <token>`), as Hera's `token` attribute; never in a repr."""
        return self._config.authorization

    @token.setter
    def token(self, value: Any) -> None:
        self._reconfigure(False, authorization=format_token(value() if callable(value) else value))

    @property
    def session(self) -> Any:
        """The httpx client the service sends its requests with (made on first use)."""
        return self._http()

    @property
    def timeout(self) -> float:
        """Seconds each call may take (connect, send, and wait for the answer)."""
        return self._config.timeout

    @classmethod
    def from_service(cls, service: Any) -> Any:
        """A service of this class with the settings of `service` (e.g. the async twin of a sync service: same
        host, token, namespace, TLS, timeouts), with its own connections."""
        config = getattr(service, "_config", None)
        if not isinstance(config, ClientConfig):
            return cls(
                host=getattr(service, "host", None), token=getattr(service, "token", None),
                namespace=getattr(service, "namespace", None), verify_ssl=getattr(service, "verify_ssl", None),
            )  # fmt: skip
        new = object.__new__(cls)
        new.__dict__.update(
            _config=config, _extra=dict(getattr(service, "_extra", {})), _session=None, _own_session=True,
            _lock=threading.Lock(),
        )  # fmt: skip
        return new

    # -- copies (a Workflow holding a service may be deep-copied or pickled, as with Hera's requests session) --
    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._extra = dict(self._extra)
        new._lock = threading.Lock()
        if self._own_session:
            new._session = None  # the copy opens its own connections; a caller's client is shared, not copied
        return new

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k != "_lock"}
        state["_session"], state["_own_session"] = None, True  # connections do not travel
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        token = "***" if self._config.authorization else None
        return f"{type(self).__name__}(host={safe_url(self.host)!r}, namespace={self.namespace!r}, token={token})"

    def _link_base(self) -> str:
        """The host for links shown to people (the Argo UI's pages): without a `user:password@` part."""
        scheme, sep, rest = self.host.partition("://")
        authority, slash, path = rest.partition("/")
        return f"{scheme}{sep}{authority.rpartition('@')[2]}{slash}{path}" if sep else self.host

    # -- requests ---------------------------------------------------------------------------------------
    def _base(self) -> str:
        return _LOCAL_BASE if self._config.is_local else self._config.host

    def _url(self, op: Op, path: dict[str, Any]) -> str:
        parts: dict[str, str] = {}
        for key, value in path.items():
            if key == "namespace" and value is None:
                value = self._config.namespace
            if value is None or value == "":
                if key == "namespace" and op.all_namespaces:
                    value = ""
                elif key == "namespace":
                    raise HeraValidationError(
                        f"{op.name} needs a namespace: pass namespace=, or set global_config.namespace or ARGO_NAMESPACE",
                        field="namespace",
                    )
                else:
                    raise HeraValidationError(f"{op.name} needs a non-empty {key}", field=key)
            parts[key] = quote(str(value), safe="")
        return self._base() + op.path.format(**parts)

    def _headers(self, has_body: bool) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if has_body:
            headers["Content-Type"] = "application/json"
        if self._config.authorization:
            headers["Authorization"] = self._config.authorization
        return headers

    def _stream_reads(self, request: httpx.Request, timeout: float, read: float | None) -> None:
        """After a stream's headers came (within the call's timeout), let its body wait `read` seconds (or the
        service's stream_timeout) for each next chunk; the transports read this before each body read."""
        wait = read if read is not None else self._config.stream_timeout
        request.extensions["timeout"] = httpx.Timeout(timeout, read=wait).as_dict()

    def _client_kwargs(self) -> dict[str, Any]:
        if self._config.is_local:
            return {}
        if self._config.host.startswith("https://"):
            return {**self._extra, "verify": _ssl_context(self._config.verify, self._config.client_certs)}
        return {**self._extra, "verify": False}

    def _transport_error(self, op: Op, url: str, err: Exception, attempts: int, idle: float | None = None, timeout: float | None = None) -> Exception:
        where = f"{op.name} {op.method} {safe_url(url)}"
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        text = redact(safe_url(f"{type(err).__name__}: {err}"), self._config.authorization)
        if isinstance(err, httpx.TimeoutException) and idle is not None:
            return ServerTimeout(f"{where}: the stream sent nothing for {idle} s")
        if isinstance(err, httpx.TimeoutException):
            return ServerTimeout(f"{where}: no answer within {round(timeout or self._config.timeout, 2):g} s{tries} ({text})")
        if isinstance(err, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
            return ServerUnreachable(f"{where}: cannot reach the server{tries} ({text}){_tls_hint(str(err))}")
        unsent = "" if op.idempotent else f"; not sent again, as {op.name} is not idempotent: check whether it took effect"
        if "status line" in str(err):
            return ServerUnreachable(f"{where}: the server did not answer in HTTP{tries} ({text}){unsent}")
        return ServerUnreachable(f"{where}: the connection broke before a complete answer{tries} ({text}){unsent}")

    def _limits(self, limits: Limits) -> tuple[float, int]:
        """(seconds, retries) of one call: the service's, or the caller's (a wait bounds them by its deadline)."""
        if limits is None:
            return self._config.timeout, self._config.retries
        return limits

    def _retryable(self, op: Op, err: Exception) -> bool:
        return isinstance(err, _ALWAYS_RETRY) or (op.idempotent and isinstance(err, _IDEMPOTENT_RETRY))

    def _unhappy(self, op: Op, request: httpx.Request, response: httpx.Response, attempt: int) -> httpx.Response:
        """A 3xx/4xx/5xx answer (its body read): the error to raise, except for a DELETE that a retry finds gone
        (the attempt whose answer was lost deleted it), which is the empty answer of a successful delete."""
        status = response.status_code
        if status == 404 and op.method == "DELETE" and attempt > 0:
            log.debug("%s %s: gone after a retry, deleted by an earlier attempt", op.method, request.url)
            return httpx.Response(200, json={}, request=request)
        if status < 400:
            where = safe_url(response.headers.get("location", ""))
            raise InvalidResponse(redact(
                f"{op.name}: the server answered {status}, redirecting to {where!r}; hera does not follow redirects "
                "(is the host the Argo Server's URL? a login page means a proxy wants a token)",
                self._config.authorization,
            ))  # fmt: skip
        raise http_error(response, self._config.authorization, f"{op.name} {op.method} {safe_url(str(request.url).split('?', 1)[0])}")

    def _decode(self, op: Op, response: httpx.Response) -> Any:
        if op.model is None:
            return response.content
        if not response.content.strip():
            try:  # an empty answer stands for `{}` when the model has nothing required (a delete's answer)
                return parse(model_class(op.model), {})
            except InvalidResponse:
                raise InvalidResponse(f"{op.name}: the server answered {response.status_code} with an empty body") from None
        try:
            data = response.json()
        except ValueError:
            text = redact(response.text[:200], self._config.authorization)
            kind = response.headers.get("content-type", "").split(";")[0] or "no content type"
            raise InvalidResponse(f"{op.name}: the server's answer is not JSON ({kind}): {text!r}") from None
        try:
            return parse(model_class(op.model), data)
        except InvalidResponse as e:
            raise InvalidResponse(redact(f"{op.name}: {e}", self._config.authorization)) from None

    def _line(self, op: Op, line: str, raw: bool) -> Any:
        try:
            return parse_line(line, model_class(op.model), raw=raw)
        except HeraException as e:
            e.message = redact(f"{op.name}: {e.message}", self._config.authorization)
            e.args = (e.message,)
            raise
        except InvalidResponse as e:
            raise InvalidResponse(redact(f"{op.name}: {e}", self._config.authorization)) from None


class SyncServiceBase(_Core):
    """Sync services: httpx.Client (or the in-process transport for `local`); a context manager."""

    def close(self) -> None:
        """Close the HTTP connections (a session passed in by the caller stays open)."""
        session = self._session
        if session is not None and self._own_session:
            session.close()
            self._session = None

    def _drop_client(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _send(self, op: Op, url: str, params: list[tuple[str, Any]], content: bytes | None, *, stream: bool = False, read_timeout: float | None = None, limits: Limits = None) -> httpx.Response:
        client = self._http()
        headers = self._headers(content is not None)
        seconds, retries = self._limits(limits)
        timeout = httpx.Timeout(seconds)
        attempt = 0
        while True:
            request = client.build_request(op.method, url, params=params, content=content, headers=headers, timeout=timeout)
            try:
                response = client.send(request, stream=stream)
            except httpx.TransportError as e:
                if attempt < retries and self._retryable(op, e):
                    delay = backoff(attempt)
                    log.debug("%s %s: %s, retrying in %.2f s", op.method, url, type(e).__name__, delay)
                    time.sleep(delay)
                    attempt += 1
                    continue
                raise self._transport_error(op, url, e, attempt + 1, timeout=seconds) from None
            if response.status_code in RETRY_STATUSES and op.idempotent and attempt < retries:
                delay = backoff(attempt, response.headers.get("retry-after"))
                response.close()
                log.debug("%s %s: status %d, retrying in %.2f s", op.method, url, response.status_code, delay)
                time.sleep(delay)
                attempt += 1
                continue
            if response.status_code >= 300:
                try:
                    response.read()
                finally:
                    response.close()
                return self._unhappy(op, request, response, attempt)
            if stream:
                self._stream_reads(request, seconds, read_timeout)
            return response

    def _call(self, op: Op, path: dict[str, Any], query: dict[str, Any] | None = None, req: Any = None, *, aliases: dict[str, Any] | None = None, limits: Limits = None) -> Any:
        url = self._url(op, path)
        response = self._send(op, url, _query(resolve_aliases(op, query or {}, aliases or {})), _body(req), limits=limits)
        return self._decode(op, response)

    def _stream(self, op: Op, path: dict[str, Any], query: dict[str, Any] | None = None, *, raw: bool = False, read_timeout: float | None = None, aliases: dict[str, Any] | None = None, limits: Limits = None) -> Iterator[Any]:
        url = self._url(op, path)
        params = _query(resolve_aliases(op, query or {}, aliases or {}))

        def lines() -> Iterator[Any]:
            response = self._send(op, url, params, None, stream=True, read_timeout=read_timeout, limits=limits)
            try:
                for line in response.iter_lines():
                    if line.strip():
                        yield self._line(op, line, raw)
            except httpx.TransportError as e:
                raise self._transport_error(op, url, e, 1, _idle(read_timeout, self._config.stream_timeout)) from None
            finally:
                response.close()

        return lines()


class AsyncServiceBase(_Core):
    """Async services: httpx.AsyncClient (or the in-process transport for `local`); an async context manager."""

    _session_type = httpx.AsyncClient
    _local_transport = "AsyncLocalTransport"

    _loop: Any = None  # the event loop the owned client's connections belong to

    def _http(self) -> Any:
        """The client; an owned one made under an event loop that is not the running one (a second
        `asyncio.run`) is left behind with its dead connections, and a fresh one made."""
        loop = _running_loop()
        if self._own_session and self._session is not None and loop is not self._loop:
            self._session = None
        client = super()._http()
        if self._own_session:
            self._loop = loop
        return client

    async def close(self) -> None:
        """Close the HTTP connections (a session passed in by the caller stays open)."""
        session = self._session
        if session is not None and self._own_session:
            self._session = None
            if self._loop is _running_loop():  # connections of an ended loop cannot be closed from this one
                await session.aclose()

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def _send(self, op: Op, url: str, params: list[tuple[str, Any]], content: bytes | None, *, stream: bool = False, read_timeout: float | None = None, limits: Limits = None) -> httpx.Response:
        client = self._http()
        headers = self._headers(content is not None)
        seconds, retries = self._limits(limits)
        timeout = httpx.Timeout(seconds)
        attempt = 0
        while True:
            request = client.build_request(op.method, url, params=params, content=content, headers=headers, timeout=timeout)
            try:
                response = await client.send(request, stream=stream)
            except httpx.TransportError as e:
                if attempt < retries and self._retryable(op, e):
                    delay = backoff(attempt)
                    log.debug("%s %s: %s, retrying in %.2f s", op.method, url, type(e).__name__, delay)
                    await asyncio.sleep(delay)
                    attempt += 1
                    continue
                raise self._transport_error(op, url, e, attempt + 1, timeout=seconds) from None
            if response.status_code in RETRY_STATUSES and op.idempotent and attempt < retries:
                delay = backoff(attempt, response.headers.get("retry-after"))
                await response.aclose()
                log.debug("%s %s: status %d, retrying in %.2f s", op.method, url, response.status_code, delay)
                await asyncio.sleep(delay)
                attempt += 1
                continue
            if response.status_code >= 300:
                try:
                    await response.aread()
                finally:
                    await response.aclose()
                return self._unhappy(op, request, response, attempt)
            if stream:
                self._stream_reads(request, seconds, read_timeout)
            return response

    async def _call(self, op: Op, path: dict[str, Any], query: dict[str, Any] | None = None, req: Any = None, *, aliases: dict[str, Any] | None = None, limits: Limits = None) -> Any:
        url = self._url(op, path)
        response = await self._send(op, url, _query(resolve_aliases(op, query or {}, aliases or {})), _body(req), limits=limits)
        return self._decode(op, response)

    def _stream(self, op: Op, path: dict[str, Any], query: dict[str, Any] | None = None, *, raw: bool = False, read_timeout: float | None = None, aliases: dict[str, Any] | None = None, limits: Limits = None) -> AsyncIterator[Any]:
        url = self._url(op, path)
        params = _query(resolve_aliases(op, query or {}, aliases or {}))

        async def lines() -> AsyncIterator[Any]:
            response = await self._send(op, url, params, None, stream=True, read_timeout=read_timeout, limits=limits)
            try:
                async for line in response.aiter_lines():
                    if line.strip():
                        yield self._line(op, line, raw)
            except httpx.TransportError as e:
                raise self._transport_error(op, url, e, 1, _idle(read_timeout, self._config.stream_timeout)) from None
            finally:
                await response.aclose()

        return lines()


def _tls_hint(text: str) -> str:
    """A hint for the usual TLS mistakes, from the error's text."""
    if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text:
        return "; the server does not speak TLS: is the host http:// rather than https://?"
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "; pass verify_ssl=<CA bundle path> for a private CA, or verify_ssl=False to skip the check"
    return ""


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _idle(read: float | None, default: float | None) -> float | None:
    return read if read is not None else default


def _local_app() -> Any:
    from hera.engine.server.local import local_app

    return local_app()
