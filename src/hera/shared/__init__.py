"""Shared pieces every layer may use: `global_config`, serialization and YAML helpers, base errors."""

from hera.shared._global_config import GlobalConfig, global_config, register_pre_build_hook

__all__ = ["BaseMixin", "GlobalConfig", "global_config", "register_pre_build_hook"]


def __getattr__(name: str) -> object:
    if name == "BaseMixin":  # lives with the authoring layer's base classes; loaded on demand
        from hera.shared._base_mixin import BaseMixin

        return BaseMixin
    raise AttributeError(f"module 'hera.shared' has no attribute {name!r}")
