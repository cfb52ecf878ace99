"""Field groups shared by the template and invocator classes, and the code that turns them into models.

Kept free of pydantic and the generated models at import time (the runner imports `script`, which imports this);
every build function imports `hera.workflows.models` on first use.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Union

from hera.shared._base_mixin import BaseMixin
from hera.shared._global_config import global_config
from hera.shared.errors import HeraValidationError
from hera.shared.serialization import serialize
from hera.workflows._context import _context
from hera.workflows._light import models_module
from hera.workflows.artifact import Artifact
from hera.workflows.exceptions import InvalidTemplateCall, InvalidType
from hera.workflows.parameter import Parameter

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = [
    "ArgumentsMixin",
    "CallableTemplateMixin",
    "ContainerMixin",
    "ContextMixin",
    "EnvMixin",
    "IOMixin",
    "ResourceMixin",
    "TemplateInvocatorSubNodeMixin",
    "TemplateMixin",
    "VolumeMixin",
    "VolumeMountMixin",
]

_MODELS_PREFIX = "hera.workflows.models"


# -- small helpers ---------------------------------------------------------------------------------------
def _listify(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _model_name(value: Any) -> Optional[str]:
    """The class name of a generated model instance (`"Parameter"`, ...), or None for anything else."""
    cls = type(value)
    if cls.__module__.startswith(_MODELS_PREFIX):
        return cls.__name__
    return None


def _is_model(value: Any, name: str) -> bool:
    return _model_name(value) == name


def _rename(item: Any, name: str) -> Any:
    """A copy of a Parameter/Artifact (hera or model) under `name`."""
    if isinstance(item, (Parameter, Artifact)):
        return item.with_name(name)
    return item.model_copy(update={"name": name})


def _normalize_io(value: Any, *, dict_as_value: bool = True) -> list[Any]:
    """Flatten one-or-many Parameter/Artifact/model/dict values into a list of Parameter/Artifact-like items."""
    out: list[Any] = []
    for item in _listify(value):
        if isinstance(item, dict):
            for key, v in item.items():
                if isinstance(v, (Parameter, Artifact)) or _model_name(v) in ("Parameter", "Artifact"):
                    out.append(_rename(v, key))
                else:
                    out.append(Parameter(name=key, value=v))
        elif isinstance(item, (list, tuple)):
            out.extend(_normalize_io(item, dict_as_value=dict_as_value))
        elif _model_name(item) in ("Inputs", "Outputs", "Arguments"):
            out.extend(item.artifacts or [])
            out.extend(item.parameters or [])
        elif hasattr(item, "_get_as_arguments") and not isinstance(item, type):  # an `Input` instance (v1 or v2)
            out.extend(item._get_as_arguments())
        else:
            out.append(item)
    return out


def _build_io_items(
    items: Iterable[Any], param_form: str, *, where: dict[str, Any]
) -> tuple[list[m.Parameter], list[m.Artifact]]:
    """Build Parameter/Artifact-like items into model lists; `param_form` is as_input/as_argument/as_output."""
    params: list[Any] = []
    arts: list[Any] = []
    for item in items:
        try:
            if isinstance(item, Parameter):
                params.append(getattr(item, param_form)())
                continue
            if isinstance(item, Artifact):
                arts.append(item._build_artifact())
                continue
        except HeraValidationError as e:
            if type(e) is not HeraValidationError:
                raise
            located = {k: v for k, v in where.items() if k != "field"}
            raise HeraValidationError(e.message, field=e.field or where.get("field"), **located) from None
        kind = _model_name(item)
        if kind == "Parameter":
            params.append(item)
        elif kind == "Artifact":
            arts.append(item)
        else:
            raise HeraValidationError(
                f"expected a Parameter or an Artifact, got {type(item).__name__}: {item!r}", **where
            )
    return params, arts


def _item_name(item: Any) -> Optional[str]:
    return getattr(item, "name", None)


def _build_one(item: Any, method: str, field: Optional[str] = None) -> Any:
    """`item.<method>()` for hera objects, the item itself for models."""
    if _model_name(item) is not None:
        return item
    build = getattr(item, method, None)
    if build is None:
        raise HeraValidationError(f"cannot build {type(item).__name__}: {item!r}", field=field)
    return build()


def _build_metrics(metrics: Any) -> Any:
    """`metrics.build_metrics`, imported only when a template or workflow has metrics (most have none)."""
    if metrics is None:
        return None
    from hera.workflows.metrics import build_metrics

    return build_metrics(metrics)


def _build_image_pull_policy(value: Any) -> Optional[str]:
    """`user_container.normalize_image_pull_policy`, imported only when a policy is given."""
    if value is None:
        return None
    from hera.workflows.user_container import normalize_image_pull_policy

    return normalize_image_pull_policy(value)


# -- contexts ---------------------------------------------------------------------------------------------
class ContextMixin(BaseMixin):
    """`with obj:` opens `obj` as a context; objects constructed inside are handed to `_add_sub`."""

    _context_kind: ClassVar[Optional[str]] = None

    def __enter__(self) -> Any:
        _context.enter(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _context.exit()

    def _add_sub(self, node: Any) -> Any:
        raise NotImplementedError


# -- templates --------------------------------------------------------------------------------------------
@dataclass(kw_only=True)
class TemplateMixin(BaseMixin):
    """Fields every Argo template has; constructing a template inside a Workflow context registers it."""

    name: Optional[str] = None
    active_deadline_seconds: Optional[Union[int, str, m.IntOrString]] = None
    affinity: Optional[m.Affinity] = None
    archive_location: Optional[m.ArtifactLocation] = None
    automount_service_account_token: Optional[bool] = None
    daemon: Optional[bool] = None
    executor: Optional[m.ExecutorConfig] = None
    fail_fast: Optional[bool] = None
    host_aliases: Optional[list[m.HostAlias]] = None
    init_containers: Optional[list[Any]] = None
    memoize: Optional[m.Memoize] = None
    annotations: Optional[dict[str, str]] = None
    labels: Optional[dict[str, str]] = None
    node_selector: Optional[dict[str, str]] = None
    parallelism: Optional[int] = None
    plugin: Optional[m.Plugin] = None
    pod_spec_patch: Optional[str] = None
    priority_class_name: Optional[str] = None
    retry_strategy: Optional[Any] = None
    scheduler_name: Optional[str] = None
    pod_security_context: Optional[m.PodSecurityContext] = None
    service_account_name: Optional[str] = None
    sidecars: Optional[Any] = None
    synchronization: Optional[m.Synchronization] = None
    timeout: Optional[str] = None
    tolerations: Optional[list[m.Toleration]] = None
    metrics: Optional[Any] = None
    pending_timeout: Optional[str] = None
    pod_resources: Optional[Any] = None
    resource_claims: Optional[list[Any]] = None

    _is_template: ClassVar[bool] = True

    def __post_init__(self) -> None:
        super().__post_init__()
        _context.add_sub_node(self)

    # subclasses: the template-type key (`container`, `dag`, ...) and its model
    def _build_template(self) -> m.Template:
        raise NotImplementedError

    def _where(self, **extra: Any) -> dict[str, Any]:
        return {"template": self.name, **extra}

    def _template_fields(self) -> dict[str, Any]:
        """The common `models.Template` keyword arguments (None values are dropped by the caller)."""
        meta = None
        if self.labels or self.annotations:
            m = models_module()

            meta = m.Metadata(labels=self.labels, annotations=self.annotations)
        return {
            "name": self.name,
            "active_deadline_seconds": self.active_deadline_seconds,
            "affinity": self.affinity,
            "archive_location": self.archive_location,
            "automount_service_account_token": self.automount_service_account_token,
            "daemon": self.daemon,
            "executor": self.executor,
            "fail_fast": self.fail_fast,
            "host_aliases": self.host_aliases,
            "init_containers": [_build_one(c, "build", "init_containers") for c in _listify(self.init_containers)]
            or None,
            "memoize": self.memoize,
            "metadata": meta,
            "node_selector": self.node_selector,
            "parallelism": self.parallelism,
            "plugin": self.plugin,
            "pod_spec_patch": self.pod_spec_patch,
            "priority_class_name": self.priority_class_name,
            "retry_strategy": _build_one(self.retry_strategy, "build", "retry_strategy")
            if self.retry_strategy is not None
            else None,
            "scheduler_name": self.scheduler_name,
            "security_context": self.pod_security_context,
            "service_account_name": self.service_account_name,
            "sidecars": [_build_one(c, "build", "sidecars") for c in _listify(self.sidecars)] or None,
            "synchronization": self.synchronization,
            "timeout": self.timeout,
            "tolerations": self.tolerations,
            "metrics": _build_metrics(self.metrics),
            "pending_timeout": self.pending_timeout,
            "pod_resources": self.pod_resources,
            "resource_claims": self.resource_claims,
        }

    def _make_template(self, **specific: Any) -> m.Template:
        """`models.Template` from the common fields plus the template-type specific ones."""
        m = models_module()

        fields = self._template_fields()
        fields.update(specific)
        return m.Template(**{k: v for k, v in fields.items() if v is not None})

    def _get_pvc_templates(self) -> list[Any]:
        """Persistent volume claims this template asks the workflow to create (see VolumeMixin)."""
        return []


@dataclass(kw_only=True)
class IOMixin(BaseMixin):
    """`inputs` and `outputs`: one-or-many Parameter/Artifact (hera or model), model Inputs/Outputs, or dicts."""

    inputs: Optional[Any] = None
    outputs: Optional[Any] = None

    def _input_items(self) -> list[Any]:
        return _normalize_io(self.inputs)

    def _output_items(self) -> list[Any]:
        return _normalize_io(self.outputs)

    def _build_inputs(self) -> Optional[m.Inputs]:
        params, arts = _build_io_items(self._input_items(), "as_input", where=self._io_where())
        if not params and not arts:
            return None
        m = models_module()

        return m.Inputs(parameters=params or None, artifacts=arts or None)

    def _build_outputs(self) -> Optional[m.Outputs]:
        params, arts = _build_io_items(self._output_items(), "as_output", where=self._io_where())
        extra = self.outputs if _is_model(self.outputs, "Outputs") else None
        if not params and not arts and extra is None:
            return None
        m = models_module()

        if extra is not None and (extra.exit_code is not None or extra.result is not None):
            return m.Outputs(
                parameters=params or None, artifacts=arts or None, exit_code=extra.exit_code, result=extra.result
            )
        return m.Outputs(parameters=params or None, artifacts=arts or None)

    def _io_where(self) -> dict[str, Any]:
        return {"template": getattr(self, "name", None)}

    def get_parameter(self, name: str) -> Parameter:
        """A reference to this template's input parameter `name` (`{{inputs.parameters.<name>}}`)."""
        for item in self._input_items():
            if _item_name(item) == name and not isinstance(item, Artifact) and not _is_model(item, "Artifact"):
                return Parameter(name=name, value=f"{{{{inputs.parameters.{name}}}}}")
        raise KeyError(f"No input parameter named `{name}` found in template {getattr(self, 'name', None)!r}")

    def get_artifact(self, name: str) -> Artifact:
        """A reference to this template's input artifact `name` (`{{inputs.artifacts.<name>}}`)."""
        for item in self._input_items():
            if _item_name(item) == name and (isinstance(item, Artifact) or _is_model(item, "Artifact")):
                return Artifact(name=name, from_=f"{{{{inputs.artifacts.{name}}}}}")
        raise KeyError(f"No input artifact named `{name}` found in template {getattr(self, 'name', None)!r}")

    def _get_output_names(self) -> tuple[list[str], list[str]]:
        """Names of the declared output parameters and artifacts (used by Task/Step `get_parameter`)."""
        params: list[str] = []
        arts: list[str] = []
        for item in self._output_items():
            if isinstance(item, Artifact) or _is_model(item, "Artifact"):
                arts.append(item.name)
            else:
                params.append(item.name)
        return params, arts


