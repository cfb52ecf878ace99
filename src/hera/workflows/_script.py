"""`Script` and the script constructors (inline source, hera runner, user-defined); `hera.workflows.script`
re-exports them lazily. The function's signature is read only when the template is built.
"""

from __future__ import annotations

import ast
import copy
import functools
import inspect
import os
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Union

from hera.shared._base_mixin import BaseMixin
from hera.shared._global_config import global_config
from hera.shared.errors import HeraValidationError
from hera.workflows._context import _context
from hera.workflows._light import models_module
from hera.workflows._mixins import (
    CallableTemplateMixin,
    ContainerMixin,
    EnvMixin,
    IOMixin,
    ResourceMixin,
    TemplateMixin,
    VolumeMountMixin,
    _container_body,
    _listify,
    _model_name,
)
from hera.workflows.artifact import Artifact, RawArtifact
from hera.workflows.parameter import Parameter

if TYPE_CHECKING:
    from hera.workflows import models as m
    from hera.workflows._signature import FunctionIO

__all__ = ["InlineScriptConstructor", "RunnerScriptConstructor", "Script", "ScriptConstructor", "make_script_wrapper"]

SAFE_PARAMETERS_ARTIFACT = "hera-inline-parameters"
"""Name of the raw input artifact that carries `{{inputs.parameters}}` into safe inline scripts."""


# -- constructors ---------------------------------------------------------------------------------------
@dataclass(kw_only=True)
class ScriptConstructor(BaseMixin):
    """Turns a Script into its `source` (and may adjust the built template). Subclass to write your own."""

    def generate_source(self, instance: Script) -> str:
        """The `script.source` text for `instance`."""
        raise NotImplementedError

    def transform_values(self, instance: Script) -> Any:
        """Hook run once at Script construction; may adjust the Script's fields."""
        return None

    def transform_script_template_post_build(self, instance: Script, script: m.ScriptTemplate) -> m.ScriptTemplate:
        """Hook run on the built `models.ScriptTemplate`; returns the (possibly new) model."""
        return script

    def transform_template_post_build(self, instance: Script, template: m.Template) -> m.Template:
        """Hook run on the built `models.Template`; returns the (possibly new) model."""
        return template

    # hera's own extension points (inputs/outputs/env/volumes a constructor adds)
    def _extra_inputs(self, instance: Script) -> list[Any]:
        return []

    def _transform_outputs(self, instance: Script, items: list[Any]) -> list[Any]:
        return items

    def _extra_env(self, instance: Script) -> list[Any]:
        return []

    def _extra_volumes(self, instance: Script) -> list[Any]:
        return []


@dataclass(kw_only=True)
class InlineScriptConstructor(ScriptConstructor):
    """Embeds the function body in `source`, preceded by one assignment per input parameter.

    `safe=False` (default) reproduces Hera's text: `x = json.loads(r'''{{inputs.parameters.x}}''')`, which a
    value containing `'''` escapes. `safe=True` (or `global_config.safe_scripts`) reads every value as data from
    a raw input artifact holding `{{inputs.parameters}}` (see docs/scripts.md).
    """

    add_cwd_to_sys_path: Optional[bool] = None
    safe: Optional[bool] = None

    def _is_safe(self) -> bool:
        return bool(global_config.safe_scripts if self.safe is None else self.safe)

    def generate_source(self, instance: Script) -> str:
        src = instance.source
        if not callable(src):
            return str(src) if src is not None else ""
        add_cwd = self.add_cwd_to_sys_path
        if add_cwd is None:
            add_cwd = instance.add_cwd_to_sys_path if instance.add_cwd_to_sys_path is not None else True
        parts: list[str] = []
        if add_cwd:
            parts.append("import os\nimport sys\nsys.path.append(os.getcwd())\n")
        fio = instance._function_io()
        if fio.has_parameters:
            names = sorted(
                {
                    p.name
                    for p in instance._input_items()
                    if _is_parameter(p) and p.name and p.name != SAFE_PARAMETERS_ARTIFACT and not p.value_from
                }
            )
            if names:
                parts.append(self._safe_block(names, fio) if self._is_safe() else _compat_block(names))
        parts.append(_function_body(src))
        return "".join(parts)

    def _safe_block(self, names: list[str], fio: FunctionIO) -> str:
        lines = [
            "import json as _hera_json",
            f"with open('{{{{inputs.artifacts.{SAFE_PARAMETERS_ARTIFACT}.path}}}}') as _hera_file:",
            "    _hera_params = {p['name']: p.get('value') for p in _hera_json.load(_hera_file)}",
            "def _hera_value(name):",
            "    raw = _hera_params.get(name)",
            "    try:",
            "        return _hera_json.loads(raw)",
            "    except Exception:",
            "        return raw",
        ]
        for name in names:
            var = fio.python_names.get(name, name)
            if not var.isidentifier():
                continue
            lines.append(f"{var} = _hera_value({name!r})")
        return "\n".join(lines) + "\n\n"

    def _extra_inputs(self, instance: Script) -> list[Any]:
        if not self._is_safe() or not callable(instance.source) or not instance._function_io().has_parameters:
            return []
        return [
            RawArtifact(
                name=SAFE_PARAMETERS_ARTIFACT,
                path=f"/tmp/hera-inputs/{SAFE_PARAMETERS_ARTIFACT}.json",
                data="{{inputs.parameters}}",
            )
        ]


