"""Validators for values Kubernetes and Argo constrain: object names and resource quantities.

Each returns the value when it is acceptable and raises `HeraValidationError` (a ValueError) saying why not.
"""

from __future__ import annotations

from typing import Optional, Union

from hera.shared.errors import HeraValidationError
from hera.workflows.resources import parse_binary_quantity, parse_cpu

__all__ = ["validate_binary_units", "validate_decimal_units", "validate_name", "validate_storage_units"]


def validate_name(name: str, max_length: Optional[int] = None, generate_name: bool = False) -> str:
    """`name` if Kubernetes accepts it as `metadata.name` (or, with `generate_name`, as a `generateName` prefix)."""
    from hera.lint.names import MAX_OBJECT_NAME, generate_name_errors, object_name_errors

    limit = MAX_OBJECT_NAME if max_length is None else max_length
    field = "generate_name" if generate_name else "name"
    if generate_name:
        errors = generate_name_errors(name)
        if len(name) > limit:
            errors.insert(0, f"must be no more than {limit} characters (it has {len(name)})")
    else:
        errors = object_name_errors(name, max_length=limit)
    if errors:
        raise HeraValidationError(f"{field} {name!r} " + "; ".join(errors), field=field)
    return name


def validate_decimal_units(value: Union[str, int, float]) -> Union[str, int, float]:
    """`value` if it is a non-negative decimal quantity (`"500m"`, `"2"`, `1.5`)."""
    parse_cpu(value, "value")
    return value


def validate_binary_units(value: str) -> str:
    """`value` if it is a quantity with a binary unit (`"512Mi"`, `"1Gi"`)."""
    parse_binary_quantity(value, "value")
    return value


def validate_storage_units(value: str) -> str:
    """`value` if it is a storage size Hera accepts (binary units only: `"10Gi"`, not `"10G"`)."""
    return validate_binary_units(value)
