"""Shared pieces every layer may use: `global_config`, serialization and YAML helpers, base errors."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hera.shared._base_mixin import BaseMixin
    from hera.shared._global_config import GlobalConfig, global_config, register_pre_build_hook

__all__ = ["BaseMixin", "GlobalConfig", "global_config", "register_pre_build_hook"]


def __getattr__(name: str) -> object:
    # Loaded on first use: `hera.shared.errors` (the runner, the engine) must not pay for global_config's imports.
    if name in ("GlobalConfig", "global_config", "register_pre_build_hook"):
        from hera.shared import _global_config

        value = getattr(_global_config, name)
        globals()[name] = value
        return value
    if name == "BaseMixin":  # lives with the authoring layer's base classes; loaded on demand
        from hera.shared._base_mixin import BaseMixin

        return BaseMixin
    raise AttributeError(f"module 'hera.shared' has no attribute {name!r}")
