"""`BaseMixin`: applies `global_config.set_class_defaults` to dataclass fields that are still None."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from hera.shared._global_config import global_config


class BaseMixin:
    """Mixin for hera's keyword-only dataclasses: per-class defaults, then the subclass's own post-init."""

    def __post_init__(self) -> None:
        self._apply_class_defaults()

    def _apply_class_defaults(self) -> None:
        # Most specific class first: a default set for a subclass wins over its base's (a field only takes
        # the first default it sees while it is still None).
        for cls in type(self).__mro__:
            defaults: dict[str, Any] = global_config._get_class_defaults(cls)
            for key, value in defaults.items():
                if getattr(self, key, None) is None:
                    object.__setattr__(self, key, copy.deepcopy(value))

    def _dispatch_hooks(self) -> Any:
        """Run the pre-build hooks registered for this exact type; each must return the object."""
        out: Any = self
        for hook in global_config._get_pre_build_hooks(self):
            out = hook(out)
            if out is None:
                raise RuntimeError(f"pre-build hook {hook.__name__} returned None for {type(self).__name__}")
        return out

    def _replace(self, **changes: Any) -> Any:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]