@dataclass(kw_only=True)
class EnvMixin(BaseMixin):
    """`env` (Env kinds, model EnvVar, or dicts) and `env_from` (SecretEnvFrom/ConfigMapEnvFrom/EnvFromSource)."""

    env: Optional[Any] = None
    env_from: Optional[Any] = None

    def _build_env(self) -> Optional[list[m.EnvVar]]:
        if self.env is None:
            return None
        from hera.workflows.env import build_env

        return build_env(self.env) or None

    def _build_env_from(self) -> Optional[list[m.EnvFromSource]]:
        if self.env_from is None:
            return None
        from hera.workflows.env_from import build_env_from

        return build_env_from(self.env_from) or None

    def _env_input_parameters(self) -> list[Any]:
        """The hashed input parameters that `Env(value_from_input=...)` entries need (spec §3.11)."""
        if self.env is None:
            return []
        from hera.workflows.env import env_input_parameters

        return list(env_input_parameters(self.env))


@dataclass(kw_only=True)
class ContainerMixin(BaseMixin):
    """Container-level fields; `image` defaults to `global_config.image` read at construction."""

    image: Optional[str] = None
    image_pull_policy: Optional[Any] = None
    liveness_probe: Optional[m.Probe] = None
    ports: Optional[list[m.ContainerPort]] = None
    readiness_probe: Optional[m.Probe] = None
    startup_probe: Optional[m.Probe] = None
    stdin: Optional[bool] = None
    stdin_once: Optional[bool] = None
    termination_message_path: Optional[str] = None
    termination_message_policy: Optional[str] = None
    tty: Optional[bool] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.image is None:
            self.image = global_config.image

    def _container_fields(self) -> dict[str, Any]:
        return {
            "image": self.image,
            "image_pull_policy": _build_image_pull_policy(self.image_pull_policy),
            "liveness_probe": self.liveness_probe,
            "ports": self.ports,
            "readiness_probe": self.readiness_probe,
            "startup_probe": self.startup_probe,
            "stdin": self.stdin,
            "stdin_once": self.stdin_once,
            "termination_message_path": self.termination_message_path,
            "termination_message_policy": self.termination_message_policy,
            "tty": self.tty,
        }


