"""Masterminds sprig's generic functions, as Argo exposes them under `sprig.` in expressions.

Sprig functions are written for template pipelines, so the subject usually comes **last**
(`sprig.replace(old, new, s)`, `sprig.trimPrefix(prefix, s)`, `sprig.join(sep, list)`). Conversions are
loose like sprig's (`sprig.int("x")` is 0, `sprig.toString(1.5)` is "1.5"). `env` and `expandenv` are
left out, as in Argo.
"""

from __future__ import annotations

import base64
import hashlib
import math
import random
import re
import string
import uuid
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from hera.engine.expressions import _runtime as rt
from hera.engine.expressions._builtins import from_json, to_json_compact
from hera.engine.expressions._gofmt import (
    format_duration,
    go_json,
    go_sprint,
    go_time_format,
    go_time_parse,
    parse_duration,
)
from hera.engine.expressions._runtime import EvalError

__all__ = ["SPRIG"]


# -- loose conversions (spf13/cast semantics) -----------------------------------------------------
def strval(v: Any) -> str:
    """sprig's strval: strings as they are, bytes decoded, anything else as `%v`."""
    if isinstance(v, str):
        return v
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return go_sprint(v)


def to_int64(v: Any) -> int:
    """cast.ToInt64: numbers truncate, bools are 0/1, numeric strings parse, anything else is 0."""
    if v is None:
        return 0
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return 0 if math.isnan(v) or math.isinf(v) else int(v)
    if isinstance(v, str):
        text = v.strip()
        try:
            return int(text, 0) if text[:2].lower() in ("0x", "0o", "0b") else int(text)
        except ValueError:
            try:
                return int(float(text)) if re.fullmatch(r"[+-]?\d+\.0*", text) else 0
            except ValueError:
                return 0
    return 0


def to_float64(v: Any) -> float:
    """cast.ToFloat64: numbers convert, numeric strings parse, anything else is 0."""
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v.strip())
        except ValueError:
            return 0.0
    return 0.0


def _list(v: Any) -> list[Any]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return list(v)
    raise EvalError(f"Cannot find first on type {rt.go_type(v)}")


def empty(v: Any) -> bool:
    """sprig's `empty`: nil, "", 0, false, and empty collections."""
    if v is None or v is False:
        return True
    if isinstance(v, (str, list, tuple, dict)):
        return len(v) == 0
    if isinstance(v, (int, float)):
        return v == 0
    return False


def _default(default: Any, *given: Any) -> Any:
    if not given or empty(given[0]):
        return default
    return given[0]


def _coalesce(*values: Any) -> Any:
    for v in values:
        if not empty(v):
            return v
    return None


def _quote(*values: Any) -> str:
    return " ".join('"' + strval(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values if v is not None)


def _squote(*values: Any) -> str:
    return " ".join(f"'{strval(v)}'" for v in values if v is not None)


def _cat(*values: Any) -> str:
    return " ".join(strval(v) for v in values if v is not None)


def _indent(spaces: Any, s: Any) -> str:
    pad = " " * to_int64(spaces)
    return pad + strval(s).replace("\n", "\n" + pad)


def _substr(start: Any, end: Any, s: Any) -> str:
    text = strval(s)
    a, b = to_int64(start), to_int64(end)
    if a < 0:
        return text[:b]
    if b < 0 or b > len(text):
        return text[a:]
    return text[a:b]


def _trunc(c: Any, s: Any) -> str:
    n, text = to_int64(c), strval(s)
    if n < 0 and len(text) + n > 0:
        return text[len(text) + n :]
    if n >= 0 and len(text) > n:
        return text[:n]
    return text


def _abbrev(width: Any, s: Any) -> str:
    n, text = to_int64(width), strval(s)
    if n < 4 or len(text) <= n:
        return text
    return text[: n - 3] + "..."


def _split(sep: Any, s: Any) -> dict[str, str]:
    return {f"_{i}": part for i, part in enumerate(strval(s).split(strval(sep)))}


def _splitn(sep: Any, n: Any, s: Any) -> dict[str, str]:
    count = to_int64(n)
    parts = strval(s).split(strval(sep), count - 1) if count > 0 else []
    return {f"_{i}": part for i, part in enumerate(parts)}


def _join(sep: Any, v: Any) -> str:
    items = v if isinstance(v, (list, tuple)) else [v]
    return strval(sep).join(strval(x) for x in items if x is not None)


def _wrap(width: Any, s: Any) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(strval(s), to_int64(width), break_long_words=False)) or strval(s)


