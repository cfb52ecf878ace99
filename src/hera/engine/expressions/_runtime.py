"""expr-lang's runtime rules on Python values: equality, ordering, arithmetic, member access, conversions.

Values map as: nil → None, bool, int (Go int), float (float64), string → str, array → list, map → dict,
time.Time → aware `datetime`, time.Duration → `timedelta`. Bools are never numbers (unlike Python).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from hera.engine.expressions._gofmt import format_duration, go_sprint, go_time_format

__all__ = [
    "EvalError",
    "add",
    "compare",
    "div",
    "equal",
    "fetch",
    "go_type",
    "is_number",
    "mod",
    "mul",
    "pow_",
    "slice_",
    "sub",
    "to_float",
    "to_int",
    "type_name",
]


class EvalError(Exception):
    """A runtime failure inside an expression; `pos` is filled in by the innermost node that knows it."""

    def __init__(self, message: str, pos: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


def is_number(v: Any) -> bool:
    """int or float, but not bool."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# (types, the Go type name as Argo's env holds it, expr's `type()` name), in the order they are tried
_TYPE_NAMES: tuple[tuple[Any, str, str], ...] = (
    (bool, "bool", "bool"),
    (int, "int", "int"),
    (float, "float64", "float"),
    (str, "string", "string"),
    ((list, tuple), "[]interface {}", "array"),
    (dict, "map[string]interface {}", "map"),
    (datetime, "time.Time", "time.Time"),
    (timedelta, "time.Duration", "time.Duration"),
)


def _type_names(v: Any) -> tuple[str, str]:
    """(Go type name, expr type name) of a value."""
    if v is None:
        return "<nil>", "nil"
    for types, go, expr in _TYPE_NAMES:
        if isinstance(v, types):
            return go, expr
    if callable(v):
        return "func", "func"
    name = type(v).__name__
    return name, name


def go_type(v: Any) -> str:
    """The Go type name of a value as Argo's env holds it (for error messages and sprig.typeOf)."""
    return _type_names(v)[0]


def type_name(v: Any) -> str:
    """expr's `type(v)`: nil, bool, int, float, string, array, map, time.Time, time.Duration, func."""
    return _type_names(v)[1]


def _mismatch(op: str, a: Any, b: Any) -> EvalError:
    return EvalError(f"invalid operation: {op} (mismatched types {go_type(a)} and {go_type(b)})")


def equal(a: Any, b: Any) -> bool:
    """expr's `==`: numbers compare by value across int/float; different kinds are simply unequal."""
    if a is None or b is None:
        return a is None and b is None
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if is_number(a) and is_number(b):
        return bool(a == b)
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, datetime) and isinstance(b, datetime):
        return _aware(a) == _aware(b)
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return a == b
    return ta is tb and bool(a == b)


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo is not None else d.replace(tzinfo=timezone.utc)


def compare(op: str, a: Any, b: Any) -> bool:
    """`<`, `<=`, `>`, `>=` on numbers, strings, times or durations; other pairs are an error."""
    if is_number(a) and is_number(b):
        pass
    elif isinstance(a, str) and isinstance(b, str):
        pass
    elif isinstance(a, datetime) and isinstance(b, datetime):
        a, b = _aware(a), _aware(b)
    elif isinstance(a, timedelta) and isinstance(b, timedelta):
        pass
    else:
        raise _mismatch(op, a, b)
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def add(a: Any, b: Any) -> Any:
    """`+`: numbers, string concatenation, array concatenation, time + duration."""
    if is_number(a) and is_number(b):
        return a + b
    if isinstance(a, str) and isinstance(b, str):
        return a + b
    if isinstance(a, list) and isinstance(b, list):
        return a + b
    if isinstance(a, datetime) and isinstance(b, timedelta):
        return a + b
    if isinstance(a, timedelta) and isinstance(b, (datetime, timedelta)):
        return b + a
    raise _mismatch("+", a, b)