def _container_body(node: Any, **fields: Any) -> dict[str, Any]:
    """The keyword arguments of a container-like model (Container, ContainerNode, ScriptTemplate) built from a
    node's ContainerMixin, EnvMixin, ResourceMixin and VolumeMountMixin fields and its args, command, lifecycle,
    security_context and working_dir; `fields` (env, volume_mounts, ...) are added as given. None is left out."""
    out = node._container_fields()
    out.update(
        args=node.args,
        command=node.command,
        env_from=node._build_env_from(),
        lifecycle=node.lifecycle,
        resources=node._build_resources(),
        resize_policy=node.resize_policy,
        restart_policy=node.restart_policy,
        security_context=node.security_context,
        volume_devices=node.volume_devices,
        working_dir=node.working_dir,
    )
    out.update(fields)
    return {k: v for k, v in out.items() if v is not None}


@dataclass(kw_only=True)
class ResourceMixin(BaseMixin):
    """`resources` (Resources or model ResourceRequirements), `resize_policy`, `restart_policy`."""

    resources: Optional[Any] = None
    resize_policy: Optional[list[m.ContainerResizePolicy]] = None
    restart_policy: Optional[str] = None

    def _build_resources(self) -> Optional[m.ResourceRequirements]:
        if self.resources is None:
            return None
        return _build_one(self.resources, "build", "resources")


