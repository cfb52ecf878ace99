"""A function's parameters and annotations read from its code object: `inspect` alone costs more than the runner.

Also recognises hera's `Parameter`/`Artifact` metadata and `Input`/`Output` models without importing them: if
the module defining a class is not loaded, no value can be an instance of it.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_CO_VARARGS = 0x04
_CO_VARKEYWORDS = 0x08
_CO_COROUTINE = 0x80

POSITIONAL_ONLY = "positional-only"
NORMAL = "normal"
KEYWORD_ONLY = "keyword-only"
VAR_POSITIONAL = "*args"
VAR_KEYWORD = "**kwargs"

NO_DEFAULT: Any = object()
"""Marks a parameter without a default value."""

UNANNOTATED: Any = object()
"""Marks a parameter without an annotation."""


class Param:
    """One parameter of the entrypoint function: name, kind, resolved annotation and default."""

    __slots__ = ("annotation", "default", "kind", "name")

    def __init__(self, name: str, kind: str, annotation: Any, default: Any) -> None:
        self.name = name
        self.kind = kind
        self.annotation = annotation
        self.default = default

    @property
    def required(self) -> bool:
        """True when the caller must supply a value (no default)."""
        return self.default is NO_DEFAULT


class Signature:
    """The entrypoint's parameters, return annotation and whether calling it gives a coroutine."""

    __slots__ = ("is_async", "params", "returns")

    def __init__(self, params: list[Param], returns: Any, is_async: bool) -> None:
        self.params = params
        self.returns = returns
        self.is_async = is_async


def unwrap(fn: Any) -> Any:
    """The user's own function behind an `@script` wrapper (`.wrapped_function`)."""
    inner = getattr(fn, "wrapped_function", None)
    return inner if callable(inner) else fn


def read_signature(fn: Callable[..., Any]) -> Signature:
    """The signature of `fn`, from `__code__`/`__defaults__` when it is a plain function or bound method."""
    target: Any = fn
    while hasattr(target, "__wrapped__"):  # functools.wraps decorators: the wrapped function has the signature
        target = target.__wrapped__
    bound = getattr(target, "__self__", None) is not None and hasattr(target, "__func__")
    func = target.__func__ if bound else target
    code = getattr(func, "__code__", None)
    if code is None or not hasattr(func, "__defaults__"):
        return _signature_via_inspect(fn)
    annotations = resolve_annotations(func)
    names = code.co_varnames
    n_pos, n_posonly, n_kwonly = code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount
    defaults = func.__defaults__ or ()
    kwdefaults = func.__kwdefaults__ or {}
    first_default = n_pos - len(defaults)
    params: list[Param] = []
    for i in range(n_pos):
        kind = POSITIONAL_ONLY if i < n_posonly else NORMAL
        default = defaults[i - first_default] if i >= first_default else NO_DEFAULT
        params.append(Param(names[i], kind, annotations.get(names[i], UNANNOTATED), default))
    for name in names[n_pos : n_pos + n_kwonly]:
        params.append(Param(name, KEYWORD_ONLY, annotations.get(name, UNANNOTATED), kwdefaults.get(name, NO_DEFAULT)))
    i = n_pos + n_kwonly
    if code.co_flags & _CO_VARARGS:
        params.append(Param(names[i], VAR_POSITIONAL, UNANNOTATED, NO_DEFAULT))
        i += 1
    if code.co_flags & _CO_VARKEYWORDS:
        params.append(Param(names[i], VAR_KEYWORD, UNANNOTATED, NO_DEFAULT))
    if bound and params:
        params = params[1:]
    return Signature(params, annotations.get("return", UNANNOTATED), bool(code.co_flags & _CO_COROUTINE))


