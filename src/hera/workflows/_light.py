"""`LightRecord`: keyword-only record classes that behave like `@dataclass(kw_only=True)` without importing it.

Parameter and Artifact are built when a user's module is imported, also inside the runner, whose start-up must
not pay for `dataclasses`/`inspect`. Fields come from the class annotations and defaults (a field without a
default is required); `dataclasses.fields()`, `replace()` and `asdict()` still work: `__dataclass_fields__` is
computed on first access.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_REQUIRED: Any = object()


class _DataclassFields:
    """Class-level descriptor giving `dataclasses.Field` objects on demand (imports dataclasses then)."""

    def __get__(self, obj: Any, cls: Any) -> dict[str, Any]:
        cache = cls.__dict__.get("_dataclass_fields_cache")
        if cache is None:
            import dataclasses

            cache = {}
            for name, default in cls._field_defaults.items():
                f = dataclasses.field() if default is _REQUIRED else dataclasses.field(default=default)
                f.name = name
                f.type = cls._field_types.get(name, "Any")
                f._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
                f.kw_only = True
                cache[name] = f
            type.__setattr__(cls, "_dataclass_fields_cache", cache)
        return cache


class LightRecord:
    """Base of keyword-only record classes; subclasses declare fields as annotated class attributes."""

    _field_defaults: dict[str, Any] = {}
    _field_types: dict[str, str] = {}
    __dataclass_fields__ = _DataclassFields()
    __hash__ = None  # type: ignore[assignment]  # like a dataclass with eq=True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        defaults: dict[str, Any] = {}
        types: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            own = klass.__dict__.get("__annotations__", {})  # noqa: RUF063  (inspect is what we avoid)
            for name, annotation in own.items():
                text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
                if name.startswith("_") or text.startswith(("ClassVar", "typing.ClassVar")):
                    continue
                defaults[name] = klass.__dict__.get(name, _REQUIRED)
                types[name] = text
        cls._field_defaults = defaults
        cls._field_types = types

    def __init__(self, **kwargs: Any) -> None:
        cls = type(self)
        defaults = cls._field_defaults
        for key in kwargs:
            if key not in defaults:
                raise TypeError(f"{cls.__name__}.__init__() got an unexpected keyword argument '{key}'")
        d = self.__dict__
        missing = []
        for name, default in defaults.items():
            if name in kwargs:
                d[name] = kwargs[name]
            elif default is _REQUIRED:
                missing.append(name)
            else:
                d[name] = default
        if missing:
            names = ", ".join(repr(m) for m in missing)
            raise TypeError(f"{cls.__name__}.__init__() missing required keyword-only argument(s): {names}")
        self.__post_init__()

    def __post_init__(self) -> None:
        gc = sys.modules.get("hera.shared._global_config")
        if gc is not None and gc.global_config._class_defaults:
            config = gc.global_config
            for klass in type(self).__mro__:  # the most specific class's defaults first; bases fill the rest
                for key, value in config._get_class_defaults(klass).items():
                    if getattr(self, key, None) is None:
                        import copy

                        self.__dict__[key] = copy.deepcopy(value)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in type(self)._field_defaults)
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in type(self)._field_defaults)

    def _replace(self, **changes: Any) -> Any:
        values = {k: getattr(self, k) for k in type(self)._field_defaults}
        values.update(changes)
        return type(self)(**values)

    def _dispatch_hooks(self) -> Any:
        gc = sys.modules.get("hera.shared._global_config")
        out: Any = self
        if gc is None:
            return out
        for hook in gc.global_config._get_pre_build_hooks(self):
            out = hook(out)
            if out is None:
                raise RuntimeError(f"pre-build hook {hook.__name__} returned None for {type(self).__name__}")
        return out


_MODELS: Any = None


def models_module() -> Any:
    """`hera.workflows.models`, imported on first use and cached (build paths call this per object)."""
    global _MODELS
    if _MODELS is None:
        from hera.workflows import models

        _MODELS = models
    return _MODELS
