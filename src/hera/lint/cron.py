"""Cron schedules as CronWorkflow accepts them: five fields, an optional CRON_TZ/TZ prefix, or a descriptor."""

from __future__ import annotations

import re

__all__ = ["valid_cron"]

_CRON_FIELD_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_CRON_NAMES = {
    3: {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))},
    4: {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))},
}


def valid_cron(expr: str) -> bool:
    """A 5-field cron expression (with names, ranges, steps, lists), an optional TZ prefix, or a descriptor."""
    text = expr.strip()
    if text.startswith(("CRON_TZ=", "TZ=")):
        parts = text.split(None, 1)
        if len(parts) < 2:
            return False
        text = parts[1]
    if text.startswith("@"):
        if text in ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"):
            return True
        if text.startswith("@every "):
            return bool(_DURATION.match(text[len("@every ") :].strip()))
        return False
    fields = text.split()
    if len(fields) != 5:
        return False
    for i, f in enumerate(fields):
        if not _valid_cron_field(f, i):
            return False
    return True


def _cron_value(token: str, i: int) -> int | None:
    names = _CRON_NAMES.get(i, {})
    if token.lower() in names:
        return names[token.lower()]
    return int(token) if token.isdigit() else None


def _valid_cron_field(field: str, i: int) -> bool:
    lo, hi = _CRON_FIELD_RANGES[i]
    for part in field.split(","):
        rng, _, step = part.partition("/")
        if step and not (step.isdigit() and int(step) > 0):
            return False
        if rng in ("*", "?"):
            continue
        a, _, b = rng.partition("-")
        for token in (a, b) if b else (a,):
            v = _cron_value(token, i)
            if v is None or not lo <= v <= hi:
                return False
    return True


_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
