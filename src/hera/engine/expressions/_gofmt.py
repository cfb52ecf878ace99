"""Go's text forms of values, so results print exactly as Argo prints them.

`go_json` is `encoding/json.Marshal` (sorted map keys, HTML-safe escapes, Go float text); `go_sprint`
is `fmt.Sprint` (`%v`); `format_duration`/`parse_duration` follow `time.Duration`; `go_time_format` /
`go_time_parse` implement Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = [
    "format_duration",
    "go_float_g",
    "go_float_json",
    "go_json",
    "go_sprint",
    "go_time_format",
    "go_time_parse",
    "parse_duration",
]


# -- floats -------------------------------------------------------------------------------------
def _shortest_digits(x: float) -> tuple[str, int]:
    """(digits, exponent) with x = 0.d1d2d3... * 10**exponent, shortest round-trip digits (x > 0)."""
    text = repr(x)
    mantissa, _, exp_text = text.partition("e")
    exp = int(exp_text) if exp_text else 0
    whole, _, frac = mantissa.partition(".")
    if frac == "0":
        frac = ""
    digits = (whole + frac).lstrip("0")
    point = len(whole) + exp  # position of the decimal point relative to whole+frac
    lead_zeros = len(whole + frac) - len((whole + frac).lstrip("0"))
    point -= lead_zeros
    digits = digits.rstrip("0") or "0"
    return digits, point


def _format_e(digits: str, point: int, neg: bool) -> str:
    exp = point - 1
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return ("-" if neg else "") + f"{mant}e{sign}{abs(exp):02d}"


def _format_f(digits: str, point: int, neg: bool) -> str:
    if point <= 0:
        text = "0." + "0" * (-point) + digits
    elif point >= len(digits):
        text = digits + "0" * (point - len(digits))
    else:
        text = digits[:point] + "." + digits[point:]
    return ("-" if neg else "") + text


def go_float_g(x: float) -> str:
    """`strconv.FormatFloat(x, 'g', -1, 64)`, which is what `fmt.Sprint(float64)` prints."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    digits, point = _shortest_digits(abs(x))
    exp = point - 1
    # the shortest 'g' form switches to an exponent when exp < -4 or exp >= 6
    if exp < -4 or exp >= 6:
        return _format_e(digits, point, x < 0)
    return _format_f(digits, point, x < 0)


def go_float_json(x: float) -> str:
    """`encoding/json` text of a float64: plain decimal for 1e-6 <= |x| < 1e21, else exponent form."""
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"json: unsupported value: {go_float_g(x)}")
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    digits, point = _shortest_digits(abs(x))
    if abs(x) < 1e-6 or abs(x) >= 1e21:
        text = _format_e(digits, point, x < 0)
        return re.sub(r"e([+-])0(\d)$", r"e\1\2", text)
    return _format_f(digits, point, x < 0)


# -- JSON ---------------------------------------------------------------------------------------
_JSON_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_NEEDS_ESCAPE = re.compile(r'["\\<>&\u2028\u2029\x00-\x1f]')


def _json_str(s: str, html: bool = True) -> str:
    if not _JSON_NEEDS_ESCAPE.search(s):
        return '"' + s + '"'

    def repl(m: re.Match[str]) -> str:
        c = m.group(0)
        if not html and c in "<>&":
            return c
        esc = _JSON_ESCAPES.get(c)
        return esc if esc is not None else f"\\u{ord(c):04x}"

    return '"' + _JSON_NEEDS_ESCAPE.sub(repl, s) + '"'


def go_json(value: Any, *, html: bool = True, indent: str | None = None) -> str:
    """`json.Marshal(value)` as Go prints it (compact, map keys sorted, `<>&` escaped when `html`)."""
    parts: list[str] = []
    _json_into(value, parts, html, indent, 0)
    return "".join(parts)