def sub(a: Any, b: Any) -> Any:
    """`-`: numbers, time - time (a duration), time - duration."""
    if is_number(a) and is_number(b):
        return a - b
    if isinstance(a, datetime) and isinstance(b, datetime):
        return _aware(a) - _aware(b)
    if isinstance(a, datetime) and isinstance(b, timedelta):
        return a - b
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return a - b
    raise _mismatch("-", a, b)


def mul(a: Any, b: Any) -> Any:
    """`*` on numbers (and a duration times an int)."""
    if is_number(a) and is_number(b):
        return a * b
    if isinstance(a, timedelta) and isinstance(b, int) and not isinstance(b, bool):
        return a * b
    if isinstance(b, timedelta) and isinstance(a, int) and not isinstance(a, bool):
        return b * a
    raise _mismatch("*", a, b)


def div(a: Any, b: Any) -> float:
    """`/`: always a float64 division (x/0 gives ±Inf or NaN, as in Go)."""
    if not (is_number(a) and is_number(b)):
        raise _mismatch("/", a, b)
    fa, fb = float(a), float(b)
    if fb == 0.0:
        if fa == 0.0 or math.isnan(fa):
            return math.nan
        return math.copysign(math.inf, fa) * (math.copysign(1.0, fb))
    return fa / fb


def mod(a: Any, b: Any) -> int:
    """`%`: integers only; the sign follows the dividend (Go's truncated remainder)."""
    if not (isinstance(a, int) and isinstance(b, int)) or isinstance(a, bool) or isinstance(b, bool):
        raise _mismatch("%", a, b)
    if b == 0:
        raise EvalError("integer divide by zero")
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def pow_(a: Any, b: Any) -> float:
    """`**` / `^`: math.Pow, always a float."""
    if not (is_number(a) and is_number(b)):
        raise _mismatch("**", a, b)
    try:
        return math.pow(float(a), float(b))
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


def to_int(v: Any) -> int:
    """expr's `int(v)`: numbers truncate, strings must be an integer literal."""
    if isinstance(v, bool) or v is None:
        raise EvalError(f"invalid operation: int({go_type(v)})")
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise EvalError(f"cannot convert {go_sprint(v)} to int")
        return int(v)
    if isinstance(v, str):
        text = v
        body = text[1:] if text[:1] in "+-" else text
        if body.isascii() and body.isdigit():
            return int(text)
        raise EvalError(f'strconv.Atoi: parsing "{v}": invalid syntax')
    if isinstance(v, timedelta):
        return (v.days * 86400 + v.seconds) * 10**9 + v.microseconds * 1000
    raise EvalError(f"invalid operation: int({go_type(v)})")


def to_float(v: Any) -> float:
    """expr's `float(v)`: numbers convert, strings must parse as a float."""
    if isinstance(v, bool) or v is None:
        raise EvalError(f"invalid operation: float({go_type(v)})")
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            if v != v.strip() or "_" in v:
                raise ValueError(v)
            return float(v)
        except ValueError:
            raise EvalError(f'strconv.ParseFloat: parsing "{v}": invalid syntax') from None
    raise EvalError(f"invalid operation: float({go_type(v)})")


