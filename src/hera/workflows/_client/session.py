"""`session=` given a `requests.Session` (what Hera's services take): its settings carried over to httpx.

hera's services speak httpx, so a requests.Session cannot be used as is. Rather than refuse the programs that
pass one, the settings a session usually carries are taken over: extra headers (an `Authorization` header
becomes the service's token, so it is redacted like one), cookies, basic auth, the client certificate and
proxies. TLS verification comes from `verify_ssl` / global_config, as in Hera (which passes `verify=` on every
request, overriding the session's). What cannot be carried (custom adapters, hooks, other auth objects) is
named in a warning. requests itself is never imported here.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field
from typing import Any

_REQUESTS_DEFAULT_HEADERS = {"user-agent", "accept-encoding", "accept", "connection"}


def is_requests_session(session: Any) -> bool:
    """True for a `requests.Session` (checked only if requests is already imported: the caller made one)."""
    requests = sys.modules.get("requests")
    return requests is not None and isinstance(session, requests.Session)


@dataclass
class Adopted:
    """What a requests.Session contributes to the httpx client."""

    client_kwargs: dict[str, Any] = field(default_factory=dict)
    authorization: str | None = None
    cert: Any = None
    ignored: list[str] = field(default_factory=list)


def _headers(session: Any) -> tuple[dict[str, str], str | None]:
    import requests.utils

    defaults = requests.utils.default_headers()
    headers: dict[str, str] = {}
    authorization = None
    for key, value in session.headers.items():
        low = key.lower()
        if value is None:
            continue
        if low == "authorization":
            authorization = str(value)
        elif low not in _REQUESTS_DEFAULT_HEADERS or defaults.get(key) != value:
            headers[key] = str(value)
    return headers, authorization


def _proxy(session: Any, host: str) -> str | None:
    proxies = dict(session.proxies or {})
    scheme = host.split("://", 1)[0] if "://" in host else "https"
    hostname = host.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    for key in (f"{scheme}://{hostname}", scheme, "all"):
        if proxies.get(key):
            return str(proxies[key])
    return None


def adopt(session: Any, host: str, *, stacklevel: int = 4) -> Adopted:
    """The httpx settings of a requests.Session for a service on `host`; warns about what cannot be carried."""
    import requests.adapters

    out = Adopted()
    headers, out.authorization = _headers(session)
    if headers:
        out.client_kwargs["headers"] = headers
    if len(session.cookies):
        out.client_kwargs["cookies"] = session.cookies
    if isinstance(session.auth, tuple) and len(session.auth) == 2:
        out.client_kwargs["auth"] = (str(session.auth[0]), str(session.auth[1]))
    elif session.auth is not None:
        out.ignored.append(f"auth ({type(session.auth).__name__})")
    proxy = _proxy(session, host)
    if proxy:
        out.client_kwargs["proxy"] = proxy
    out.cert = session.cert
    custom = [
        prefix
        for prefix, adapter in session.adapters.items()
        if type(adapter) is not requests.adapters.HTTPAdapter or adapter.max_retries.total not in (0, None)
    ]
    if custom:
        out.ignored.append(f"adapters mounted on {', '.join(custom)} (hera retries by itself: retries=)")
    if any(session.hooks.values()):
        out.ignored.append("hooks")
    if out.ignored:
        warnings.warn(
            "hera's services use httpx, not requests: the requests.Session's headers, cookies, basic auth, "
            f"certificate and proxies are used, but not its {'; '.join(out.ignored)}",
            UserWarning,
            stacklevel=stacklevel,
        )
    return out