def _json_into(v: Any, out: list[str], html: bool, indent: str | None, depth: int) -> None:
    if v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, str):
        out.append(_json_str(v, html))
    elif isinstance(v, int):
        out.append(str(v))
    elif isinstance(v, float):
        out.append(go_float_json(v))
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        items = sorted((str(k), val) for k, val in v.items())
        out.append("{")
        for i, (k, val) in enumerate(items):
            if i:
                out.append(",")
            if indent is not None:
                out.append("\n" + indent * (depth + 1))
            out.append(_json_str(k, html))
            out.append(": " if indent is not None else ":")
            _json_into(val, out, html, indent, depth + 1)
        if indent is not None:
            out.append("\n" + indent * depth)
        out.append("}")
    elif isinstance(v, (list, tuple)):
        if not v:
            out.append("[]")
            return
        out.append("[")
        for i, val in enumerate(v):
            if i:
                out.append(",")
            if indent is not None:
                out.append("\n" + indent * (depth + 1))
            _json_into(val, out, html, indent, depth + 1)
        if indent is not None:
            out.append("\n" + indent * depth)
        out.append("]")
    elif isinstance(v, datetime):
        out.append(_json_str(go_time_format(v, "2006-01-02T15:04:05.999999999Z07:00"), html))
    elif isinstance(v, timedelta):
        out.append(str(_duration_ns(v)))
    elif isinstance(v, bytes):
        import base64

        out.append(_json_str(base64.b64encode(v).decode(), html))
    else:
        raise ValueError(f"json: unsupported type: {type(v).__name__}")


# -- %v -----------------------------------------------------------------------------------------
def go_sprint(v: Any) -> str:
    """`fmt.Sprint(v)` (`%v`): `<nil>`, `true`, `1.5`, `1e+06`, `[a b]`, `map[a:1 b:2]`."""
    if v is None:
        return "<nil>"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return go_float_g(v)
    if isinstance(v, (list, tuple)):
        return "[" + " ".join(go_sprint(x) for x in v) + "]"
    if isinstance(v, dict):
        return "map[" + " ".join(f"{go_sprint(k)}:{go_sprint(x)}" for k, x in sorted(v.items(), key=_key)) + "]"
    if isinstance(v, datetime):
        return go_time_format(v, "2006-01-02 15:04:05.999999999 -0700 MST")
    if isinstance(v, timedelta):
        return format_duration(v)
    return str(v)


def _key(item: tuple[Any, Any]) -> Any:
    return str(item[0])


# -- durations ----------------------------------------------------------------------------------
_UNITS_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text: str) -> timedelta:
    """`time.ParseDuration`: `"1h2m3.5s"`, `"-1.5h"`, `"300ms"`; raises ValueError otherwise."""
    s = text.strip() if isinstance(text, str) else text
    if not isinstance(s, str) or not s:
        raise ValueError(f"time: invalid duration {text!r}")
    neg = s.startswith("-")
    if s[0] in "+-":
        s = s[1:]
    if s == "0":
        return timedelta(0)
    pos, total = 0, 0.0
    while pos < len(s):
        m = _DURATION_PART.match(s, pos)
        if not m:
            raise ValueError(f"time: invalid duration {text!r}")
        total += float(m.group(1)) * _UNITS_NS[m.group(2)]
        pos = m.end()
    if not s:
        raise ValueError(f"time: invalid duration {text!r}")
    ns = -total if neg else total
    return timedelta(microseconds=ns / 1000)


def _duration_ns(d: timedelta) -> int:
    return (d.days * 86400 + d.seconds) * 10**9 + d.microseconds * 1000


def format_duration(d: timedelta) -> str:
    """`time.Duration.String()`: `1h2m3.5s`, `1.5s`, `300ms`, `0s`."""
    ns = _duration_ns(d)
    if ns == 0:
        return "0s"
    neg = ns < 0
    u = abs(ns)
    if u < 10**9:
        for unit, size in (("ms", 10**6), ("µs", 10**3), ("ns", 1)):
            if u >= size:
                text = _trim_fraction(u, size) + unit
                break
    else:
        h, rem = divmod(u, 3600 * 10**9)
        m, rem = divmod(rem, 60 * 10**9)
        text = _trim_fraction(rem, 10**9) + "s"
        if h or m:
            text = f"{m}m" + text
        if h:
            text = f"{h}h" + text
    return ("-" if neg else "") + text


def _trim_fraction(value: int, size: int) -> str:
    whole, frac = divmod(value, size)
    if not frac:
        return str(whole)
    width = len(str(size)) - 1
    return f"{whole}." + f"{frac:0{width}d}".rstrip("0")


