"""Turn the text of an Argo parameter into the annotated Python type, fast, with pydantic's lax-mode results.

The common JSON types (str, int, float, bool, None, list/tuple/set/dict of them, Optional/Union, Literal, Any)
plus Enum, Path, bytes and pydantic models (through the model's own validator) are handled here, so a typical
signature never imports pydantic; any other type is handed whole to pydantic's `TypeAdapter`.
"""

from __future__ import annotations

import collections.abc as cabc
import json
import os
import sys
from types import UnionType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NoneType = type(None)

_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_LIST_ORIGINS = (list, cabc.Sequence, cabc.MutableSequence, cabc.Iterable, cabc.Collection)
_SET_ORIGINS = (set, frozenset, cabc.Set, cabc.MutableSet)
_DICT_ORIGINS = (dict, cabc.Mapping, cabc.MutableMapping)


class Mismatch(Exception):
    """A value does not fit a type; `where` locates the failing part (`[2]`, `['k']`), `detail` says why."""

    def __init__(self, expected: str, where: str = "", detail: str = "") -> None:
        super().__init__(expected)
        self.expected = expected
        self.where = where
        self.detail = detail

    def at(self, step: str) -> Mismatch:
        """Prefix the location with one more step (the container the failing part sits in)."""
        self.where = step + self.where
        return self

    def explain(self) -> str:
        """`at [1]: expected int` / pydantic's first error, or an empty string when the top level failed."""
        parts = []
        if self.where:
            parts.append(f"at {self.where}: expected {self.expected}")
        if self.detail:
            parts.append(self.detail)
        return "; ".join(parts)


class _Unsupported(Exception):
    """Raised inside the fast path for a type it does not know; the whole type then goes to pydantic."""


# -- type inspection without importing typing ------------------------------------------------------------


def _typing(name: str) -> Any:
    mod = sys.modules.get("typing")
    return getattr(mod, name, None) if mod is not None else None


def strip_annotated(tp: Any) -> tuple[Any, tuple[Any, ...]]:
    """`(T, metadata)` for `Annotated[T, *metadata]`, `(tp, ())` for anything else."""
    meta = getattr(tp, "__metadata__", None)
    if meta is not None and hasattr(tp, "__origin__"):
        return tp.__origin__, tuple(meta)
    return tp, ()


def is_union(tp: Any) -> bool:
    """True for `Union[...]`, `Optional[...]` and `A | B`."""
    if isinstance(tp, UnionType):
        return True
    origin = getattr(tp, "__origin__", None)
    return origin is not None and origin is _typing("Union")


def _is_literal(tp: Any) -> bool:
    origin = getattr(tp, "__origin__", None)
    return origin is not None and origin is _typing("Literal")


def is_any(tp: Any) -> bool:
    """True for `Any` and `object`: every value fits."""
    return tp is object or (tp is not None and tp is _typing("Any"))


def union_members(tp: Any) -> tuple[Any, ...]:
    """The members of a union type."""
    return tuple(tp.__args__)


def is_str_type(tp: Any) -> bool:
    """True for `str` and `Optional[str]`: such parameters get the raw text, never `json.loads`."""
    if tp is str:
        return True
    if is_union(tp):
        members = [m for m in union_members(tp) if m is not NoneType]
        return len(members) == 1 and members[0] is str
    return False


def allows_none(tp: Any) -> bool:
    """True when `None` fits the type (Optional, a union with None, Any)."""
    if tp is None or tp is NoneType or is_any(tp):
        return True
    return is_union(tp) and NoneType in union_members(tp)


def model_kind(tp: Any) -> str | None:
    """`"v2"` for a pydantic v2 model or dataclass, `"v1"` for a pydantic.v1 model, None for anything else."""
    if not isinstance(tp, type):
        return None
    if hasattr(tp, "__pydantic_validator__") and "pydantic" in sys.modules:
        return "v2"
    if hasattr(tp, "__fields__") and hasattr(tp, "parse_obj") and "pydantic.v1" in sys.modules:
        return "v1"
    return None


