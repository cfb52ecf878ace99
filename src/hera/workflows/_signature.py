"""Reading a script function's signature into template inputs and outputs (§3.7, §3.8).

Stdlib only; `hera.workflows.io` (pydantic) is consulted only when the user's program already imported it.
"""

from __future__ import annotations

import copy
import inspect
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from hera.shared.errors import HeraValidationError
from hera.shared.serialization import MISSING, serialize
from hera.workflows.artifact import Artifact
from hera.workflows.parameter import Parameter

INPUT_ARTIFACTS_DIRECTORY = "/tmp/hera-inputs/artifacts"

_UNION_TYPES: tuple[Any, ...] = (Union, types.UnionType)


@dataclass
class FunctionIO:
    """What a function's signature declares."""

    inputs: list[Union[Parameter, Artifact]] = field(default_factory=list)
    outputs: list[Union[Parameter, Artifact]] = field(default_factory=list)
    python_names: dict[str, str] = field(default_factory=dict)  # input parameter name → Python name
    required_parameters: list[str] = field(default_factory=list)  # input parameter names without a default
    has_parameters: bool = False
    has_output_annotations: bool = False


_IO_MODULES = ("hera.workflows.io.v2", "hera.workflows.io.v1")


def _io_classes() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """The `Input` and `Output` bases (pydantic v2 and v1 flavours) of the io modules the program imported."""
    inputs: list[type] = []
    outputs: list[type] = []
    for name in _IO_MODULES:
        mod = sys.modules.get(name)
        if mod is not None:
            inputs.append(mod.Input)
            outputs.append(mod.Output)
    return tuple(inputs), tuple(outputs)


def _is_subclass(annotation: Any, bases: tuple[type, ...]) -> bool:
    if not bases or not isinstance(annotation, type):
        return False
    try:
        return issubclass(annotation, bases)
    except TypeError:  # Python 3.10 counts `tuple[int, str]` as a type, which ABCs refuse in issubclass
        return False


def unwrap_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    """`Annotated[T, a, b]` → `(T, [a, b])`; anything else → `(annotation, [])`."""
    if typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        return args[0], list(args[1:])
    return annotation, []


def is_optional(annotation: Any) -> bool:
    """True for `Optional[T]` / `T | None`."""
    return typing.get_origin(annotation) in _UNION_TYPES and type(None) in typing.get_args(annotation)


def _literal_values(annotation: Any) -> Optional[list[Any]]:
    if is_optional(annotation):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation = args[0]
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return None


def _hera_meta(meta: list[Any]) -> Union[Parameter, Artifact, None]:
    for item in meta:
        if isinstance(item, (Parameter, Artifact)):
            return item
    return None


def type_hints(func: Callable[..., Any]) -> dict[str, Any]:
    """The function's annotations with string annotations resolved (raw annotations when that fails)."""
    try:
        return typing.get_type_hints(func, include_extras=True)
    except Exception:
        pass
    # one unresolvable annotation (e.g. a class local to a function) must not hide the others
    out: dict[str, Any] = {}
    namespace = dict(getattr(func, "__globals__", {}))
    for name, annotation in (getattr(func, "__annotations__", {}) or {}).items():
        if isinstance(annotation, str):
            try:
                annotation = eval(annotation, namespace)
            except Exception:
                pass
        out[name] = annotation
    return out


def analyze_function(func: Callable[..., Any], *, template: Optional[str] = None) -> FunctionIO:
    """Inputs and outputs declared by `func`'s parameters and return annotation."""
    where = {"template": template}
    sig = inspect.signature(func)
    hints = type_hints(func)
    result = FunctionIO()
    input_cls, output_cls = _io_classes()
    params = [p for p in sig.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    result.has_parameters = bool(sig.parameters)
    for p in params:
        annotation = hints.get(p.name, p.annotation)
        base, meta = unwrap_annotated(annotation)
        hera = _hera_meta(meta)
        has_default = p.default is not inspect.Parameter.empty
        if _is_subclass(base, input_cls):
            if len(params) != 1:
                raise SyntaxError(f"An Input subclass must be the only function parameter (template {template!r})")
            for ip in base._get_parameters():  # type: ignore[attr-defined]
                result.inputs.append(ip)
                result.python_names[ip.name] = ip.name
                if ip.default is MISSING:
                    result.required_parameters.append(ip.name)
            result.inputs.extend(base._get_artifacts())  # type: ignore[attr-defined]
            continue
        if isinstance(hera, Artifact):
            art = copy.copy(hera)
            art.name = art.name or p.name
            if art.output:
                result.outputs.append(art)
                result.has_output_annotations = True
                continue
            if art.path is None:
                art.path = f"{INPUT_ARTIFACTS_DIRECTORY}/{art.name}"
            if art.optional and not is_optional(base):
                raise HeraValidationError(
                    f"artifact {art.name!r} is optional but its type is not Optional[...]", field=p.name, **where
                )
            result.inputs.append(art)
            continue
        if isinstance(hera, Parameter):
            param = copy.copy(hera)
            param.name = param.name or p.name
            if param.output:
                result.outputs.append(param)
                result.has_output_annotations = True
                continue
            if hera.default is not MISSING:
                raise HeraValidationError(
                    "default cannot be set via the Parameter's default, use a Python default value instead",
                    field=p.name,
                    **where,
                )
        else:
            param = Parameter(name=p.name)
        if has_default:
            param.default = serialize(p.default)
        if is_optional(base) and (not has_default or p.default is not None):
            raise HeraValidationError(
                f"Optional parameter {p.name!r} must default to None", field=p.name, **where
            )
        if param.enum is None:
            values = _literal_values(base)
            if values is not None:
                param.enum = [serialize(v) for v in values]
        assert param.name is not None
        result.inputs.append(param)
        result.python_names[param.name] = p.name
        if not has_default:
            result.required_parameters.append(param.name)
    _return_outputs(hints.get("return", sig.return_annotation), result, output_cls, where)
    return result


def _annotated_output(annotation: Any, where: dict[str, Any]) -> Union[Parameter, Artifact, None]:
    _, meta = unwrap_annotated(annotation)
    hera = _hera_meta(meta)
    if hera is None:
        return None
    if not hera.name:
        raise HeraValidationError("an output annotation needs a `name`", field="return", **where)
    out = copy.copy(hera)
    out.output = True
    return out


def _return_outputs(
    annotation: Any, result: FunctionIO, output_cls: tuple[type, ...], where: dict[str, Any]
) -> None:
    if annotation in (inspect.Signature.empty, None, type(None)):
        return
    if _is_subclass(annotation, output_cls):
        result.outputs.extend(annotation._get_outputs())  # type: ignore[attr-defined]
        result.has_output_annotations = True
        return
    single = _annotated_output(annotation, where)
    if single is not None:
        result.outputs.append(single)
        result.has_output_annotations = True
        return
    if typing.get_origin(annotation) is tuple:
        items = typing.get_args(annotation)
        outs = []
        for item in items:
            if _is_subclass(item, output_cls):
                raise HeraValidationError("an Output class cannot be part of a tuple return", field="return", **where)
            outs.append(_annotated_output(item, where))
        annotated = [o for o in outs if o is not None]
        if annotated and len(annotated) != len(outs):
            raise HeraValidationError(
                "a tuple return must annotate every item with a Parameter or an Artifact", field="return", **where
            )
        if annotated:
            result.outputs.extend(annotated)
            result.has_output_annotations = True