# -- Go time layouts ----------------------------------------------------------------------------
_LONG_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_LONG_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _layout_chunks(layout: str) -> list[tuple[str, str]]:
    """Split a Go layout into ("lit", text) and ("std", token) chunks, as time.nextStdChunk does."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(layout)
    lit: list[str] = []

    def emit(tok: str) -> None:
        if lit:
            out.append(("lit", "".join(lit)))
            lit.clear()
        out.append(("std", tok))

    while i < n:
        rest = layout[i:]
        tok = None
        c = rest[0]
        if c == "J" and rest.startswith("Jan"):
            tok = "January" if rest.startswith("January") else "Jan"
        elif c == "M" and rest.startswith("Mon"):
            tok = "Monday" if rest.startswith("Monday") else "Mon"
        elif c == "M" and rest.startswith("MST"):
            tok = "MST"
        elif c == "0" and len(rest) > 1 and rest[1] in "123456":
            tok = rest[:2]
        elif c == "0" and rest.startswith("002"):
            tok = "002"
        elif c == "1":
            tok = "15" if rest.startswith("15") else "1"
        elif c == "2":
            tok = "2006" if rest.startswith("2006") else "2"
        elif c == "_" and rest.startswith("_2"):
            tok = "_2"
        elif c == "_" and rest.startswith("__2"):
            tok = "__2"
        elif c in "345":
            tok = c
        elif c == "P" and rest.startswith("PM"):
            tok = "PM"
        elif c == "p" and rest.startswith("pm"):
            tok = "pm"
        elif c in "-Z":
            for cand in ("070000", "07:00:00", "0700", "07:00", "07"):
                if rest[1:].startswith(cand):
                    tok = c + cand
                    break
        elif c in ".," and len(rest) > 1 and rest[1] in "09":
            j = 1
            while j < len(rest) and rest[j] == rest[1]:
                j += 1
            if not (j < len(rest) and rest[j].isdigit()):
                tok = rest[:j]
        if tok is None:
            lit.append(c)
            i += 1
        else:
            emit(tok)
            i += len(tok)
    if lit:
        out.append(("lit", "".join(lit)))
    return out


def _tz_offset(dt: datetime, tok: str) -> str:
    off = dt.utcoffset() or timedelta(0)
    secs = int(off.total_seconds())
    if tok.startswith("Z") and secs == 0:
        return "Z"
    sign = "-" if secs < 0 else "+"
    secs = abs(secs)
    hh, mm, ss = secs // 3600, (secs // 60) % 60, secs % 60
    body = tok[1:]
    if body == "07":
        return f"{sign}{hh:02d}"
    if body == "0700":
        return f"{sign}{hh:02d}{mm:02d}"
    if body == "07:00":
        return f"{sign}{hh:02d}:{mm:02d}"
    if body == "070000":
        return f"{sign}{hh:02d}{mm:02d}{ss:02d}"
    return f"{sign}{hh:02d}:{mm:02d}:{ss:02d}"


def go_time_format(dt: datetime, layout: str) -> str:
    """`time.Time.Format(layout)` for an aware or naive (treated as UTC) datetime."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    out: list[str] = []
    for kind, tok in _layout_chunks(layout):
        if kind == "lit":
            out.append(tok)
            continue
        hour12 = dt.hour % 12 or 12
        if tok == "2006":
            out.append(f"{dt.year:04d}")
        elif tok == "06":
            out.append(f"{dt.year % 100:02d}")
        elif tok == "01":
            out.append(f"{dt.month:02d}")
        elif tok == "1":
            out.append(str(dt.month))
        elif tok == "January":
            out.append(_LONG_MONTHS[dt.month - 1])
        elif tok == "Jan":
            out.append(_LONG_MONTHS[dt.month - 1][:3])
        elif tok == "02":
            out.append(f"{dt.day:02d}")
        elif tok == "2":
            out.append(str(dt.day))
        elif tok == "_2":
            out.append(f"{dt.day:2d}")
        elif tok == "002":
            out.append(f"{dt.timetuple().tm_yday:03d}")
        elif tok == "__2":
            out.append(f"{dt.timetuple().tm_yday:3d}")
        elif tok == "Monday":
            out.append(_LONG_DAYS[dt.weekday()])
        elif tok == "Mon":
            out.append(_LONG_DAYS[dt.weekday()][:3])
        elif tok == "15":
            out.append(f"{dt.hour:02d}")
        elif tok == "03":
            out.append(f"{hour12:02d}")
        elif tok == "3":
            out.append(str(hour12))
        elif tok == "04":
            out.append(f"{dt.minute:02d}")
        elif tok == "4":
            out.append(str(dt.minute))
        elif tok == "05":
            out.append(f"{dt.second:02d}")
        elif tok == "5":
            out.append(str(dt.second))
        elif tok == "PM":
            out.append("PM" if dt.hour >= 12 else "AM")
        elif tok == "pm":
            out.append("pm" if dt.hour >= 12 else "am")
        elif tok == "MST":
            name = dt.tzname() or ""
            out.append("UTC" if name in ("UTC", "UTC+00:00", "") and not dt.utcoffset() else name)
        elif tok[0] in "-Z":
            out.append(_tz_offset(dt, tok))
        elif tok[0] in ".,":
            frac = f"{dt.microsecond:06d}000"
            width = len(tok) - 1
            if tok[1] == "0":
                out.append(tok[0] + frac[:width])
            else:
                digits = frac[:width].rstrip("0")
                out.append(tok[0] + digits if digits else "")
    return "".join(out)


