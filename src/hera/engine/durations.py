"""Duration and timestamp helpers: Go-style durations (`1m30s`, `5s`, `2`) and RFC 3339 times."""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone

from hera.shared.errors import HeraValidationError

_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
    "d": 86400.0,
}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)")


def parse_duration(value: object, *, field: str = "duration") -> float:
    """Seconds in `value`: a number (seconds), a numeric string, or a Go duration such as `1h2m3.5s`."""
    if isinstance(value, bool):
        raise HeraValidationError(f"invalid duration {value!r}", field=field)
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if not text:
        raise HeraValidationError("empty duration", field=field)
    try:
        return float(text)
    except ValueError:
        pass
    sign = 1.0
    if text[0] in "+-":
        sign = -1.0 if text[0] == "-" else 1.0
        text = text[1:]
    pos = 0
    total = 0.0
    for match in _PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text) or pos == 0:
        raise HeraValidationError(f"invalid duration {value!r}", field=field)
    return sign * total


def format_duration(seconds: float) -> str:
    """A Go-style rendering of a duration (`1m30s`, `2.5s`, `0s`)."""
    if seconds <= 0:
        return "0s"
    whole = int(seconds)
    frac = seconds - whole
    hours, rem = divmod(whole, 3600)
    minutes, secs = divmod(rem, 60)
    out = ""
    if hours:
        out += f"{hours}h"
    if hours or minutes:
        out += f"{minutes}m"
    sec_text = f"{secs + frac:.3f}".rstrip("0").rstrip(".")
    return out + sec_text + "s"


def now_rfc3339() -> str:
    """The current UTC time as Kubernetes prints it: `2024-01-02T03:04:05Z` (whole seconds)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def to_rfc3339(ts: float) -> str:
    """`ts` (Unix seconds) as an RFC 3339 UTC timestamp with whole seconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def parse_rfc3339(text: str | None) -> float | None:
    """Unix seconds of an RFC 3339 timestamp (any number of fraction digits, `Z` or an offset), or None for an
    empty or unreadable value. Parsed by hand: `datetime.fromisoformat` of Python 3.10 takes neither `Z` nor
    nanoseconds."""
    if not text:
        return None
    m = _RFC3339.fullmatch(text.strip())
    if m is None:
        return None
    year, month, day, hour, minute, second, frac, zone = m.groups()
    try:
        dt = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
    except ValueError:
        return None
    ts = dt.timestamp() + (float("0" + frac) if frac else 0.0)
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        ts -= sign * (int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60)
    return ts


_RFC3339 = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|[+-]\d\d:?\d\d)?")
