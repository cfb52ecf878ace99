"""`Resources`: cpu, memory, ephemeral storage and GPU requests/limits of a container, checked when constructed.

CPU takes decimal units (`500m`, `2`, `1k`); memory and ephemeral storage need binary units (`512Mi`, `1Gi`),
so `"1G"` (10^9 bytes, usually a typo) is refused. Values holding an Argo `{{...}}` tag are passed unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hera.shared._base_mixin import BaseMixin
from hera.shared.errors import HeraValidationError

if TYPE_CHECKING:
    from hera.workflows import models as m

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_DECIMAL = re.compile(rf"^({_NUMBER})(m|k|M|G|T|P|E)?$")
_BINARY = re.compile(rf"^({_NUMBER})(Ki|Mi|Gi|Ti|Pi|Ei)$")
_DECIMAL_FACTORS = {None: 1.0, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
_BINARY_FACTORS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def _is_template(value: Any) -> bool:
    return isinstance(value, str) and "{{" in value


def parse_cpu(value: Any, field: str) -> float | None:
    """The number of cores `value` stands for (`"500m"` → 0.5); None for an Argo `{{...}}` tag.

    Raises HeraValidationError naming `field` for a negative value or an unknown unit.
    """
    if _is_template(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise HeraValidationError(
            f"{field} must be a number or a string such as '500m' or '2', got {type(value).__name__} {value!r}",
            field=field,
        )
    if isinstance(value, int | float):
        if value < 0:
            raise HeraValidationError(f"{field} must be non-negative, got {value!r}", field=field)
        return float(value)
    match = _DECIMAL.match(value)
    if match is None:
        raise HeraValidationError(
            f"{field} {value!r} is not a valid CPU quantity: use a non-negative number with an optional "
            "decimal unit (m, k, M, G, T, P, E), e.g. '500m' or '2'",
            field=field,
        )
    return float(match.group(1)) * _DECIMAL_FACTORS[match.group(2)]


def parse_binary_quantity(value: Any, field: str) -> float | None:
    """The number of bytes `value` stands for (`"1Ki"` → 1024); None for an Argo `{{...}}` tag.

    Raises HeraValidationError naming `field` unless `value` is a string with a binary unit (Ki … Ei).
    """
    if _is_template(value):
        return None
    match = _BINARY.match(value) if isinstance(value, str) else None
    if match is None:
        raise HeraValidationError(
            f"{field} {value!r} is not a valid quantity: use a number with a binary unit "
            "(Ki, Mi, Gi, Ti, Pi, Ei), e.g. '512Mi' or '1Gi'",
            field=field,
        )
    return float(match.group(1)) * _BINARY_FACTORS[match.group(2)]


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _quantities_as_str(section: Any) -> Any:
    if not isinstance(section, dict):
        return section
    return {k: (str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v) for k, v in section.items()}


@dataclass(kw_only=True)
class Resources(BaseMixin):
    """Requests and limits of a container. `gpus` go into both requests and limits under `gpu_flag`;
    `custom_resources` (e.g. `{"limits": {"hugepages-2Mi": "1Gi"}}`) is deep-merged over the rest.
    """

    cpu_request: float | int | str | None = None
    cpu_limit: float | int | str | None = None
    memory_request: str | None = None
    memory_limit: str | None = None
    ephemeral_request: str | None = None
    ephemeral_limit: str | None = None
    gpus: int | str | None = None
    gpu_flag: str | None = "nvidia.com/gpu"
    custom_resources: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self._check_pair("cpu_request", "cpu_limit", parse_cpu)
        self._check_pair("memory_request", "memory_limit", parse_binary_quantity)
        self._check_pair("ephemeral_request", "ephemeral_limit", parse_binary_quantity)
        if self.custom_resources is not None and not isinstance(self.custom_resources, dict):
            raise HeraValidationError(
                f"custom_resources must be a dict such as {{'limits': {{...}}}}, got {type(self.custom_resources).__name__}",
                field="custom_resources",
            )

    def _check_pair(self, request_field: str, limit_field: str, parse: Any) -> None:
        request, limit = getattr(self, request_field), getattr(self, limit_field)
        req = None if request is None else parse(request, request_field)
        lim = None if limit is None else parse(limit, limit_field)
        if req is not None and lim is not None and req > lim:
            raise HeraValidationError(
                f"{request_field} ({request!r}) must be smaller than or equal to {limit_field} ({limit!r})",
                field=request_field,
            )

    def build(self) -> m.ResourceRequirements:
        """The k8s `ResourceRequirements`; only the sections that have entries are set."""
        from hera.workflows import models as m

        requests: dict[str, Any] = {}
        limits: dict[str, Any] = {}
        for key, request, limit in (
            ("cpu", self.cpu_request, self.cpu_limit),
            ("memory", self.memory_request, self.memory_limit),
            ("ephemeral-storage", self.ephemeral_request, self.ephemeral_limit),
        ):
            if request is not None:
                requests[key] = str(request)
            if limit is not None:
                limits[key] = str(limit)
        if self.gpus is not None:
            flag = self.gpu_flag or "nvidia.com/gpu"
            requests[flag] = limits[flag] = str(self.gpus)
        spec: dict[str, Any] = {}
        if requests:
            spec["requests"] = requests
        if limits:
            spec["limits"] = limits
        if self.custom_resources:
            spec = _deep_merge(spec, self.custom_resources)
            for section in ("requests", "limits"):
                if section in spec:
                    spec[section] = _quantities_as_str(spec[section])
        return m.ResourceRequirements(**spec)


__all__ = ["Resources"]