def _index(v: Any, length: int, what: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise EvalError(f"cannot use {go_type(v)} as index to {go_type(what)}")
    i = int(v)
    if i < 0:
        i += length
    if i < 0 or i >= length:
        raise EvalError(f"index out of range: {int(v)} (array length is {length})")
    return i


def fetch(obj: Any, key: Any) -> Any:
    """`obj.key` / `obj[key]`: maps give nil for a missing key; arrays and strings check bounds."""
    if isinstance(obj, dict):
        try:
            return obj.get(key)
        except TypeError:
            return None
    if isinstance(obj, (list, tuple)):
        return obj[_index(key, len(obj), obj)]
    if isinstance(obj, str):
        return obj[_index(key, len(obj), obj)]
    if obj is None:
        raise EvalError(f"cannot fetch {go_sprint(key)} from <nil>")
    if isinstance(key, str):
        methods = _METHODS.get(type(obj)) or _methods_for(obj)
        if methods is not None and key in methods:
            method = methods[key]
            return lambda *args: method(obj, *args)
    raise EvalError(f"cannot fetch {go_sprint(key)} from {go_type(obj)}")


def slice_(obj: Any, lo: Any, hi: Any) -> Any:
    """`obj[lo:hi]` on arrays and strings (bounds are clamped; negatives count from the end)."""
    if not isinstance(obj, (list, tuple, str)):
        raise EvalError(f"cannot slice {go_type(obj)}")
    for bound in (lo, hi):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
            raise EvalError(f"non-integer slice index {go_sprint(bound)}")
    return obj[None if lo is None else int(lo) : None if hi is None else int(hi)]


# -- methods of time values ------------------------------------------------------------------------
def _td_seconds(d: timedelta) -> float:
    return d.total_seconds()


_TIME_METHODS: dict[str, Callable[..., Any]] = {
    "Year": lambda t: t.year,
    "Month": lambda t: t.month,
    "Day": lambda t: t.day,
    "Hour": lambda t: t.hour,
    "Minute": lambda t: t.minute,
    "Second": lambda t: t.second,
    "Nanosecond": lambda t: t.microsecond * 1000,
    "YearDay": lambda t: t.timetuple().tm_yday,
    "Weekday": lambda t: (t.weekday() + 1) % 7,
    "Unix": lambda t: int(_aware(t).timestamp() // 1),
    "UnixMilli": lambda t: int(_aware(t).timestamp() * 1000),
    "UnixNano": lambda t: int(_aware(t).timestamp() * 10**6) * 1000,
    "Format": lambda t, layout: go_time_format(t, layout),
    "Add": lambda t, d: t + d,
    "Sub": lambda t, u: _aware(t) - _aware(u),
    "AddDate": lambda t, y, m, d: _add_date(t, y, m, d),
    "Before": lambda t, u: _aware(t) < _aware(u),
    "After": lambda t, u: _aware(t) > _aware(u),
    "Equal": lambda t, u: _aware(t) == _aware(u),
    "UTC": lambda t: _aware(t).astimezone(timezone.utc),
    "Local": lambda t: _aware(t).astimezone(),
    "IsZero": lambda t: t == datetime(1, 1, 1, tzinfo=t.tzinfo),
    "String": lambda t: go_sprint(t),
}

_DURATION_METHODS: dict[str, Callable[..., Any]] = {
    "Seconds": _td_seconds,
    "Minutes": lambda d: _td_seconds(d) / 60,
    "Hours": lambda d: _td_seconds(d) / 3600,
    "Milliseconds": lambda d: int(_td_seconds(d) * 1000),
    "Microseconds": lambda d: (d.days * 86400 + d.seconds) * 10**6 + d.microseconds,
    "Nanoseconds": lambda d: ((d.days * 86400 + d.seconds) * 10**6 + d.microseconds) * 1000,
    "Abs": lambda d: abs(d),
    "String": format_duration,
}

_METHODS: dict[type, dict[str, Callable[..., Any]]] = {datetime: _TIME_METHODS, timedelta: _DURATION_METHODS}


def _methods_for(obj: Any) -> dict[str, Callable[..., Any]] | None:
    if isinstance(obj, datetime):
        return _TIME_METHODS
    if isinstance(obj, timedelta):
        return _DURATION_METHODS
    return None


def _add_date(t: datetime, years: int, months: int, days: int) -> datetime:
    month0 = t.month - 1 + months
    year = t.year + years + month0 // 12
    month = month0 % 12 + 1
    # Go normalises overflowing days (Jan 31 + 1 month = Mar 2/3); do the same via a day offset.
    base = t.replace(year=year, month=month, day=1)
    return base + timedelta(days=t.day - 1 + days)