def _words(s: str) -> list[str]:
    return re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", s)


def _snakecase(s: Any) -> str:
    return "_".join(w.lower() for w in _words(strval(s)))


def _kebabcase(s: Any) -> str:
    return "-".join(w.lower() for w in _words(strval(s)))


def _camelcase(s: Any) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[_\-\s]+", strval(s)) if w)


def _title(s: Any) -> str:
    return re.sub(r"\b([a-z])", lambda m: m.group(1).upper(), strval(s))


def _untitle(s: Any) -> str:
    return re.sub(r"\b([A-Z])", lambda m: m.group(1).lower(), strval(s))


def _initials(s: Any) -> str:
    return "".join(w[0] for w in strval(s).split() if w)


def _plural(one: Any, many: Any, count: Any) -> str:
    return strval(one) if to_int64(count) == 1 else strval(many)


def _regex(pattern: Any) -> re.Pattern[str]:
    try:
        return re.compile(strval(pattern))
    except re.error as e:
        raise EvalError(f"error parsing regexp: {e}") from None


def _go_expand(template: str) -> str:
    """Translate Go's `$1` / `${name}` replacement syntax to Python's `\\g<...>`."""
    out = re.sub(r"\$\{(\w+)\}", r"\\g<\1>", template.replace("\\", "\\\\"))
    return re.sub(r"\$(\d+)", r"\\g<\1>", out)


def _regex_find_all(regex: Any, s: Any, n: Any) -> list[str]:
    found = [m.group(0) for m in _regex(regex).finditer(strval(s))]
    count = to_int64(n)
    return found if count < 0 else found[:count]


def _regex_split(regex: Any, s: Any, n: Any) -> list[str]:
    count = to_int64(n)
    if count == 0:
        return []
    return _regex(regex).split(strval(s), maxsplit=0 if count < 0 else count - 1)


def _seq(*params: Any) -> str:
    nums = [to_int64(p) for p in params]
    if len(nums) == 1:
        start, step, end = 1, 1, nums[0]
        if end < 1:
            step = -1
    elif len(nums) == 2:
        start, end = nums
        step = 1 if end >= start else -1
    elif len(nums) == 3:
        start, step, end = nums
    else:
        return ""
    if step == 0 or (step > 0 and start > end) or (step < 0 and start < end):
        return ""
    stop = end + (1 if step > 0 else -1)
    return " ".join(str(x) for x in range(start, stop, step))


def _until_step(start: Any, stop: Any, step: Any) -> list[int]:
    a, b, s = to_int64(start), to_int64(stop), to_int64(step)
    if s == 0 or (s > 0 and a >= b) or (s < 0 and a <= b):
        return []
    return list(range(a, b, s))