def _signature_via_inspect(fn: Callable[..., Any]) -> Signature:
    """Callables without a code object (classes, partials, callable instances): ask `inspect`, once."""
    import inspect

    try:
        sig = inspect.signature(fn, eval_str=True)
    except NameError:  # an annotation names something the module does not define
        sig = inspect.signature(fn)
    kinds = {
        inspect.Parameter.POSITIONAL_ONLY: POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD: NORMAL,
        inspect.Parameter.KEYWORD_ONLY: KEYWORD_ONLY,
        inspect.Parameter.VAR_POSITIONAL: VAR_POSITIONAL,
        inspect.Parameter.VAR_KEYWORD: VAR_KEYWORD,
    }
    params = []
    for p in sig.parameters.values():
        ann = UNANNOTATED if p.annotation is inspect.Parameter.empty else p.annotation
        default = NO_DEFAULT if p.default is inspect.Parameter.empty else p.default
        params.append(Param(p.name, kinds[p.kind], ann, default))
    ret = UNANNOTATED if sig.return_annotation is inspect.Signature.empty else sig.return_annotation
    return Signature(params, ret, inspect.iscoroutinefunction(fn))


def resolve_annotations(func: Any) -> dict[str, Any]:
    """`func`'s annotations with string forms (`from __future__ import annotations`) evaluated.

    Strings are evaluated in the function's module namespace; `typing.get_type_hints` is the fallback for what
    a plain `eval` cannot resolve.
    """
    raw = getattr(func, "__annotations__", None) or {}
    if not any(isinstance(v, str) for v in raw.values()):
        return dict(raw)
    namespace = getattr(func, "__globals__", {})
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            try:
                value = eval(value, namespace)  # the module's own annotation text, as typing.get_type_hints does
            except Exception:
                return _hints_via_typing(func)
        out[key] = value
    return out


def _hints_via_typing(obj: Any) -> dict[str, Any]:
    import typing

    return typing.get_type_hints(obj, include_extras=True)


def model_fields(cls: type) -> list[tuple[str, Any, tuple[Any, ...], bool]]:
    """`(name, type, Annotated metadata, required)` for each field of a pydantic v2 or v1 model."""
    fields = getattr(cls, "model_fields", None)
    if isinstance(fields, dict):
        return [(name, info.annotation, tuple(info.metadata), info.is_required()) for name, info in fields.items()]
    from hera.workflows._runner.coerce import strip_annotated

    hints = _hints_via_typing(cls)
    out = []
    for name, info in cls.__fields__.items():  # type: ignore[attr-defined]
        tp, meta = strip_annotated(hints.get(name, UNANNOTATED))
        out.append((name, tp, meta, bool(info.required)))
    return out


# -- hera's own classes, recognised without importing them ----------------------------------------------------


def _loaded_class(module: str, name: str) -> Any:
    mod = sys.modules.get(module)
    return getattr(mod, name, None) if mod is not None else None


def is_parameter(obj: Any) -> bool:
    """True for a `hera.workflows.Parameter` instance."""
    cls = _loaded_class("hera.workflows.parameter", "Parameter")
    return cls is not None and isinstance(obj, cls)


def is_artifact(obj: Any) -> bool:
    """True for a `hera.workflows.Artifact` instance (any storage subclass)."""
    cls = _loaded_class("hera.workflows.artifact", "Artifact")
    return cls is not None and isinstance(obj, cls)


def _io_subclass(tp: Any, name: str) -> bool:
    if not isinstance(tp, type):
        return False
    for module in ("hera.workflows.io", "hera.workflows.io.v1", "hera.workflows.io.v2"):
        base = _loaded_class(module, name)
        try:
            if isinstance(base, type) and issubclass(tp, base):
                return True
        except TypeError:  # Python 3.10 counts `list[int]` as a type, which ABCs refuse in issubclass
            return False
    return False


def is_input_model(tp: Any) -> bool:
    """True for a subclass of hera's `Input` (the single-parameter input model)."""
    return _io_subclass(tp, "Input")


def is_output_model(tp: Any) -> bool:
    """True for a subclass of hera's `Output` (the return model with `exit_code` and `result`)."""
    return _io_subclass(tp, "Output")


def io_annotation(metadata: tuple[Any, ...]) -> Any:
    """The first hera `Parameter` or `Artifact` among `Annotated` metadata, or None."""
    for meta in metadata:
        if is_parameter(meta) or is_artifact(meta):
            return meta
    return None