def _is_parameter(item: Any) -> bool:
    return isinstance(item, Parameter) or _model_name(item) == "Parameter"


def _compat_block(names: list[str]) -> str:
    lines = ["import json"]
    for name in names:
        lines.append(f"try: {name} = json.loads(r'''{{{{inputs.parameters.{name}}}}}''')")
        lines.append(f"except: {name} = r'''{{{{inputs.parameters.{name}}}}}'''")
    return "\n".join(lines) + "\n\n"


@functools.lru_cache(maxsize=512)
def _function_body_cached(func: Callable[..., Any]) -> str:
    source = textwrap.dedent(inspect.getsource(func))
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == func.__name__:
            # the whole `def` re-emitted (as Hera does: docstrings stay triple-quoted, nested defs and classes keep
            # the blank line before them), then everything after the `def` line, dedented
            node.decorator_list = []
            return textwrap.dedent(ast.unparse(node).split("\n", 1)[1])
    raise HeraValidationError(f"could not find the body of function {func.__name__!r} in its source")


def _function_body(func: Callable[..., Any]) -> str:
    try:
        return _function_body_cached(func)
    except (OSError, TypeError) as e:
        raise HeraValidationError(f"cannot read the source of {func!r}: {e}") from None


@dataclass(kw_only=True)
class RunnerScriptConstructor(ScriptConstructor):
    """Runs the function through `python -m hera.workflows.runner` (§3.8, §4): typed inputs, file outputs."""

    outputs_directory: Optional[str] = None
    volume_for_outputs: Optional[Any] = None
    pydantic_mode: Optional[int] = None

    DEFAULT_HERA_OUTPUTS_DIRECTORY: ClassVar[str] = "/tmp/hera-outputs"

    def generate_source(self, instance: Script) -> str:
        return "{{inputs.parameters}}"

    def transform_values(self, instance: Script) -> Any:
        if not callable(instance.source):
            raise HeraValidationError(
                "the runner constructor needs a Python function as `source`", template=instance.name
            )
        if instance.args is not None:
            raise HeraValidationError(
                "Cannot specify args when using the Hera runner", template=instance.name, field="args"
            )
        instance.args = ["-m", "hera.workflows.runner", "-e", f"{_module_name(instance.source)}:{instance.source.__name__}"]
        return None

    def _directory(self) -> str:
        return self.outputs_directory or self.DEFAULT_HERA_OUTPUTS_DIRECTORY

    def _writes_outputs(self, instance: Script) -> bool:
        return self.outputs_directory is not None or instance._function_io().has_output_annotations

    def _transform_outputs(self, instance: Script, items: list[Any]) -> list[Any]:
        if not instance._function_io().has_output_annotations:
            return items
        directory = self._directory()
        out = []
        for item in items:
            if isinstance(item, Parameter) and item.value_from is None:
                m = models_module()

                item = copy.copy(item)
                item.value_from = m.ValueFrom(path=f"{directory}/parameters/{item.name}")
            elif isinstance(item, Artifact) and item.path is None:
                item = item.with_name(item.name or "")
                item.path = f"{directory}/artifacts/{item.name}"
            out.append(item)
        return out

    def _extra_env(self, instance: Script) -> list[Any]:
        m = models_module()

        env = []
        if self._writes_outputs(instance):
            env.append(m.EnvVar(name="hera__outputs_directory", value=self._directory()))
        if self.pydantic_mode is not None:
            env.append(m.EnvVar(name="hera__pydantic_mode", value=str(self.pydantic_mode)))
        return env

    def _extra_volumes(self, instance: Script) -> list[Any]:
        vol = self.volume_for_outputs
        if vol is None:
            return []
        if not getattr(vol, "mount_path", None):
            vol = copy.copy(vol)
            vol.mount_path = self._directory()
        return [vol]