@dataclass(kw_only=True)
class VolumeMixin(BaseMixin):
    """`volumes`: hera volumes or model Volumes. PVC-template `Volume`s become workflow volumeClaimTemplates."""

    volumes: Optional[Any] = None

    def _build_volumes(self) -> Optional[list[m.Volume]]:
        out = []
        for v in _listify(self.volumes):
            if _model_name(v) is not None:
                out.append(v)
                continue
            built = v._build_volume()
            if built is not None:
                out.append(built)
        return out or None

    def _get_pvc_templates(self) -> list[Any]:
        out = []
        for v in _listify(self.volumes):
            build = getattr(v, "_build_persistent_volume_claim_template", None)
            if build is not None and _model_name(v) is None:
                out.append(build())
        return out


@dataclass(kw_only=True)
class VolumeMountMixin(VolumeMixin):
    """`volume_mounts` (explicit first) plus automatic mounts of hera volumes that have a `mount_path`."""

    volume_devices: Optional[list[m.VolumeDevice]] = None
    volume_mounts: Optional[list[m.VolumeMount]] = None

    def _build_volume_mounts(self) -> Optional[list[m.VolumeMount]]:
        out = list(self.volume_mounts or [])
        for v in _listify(self.volumes):
            if _model_name(v) is None and getattr(v, "mount_path", None):
                out.append(v._build_volume_mount())
        return out or None


