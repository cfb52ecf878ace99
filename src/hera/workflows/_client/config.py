"""Where a service connects and how: resolved once, at construction, from explicit arguments, then
`global_config`, then the argo CLI's environment variables.

| setting | argument | global_config | environment |
|---|---|---|---|
| host | `host` | `host` | `ARGO_SERVER` (`host:port`; `https://` unless `ARGO_SECURE=false`), `ARGO_BASE_HREF` |
| token | `token` (str, callable, TokenGenerator) | `token` | `ARGO_TOKEN` |
| namespace | `namespace` | `namespace` | `ARGO_NAMESPACE` |
| TLS verification | `verify_ssl` | `verify_ssl=False` | `ARGO_INSECURE_SKIP_VERIFY=true` |
| client certificate | `client_certs` | `client_certs` | |

No host anywhere means `"local"`: the embedded engine, served in-process. Its default namespace is
`default`. This module imports no HTTP library: the authoring layer reads `default_namespace()` cheaply.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hera.shared import global_config
from hera.shared.errors import HeraValidationError

LOCAL = "local"
LOCAL_NAMESPACE = "default"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 4
_FALSE = ("false", "0", "no", "off")
_TRUE = ("true", "1", "yes", "on")


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return default


def normalise_host(host: str, *, secure: bool | None = None) -> str:
    """`local`, or a base URL without a trailing slash; `host:port` gets `https://` (`http://` if not secure)."""
    text = host.strip()
    if text.lower() == LOCAL:
        return LOCAL
    if not text:
        raise HeraValidationError("the host must not be empty", field="host")
    if "://" in text:
        scheme = text.split("://", 1)[0].lower()
        if scheme not in ("http", "https"):
            raise HeraValidationError(
                f"the host must start with http:// or https:// (or be 'local'), got scheme {scheme!r}", field="host"
            )
    else:
        use_tls = _env_flag("ARGO_SECURE", True) if secure is None else secure
        text = ("https://" if use_tls else "http://") + text
    return text.rstrip("/")


def resolve_host(host: str | None = None) -> str:
    """The host a service uses: the argument, global_config.host, ARGO_SERVER (+ARGO_BASE_HREF), else local."""
    if host:
        return normalise_host(host)
    if global_config.host:
        return normalise_host(global_config.host)
    env = os.environ.get("ARGO_SERVER", "").strip()
    if env:
        url = normalise_host(env)
        base_href = os.environ.get("ARGO_BASE_HREF", "").strip().strip("/")
        if url != LOCAL and base_href:
            url = f"{url}/{base_href}"
        return url
    return LOCAL


def default_namespace(host: str | None = None) -> str | None:
    """The namespace used when none is given: global_config.namespace, ARGO_NAMESPACE, else `default` locally."""
    ns = global_config.namespace or os.environ.get("ARGO_NAMESPACE", "").strip()
    if ns:
        return ns
    return LOCAL_NAMESPACE if resolve_host(host) == LOCAL else None


def format_token(token: str | None) -> str | None:
    """The Authorization header value: a bare token gets `Bearer ` once; anything with a space is kept."""
    if token is None:
        return None
    if not isinstance(token, str):
        raise HeraValidationError(f"the token must be a string, got {type(token).__name__}", field="token")
    text = token.strip()
    if not text:
        return None
    if any(ch.isspace() for ch in text):
        return text  # "Bearer abc", "Basic ...": already a scheme and a credential
    return f"Bearer {text}"


def _call(value: Any) -> Any:
    return value() if callable(value) else value


def resolve_token(token: str | Callable[[], str | None] | None) -> str | None:
    """The Authorization header from the argument, global_config.token or ARGO_TOKEN (callables called now)."""
    if token is not None:
        return format_token(_call(token))
    configured = global_config.token  # calls a configured callable / TokenGenerator
    if configured is not None:
        return format_token(configured)
    return format_token(os.environ.get("ARGO_TOKEN") or None)


def check_certs(certs: Any) -> Any:
    """A client certificate as the transport takes it: None, one combined file, or a `(cert, key)` tuple."""
    if certs is None or isinstance(certs, str | os.PathLike):
        return certs
    if isinstance(certs, tuple | list) and len(certs) == 2:
        return tuple(certs)
    raise HeraValidationError("client_certs must be a (cert, key) pair of paths or one combined file", field="client_certs")


def resolve_verify(verify_ssl: Any) -> Any:
    """TLS verification: the argument (bool, CA bundle path or SSLContext); else off when global_config says
    so or ARGO_INSECURE_SKIP_VERIFY is true; on by default."""
    if verify_ssl is not None:
        return verify_ssl
    if global_config.verify_ssl is False:
        return False
    return not _env_flag("ARGO_INSECURE_SKIP_VERIFY", False)


@dataclass(frozen=True)
class ClientConfig:
    """A service's resolved settings. The Authorization value never shows in the repr."""

    host: str
    namespace: str | None
    verify: Any = True
    client_certs: Any = None
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    stream_timeout: float | None = None
    authorization: str | None = field(default=None, repr=False)

    @property
    def is_local(self) -> bool:
        """True for the embedded engine."""
        return self.host == LOCAL

    def __repr__(self) -> str:
        token = "***" if self.authorization else None
        return f"ClientConfig(host={self.host!r}, namespace={self.namespace!r}, verify={self.verify!r}, token={token})"


def resolve(
    host: str | None = None,
    verify_ssl: Any = None,
    token: Any = None,
    client_certs: Any = None,
    namespace: str | None = None,
    *,
    timeout: float | None = None,
    retries: int | None = None,
    stream_timeout: float | None = None,
) -> ClientConfig:
    """Every setting of a service, resolved now (token callables are called here, once)."""
    url = resolve_host(host)
    ns = namespace or default_namespace(url)
    certs = check_certs(_call(client_certs) if client_certs is not None else global_config.client_certs)
    t = DEFAULT_TIMEOUT if timeout is None else float(timeout)
    if t <= 0:
        raise HeraValidationError(f"timeout must be positive seconds, got {timeout!r}", field="timeout")
    r = DEFAULT_RETRIES if retries is None else int(retries)
    if r < 0:
        raise HeraValidationError(f"retries must be 0 or more, got {retries!r}", field="retries")
    return ClientConfig(
        host=url,
        namespace=ns,
        verify=resolve_verify(verify_ssl),
        client_certs=certs,
        timeout=t,
        retries=r,
        stream_timeout=stream_timeout,
        authorization=resolve_token(token),
    )
