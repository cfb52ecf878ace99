"""expr-lang's builtin functions, Argo's additions (`asInt`, `asFloat`, `jsonpath`, `toJson`, `sprig`)
and the compilation of calls (predicate builtins get closures over `#`)."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from hera.engine.expressions import _runtime as rt
from hera.engine.expressions._gofmt import go_json, go_sprint, go_time_parse, parse_duration
from hera.engine.expressions._parser import PREDICATE_BUILTINS, Node
from hera.engine.expressions._runtime import EvalError

__all__ = ["ARGO_EXTRAS", "FUNCTIONS", "compile_call"]

Fn = Callable[[Any], Any]


def _str(v: Any, fn: str) -> str:
    if isinstance(v, str):
        return v
    raise EvalError(f"{fn}: expected a string, got {rt.go_type(v)}")


def _list(v: Any, fn: str) -> list[Any]:
    if isinstance(v, (list, tuple)):
        return list(v)
    raise EvalError(f"{fn}: expected an array, got {rt.go_type(v)}")


def _int_arg(v: Any, fn: str) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise EvalError(f"{fn}: expected an integer, got {rt.go_type(v)}")
    return int(v)


def _len(v: Any) -> int:
    if isinstance(v, (str, list, tuple, dict)):
        return len(v)
    raise EvalError(f"invalid argument for len (type {rt.go_type(v)})")


def _abs(v: Any) -> Any:
    if rt.is_number(v):
        return abs(v)
    raise EvalError(f"invalid argument for abs (type {rt.go_type(v)})")


def _numbers(args: tuple[Any, ...], fn: str) -> list[Any]:
    values = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    if not values:
        raise EvalError(f"not enough arguments to call {fn}")
    for v in values:
        if not rt.is_number(v):
            raise EvalError(f"invalid argument for {fn} (type {rt.go_type(v)})")
    return values


def _max(*args: Any) -> Any:
    return max(_numbers(args, "max"))


def _min(*args: Any) -> Any:
    return min(_numbers(args, "min"))


def _round(v: Any) -> float:
    if not rt.is_number(v):
        raise EvalError(f"invalid argument for round (type {rt.go_type(v)})")
    f = float(v)
    return math.copysign(math.floor(abs(f) + 0.5), f)


def _ceil(v: Any) -> float:
    if not rt.is_number(v):
        raise EvalError(f"invalid argument for ceil (type {rt.go_type(v)})")
    return float(math.ceil(v))


def _floor(v: Any) -> float:
    if not rt.is_number(v):
        raise EvalError(f"invalid argument for floor (type {rt.go_type(v)})")
    return float(math.floor(v))


def _trim(s: Any, chars: Any = None) -> str:
    text = _str(s, "trim")
    return text.strip() if chars is None else text.strip(_str(chars, "trim"))


def _split(s: Any, sep: Any, n: Any = None) -> list[str]:
    text, delim = _str(s, "split"), _str(sep, "split")
    if n is not None:
        count = _int_arg(n, "split")
        if count == 0:
            return []
        if count > 0:
            return list(text) if delim == "" else text.split(delim, count - 1)
    if delim == "":
        return list(text)
    return text.split(delim)


def _split_after(s: Any, sep: Any, n: Any = None) -> list[str]:
    parts = _split(s, sep, n)
    delim = _str(sep, "splitAfter")
    return [p + delim for p in parts[:-1]] + parts[-1:] if delim else parts


def _join(v: Any, sep: Any = "") -> str:
    items = _list(v, "join")
    delim = _str(sep, "join")
    out = []
    for x in items:
        if not isinstance(x, str):
            raise EvalError(f"join: expected an array of strings, found {rt.go_type(x)}")
        out.append(x)
    return delim.join(out)


def _index_of(s: Any, sub: Any) -> int:
    return _str(s, "indexOf").find(_str(sub, "indexOf"))


def _last_index_of(s: Any, sub: Any) -> int:
    return _str(s, "lastIndexOf").rfind(_str(sub, "lastIndexOf"))


def _replace(s: Any, old: Any, new: Any) -> str:
    return _str(s, "replace").replace(_str(old, "replace"), _str(new, "replace"))


def _repeat(s: Any, n: Any) -> str:
    count = _int_arg(n, "repeat")
    if count < 0:
        raise EvalError("strings: negative Repeat count")
    return _str(s, "repeat") * count


def _keys(m: Any) -> list[Any]:
    if isinstance(m, dict):
        return list(m.keys())
    raise EvalError(f"cannot get keys from {rt.go_type(m)}")


def _values(m: Any) -> list[Any]:
    if isinstance(m, dict):
        return list(m.values())
    raise EvalError(f"cannot get values from {rt.go_type(m)}")


def _to_pairs(m: Any) -> list[list[Any]]:
    if isinstance(m, dict):
        return [[k, v] for k, v in m.items()]
    raise EvalError(f"cannot transform {rt.go_type(m)} to pairs")


def _from_pairs(v: Any) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for pair in _list(v, "fromPairs"):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise EvalError("fromPairs: expected an array of [key, value] pairs")
        out[pair[0]] = pair[1]
    return out


def _get(v: Any, key: Any) -> Any:
    if isinstance(v, dict):
        try:
            return v.get(key)
        except TypeError:
            return None
    if isinstance(v, (list, tuple, str)):
        if isinstance(key, bool) or not isinstance(key, (int, float)):
            return None
        i = int(key)
        if i < 0:
            i += len(v)
        return v[i] if 0 <= i < len(v) else None
    return None


def _first(v: Any) -> Any:
    items = _list(v, "first") if v is not None else []
    return items[0] if items else None


def _last(v: Any) -> Any:
    items = _list(v, "last") if v is not None else []
    return items[-1] if items else None


def _take(v: Any, n: Any) -> list[Any]:
    return _list(v, "take")[: max(_int_arg(n, "take"), 0)]


def _sort_key(v: Any) -> Any:
    if rt.is_number(v):
        return (0, v)
    if isinstance(v, str):
        return (1, v)
    raise EvalError(f"sort: cannot sort values of type {rt.go_type(v)}")


def _sort(v: Any, order: Any = "asc") -> list[Any]:
    items = _list(v, "sort")
    if order not in ("asc", "desc"):
        raise EvalError(f"sort: unknown order {order!r}, use asc or desc")
    return sorted(items, key=_sort_key, reverse=order == "desc")


def _concat(*arrays: Any) -> list[Any]:
    out: list[Any] = []
    for a in arrays:
        out.extend(_list(a, "concat"))
    return out


def _flatten(v: Any) -> list[Any]:
    out: list[Any] = []
    for x in _list(v, "flatten"):
        if isinstance(x, (list, tuple)):
            out.extend(_flatten(list(x)))
        else:
            out.append(x)
    return out


def _uniq(v: Any) -> list[Any]:
    out: list[Any] = []
    for x in _list(v, "uniq"):
        if not any(rt.equal(x, y) for y in out):
            out.append(x)
    return out


def _reverse(v: Any) -> list[Any]:
    return list(reversed(_list(v, "reverse")))


def _mean(v: Any) -> float:
    values = _numbers((v,), "mean") if isinstance(v, (list, tuple)) and v else [0]
    return float(sum(values)) / len(values) if v else 0.0


def _median(v: Any) -> float:
    values = _numbers((v,), "median") if isinstance(v, (list, tuple)) and v else []
    if not values:
        return 0.0
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def to_json_compact(v: Any) -> str:
    """Argo's `toJson`: `json.Marshal` (compact)."""
    try:
        return go_json(v)
    except ValueError as e:
        raise EvalError(str(e)) from None