@dataclass(kw_only=True)
class ArgumentsMixin(BaseMixin):
    """`arguments`: model Arguments, or one-or-many Parameter/Artifact (hera or model) or dicts (§3.4)."""

    arguments: Optional[Any] = None

    _arguments_as_input: ClassVar[bool] = False

    def _argument_items(self) -> list[Any]:
        return _normalize_io(self.arguments)

    def _build_arguments(self) -> Optional[m.Arguments]:
        m = models_module()
        arguments = self.arguments
        if type(arguments) is dict and not self._arguments_as_input and not self._extra_argument_items():
            fast = _fast_dict_arguments(arguments, m)  # the common `arguments={"k": v}` form, built directly
            if fast is not None:
                return fast
        items = self._argument_items()
        if not items:
            return None
        form = "as_input" if self._arguments_as_input else "as_argument"
        params, arts = _build_io_items(items, form, where=self._arguments_where())

        return m.Arguments(parameters=params or None, artifacts=arts or None)

    def _arguments_where(self) -> dict[str, Any]:
        return {"field": "arguments"}

    def _extra_argument_items(self) -> list[Any]:
        return []


def _fast_dict_arguments(arguments: dict[str, Any], m: Any) -> Optional[m.Arguments]:
    """`models.Arguments` for a dict of plain values, or None when a value needs the general path."""
    params = []
    for key, value in arguments.items():
        if isinstance(value, (Parameter, Artifact)) or _model_name(value) is not None or not isinstance(key, str):
            return None
        params.append(m.Parameter(name=key, value=serialize(value)))
    return m.Arguments(parameters=params) if params else None


class CallableTemplateMixin:
    """Calling a template inside a DAG returns a Task, inside Steps/Parallel a Step (§3.2)."""

    name: Optional[str]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise InvalidTemplateCall(
                f"Callable Template '{self.name}' takes keyword arguments only (Task/Step fields), got {args!r}"
            )
        active = _context.active
        kind = getattr(active, "_context_kind", None)
        if kind is None:
            raise InvalidTemplateCall(
                f"Callable Template '{self.name}' is not under a Workflow, Steps, Parallel, or DAG context"
            )
        if kind == "workflow":
            raise InvalidTemplateCall(
                f"Callable Template '{self.name}' is not callable under a Workflow "
                f"(workflow {getattr(active, 'name', None) or getattr(active, 'generate_name', None)!r})"
            )
        kwargs.setdefault("name", self.name)
        if kwargs["name"] is None or self.name is None:  # a task needs a name, and so does the template it calls
            raise InvalidTemplateCall(
                f"a {type(self).__name__} template without a name cannot be called: give the template a `name`"
                f"{_context.location(getattr(active, 'name', None))}"
            )
        kwargs["template"] = self
        if kind == "dag":
            from hera.workflows.task import Task

            return Task(**kwargs)
        if kind in ("steps", "parallel"):
            from hera.workflows.steps import Step

            return Step(**kwargs)
        raise InvalidTemplateCall(f"Callable Template '{self.name}' cannot be called under a {type(active).__name__}")


