"""The `@script` decorator; `Script` and the script constructors are re-exported from `_script` on first use.

This module stays light: the runner imports user modules that use `@script`, and inside a runner process
(`python -m hera.workflows.runner`) decoration only records the function; the template is made if ever needed.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from hera.workflows._script import (
        InlineScriptConstructor,
        RunnerScriptConstructor,
        Script,
        ScriptConstructor,
    )

__all__ = ["InlineScriptConstructor", "RunnerScriptConstructor", "Script", "ScriptConstructor", "script"]

_LAZY = ("InlineScriptConstructor", "RunnerScriptConstructor", "Script", "ScriptConstructor")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from hera.workflows import _script

        value = getattr(_script, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hera.workflows.script' has no attribute {name!r}")


def script(_func: Any = None, /, **script_kwargs: Any) -> Any:
    """Decorator turning a function into a Script template; called inside a DAG/Steps it returns a Task/Step.

    Outside any context the decorated function runs as plain Python. `name` defaults to the function name with
    `_` replaced by `-`. Any `Script` keyword argument is accepted (`image`, `constructor`, `inputs`, ...).
    Written `@script()` as in Hera; the bare form `@script` is accepted too.
    """
    if _func is not None:
        if not callable(_func) and not isinstance(_func, staticmethod):
            raise TypeError(f"script() takes keyword arguments only (Script fields), got {_func!r}")
        return script(**script_kwargs)(_func)

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        if isinstance(func, staticmethod):
            func = func.__func__
        if _in_runner_process():
            return _DeferredScript(func, script_kwargs)
        from hera.workflows._script import make_script_wrapper

        return make_script_wrapper(func, script_kwargs)

    return decorator


def _in_runner_process() -> bool:
    """True inside `python -m hera.workflows.runner` (or when the runner sets `DEFER_SCRIPTS = True`)."""
    runner = sys.modules.get("hera.workflows._runner")
    if runner is None:
        return False
    if getattr(runner, "DEFER_SCRIPTS", False):
        return True
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) == "hera.workflows.runner"


class _DeferredScript:
    """The `@script` wrapper inside a runner process: the Script template is made only if something asks for it."""

    def __init__(self, func: Callable[..., Any], script_kwargs: dict[str, Any]) -> None:
        self.wrapped_function = func
        self.__wrapped__ = func
        self._script_kwargs = dict(script_kwargs)
        self._template: Any = None
        for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(self, attr, getattr(func, attr, None))

    @property
    def template(self) -> Any:
        """The Script template, made on first access."""
        if self._template is None:
            from hera.workflows._script import make_script_wrapper

            self._template = make_script_wrapper(self.wrapped_function, self._script_kwargs).template  # type: ignore[attr-defined]
        return self._template

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from hera.workflows._context import _context

        if _context.active is not None:
            return self.template(*args, **kwargs)
        return self.wrapped_function(*args, **kwargs)
