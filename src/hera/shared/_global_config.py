"""`global_config`: process-wide defaults that Hera programs set once (host, token, image, class defaults, hooks)."""

from __future__ import annotations

import inspect
import sys
import warnings
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar, Union

TokenLike = Union[str, Callable[[], "str | None"], None]
_T = TypeVar("_T")

_DEFAULT_IMAGE = "python:3.10"
_DEFAULT_API_VERSION = "argoproj.io/v1alpha1"


class _GlobalConfig:
    """Holds the defaults. Getters resolve callables (token, image, client_certs) at the moment they are read."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Restore every default; clears class defaults and pre-build hooks too."""
        self.host: str | None = None
        self._token: TokenLike = None
        self._client_certs: Any = None
        self.verify_ssl: bool = True
        self.namespace: str | None = None
        self.service_account_name: str | None = None
        self._image: str | Callable[[], str] = _DEFAULT_IMAGE
        self.script_command: list[str] | None = ["python"]
        self.api_version: str = _DEFAULT_API_VERSION
        # inline scripts read parameter values as data instead of textual substitution (docs/scripts.md)
        self.safe_scripts: bool = False
        self._experimental_features: dict[str, bool] = defaultdict(bool)
        self._class_defaults: dict[type, dict[str, Any]] = defaultdict(dict)
        self._pre_build_hooks: dict[type, list[Callable[[Any], Any]]] = defaultdict(list)

    # -- values that may be callables -------------------------------------------------------------
    @property
    def token(self) -> str | None:
        """The token: a string, or the result of calling the configured callable / TokenGenerator."""
        t = self._token
        if t is None or isinstance(t, str):
            return t
        return t()

    @token.setter
    def token(self, value: TokenLike) -> None:
        self._token = value

    @property
    def client_certs(self) -> Any:
        """`(cert, key)` for mutual TLS, or the result of calling the configured callable."""
        c = self._client_certs
        return c() if callable(c) else c

    @client_certs.setter
    def client_certs(self, value: Any) -> None:
        self._client_certs = value

    @property
    def image(self) -> str:
        """Default image of Container/Script/ContainerNode, read when those objects are constructed."""
        i = self._image
        return i() if callable(i) else i

    @image.setter
    def image(self, value: str | Callable[[], str]) -> None:
        self._image = value

    @property
    def experimental_features(self) -> dict[str, bool]:
        """Deprecated: Hera 7 has no experimental features; setting flags has no effect."""
        warnings.warn(
            "experimental_features is not used as there are no experimental features.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._experimental_features

    @experimental_features.setter
    def experimental_features(self, value: dict[str, bool]) -> None:
        # Old programs assign the whole dict; accept it (with the same warning) rather than break them.
        warnings.warn(
            "experimental_features is not used as there are no experimental features.",
            DeprecationWarning,
            stacklevel=2,
        )
        self._experimental_features = defaultdict(bool, value)

    def __repr__(self) -> str:  # the token never appears
        return f"GlobalConfig(host={self.host!r}, namespace={self.namespace!r}, token={'***' if self._token else None})"

    # -- class defaults and hooks -----------------------------------------------------------------
    def set_class_defaults(self, cls: type, **kwargs: Any) -> None:
        """Defaults applied to fields of `cls` that are still None after construction."""
        known = _field_names(cls)
        unknown = [k for k in kwargs if k not in known]
        if unknown:
            raise ValueError(f"Unexpected fields for {cls.__name__}: {', '.join(sorted(unknown))}")
        self._class_defaults[cls].update(kwargs)

    def _get_class_defaults(self, cls: type) -> dict[str, Any]:
        return self._class_defaults.get(cls, {})

    def register_pre_build_hook(self, hook: Callable[[_T], _T]) -> Callable[[_T], _T]:
        """Register `hook` for objects of the exact type named by its return annotation."""
        return self._register_hook(hook)

    def _register_hook(self, hook: Callable[[_T], _T]) -> Callable[[_T], _T]:
        ret = _return_type(hook, sys._getframe(2).f_locals)
        if ret is None or not isinstance(ret, type):
            raise TypeError(f"pre-build hook {getattr(hook, '__name__', hook)!r} needs a return type annotation")
        self._pre_build_hooks[ret].append(hook)
        return hook

    def _get_pre_build_hooks(self, obj: Any) -> list[Callable[[Any], Any]]:
        return self._pre_build_hooks.get(type(obj), [])


def _return_type(hook: Callable[..., Any], caller_locals: dict[str, Any]) -> Any:
    """The hook's return annotation, resolving string annotations (PEP 563) in the defining scope."""
    ret = getattr(hook, "__annotations__", {}).get("return")
    if isinstance(ret, str):
        try:
            ret = eval(ret, getattr(hook, "__globals__", {}), caller_locals)
        except Exception:
            return None
    return ret


def _field_names(cls: type) -> set[str]:
    fields = getattr(cls, "__dataclass_fields__", None)
    if fields is not None:
        return set(fields)
    model_fields = getattr(cls, "model_fields", None)
    if model_fields is not None:
        return set(model_fields)
    return set(inspect.signature(cls).parameters)


GlobalConfig = global_config = _GlobalConfig()


def register_pre_build_hook(hook: Callable[[_T], _T]) -> Callable[[_T], _T]:
    """Module-level alias of `global_config.register_pre_build_hook`."""
    return global_config._register_hook(hook)