# -- invocators (Task, Step) ------------------------------------------------------------------------------
@dataclass(kw_only=True)
class TemplateInvocatorSubNodeMixin(ArgumentsMixin):
    """Fields and output references shared by Task and Step."""

    name: str
    template: Optional[Any] = None
    template_ref: Optional[m.TemplateRef] = None
    inline: Optional[Any] = None
    when: Optional[str] = None
    with_items: Optional[list[Any]] = None
    with_param: Optional[Any] = None
    with_sequence: Optional[m.Sequence] = None
    continue_on: Optional[m.ContinueOn] = None
    hooks: Optional[dict[str, m.LifecycleHook]] = None
    on_exit: Optional[Any] = None

    _loop_arguments: list[Any] = field(default_factory=list, init=False, repr=False, compare=False)
    _parent_template: Optional[str] = field(default=None, init=False, repr=False, compare=False)

    _subtype: ClassVar[str] = "tasks"

    def __post_init__(self) -> None:
        super().__post_init__()
        for attr in ("template", "inline", "on_exit"):
            value = getattr(self, attr)
            if callable(value) and hasattr(value, "wrapped_function"):  # an @script function: its Script
                setattr(self, attr, value.template)
        given = sum(x is not None for x in (self.template, self.template_ref, self.inline))
        if given != 1:
            raise HeraValidationError(
                "exactly one of `template`, `template_ref` or `inline` must be given", **self._arguments_where()
            )
        for attr in ("template", "inline", "on_exit"):
            value = getattr(self, attr)
            if value is None or (attr != "inline" and isinstance(value, str)) or _model_name(value) == "Template":
                continue
            if not hasattr(value, "_build_template"):
                expected = "a template object or a models.Template"
                if attr != "inline":
                    expected = "a template name, " + expected
                raise InvalidType(
                    f"`{attr}` of {self._subtype[:-1]} {self.name!r} is a {type(value).__name__} ({value!r}); "
                    f"expected {expected}{_context.location(self._arguments_where()['template'])}"
                )
        if self.template is not None and not isinstance(self.template, str):
            self._register_template(self.template)
        if self.on_exit is not None and not isinstance(self.on_exit, str):
            self._register_template(self.on_exit)
        if self.with_items is not None or self.with_param is not None:
            self._loop_arguments = _infer_loop_arguments(self)

    def _register_template(self, template: Any) -> None:
        pieces = _context.pieces
        if not pieces or _model_name(template) is not None:
            return
        workflow = _context.workflow
        if workflow is None:
            raise SyntaxError("Not under a Workflow context")
        workflow._add_template_if_absent(template)

    def _arguments_where(self) -> dict[str, Any]:
        where = _context.where()
        template = getattr(self, "_parent_template", None) or where["template"]
        return {"workflow": where["workflow"], "template": template, "task": self.name}

    # -- output references ---------------------------------------------------------------------------
    def _ref(self, suffix: str) -> str:
        return f"{{{{{self._subtype}.{self.name}.{suffix}}}}}"

    @property
    def id(self) -> str:
        """`{{tasks.<name>.id}}`."""
        return self._ref("id")

    @property
    def ip(self) -> str:
        """`{{tasks.<name>.ip}}` (the pod IP of a daemoned task)."""
        return self._ref("ip")

    @property
    def status(self) -> str:
        """`{{tasks.<name>.status}}`."""
        return self._ref("status")

    @property
    def exit_code(self) -> str:
        """`{{tasks.<name>.exitCode}}`."""
        return self._ref("exitCode")

    @property
    def started_at(self) -> str:
        """`{{tasks.<name>.startedAt}}`."""
        return self._ref("startedAt")

    @property
    def finished_at(self) -> str:
        """`{{tasks.<name>.finishedAt}}`."""
        return self._ref("finishedAt")

    @property
    def result(self) -> str:
        """`{{tasks.<name>.outputs.result}}` (the stdout of the task)."""
        return self._ref("outputs.result")

    def _where_text(self) -> str:
        where = self._arguments_where()
        parts = [f"{k} '{v}'" for k, v in where.items() if v and k != "field"]
        return f" ({', '.join(parts)})" if parts else ""

    def _template_output_names(self, kind: str) -> tuple[list[str], list[str]]:
        template = self.template if self.template is not None else self.inline
        if template is None or isinstance(template, str):
            raise HeraValidationError(
                f"Cannot get output {kind}s of {self._subtype[:-1]} '{self.name}': its template was given by "
                f"name or reference ({template or self.template_ref!r}); pass the template object instead",
                **self._arguments_where(),
            )
        if _model_name(template) == "Template":
            outputs = template.outputs
            params = [p.name for p in (outputs.parameters or [])] if outputs else []
            arts = [a.name for a in (outputs.artifacts or [])] if outputs else []
            return params, arts
        getter = getattr(template, "_get_output_names", None)
        if getter is None:
            return [], []
        return getter()

    def get_parameter(self, name: str) -> Parameter:
        """`Parameter(name, value="{{tasks.<task>.outputs.parameters.<name>}}")`, checked against the template."""
        params, arts = self._template_output_names("parameter")
        if not params and not arts:
            raise HeraValidationError(
                f"Cannot get output parameters: template of '{self.name}' has no outputs", **self._arguments_where()
            )
        if name not in params:
            raise KeyError(
                f"No output parameter named `{name}` found in the template of '{self.name}'{self._where_text()}"
            )
        return Parameter(name=name, value=self._ref(f"outputs.parameters.{name}"))

    def get_artifact(self, name: str) -> Artifact:
        """`Artifact(name, from_="{{tasks.<task>.outputs.artifacts.<name>}}")`, checked against the template."""
        params, arts = self._template_output_names("artifact")
        if not params and not arts:
            raise HeraValidationError(
                f"Cannot get output artifacts: template of '{self.name}' has no outputs", **self._arguments_where()
            )
        if name not in arts:
            raise KeyError(
                f"No output artifact named `{name}` found in the template of '{self.name}'{self._where_text()}"
            )
        return Artifact(name=name, from_=self._ref(f"outputs.artifacts.{name}"))

    def get_parameters_as(self, name: str) -> Parameter:
        """All output parameters (JSON list) as one Parameter: `{{tasks.<task>.outputs.parameters}}`."""
        return Parameter(name=name, value=self._ref("outputs.parameters"))

    def get_result_as(self, name: str) -> Parameter:
        """The task's result as a Parameter named `name`."""
        return Parameter(name=name, value=self.result)

    def get_outputs_as_arguments(self) -> list[Union[Parameter, Artifact]]:
        """Every declared output as an argument of the same name referencing this task's output."""
        params, arts = self._template_output_names("parameter")
        out: list[Union[Parameter, Artifact]] = [
            Parameter(name=p, value=self._ref(f"outputs.parameters.{p}")) for p in params
        ]
        out.extend(Artifact(name=a, from_=self._ref(f"outputs.artifacts.{a}")) for a in arts)
        return out

    # -- building ------------------------------------------------------------------------------------
    def _argument_items(self) -> list[Any]:
        items = super()._argument_items()
        if self._loop_arguments:
            items = items + self._loop_arguments
        return items

    def _extra_argument_items(self) -> list[Any]:
        return self._loop_arguments

    def _build_with_items(self) -> Optional[list[Any]]:
        if self.with_items is None:
            return None
        return [_loop_item(x) for x in _listify(self.with_items)]

    def _build_with_param(self) -> Optional[str]:
        wp = self.with_param
        if wp is None:
            return None
        if isinstance(wp, Parameter):
            return str(wp.value)
        if isinstance(wp, str):
            return wp
        if _is_model(wp, "Parameter"):
            return wp.value
        return serialize(wp)

    def _template_name(self) -> Optional[str]:
        t = self.template
        if t is None or isinstance(t, str):
            return t
        return t.name

    def _invocator_fields(self) -> dict[str, Any]:
        inline = self.inline
        if inline is not None and _model_name(inline) is None:
            inline = inline._build_template()
        on_exit = self.on_exit
        if on_exit is not None and not isinstance(on_exit, str):
            on_exit = on_exit.name
        return {
            "name": self.name,
            "template": self._template_name(),
            "template_ref": self.template_ref,
            "inline": inline,
            "arguments": self._build_arguments(),
            "when": self.when,
            "with_items": self._build_with_items(),
            "with_param": self._build_with_param(),
            "with_sequence": self.with_sequence,
            "continue_on": self.continue_on,
            "hooks": self.hooks,
            "on_exit": on_exit,
        }