def _module_name(func: Callable[..., Any]) -> str:
    """The importable module of `func`; for `__main__`, derived from its file path and `sys.path` (§3.8)."""
    module = getattr(func, "__module__", None) or "__main__"
    if module != "__main__":
        return module
    try:
        path = Path(inspect.getfile(func)).resolve()
    except (TypeError, OSError):
        return module
    best: Optional[Path] = None
    for entry in [*sys.path, os.getcwd()]:
        base = Path(entry or os.getcwd()).resolve()
        try:
            rel = path.relative_to(base)
        except ValueError:
            continue
        if best is None or len(rel.parts) < len(best.parts):
            best = rel
    if best is None:
        return path.stem
    return ".".join(best.with_suffix("").parts)


_CONSTRUCTORS: dict[str, type[ScriptConstructor]] = {
    "inline": InlineScriptConstructor,
    "runner": RunnerScriptConstructor,
}


# -- the template ---------------------------------------------------------------------------------------
@dataclass(kw_only=True)
class Script(
    CallableTemplateMixin,
    EnvMixin,
    ResourceMixin,
    VolumeMountMixin,
    ContainerMixin,
    IOMixin,
    TemplateMixin,
):
    """A script template (`script:`): a Python function (or a source string) run by `command`."""

    source: Optional[Union[Callable[..., Any], str]] = None
    constructor: Optional[Union[str, ScriptConstructor]] = None
    command: Optional[list[str]] = None
    args: Optional[list[str]] = None
    container_name: Optional[str] = None
    lifecycle: Optional[m.Lifecycle] = None
    security_context: Optional[m.SecurityContext] = None
    working_dir: Optional[str] = None
    add_cwd_to_sys_path: Optional[bool] = None

    _fio_cache: Optional[tuple[Any, FunctionIO]] = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.source, staticmethod):
            self.source = self.source.__func__
        if self.command is None and global_config.script_command is not None:
            self.command = list(global_config.script_command)
        if self.add_cwd_to_sys_path is None:
            self.add_cwd_to_sys_path = True
        self.constructor = _resolve_constructor(self.constructor, self.name)
        self.constructor.transform_values(self)

    @property
    def _constructor(self) -> ScriptConstructor:
        c = self.constructor
        if not isinstance(c, ScriptConstructor):
            c = self.constructor = _resolve_constructor(c, self.name)
        return c

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Like any template call; directly under a Workflow, it registers (a copy of) the script instead."""
        active = _context.active
        if getattr(active, "_context_kind", None) == "workflow":
            if args or kwargs:
                import warnings

                warnings.warn(
                    f"Script '{self.name}' called directly under a Workflow only registers the template; "
                    f"ignoring {sorted(kwargs) or 'positional arguments'} (call it inside a DAG or Steps to pass them)",
                    UserWarning,
                    stacklevel=2,
                )
            active.templates.append(copy.deepcopy(self))  # type: ignore[union-attr]
            return None
        return super().__call__(*args, **kwargs)

    # -- signature ------------------------------------------------------------------------------------
    def _function_io(self) -> FunctionIO:
        from hera.workflows._signature import FunctionIO, analyze_function

        src = self.source
        if not callable(src):
            return FunctionIO()
        cached = self._fio_cache
        if cached is not None and cached[0] is src:
            return cached[1]
        fio = analyze_function(src, template=self.name)
        self._fio_cache = (src, fio)
        return fio

    def _get_param_input_names(self) -> tuple[Optional[set[str]], list[str]]:
        if not callable(self.source):
            return None, []
        fio = self._function_io()
        names = {p.name for p in self._input_items() if _is_parameter(p) and p.name}
        names.update(fio.python_names.values())
        return names, list(fio.required_parameters)

    def _input_items(self) -> list[Any]:
        explicit = super()._input_items()
        seen = {getattr(x, "name", None) for x in explicit}
        items = list(explicit)
        for inferred in self._function_io().inputs:
            if inferred.name not in seen:
                items.append(inferred)
                seen.add(inferred.name)
        items.extend(self._constructor._extra_inputs(self))
        return items + self._env_input_parameters()

    def _output_items(self) -> list[Any]:
        explicit = super()._output_items()
        seen = {getattr(x, "name", None) for x in explicit}
        items = list(explicit)
        for inferred in self._function_io().outputs:
            if inferred.name not in seen:
                items.append(inferred)
                seen.add(inferred.name)
        return self._constructor._transform_outputs(self, items)

    # -- building -------------------------------------------------------------------------------------
    def _all_volumes(self) -> list[Any]:
        return _listify(self.volumes) + self._constructor._extra_volumes(self)

    def _build_script(self) -> m.ScriptTemplate:
        m = models_module()

        constructor = self._constructor
        env = (self._build_env() or []) + constructor._extra_env(self)
        saved = self.volumes
        self.volumes = self._all_volumes() or None
        try:
            mounts = self._build_volume_mounts()
        finally:
            self.volumes = saved
        fields = _container_body(
            self, source=constructor.generate_source(self), name=self.container_name, env=env or None, volume_mounts=mounts
        )
        script = m.ScriptTemplate(**fields)
        return constructor.transform_script_template_post_build(self, script)

    def _build_template(self) -> m.Template:
        saved = self.volumes
        self.volumes = self._all_volumes() or None
        try:
            volumes = self._build_volumes()
        finally:
            self.volumes = saved
        template = self._make_template(
            script=self._build_script(),
            inputs=self._build_inputs(),
            outputs=self._build_outputs(),
            volumes=volumes,
        )
        return self._constructor.transform_template_post_build(self, template)


def _resolve_constructor(value: Any, name: Optional[str]) -> ScriptConstructor:
    if value is None:
        return InlineScriptConstructor()
    if isinstance(value, ScriptConstructor):
        return value
    if isinstance(value, str):
        cls = _CONSTRUCTORS.get(value.lower())
        if cls is not None:
            return cls()
    raise HeraValidationError(
        f"unknown script constructor {value!r}; expected 'inline', 'runner' or a ScriptConstructor instance",
        template=name,
        field="constructor",
    )


def make_script_wrapper(func: Callable[..., Any], script_kwargs: dict[str, Any]) -> Callable[..., Any]:
    """The `@script` wrapper of `func`: a Task/Step when called inside a DAG/Steps, the plain function elsewhere."""
    kwargs = dict(script_kwargs)
    kwargs.setdefault("name", func.__name__.replace("_", "-"))
    template = Script(source=func, **kwargs)

    @functools.wraps(func)
    def task_wrapper(*args: Any, **kw: Any) -> Any:
        if _context.active is not None:
            return template(*args, **kw)
        return func(*args, **kw)

    task_wrapper.wrapped_function = func  # type: ignore[attr-defined]
    task_wrapper.template = template  # type: ignore[attr-defined]
    return task_wrapper