def go_time_parse(value: str, layout: str, tz: timezone | None = None) -> datetime:
    """`time.Parse(layout, value)`; raises ValueError when `value` does not match `layout`."""
    pattern: list[str] = []
    fields: list[str] = []
    for kind, tok in _layout_chunks(layout):
        if kind == "lit":
            pattern.append(re.escape(tok))
            continue
        fields.append(tok)
        if tok in ("2006",):
            pattern.append(r"(\d{4})")
        elif tok in ("06", "01", "02", "15", "03", "04", "05"):
            pattern.append(r"(\d{2})")
        elif tok in ("1", "2", "3", "4", "5"):
            pattern.append(r"(\d{1,2})")
        elif tok == "_2":
            pattern.append(r" ?(\d{1,2})")
        elif tok in ("002",):
            pattern.append(r"(\d{3})")
        elif tok == "__2":
            pattern.append(r" {0,2}(\d{1,3})")
        elif tok in ("January", "Monday"):
            pattern.append(r"([A-Za-z]+)")
        elif tok in ("Jan", "Mon"):
            pattern.append(r"([A-Za-z]{3})")
        elif tok in ("PM", "pm"):
            pattern.append(r"([AaPp][Mm])")
        elif tok == "MST":
            pattern.append(r"([A-Z]{3,5}|[+-]\d+)")
        elif tok[0] in "-Z":
            z = "Z|" if tok[0] == "Z" else ""
            pattern.append(rf"({z}[+-]\d{{2}}(?::?\d{{2}}(?::?\d{{2}})?)?)")
        elif tok[0] in ".,":
            pattern.append(r"(?:[.,](\d+))?" if tok[1] == "9" else rf"[.,](\d{{{len(tok) - 1}}})")
    m = re.fullmatch("".join(pattern), value)
    if not m:
        raise ValueError(f'parsing time "{value}" as "{layout}": cannot parse')
    year, month, day, hour, minute, second, micro = 1, 1, 1, 0, 0, 0, 0
    pm: bool | None = None
    tzinfo: timezone | None = tz or timezone.utc
    for tok, text in zip(fields, m.groups()):
        if text is None:
            continue
        if tok == "2006":
            year = int(text)
        elif tok == "06":
            year = 2000 + int(text) if int(text) < 69 else 1900 + int(text)
        elif tok in ("01", "1"):
            month = int(text)
        elif tok in ("January", "Jan"):
            names = [m_[: len(text)] if tok == "Jan" else m_ for m_ in _LONG_MONTHS]
            month = names.index(text.capitalize()) + 1
        elif tok in ("02", "2", "_2"):
            day = int(text)
        elif tok in ("15",):
            hour = int(text)
        elif tok in ("03", "3"):
            hour = int(text) % 12
        elif tok in ("04", "4"):
            minute = int(text)
        elif tok in ("05", "5"):
            second = int(text)
        elif tok in ("PM", "pm"):
            pm = text.lower() == "pm"
        elif tok[0] in "-Z":
            if text == "Z":
                tzinfo = timezone.utc
            else:
                sign = -1 if text[0] == "-" else 1
                digits = text[1:].replace(":", "")
                hh, mm, ss = int(digits[:2]), int(digits[2:4] or 0), int(digits[4:6] or 0)
                tzinfo = timezone(sign * timedelta(hours=hh, minutes=mm, seconds=ss))
        elif tok[0] in ".,":
            micro = int((text + "000000")[:6])
    if pm:
        hour += 12
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=tzinfo)