def _loop_item(x: Any) -> Any:
    if isinstance(x, Parameter):
        return x.value
    if isinstance(x, (str, int, float, bool, dict, list)) or x is None:
        return x
    return serialize(x)


def _infer_loop_arguments(node: TemplateInvocatorSubNodeMixin) -> list[Parameter]:
    """Arguments Hera adds for loops over a Python-source script (§3.5)."""
    template = node.template
    getter = getattr(template, "_get_param_input_names", None)
    if getter is None:
        return []
    input_names, required_names = getter()
    if input_names is None:
        return []
    given = {_item_name(x) for x in _normalize_io(node.arguments)}
    out: list[Parameter] = []
    if node.with_items is not None:
        items = _listify(node.with_items)
        dicts = [x for x in items if isinstance(x, dict)]
        if not dicts:
            return []
        if len(dicts) != len(items):
            raise HeraValidationError("with_items mixes dicts and other values", **node._arguments_where())
        keys = list(dicts[0].keys())
        for d in dicts[1:]:
            if set(d.keys()) != set(keys):
                raise HeraValidationError(
                    f"with_items dicts have different keys: {sorted(keys)} vs {sorted(d.keys())}",
                    **node._arguments_where(),
                )
        for k in keys:
            if k not in input_names:
                raise HeraValidationError(
                    f"with_items key {k!r} is not a parameter of template {getattr(template, 'name', None)!r}",
                    **node._arguments_where(),
                )
        if len(keys) == 1:
            if keys[0] not in given:
                out.append(Parameter(name=keys[0], value="{{item}}"))
            return out
        return [Parameter(name=k, value=f"{{{{item.{k}}}}}") for k in keys if k not in given]
    missing = [n for n in required_names if n not in given]
    if len(missing) == 1:
        return [Parameter(name=missing[0], value="{{item}}")]
    return [Parameter(name=n, value=f"{{{{item.{n}}}}}") for n in missing]


def _deepcopy_template(template: Any) -> Any:
    return copy.deepcopy(template)