def _to_json_indent(v: Any) -> str:
    try:
        return go_json(v, indent="  ")
    except ValueError as e:
        raise EvalError(str(e)) from None


def from_json(v: Any) -> Any:
    """expr's `fromJSON`: parse a JSON text."""
    text = _str(v, "fromJSON")
    try:
        return json.loads(text)
    except ValueError as e:
        raise EvalError(f"fromJSON: {e}") from None


def _to_base64(v: Any) -> str:
    return base64.b64encode(_str(v, "toBase64").encode()).decode()


def _from_base64(v: Any) -> str:
    try:
        return base64.b64decode(_str(v, "fromBase64"), validate=True).decode("utf-8", "replace")
    except ValueError as e:
        raise EvalError(f"fromBase64: {e}") from None


def _now() -> datetime:
    return datetime.now(timezone.utc).astimezone()


def _duration(v: Any) -> timedelta:
    try:
        return parse_duration(_str(v, "duration"))
    except ValueError as e:
        raise EvalError(str(e)) from None


_DATE_LAYOUTS = (
    "2006-01-02",
    "15:04:05",
    "2006-01-02 15:04:05",
    "2006-01-02T15:04:05Z07:00",
    "2006-01-02T15:04:05.999999999Z07:00",
    "02 Jan 06 15:04 MST",
    "Monday, 02-Jan-06 15:04:05 MST",
    "Mon, 02 Jan 2006 15:04:05 MST",
)


