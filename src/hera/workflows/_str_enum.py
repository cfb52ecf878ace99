"""`StrEnum`-like base for hera's string enums: `str(member)` and f-strings give the Argo value (3.10 safe)."""

from __future__ import annotations

from enum import Enum


class _StrEnum(str, Enum):
    """A str enum whose `str()` and `format()` are its value on every Python version (3.10 to 3.13)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)
