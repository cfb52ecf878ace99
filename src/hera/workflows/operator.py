"""`Operator`: the words and symbols that join conditions (k8s selector words and Argo `when`/`depends` symbols)."""

from __future__ import annotations

from hera.workflows._str_enum import _StrEnum


class Operator(_StrEnum):
    """Operators for selectors (`In`, `Exists`, ...) and expressions (`==`, `&&`, ...); `str()` is the value."""

    does_not_exist = "DoesNotExist"
    exists = "Exists"
    gt = "Gt"
    in_ = "In"
    lt = "Lt"
    not_in = "NotIn"

    equals = "=="
    greater = ">"
    less = "<"
    greater_equal = ">="
    less_equal = "<="
    not_equal = "!="
    or_ = "||"
    and_ = "&&"
    starts_with = "=~"


__all__ = ["Operator"]