def _tz(name: Any) -> timezone | Any:
    if name in ("UTC", "", None):
        return timezone.utc
    if name == "Local":
        return datetime.now().astimezone().tzinfo
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(_str(name, "date"))
    except Exception:
        raise EvalError(f"unknown time zone {name}") from None


def _date(v: Any, layout: Any = None, zone: Any = None) -> datetime:
    if isinstance(v, datetime):
        return v
    text = _str(v, "date")
    tz = _tz(zone)
    layouts = (_str(layout, "date"),) if layout is not None else _DATE_LAYOUTS
    for lay in layouts:
        try:
            parsed = go_time_parse(text, lay)
        except (ValueError, IndexError):
            continue
        if zone is not None or "Z07" not in lay:
            parsed = parsed.replace(tzinfo=tz)  # type: ignore[arg-type]
        return parsed
    raise EvalError(f'cannot parse "{text}" as a date')


def _bit(op: Callable[[int, int], int], name: str) -> Callable[[Any, Any], int]:
    def fn(a: Any, b: Any) -> int:
        return op(_int_arg(a, name), _int_arg(b, name))

    return fn


def _bitushr(a: Any, b: Any) -> int:
    return (_int_arg(a, "bitushr") % (1 << 64)) >> _int_arg(b, "bitushr")


def as_int(v: Any) -> int:
    """Argo's `asInt`: expr's `int`, also accepting a decimal string such as "12.5" (truncated)."""
    if isinstance(v, str):
        try:
            return rt.to_int(v)
        except EvalError:
            try:
                return int(rt.to_float(v))
            except (EvalError, ValueError, OverflowError):
                raise EvalError(f'strconv.Atoi: parsing "{v}": invalid syntax') from None
    return rt.to_int(v)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": _len,
    "abs": _abs,
    "int": rt.to_int,
    "float": rt.to_float,
    "string": go_sprint,
    "type": rt.type_name,
    "max": _max,
    "min": _min,
    "round": _round,
    "ceil": _ceil,
    "floor": _floor,
    "trim": _trim,
    "trimPrefix": lambda s, p: (lambda t, q: t[len(q) :] if q and t.startswith(q) else t)(_str(s, "trimPrefix"), _str(p, "trimPrefix")),
    "trimSuffix": lambda s, p: (lambda t, q: t[: -len(q)] if q and t.endswith(q) else t)(_str(s, "trimSuffix"), _str(p, "trimSuffix")),
    "upper": lambda s: _str(s, "upper").upper(),
    "lower": lambda s: _str(s, "lower").lower(),
    "split": _split,
    "splitN": _split,
    "splitAfter": _split_after,
    "splitAfterN": _split_after,
    "replace": _replace,
    "repeat": _repeat,
    "join": _join,
    "indexOf": _index_of,
    "lastIndexOf": _last_index_of,
    "hasPrefix": lambda s, p: _str(s, "hasPrefix").startswith(_str(p, "hasPrefix")),
    "hasSuffix": lambda s, p: _str(s, "hasSuffix").endswith(_str(p, "hasSuffix")),
    "keys": _keys,
    "values": _values,
    "toPairs": _to_pairs,
    "fromPairs": _from_pairs,
    "get": _get,
    "first": _first,
    "last": _last,
    "take": _take,
    "sort": _sort,
    "concat": _concat,
    "flatten": _flatten,
    "uniq": _uniq,
    "reverse": _reverse,
    "mean": _mean,
    "median": _median,
    "toJSON": _to_json_indent,
    "fromJSON": from_json,
    "toBase64": _to_base64,
    "fromBase64": _from_base64,
    "now": _now,
    "duration": _duration,
    "date": _date,
    "bitand": _bit(lambda a, b: a & b, "bitand"),
    "bitor": _bit(lambda a, b: a | b, "bitor"),
    "bitxor": _bit(lambda a, b: a ^ b, "bitxor"),
    "bitnand": _bit(lambda a, b: a & ~b, "bitnand"),
    "bitshl": _bit(lambda a, b: a << b, "bitshl"),
    "bitshr": _bit(lambda a, b: a >> b, "bitshr"),
    "bitushr": _bitushr,
    "bitnot": lambda a: ~_int_arg(a, "bitnot"),
}