def type_name(tp: Any) -> str:
    """A short, readable spelling of a type for error messages: `int`, `list[int]`, `Optional[Cfg]`."""
    if tp is None or tp is NoneType:
        return "None"
    if tp is Ellipsis:
        return "..."
    inner, meta = strip_annotated(tp)
    if meta:
        return type_name(inner)
    if is_union(tp):
        members = union_members(tp)
        if len(members) == 2 and NoneType in members:
            other = members[0] if members[1] is NoneType else members[1]
            return f"Optional[{type_name(other)}]"
        return "Union[" + ", ".join(type_name(m) for m in members) + "]"
    if _is_literal(tp):
        return "Literal[" + ", ".join(repr(a) for a in tp.__args__) + "]"
    if is_any(tp):
        return "Any"
    origin = getattr(tp, "__origin__", None)
    args = getattr(tp, "__args__", None)
    if origin is not None and args:
        return f"{type_name(origin)}[{', '.join(type_name(a) for a in args)}]"
    if isinstance(tp, type):
        return tp.__qualname__
    return repr(tp).replace("typing.", "")


# -- the fast path -------------------------------------------------------------------------------------


def _to_int(v: Any, strict: bool) -> int:
    t = type(v)
    if t is int:
        return v  # type: ignore[no-any-return]
    if not strict:
        if t is bool:
            return int(v)
        if t is float and v.is_integer():
            return int(v)
        if t is str:
            text = v.strip()
            try:
                return int(text)
            except ValueError:
                head, dot, tail = text.partition(".")
                if dot and head.lstrip("+-").isdigit() and (tail == "" or tail.strip("0") == ""):
                    return int(head)
    raise Mismatch("int")


def _to_float(v: Any, strict: bool) -> float:
    t = type(v)
    if t is float:
        return v  # type: ignore[no-any-return]
    if t is int:
        return float(v)
    if not strict:
        if t is bool:
            return float(v)
        if t is str:
            try:
                return float(v)
            except ValueError:
                pass
    raise Mismatch("float")


def _to_bool(v: Any, strict: bool) -> bool:
    t = type(v)
    if t is bool:
        return v  # type: ignore[no-any-return]
    if not strict:
        if (t is int or t is float) and v in (0, 1):
            return bool(v)
        if t is str:
            low = v.strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
    raise Mismatch("bool")


def _validation_detail(exc: Exception) -> str:
    """pydantic's first error as `field 'x': Input should be ...` (v1 and v2 errors share `errors()`)."""
    try:
        first = exc.errors()[0]  # type: ignore[attr-defined]
    except Exception:  # not a pydantic error after all
        return str(exc).splitlines()[0]
    loc = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__")
    msg = first.get("msg", "invalid value")
    return f"field '{loc}': {msg}" if loc else msg


def _is_validation_error(exc: Exception) -> bool:
    return type(exc).__name__ == "ValidationError" and type(exc).__module__.startswith("pydantic")


def _model(tp: type, v: Any, kind: str, strict: bool) -> Any:
    if isinstance(v, tp):
        return v
    try:
        if kind == "v1":
            return tp.parse_obj(v)  # type: ignore[attr-defined]
        validate = getattr(tp, "model_validate", None)
        if validate is not None:
            return validate(v, strict=strict or None)
        return tp.__pydantic_validator__.validate_python(v, strict=strict or None)  # type: ignore[attr-defined]
    except Exception as exc:
        if _is_validation_error(exc):
            raise Mismatch(tp.__qualname__, detail=_validation_detail(exc)) from None
        raise