def _dict(*kv: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(0, len(kv), 2):
        out[strval(kv[i])] = kv[i + 1] if i + 1 < len(kv) else ""
    return out


def _get(d: Any, key: Any) -> Any:
    if isinstance(d, dict) and key in d:
        return d[key]
    return ""


def _set(d: Any, key: Any, value: Any) -> Any:
    if not isinstance(d, dict):
        raise EvalError("set: expected a dict")
    d[key] = value
    return d


def _unset(d: Any, key: Any) -> Any:
    if isinstance(d, dict):
        d.pop(key, None)
    return d


def _keys(*dicts: Any) -> list[str]:
    out: list[str] = []
    for d in dicts:
        if isinstance(d, dict):
            out.extend(d.keys())
    return out


def _merge(dst: Any, *srcs: Any) -> Any:
    if not isinstance(dst, dict):
        raise EvalError("merge: expected a dict")
    for src in srcs:
        if isinstance(src, dict):
            for k, v in src.items():
                dst.setdefault(k, v)
    return dst


def _merge_overwrite(dst: Any, *srcs: Any) -> Any:
    if not isinstance(dst, dict):
        raise EvalError("mergeOverwrite: expected a dict")
    for src in srcs:
        if isinstance(src, dict):
            dst.update(src)
    return dst


def _pick(d: Any, *names: Any) -> dict[str, Any]:
    return {k: v for k, v in (d or {}).items() if k in names}


def _omit(d: Any, *names: Any) -> dict[str, Any]:
    return {k: v for k, v in (d or {}).items() if k not in names}


def _uniq(v: Any) -> list[Any]:
    out: list[Any] = []
    for x in _list(v):
        if not any(rt.equal(x, y) for y in out):
            out.append(x)
    return out


def _without(v: Any, *omit: Any) -> list[Any]:
    return [x for x in _list(v) if not any(rt.equal(x, o) for o in omit)]


def _has(needle: Any, haystack: Any) -> bool:
    return any(rt.equal(needle, x) for x in _list(haystack))


def _slice(v: Any, *indices: Any) -> list[Any]:
    items = _list(v)
    lo = to_int64(indices[0]) if indices else 0
    hi = to_int64(indices[1]) if len(indices) > 1 else len(items)
    return items[lo:hi]


def _concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for v in lists:
        out.extend(_list(v))
    return out


def _b64dec(s: Any) -> str:
    try:
        return base64.b64decode(strval(s), validate=False).decode("utf-8", "replace")
    except ValueError as e:
        return str(e)


def _b32dec(s: Any) -> str:
    try:
        return base64.b32decode(strval(s)).decode("utf-8", "replace")
    except ValueError as e:
        return str(e)


def _to_date(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, bool):
        return datetime.now().astimezone()
    if isinstance(value, int):
        return datetime.fromtimestamp(value, timezone.utc).astimezone()
    # sprig formats the current time for anything that is not a time or a Unix timestamp
    return datetime.now().astimezone()


def _zone(name: Any) -> Any:
    name = strval(name)
    if name in ("UTC", ""):
        return timezone.utc
    if name == "Local":
        return datetime.now().astimezone().tzinfo
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:
        return timezone.utc


def _date(fmt: Any, value: Any) -> str:
    return go_time_format(_to_date(value), strval(fmt))


def _date_in_zone(fmt: Any, value: Any, zone: Any) -> str:
    return go_time_format(_to_date(value).astimezone(_zone(zone)), strval(fmt))


def _to_date_fn(fmt: Any, s: Any) -> datetime:
    try:
        return go_time_parse(strval(s), strval(fmt))
    except (ValueError, IndexError):
        return datetime(1, 1, 1, tzinfo=timezone.utc)


def _date_modify(modifier: Any, value: Any) -> datetime:
    try:
        return _to_date(value) + parse_duration(strval(modifier))
    except ValueError:
        return _to_date(value)


def _duration(sec: Any) -> str:
    return format_duration(timedelta(seconds=to_int64(sec)))


def _ago(value: Any) -> str:
    delta = datetime.now(timezone.utc) - _to_date(value).astimezone(timezone.utc)
    return format_duration(timedelta(seconds=round(delta.total_seconds())))


def _duration_round(value: Any) -> str:
    if isinstance(value, timedelta):
        secs = value.total_seconds()
    elif isinstance(value, str):
        try:
            secs = parse_duration(value).total_seconds()
        except ValueError:
            secs = 0
    elif isinstance(value, datetime):
        secs = (datetime.now(timezone.utc) - value.astimezone(timezone.utc)).total_seconds()
    else:
        secs = to_int64(value) / 1e9
    secs = abs(secs)
    for unit, size in (("y", 31536000), ("mo", 2592000), ("d", 86400), ("h", 3600), ("m", 60)):
        if secs >= size:
            return f"{int(secs // size)}{unit}"
    return f"{int(secs)}s"


def _type_of(v: Any) -> str:
    return rt.go_type(v)


def _kind_of(v: Any) -> str:
    if v is None:
        return "invalid"
    kinds = [(bool, "bool"), (int, "int"), (float, "float64"), (str, "string"), (list, "slice"), (tuple, "slice"), (dict, "map")]
    for t, name in kinds:
        if isinstance(v, t):
            return name
    return "struct"


def _fail(msg: Any) -> Any:
    raise EvalError(strval(msg))


def _semver_compare(constraint: Any, version: Any) -> bool:
    def parse(v: str) -> tuple[int, ...]:
        m = re.match(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?", v.strip())
        if not m:
            raise EvalError(f"invalid semantic version {v!r}")
        return tuple(int(x or 0) for x in m.groups())

    ver = parse(strval(version))
    for clause in strval(constraint).replace(",", " ").split():
        m = re.match(r"(>=|<=|!=|=|>|<|\^|~)?(.*)", clause)
        assert m is not None
        op, target = m.group(1) or "=", parse(m.group(2))
        ok = {
            "=": ver == target,
            "!=": ver != target,
            ">": ver > target,
            "<": ver < target,
            ">=": ver >= target,
            "<=": ver <= target,
            "^": ver >= target and ver[0] == target[0],
            "~": ver >= target and ver[:2] == target[:2],
        }[op]
        if not ok:
            return False
    return True


def _rand(chars: str) -> Callable[[Any], str]:
    return lambda n: "".join(random.choice(chars) for _ in range(to_int64(n)))


def _round(value: Any, precision: Any, round_on: Any = 0.5) -> float:
    p = 10 ** to_int64(precision)
    x = to_float64(value) * p
    frac = x - math.floor(x)
    return (math.floor(x) + (1 if frac >= to_float64(round_on) else 0)) / p


def _trim_all(cutset: Any, s: Any) -> str:
    return strval(s).strip(strval(cutset))


def _to_decimal(v: Any) -> int:
    try:
        return int(strval(v), 8)
    except ValueError:
        return 0


def _atoi(v: Any) -> int:
    text = strval(v)
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else 0


def _max(a: Any, *rest: Any) -> int:
    return max([to_int64(a), *(to_int64(x) for x in rest)])


def _min(a: Any, *rest: Any) -> int:
    return min([to_int64(a), *(to_int64(x) for x in rest)])


def _div(a: Any, b: Any) -> int:
    x, y = to_int64(a), to_int64(b)
    if y == 0:
        raise EvalError("integer divide by zero")
    q = abs(x) // abs(y)
    return q if (x >= 0) == (y >= 0) else -q


def _mod(a: Any, b: Any) -> int:
    x, y = to_int64(a), to_int64(b)
    if y == 0:
        raise EvalError("integer divide by zero")
    r = abs(x) % abs(y)
    return -r if x < 0 else r


def _hash(name: str) -> Callable[[Any], str]:
    return lambda s: hashlib.new(name, strval(s).encode()).hexdigest()


SPRIG: dict[str, Callable[..., Any]] = {
    # strings
    "trim": lambda s: strval(s).strip(),
    "trimAll": _trim_all,
    "trimPrefix": lambda p, s: strval(s)[len(strval(p)) :] if strval(p) and strval(s).startswith(strval(p)) else strval(s),
    "trimSuffix": lambda p, s: strval(s)[: -len(strval(p))] if strval(p) and strval(s).endswith(strval(p)) else strval(s),
    "upper": lambda s: strval(s).upper(),
    "lower": lambda s: strval(s).lower(),
    "title": _title,
    "untitle": _untitle,
    "substr": _substr,
    "repeat": lambda n, s: strval(s) * max(to_int64(n), 0),
    "trunc": _trunc,
    "abbrev": _abbrev,
    "abbrevboth": lambda left, right, s: _abbrev(right, strval(s)),
    "initials": _initials,
    "nospace": lambda s: re.sub(r"\s", "", strval(s)),
    "contains": lambda sub, s: strval(sub) in strval(s),
    "hasPrefix": lambda p, s: strval(s).startswith(strval(p)),
    "hasSuffix": lambda p, s: strval(s).endswith(strval(p)),
    "quote": _quote,
    "squote": _squote,
    "cat": _cat,
    "indent": _indent,
    "nindent": lambda n, s: "\n" + _indent(n, s),
    "replace": lambda old, new, s: strval(s).replace(strval(old), strval(new)),
    "plural": _plural,
    "snakecase": _snakecase,
    "camelcase": _camelcase,
    "kebabcase": _kebabcase,
    "swapcase": lambda s: strval(s).swapcase(),
    "wrap": _wrap,
    "wrapWith": lambda w, sep, s: _wrap(w, s).replace("\n", strval(sep)),
    "shuffle": lambda s: "".join(random.sample(strval(s), len(strval(s)))),
    "split": _split,
    "splitList": lambda sep, s: strval(s).split(strval(sep)),
    "splitn": _splitn,
    "join": _join,
    "toStrings": lambda v: [strval(x) for x in _list(v)],
    "sortAlpha": lambda v: sorted(strval(x) for x in _list(v)),
    "toString": strval,
    # regular expressions
    "regexMatch": lambda r, s: _regex(r).search(strval(s)) is not None,
    "regexFind": lambda r, s: (lambda m: m.group(0) if m else "")(_regex(r).search(strval(s))),
    "regexFindAll": _regex_find_all,
    "regexReplaceAll": lambda r, s, repl: _regex(r).sub(_go_expand(strval(repl)), strval(s)),
    "regexReplaceAllLiteral": lambda r, s, repl: _regex(r).sub(lambda m: strval(repl), strval(s)),
    "regexSplit": _regex_split,
    "regexQuoteMeta": lambda s: re.escape(strval(s)),
    # numbers
    "atoi": _atoi,
    "int": to_int64,
    "int64": to_int64,
    "float64": to_float64,
    "toDecimal": _to_decimal,
    "add": lambda *xs: sum(to_int64(x) for x in xs),
    "add1": lambda x: to_int64(x) + 1,
    "sub": lambda a, b: to_int64(a) - to_int64(b),
    "mul": lambda a, *xs: math.prod([to_int64(a), *(to_int64(x) for x in xs)]),
    "div": _div,
    "mod": _mod,
    "max": _max,
    "min": _min,
    "biggest": _max,
    "addf": lambda *xs: sum(to_float64(x) for x in xs),
    "add1f": lambda x: to_float64(x) + 1,
    "subf": lambda a, *xs: to_float64(a) - sum(to_float64(x) for x in xs),
    "mulf": lambda a, *xs: math.prod([to_float64(a), *(to_float64(x) for x in xs)]),
    "divf": lambda a, *xs: math.prod([to_float64(a), *(1 / to_float64(x) for x in xs)]),
    "maxf": lambda a, *xs: max([to_float64(a), *(to_float64(x) for x in xs)]),
    "minf": lambda a, *xs: min([to_float64(a), *(to_float64(x) for x in xs)]),
    "floor": lambda x: float(math.floor(to_float64(x))),
    "ceil": lambda x: float(math.ceil(to_float64(x))),
    "round": _round,
    "until": lambda n: list(range(0, to_int64(n))) if to_int64(n) >= 0 else list(range(0, to_int64(n), -1)),
    "untilStep": _until_step,
    "seq": _seq,
    # defaults and logic
    "default": _default,
    "empty": empty,
    "coalesce": _coalesce,
    "all": lambda *xs: all(not empty(x) for x in xs),
    "any": lambda *xs: any(not empty(x) for x in xs),
    "ternary": lambda vt, vf, cond: vt if cond is True else vf,
    "fail": _fail,
    # encodings
    "b64enc": lambda s: base64.b64encode(strval(s).encode()).decode(),
    "b64dec": _b64dec,
    "b32enc": lambda s: base64.b32encode(strval(s).encode()).decode(),
    "b32dec": _b32dec,
    "toJson": lambda v: to_json_compact(v),
    "toRawJson": lambda v: go_json(v, html=False),
    "toPrettyJson": lambda v: go_json(v, indent="  "),
    "fromJson": lambda s: from_json(strval(s)),
    "sha1sum": _hash("sha1"),
    "sha256sum": _hash("sha256"),
    "sha512sum": _hash("sha512"),
    "adler32sum": lambda s: str(zlib.adler32(strval(s).encode())),
    "uuidv4": lambda: str(uuid.uuid4()),
    "randAlphaNum": _rand(string.ascii_letters + string.digits),
    "randAlpha": _rand(string.ascii_letters),
    "randNumeric": _rand(string.digits),
    "randAscii": _rand("".join(chr(c) for c in range(32, 127))),
    "randInt": lambda lo, hi: random.randrange(to_int64(lo), to_int64(hi)),
    # lists
    "list": lambda *xs: list(xs),
    "tuple": lambda *xs: list(xs),
    "first": lambda v: (_list(v) or [None])[0],
    "last": lambda v: (_list(v) or [None])[-1],
    "rest": lambda v: _list(v)[1:],
    "initial": lambda v: _list(v)[:-1],
    "append": lambda v, x: [*_list(v), x],
    "push": lambda v, x: [*_list(v), x],
    "prepend": lambda v, x: [x, *_list(v)],
    "concat": _concat,
    "reverse": lambda v: list(reversed(_list(v))),
    "uniq": _uniq,
    "without": _without,
    "has": _has,
    "compact": lambda v: [x for x in _list(v) if not empty(x)],
    "slice": _slice,
    "chunk": lambda size, v: [_list(v)[i : i + to_int64(size)] for i in range(0, len(_list(v)), max(to_int64(size), 1))],
    # dicts
    "dict": _dict,
    "get": _get,
    "set": _set,
    "unset": _unset,
    "hasKey": lambda d, k: isinstance(d, dict) and k in d,
    "pluck": lambda k, *ds: [d[k] for d in ds if isinstance(d, dict) and k in d],
    "keys": _keys,
    "values": lambda d: list(d.values()) if isinstance(d, dict) else [],
    "pick": _pick,
    "omit": _omit,
    "merge": _merge,
    "mergeOverwrite": _merge_overwrite,
    "deepCopy": lambda v: from_json(to_json_compact(v)),
    # dates
    "now": lambda: datetime.now().astimezone(),
    "date": _date,
    "dateInZone": _date_in_zone,
    "date_in_zone": _date_in_zone,
    "htmlDate": lambda v: go_time_format(_to_date(v), "2006-01-02"),
    "htmlDateInZone": lambda v, z: go_time_format(_to_date(v).astimezone(_zone(z)), "2006-01-02"),
    "unixEpoch": lambda v: str(int(_to_date(v).timestamp())),
    "dateModify": _date_modify,
    "date_modify": _date_modify,
    "toDate": _to_date_fn,
    "duration": _duration,
    "durationRound": _duration_round,
    "ago": _ago,
    # types and comparison
    "typeOf": _type_of,
    "typeIs": lambda t, v: _type_of(v) == strval(t),
    "typeIsLike": lambda t, v: _type_of(v).lstrip("*") == strval(t).lstrip("*"),
    "kindOf": _kind_of,
    "kindIs": lambda k, v: _kind_of(v) == strval(k),
    "deepEqual": lambda a, b: rt.equal(a, b),
    "semverCompare": _semver_compare,
}
