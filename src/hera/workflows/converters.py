"""Quantity converters: Kubernetes quantity strings (`"500m"`, `"1Gi"`) to plain numbers.

`convert_decimal_units` reads CPU-style quantities (decimal suffixes m, k, M, G, T, P, E), `convert_binary_units`
memory-style ones (binary suffixes Ki … Ei). Both raise `HeraValidationError` (a ValueError) on bad input.
"""

from __future__ import annotations

from typing import Union

from hera.shared.errors import HeraValidationError
from hera.workflows.resources import parse_binary_quantity, parse_cpu

__all__ = ["convert_binary_units", "convert_decimal_units"]


def convert_decimal_units(value: Union[str, int, float]) -> float:
    """The number a decimal quantity stands for: `"500m"` → 0.5, `"2k"` → 2000.0, `3` → 3.0."""
    number = parse_cpu(value, "value")
    if number is None:
        raise HeraValidationError(f"cannot convert the Argo expression {value!r} to a number", field="value")
    return number


def convert_binary_units(value: str) -> float:
    """The number of bytes a binary quantity stands for: `"1Ki"` → 1024.0, `"1.5Gi"` → 1610612736.0."""
    number = parse_binary_quantity(value, "value")
    if number is None:
        raise HeraValidationError(f"cannot convert the Argo expression {value!r} to a number", field="value")
    return number