def _lazy_extras() -> dict[str, Any]:
    from hera.engine.expressions._jsonpath import jsonpath
    from hera.engine.expressions._sprig import SPRIG

    return {
        "asInt": as_int,
        "asFloat": rt.to_float,
        "jsonpath": jsonpath,
        "toJson": to_json_compact,
        "sprig": SPRIG,
    }


class _Extras(dict):  # type: ignore[type-arg]
    """Argo's additions to the env, loaded on first use (sprig and jsonpath are only imported when needed)."""

    def _load(self) -> None:
        if not dict.__len__(self):
            self.update(_lazy_extras())

    def __contains__(self, key: object) -> bool:
        self._load()
        return dict.__contains__(self, key)

    def __getitem__(self, key: str) -> Any:
        self._load()
        return dict.__getitem__(self, key)


#: Argo's additions to expr's environment: asInt, asFloat, jsonpath, toJson, sprig.
ARGO_EXTRAS: dict[str, Any] = _Extras()


# -- predicates ---------------------------------------------------------------------------------
def _iterate(c: Any, items: list[Any], body: Callable[[Any], Any]) -> Any:
    """Yield body(item) with `#` bound to each item and `#index` to its index."""
    old_ptr, old_index = c.ptr, c.index
    try:
        for i, item in enumerate(items):
            c.ptr = item
            c.index = i
            yield item, body(c)
    finally:
        c.ptr, c.index = old_ptr, old_index


def _pred_bool(v: Any, fn: str) -> bool:
    if v is True or v is False:
        return v
    raise EvalError(f"{fn}: predicate must return a bool, got {rt.go_type(v)}")


def _items(v: Any, fn: str) -> list[Any]:
    if v is None:
        return []
    if isinstance(v, dict):
        return list(v.values())
    return _list(v, fn)