def coerce(tp: Any, v: Any, strict: bool = False) -> Any:
    """`v` (a JSON value) converted to `tp` as pydantic's lax mode would; Mismatch if it does not fit.

    `strict` is used for the exact-match pass over union members. Raises _Unsupported for unknown types.
    """
    if tp is str:
        if type(v) is str:
            return v
        raise Mismatch("str")
    if tp is int:
        return _to_int(v, strict)
    if tp is float:
        return _to_float(v, strict)
    if tp is bool:
        return _to_bool(v, strict)
    if tp is None or tp is NoneType:
        if v is None:
            return None
        raise Mismatch("None")
    if is_any(tp):
        return v
    inner, meta = strip_annotated(tp)
    if meta:
        return coerce(inner, v, strict)
    if is_union(tp):
        return _union(tp, v, strict)
    if _is_literal(tp):
        for option in tp.__args__:
            if v == option and (not strict or type(v) is type(option)):
                return option
        raise Mismatch(type_name(tp))
    origin = getattr(tp, "__origin__", None)
    if origin is not None:
        return _generic(tp, origin, getattr(tp, "__args__", ()), v, strict)
    if isinstance(tp, type):
        return _class(tp, v, strict)
    raise _Unsupported(tp)


def _union(tp: Any, v: Any, strict: bool) -> Any:
    members = union_members(tp)
    if v is None and NoneType in members:
        return None
    others = [m for m in members if m is not NoneType]
    if len(others) == 1:  # Optional[X]
        return coerce(others[0], v, strict)
    # Like pydantic's smart mode: an exact type wins, then a strict match, then the first lax match in order.
    kind = type(v)
    if kind in others and kind in (int, float, str, bool):
        return v
    for member in others:
        try:
            return coerce(member, v, strict=True)
        except Mismatch:
            pass
    if not strict:
        for member in others:
            try:
                return coerce(member, v)
            except Mismatch:
                pass
    raise Mismatch(type_name(tp))


def _generic(tp: Any, origin: Any, args: tuple[Any, ...], v: Any, strict: bool) -> Any:
    if origin in _LIST_ORIGINS or origin is tuple or origin in _SET_ORIGINS:
        if not isinstance(v, (list, tuple)) or (strict and type(v) is not list and origin is not tuple):
            raise Mismatch(type_name(tp))
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                item_types = [args[0]] * len(v)
            elif args == ((),):
                item_types = []
            else:
                item_types = list(args)
                if len(item_types) != len(v):
                    raise Mismatch(type_name(tp), detail=f"expected {len(item_types)} items, got {len(v)}")
        else:
            item_types = [args[0] if args else object] * len(v)
        out = []
        for i, (item_tp, item) in enumerate(zip(item_types, v)):
            try:
                out.append(coerce(item_tp, item, strict))
            except Mismatch as exc:
                raise exc.at(f"[{i}]") from None
        if origin is tuple:
            return tuple(out)
        if origin in _SET_ORIGINS:
            return frozenset(out) if origin is frozenset else set(out)
        return out
    if origin in _DICT_ORIGINS:
        if not isinstance(v, dict):
            raise Mismatch(type_name(tp))
        key_tp, val_tp = (args[0], args[1]) if len(args) == 2 else (object, object)
        result = {}
        for key, item in v.items():
            try:
                new_key = coerce(key_tp, key, strict)
            except Mismatch as exc:
                raise exc.at(f"[key {key!r}]") from None
            try:
                result[new_key] = coerce(val_tp, item, strict)
            except Mismatch as exc:
                raise exc.at(f"[{key!r}]") from None
        return result
    if origin is type or not isinstance(origin, type):
        raise _Unsupported(tp)
    kind = model_kind(origin)
    if kind is not None:  # a generic pydantic model such as Page[int]: let pydantic parametrise it
        raise _Unsupported(tp)
    raise _Unsupported(tp)


def _class(tp: type, v: Any, strict: bool) -> Any:
    kind = model_kind(tp)
    if kind is not None:
        return _model(tp, v, kind, strict)
    if tp is list or tp is tuple or tp is set or tp is frozenset:
        if isinstance(v, (list, tuple)):
            return tp(v)
        raise Mismatch(tp.__name__)
    if tp is dict:
        if isinstance(v, dict):
            return v
        raise Mismatch("dict")
    if tp is bytes:
        if isinstance(v, str):
            return v.encode()
        raise Mismatch("bytes")
    enum_mod = sys.modules.get("enum")
    if enum_mod is not None and issubclass(tp, enum_mod.Enum):
        if isinstance(v, tp):
            return v
        try:
            return tp(v)
        except ValueError:
            choices = ", ".join(repr(m.value) for m in tp)  # type: ignore[attr-defined,var-annotated]
            raise Mismatch(tp.__qualname__, detail=f"expected one of {choices}") from None
    pathlib = sys.modules.get("pathlib")
    if pathlib is not None and issubclass(tp, pathlib.PurePath):
        if isinstance(v, (str, pathlib.PurePath)):
            return tp(v)
        raise Mismatch(tp.__qualname__)
    raise _Unsupported(tp)


# -- pydantic for the rest -------------------------------------------------------------------------------

_ADAPTERS: dict[Any, Any] = {}


def pydantic_mode() -> str:
    """`"1"` when `hera__pydantic_mode=1` asks for pydantic.v1 semantics, else `"2"`."""
    return "1" if os.environ.get("hera__pydantic_mode", "").strip() == "1" else "2"


def _adapter(tp: Any) -> Any:
    try:
        return _ADAPTERS[tp]
    except (KeyError, TypeError):
        pass
    from pydantic import ConfigDict, PydanticUserError, TypeAdapter

    try:
        adapter = TypeAdapter(tp, config=ConfigDict(arbitrary_types_allowed=True))
    except PydanticUserError:  # types that carry their own config (models, TypedDicts with config)
        adapter = TypeAdapter(tp)
    try:
        _ADAPTERS[tp] = adapter
    except TypeError:  # unhashable annotation
        pass
    return adapter


def with_pydantic(tp: Any, v: Any) -> Any:
    """Validate `v` against `tp` with pydantic (v1's `parse_obj_as` under `hera__pydantic_mode=1`)."""
    try:
        if pydantic_mode() == "1":
            from pydantic.v1 import parse_obj_as

            return parse_obj_as(tp, v)
        return _adapter(tp).validate_python(v)
    except Exception as exc:
        if _is_validation_error(exc):
            raise Mismatch(type_name(tp), detail=_validation_detail(exc)) from None
        raise


def validate(tp: Any, v: Any) -> Any:
    """`v` converted to `tp`: the fast path when it knows every part of `tp`, pydantic otherwise."""
    if pydantic_mode() == "1":
        return with_pydantic(tp, v)
    try:
        return coerce(tp, v)
    except _Unsupported:
        return with_pydantic(tp, v)


def from_text(tp: Any, raw: Any) -> Any:
    """An Argo parameter's text converted to `tp`: `json.loads` first, the raw text if that does not fit."""
    if not isinstance(raw, str):  # a hand-written args file may hold JSON values instead of text
        return validate(tp, raw)
    try:
        parsed = json.loads(raw)
    except ValueError:
        return validate(tp, raw)
    try:
        return validate(tp, parsed)
    except Mismatch:
        try:
            return validate(tp, raw)
        except Mismatch:
            pass
        raise


# -- output checks -----------------------------------------------------------------------------------------


def matches(tp: Any, v: Any) -> bool:
    """Whether a returned value is an instance of the annotated type (containers checked at the top level only)."""
    if tp is None or tp is NoneType:
        return v is None
    if is_any(tp):
        return True
    inner, meta = strip_annotated(tp)
    if meta:
        return matches(inner, v)
    if is_union(tp):
        return any(matches(m, v) for m in union_members(tp))
    if _is_literal(tp):
        return any(v == option for option in tp.__args__)
    origin = getattr(tp, "__origin__", None)
    if origin is not None:
        return isinstance(v, origin) if isinstance(origin, type) else True
    if isinstance(tp, type):
        if tp is float:
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        return isinstance(v, tp)
    supertype = getattr(tp, "__supertype__", None)  # NewType
    if supertype is not None:
        return matches(supertype, v)
    return True