def _predicate(name: str, c: Any, arr: Any, body: Callable[[Any], Any], rest: list[Any]) -> Any:
    items = _items(arr, name)
    if name == "all":
        return all(_pred_bool(r, name) for _, r in _iterate(c, items, body))
    if name == "any":
        return any(_pred_bool(r, name) for _, r in _iterate(c, items, body))
    if name == "none":
        return not any(_pred_bool(r, name) for _, r in _iterate(c, items, body))
    if name == "one":
        return sum(1 for _, r in _iterate(c, items, body) if _pred_bool(r, name)) == 1
    if name == "filter":
        return [x for x, r in _iterate(c, items, body) if _pred_bool(r, name)]
    if name == "map":
        return [r for _, r in _iterate(c, items, body)]
    if name == "count":
        return sum(1 for _, r in _iterate(c, items, body) if _pred_bool(r, name))
    if name == "find":
        return next((x for x, r in _iterate(c, items, body) if _pred_bool(r, name)), None)
    if name == "findIndex":
        return next((i for i, (_, r) in enumerate(_iterate(c, items, body)) if _pred_bool(r, name)), None)
    if name == "findLast":
        found = [x for x, r in _iterate(c, items, body) if _pred_bool(r, name)]
        return found[-1] if found else None
    if name == "findLastIndex":
        idx = [i for i, (_, r) in enumerate(_iterate(c, items, body)) if _pred_bool(r, name)]
        return idx[-1] if idx else None
    if name == "sum":
        total: Any = 0
        for _, r in _iterate(c, items, body):
            total = rt.add(total, r)
        return total
    if name == "groupBy":
        groups: dict[Any, list[Any]] = {}
        for x, r in _iterate(c, items, body):
            groups.setdefault(r, []).append(x)
        return groups
    if name == "countBy":
        counts: dict[Any, int] = {}
        for _, r in _iterate(c, items, body):
            counts[r] = counts.get(r, 0) + 1
        return counts
    if name == "uniqBy":
        seen: list[Any] = []
        out = []
        for x, r in _iterate(c, items, body):
            if not any(rt.equal(r, s) for s in seen):
                seen.append(r)
                out.append(x)
        return out
    if name == "partition":
        yes: list[Any] = []
        no: list[Any] = []
        for x, r in _iterate(c, items, body):
            (yes if _pred_bool(r, name) else no).append(x)
        return [yes, no]
    if name == "sortBy":
        order = rest[0] if rest else "asc"
        keyed = [(r, x) for x, r in _iterate(c, items, body)]
        keyed.sort(key=lambda p: _sort_key(p[0]), reverse=order == "desc")
        return [x for _, x in keyed]
    if name == "reduce":
        old = c.acc
        try:
            if rest:
                acc, start = rest[0], 0
            else:
                if not items:
                    raise EvalError("reduce of empty array with no initial value")
                acc, start = items[0], 1
            old_ptr, old_index = c.ptr, c.index
            try:
                for i in range(start, len(items)):
                    c.acc, c.ptr, c.index = acc, items[i], i
                    acc = body(c)
            finally:
                c.ptr, c.index = old_ptr, old_index
            return acc
        finally:
            c.acc = old
    raise EvalError(f"unknown builtin {name}")


def _call_python(fn: Any, args: list[Any], name: str) -> Any:
    if not callable(fn):
        raise EvalError(f"{name} is not callable (type {rt.go_type(fn)})")
    try:
        return fn(*args)
    except EvalError:
        raise
    except TypeError as e:
        raise EvalError(f"invalid arguments to {name}: {e}") from None
    except (ValueError, KeyError, IndexError, ZeroDivisionError, OverflowError, AttributeError) as e:
        raise EvalError(f"{name}: {e}") from None


def compile_call(node: Node, compile_node: Callable[..., Any]) -> Callable[[Any], Any]:
    """Compile a call node: builtins (predicates get a closure), Argo functions, or a callable value."""
    callee, arg_nodes = node.a, node.b
    if callee.kind == "ident":
        name = callee.a
        if name in PREDICATE_BUILTINS and len(arg_nodes) >= 1 and (
            len(arg_nodes) >= 2 and arg_nodes[1].kind == "closure"
        ):
            arr = compile_node(arg_nodes[0])
            body = compile_node(arg_nodes[1])
            rest = [compile_node(a) for a in arg_nodes[2:]]
            return lambda c: _predicate(name, c, arr(c), body, [r(c) for r in rest])
        args = [compile_node(a) for a in arg_nodes]
        builtin = FUNCTIONS.get(name)
        if name == "sum" and len(arg_nodes) == 1:
            builtin = _sum_plain
        elif name == "count" and len(arg_nodes) == 1:
            builtin = _count_plain
        if builtin is not None:
            fn = builtin
            return lambda c: _call_python(fn, [a(c) for a in args], name)

        def call_named(c: Any) -> Any:
            lets, env, extras = c.lets, c.env, c.extras
            if lets and name in lets:
                target = lets[name]
            elif name in extras:
                target = extras[name]
            elif name in env:
                target = env[name]
            else:
                raise EvalError(f"unknown func {name}")
            return _call_python(target, [a(c) for a in args], name)

        return call_named
    target_fn = compile_node(callee)
    args = [compile_node(a) for a in arg_nodes]
    label = callee.b.a if callee.kind == "member" and callee.b.kind == "lit" else "function"
    return lambda c: _call_python(target_fn(c), [a(c) for a in args], str(label))


def _sum_plain(v: Any) -> Any:
    total: Any = 0
    for x in _items(v, "sum"):
        total = rt.add(total, x)
    return total


def _count_plain(v: Any) -> int:
    return sum(1 for x in _items(v, "count") if _pred_bool(x, "count"))
