"""`Workflow`: the root of a hera program; a context manager collecting templates, built into `models.Workflow`.

Construction stays cheap: no models, no HTTP client; the service is resolved when a server method is called.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Union

from hera.shared._global_config import global_config
from hera.shared.errors import HeraValidationError
from hera.workflows._errors import is_model_validation_error, located, relocate
from hera.workflows._light import models_module
from hera.workflows._mixins import (
    ArgumentsMixin,
    ContextMixin,
    VolumeMixin,
    _build_metrics,
    _build_one,
    _listify,
    _model_name,
)
from hera.workflows.exceptions import InvalidType
from hera.workflows.parameter import Parameter

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["Workflow"]

NAME_LIMIT = 63
_COMPLETED_PHASES = frozenset({"Succeeded", "Failed", "Error"})

_METADATA_FIELDS = (
    "name",
    "generate_name",
    "namespace",
    "labels",
    "annotations",
    "uid",
    "resource_version",
    "creation_timestamp",
    "deletion_timestamp",
    "deletion_grace_period_seconds",
    "finalizers",
    "generation",
    "managed_fields",
    "owner_references",
    "self_link",
)


def _document_kwargs(model: Any) -> dict[str, Any]:
    """`api_version`, `kind` and the metadata fields a document model sets, as keyword arguments of its class."""
    kwargs: dict[str, Any] = {"api_version": model.api_version, "kind": model.kind}
    meta = model.metadata
    if meta is not None:
        for k in _METADATA_FIELDS:
            v = getattr(meta, k, None)
            if v is not None:
                kwargs[k] = v
    return kwargs

# WorkflowSpec fields passed through as given (the others are built below)
_SPEC_PASSTHROUGH = (
    "active_deadline_seconds",
    "affinity",
    "archive_logs",
    "artifact_gc",
    "artifact_repository_ref",
    "automount_service_account_token",
    "dns_config",
    "dns_policy",
    "entrypoint",
    "executor",
    "executor_plugins",
    "hooks",
    "host_aliases",
    "host_network",
    "node_selector",
    "parallelism",
    "pod_disruption_budget",
    "pod_gc",
    "pod_metadata",
    "pod_priority_class_name",
    "pod_resources",
    "pod_spec_patch",
    "priority",
    "resource_claims",
    "scheduler_name",
    "security_context",
    "service_account_name",
    "shutdown",
    "suspend",
    "synchronization",
    "template_defaults",
    "tolerations",
    "ttl_strategy",
    "volume_claim_gc",
    "workflow_metadata",
    "workflow_template_ref",
)


class _ServiceField:
    """The `workflows_service` field: what the user gave, or a default WorkflowsService built on first access.

    Hera builds the default service when the Workflow is constructed; building it here on first access gives
    the same object to programs that read `w.workflows_service`, without importing the HTTP client (about
    0.3 s) into every program that only compiles workflows.
    """

    _slot = "_workflows_service"

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:  # dataclass asks the class for the default: none given
            return None
        svc = obj.__dict__.get(self._slot)
        if svc is None:
            from hera.workflows.service import WorkflowsService

            svc = obj.__dict__[self._slot] = WorkflowsService()
        return svc

    def __set__(self, obj: Any, value: Any) -> None:
        # the dataclass passes this descriptor itself as the default value: that means "none given"
        obj.__dict__[self._slot] = None if isinstance(value, _ServiceField) else value


def _given_service(wf: Any) -> Any:
    """The service the user set on `wf`, or None when none was given (nor built yet)."""
    return wf.__dict__.get("_workflows_service")


@dataclass(kw_only=True, eq=False)
class Workflow(ArgumentsMixin, VolumeMixin, ContextMixin):
    """An Argo Workflow. `with Workflow(...) as w:` collects the templates constructed inside it."""

    # metadata
    api_version: Optional[str] = None
    kind: Optional[str] = None
    name: Optional[str] = None
    generate_name: Optional[str] = None
    namespace: Optional[str] = None
    labels: Optional[dict[str, str]] = None
    annotations: Optional[dict[str, str]] = None
    uid: Optional[str] = None
    resource_version: Optional[str] = None
    creation_timestamp: Optional[Any] = None
    deletion_timestamp: Optional[Any] = None
    deletion_grace_period_seconds: Optional[int] = None
    finalizers: Optional[list[str]] = None
    generation: Optional[int] = None
    managed_fields: Optional[list[Any]] = None
    owner_references: Optional[list[Any]] = None
    self_link: Optional[str] = None
    # spec
    active_deadline_seconds: Optional[int] = None
    affinity: Optional[m.Affinity] = None
    archive_logs: Optional[bool] = None
    artifact_gc: Optional[m.WorkflowLevelArtifactGC] = None
    artifact_repository_ref: Optional[m.ArtifactRepositoryRef] = None
    automount_service_account_token: Optional[bool] = None
    dns_config: Optional[m.PodDNSConfig] = None
    dns_policy: Optional[str] = None
    entrypoint: Optional[str] = None
    executor: Optional[m.ExecutorConfig] = None
    executor_plugins: Optional[list[Any]] = None
    hooks: Optional[dict[str, m.LifecycleHook]] = None
    host_aliases: Optional[list[m.HostAlias]] = None
    host_network: Optional[bool] = None
    image_pull_secrets: Optional[Any] = None
    metrics: Optional[Any] = None
    node_selector: Optional[dict[str, str]] = None
    on_exit: Optional[Any] = None
    parallelism: Optional[int] = None
    pod_disruption_budget: Optional[m.PodDisruptionBudgetSpec] = None
    pod_gc: Optional[m.PodGC] = None
    pod_metadata: Optional[m.Metadata] = None
    pod_priority_class_name: Optional[str] = None
    pod_resources: Optional[Any] = None
    pod_spec_patch: Optional[str] = None
    priority: Optional[int] = None
    resource_claims: Optional[list[Any]] = None
    retry_strategy: Optional[Any] = None
    scheduler_name: Optional[str] = None
    security_context: Optional[m.PodSecurityContext] = None
    service_account_name: Optional[str] = None
    shutdown: Optional[str] = None
    suspend: Optional[bool] = None
    synchronization: Optional[m.Synchronization] = None
    template_defaults: Optional[m.Template] = None
    templates: list[Any] = field(default_factory=list)
    tolerations: Optional[list[m.Toleration]] = None
    ttl_strategy: Optional[m.TTLStrategy] = None
    volume_claim_gc: Optional[m.VolumeClaimGC] = None
    volume_claim_templates: Optional[list[m.PersistentVolumeClaim]] = None
    workflow_metadata: Optional[m.WorkflowMetadata] = None
    workflow_template_ref: Optional[m.WorkflowTemplateRef] = None
    status: Optional[Any] = None
    # hera-only
    # compare/repr off: equality and repr neither build the default service nor depend on its identity
    workflows_service: Optional[Any] = field(default=_ServiceField(), compare=False, repr=False)  # type: ignore[assignment]

    _context_kind: ClassVar[Optional[str]] = "workflow"
    _is_template: ClassVar[bool] = False

    def __post_init__(self) -> None:
        super().__post_init__()
        for attr in ("name", "generate_name"):
            value = getattr(self, attr)
            if value is not None and len(value) > NAME_LIMIT:
                raise HeraValidationError(
                    f"`{attr}` is {len(value)} characters long; Kubernetes allows at most {NAME_LIMIT}",
                    workflow=value,
                    field=attr,
                )
        if self.namespace is None:
            self.namespace = global_config.namespace
        if self.service_account_name is None:
            self.service_account_name = global_config.service_account_name
        if self.api_version is None:
            self.api_version = global_config.api_version
        if self.kind is None:
            self.kind = self._default_kind()
        self._template_index: dict[Optional[str], int] = {}
        self._indexed = 0

    @classmethod
    def _default_kind(cls) -> str:
        for klass in cls.__mro__:
            if klass.__module__.startswith("hera.workflows."):
                return klass.__name__
        return cls.__name__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Workflow):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = object.__hash__

    # -- context ---------------------------------------------------------------------------------------
    def _label(self) -> Optional[str]:
        return self.name or self.generate_name

    def __exit__(self, *exc: Any) -> None:
        super().__exit__(*exc)
        error = exc[1] if len(exc) > 1 else None
        if isinstance(error, HeraValidationError):  # name the workflow in errors raised inside its block
            relocate(error, workflow=self._label())

    def _add_sub(self, node: Any) -> Any:
        if not getattr(node, "_is_template", False):
            raise InvalidType(
                f"{type(node).__name__} cannot be added directly to workflow {self._label()!r}; "
                "put Tasks in a DAG and Steps in a Steps template"
            )
        self.templates.append(node)
        return node

    def _template_names(self) -> dict[Optional[str], int]:
        if self._indexed != len(self.templates):
            self._template_index = {getattr(t, "name", None): i for i, t in enumerate(self.templates)}
            self._indexed = len(self.templates)
        return self._template_index

    def _add_template_if_absent(self, template: Any) -> None:
        import copy

        names = self._template_names()
        if template.name in names:
            return
        self.templates.append(copy.deepcopy(template))
        names[template.name] = len(self.templates) - 1
        self._indexed = len(self.templates)

    def _arguments_where(self) -> dict[str, Any]:
        return {"workflow": self._label(), "field": "arguments"}

    # -- references ------------------------------------------------------------------------------------
    def get_parameter(self, name: str) -> Parameter:
        """`Parameter(name, value="{{workflow.parameters.<name>}}")` for a workflow argument (KeyError if none)."""
        for item in self._argument_items():
            if getattr(item, "name", None) == name and _model_name(item) != "Artifact":
                from hera.workflows.artifact import Artifact

                if not isinstance(item, Artifact):
                    return Parameter(name=name, value=f"{{{{workflow.parameters.{name}}}}}")
        raise KeyError(f"`{name}` is not a parameter in the arguments of workflow {self._label()!r}")

    # -- building --------------------------------------------------------------------------------------
    def _build_templates(self) -> tuple[list[m.Template], list[Any]]:
        templates = []
        pvcs: list[Any] = []
        pvc_names: set[Any] = set()
        for t in self.templates:
            if _model_name(t) is not None:
                templates.append(t)
                continue
            if hasattr(t, "wrapped_function") and hasattr(t, "template"):  # an @script function
                t = t.template
            if isinstance(t, dict):  # a template written as Argo's dict
                templates.append(self._template_from_dict(t, len(templates)))
                continue
            if not hasattr(t, "_build_template"):
                raise InvalidType(
                    f"templates[{len(templates)}] of workflow {self._label()!r} is a {type(t).__name__}; expected a "
                    "template (Container, Script, DAG, Steps, ...) or a models.Template"
                )
            t = t._dispatch_hooks()
            try:
                templates.append(t._build_template())
            except HeraValidationError as e:
                raise relocate(e, workflow=self._label(), template=t.name) from None
            except ValueError as e:
                if not is_model_validation_error(e):
                    raise
                raise located(e, workflow=self._label(), template=t.name) from None
            for pvc in t._get_pvc_templates():
                key = pvc.metadata.name if pvc.metadata is not None else None
                if key in pvc_names:
                    continue
                pvc_names.add(key)
                pvcs.append(pvc)
        return templates, pvcs

    def _template_from_dict(self, data: dict[str, Any], index: int) -> Any:
        m = models_module()
        try:
            return m.Template.model_validate(data)
        except ValueError as e:
            if not is_model_validation_error(e):
                raise
            raise located(e, workflow=self._label(), template=data.get("name"), prefix=f"templates[{index}]") from None

    def _build_image_pull_secrets(self) -> Optional[list[m.LocalObjectReference]]:
        if self.image_pull_secrets is None:
            return None
        m = models_module()

        out = []
        for s in _listify(self.image_pull_secrets):
            out.append(m.LocalObjectReference(name=s) if isinstance(s, str) else s)
        return out or None

    def _build_metadata(self) -> m.ObjectMeta:
        m = models_module()

        data = {k: getattr(self, k) for k in _METADATA_FIELDS}
        return m.ObjectMeta(**{k: v for k, v in data.items() if v is not None})

    def _build_spec(self) -> m.WorkflowSpec:
        m = models_module()

        templates, template_pvcs = self._build_templates()
        pvcs = list(self.volume_claim_templates or []) + self._get_pvc_templates() + template_pvcs
        on_exit = self.on_exit
        if on_exit is not None and not isinstance(on_exit, str):
            on_exit = on_exit.name
        data = {k: getattr(self, k) for k in _SPEC_PASSTHROUGH}
        data.update(
            arguments=self._build_arguments(),
            image_pull_secrets=self._build_image_pull_secrets(),
            metrics=_build_metrics(self.metrics),
            on_exit=on_exit,
            retry_strategy=_build_one(self.retry_strategy, "build") if self.retry_strategy is not None else None,
            templates=templates or None,
            volume_claim_templates=pvcs or None,
            volumes=self._build_volumes(),
        )
        return m.WorkflowSpec(**{k: v for k, v in data.items() if v is not None})

    def _build_document(self) -> Any:
        m = models_module()

        return m.Workflow(
            api_version=self.api_version,
            kind=self.kind,
            metadata=self._build_metadata(),
            spec=self._build_spec(),
            status=self.status,
        )

    def build(self) -> Any:
        """The `models.Workflow` (or template/cron model) for this object, after running pre-build hooks."""
        target = self._dispatch_hooks()
        try:
            return target._build_document()
        except HeraValidationError as e:
            raise relocate(e, workflow=target._label()) from None
        except ValueError as e:
            if not is_model_validation_error(e):
                raise
            raise located(e, workflow=target._label()) from None

    def to_dict(self) -> Any:
        """The document as a dict with Argo's camelCase keys and no `None` values."""
        return self.build().model_dump(exclude_none=True, by_alias=True, mode="json")

    def to_yaml(self, *args: Any, **kwargs: Any) -> str:
        """The document as YAML (keys ordered as Hera does, spec §3.1); extra kwargs go to the YAML dumper."""
        from hera.shared.yaml import dump

        if args:
            raise TypeError("to_yaml() takes keyword arguments only (they are passed to yaml.dump)")
        return dump(self.to_dict(), **kwargs)

    def to_file(self, output_directory: Union[Path, str] = ".", name: str = "", *args: Any, **kwargs: Any) -> Path:
        """Write the YAML to `<output_directory>/<name>.yaml` and return its absolute path."""
        stem = name or self.name or (self.generate_name or "").rstrip("-") or "workflow"
        directory = Path(output_directory)
        directory.mkdir(parents=True, exist_ok=True)
        # `<stem>.yaml`, not `with_suffix`: a dotted name such as `v1.2-release` keeps all of its parts
        path = directory / (stem if stem.endswith((".yaml", ".yml")) else f"{stem}.yaml")
        path.write_text(self.to_yaml(*args, **kwargs))
        return path.resolve()

    # -- loading ---------------------------------------------------------------------------------------
    @classmethod
    def _from_model(cls, model: Any) -> Any:
        kwargs = _document_kwargs(model)
        kwargs.update(cls._spec_kwargs(model.spec))
        status = getattr(model, "status", None)
        if status is not None:
            kwargs["status"] = status
        return cls(**kwargs)

    @classmethod
    def _spec_kwargs(cls, spec: Any) -> dict[str, Any]:
        if spec is None:
            return {}
        out: dict[str, Any] = {}
        for k in type(spec).model_fields:
            v = getattr(spec, k)
            if v is not None and k in cls.__dataclass_fields__:  # type: ignore[attr-defined]
                out[k] = v
        if "templates" in out:
            out["templates"] = list(out["templates"])
        return out

    @classmethod
    def from_dict(cls, model_dict: dict[str, Any]) -> Any:
        """Load a document dict (as produced by `to_dict`) into this class; fields hold model objects."""
        from hera import _documents

        data = model_dict
        if isinstance(data, dict) and "kind" not in data:
            data = {"kind": cls._document_kind(), **data}
        return cls._from_document(_documents.from_data(data, source="<dict>"))

    @classmethod
    def from_yaml(cls, yaml_str: str) -> Any:
        """Load a YAML (or JSON) document into this class."""
        from hera import _documents

        return cls._from_documents(_documents.from_text(yaml_str, source="<yaml>"), "<yaml>")

    @classmethod
    def from_file(cls, yaml_file: Union[Path, str]) -> Any:
        """Load a YAML file holding one document into this class."""
        from hera import _documents

        return cls._from_documents(_documents.from_file(yaml_file), str(yaml_file))

    @classmethod
    def _from_documents(cls, docs: list[Any], source: str) -> Any:
        if len(docs) != 1:
            raise HeraValidationError(f"{source}: expected exactly one document, found {len(docs)}")
        return cls._from_document(docs[0])

    @classmethod
    def _from_document(cls, doc: Any) -> Any:
        kind = cls._document_kind()
        if doc.kind != kind:
            raise HeraValidationError(
                f"expected kind {kind}, got {doc.kind!r} ({doc.source}[{doc.index}])", workflow=doc.name, field="kind"
            )
        return cls._from_model(doc.obj)

    @classmethod
    def _document_kind(cls) -> str:
        return cls._default_kind()

    # -- offline validation ----------------------------------------------------------------------------
    def validate(self, templates: Any = None) -> None:
        """Check offline what Argo's server would reject (unknown templates, cycles, undeclared inputs, names).

        Raises `hera.lint.WorkflowValidationError` naming the workflow, template and task; returns None if valid.
        `templates` (a `hera.lint.TemplateLookup`) also resolves `templateRef`/`workflowTemplateRef`.
        """
        from hera.lint import validate_workflow

        validate_workflow(self.to_dict(), templates=templates)

    def validation_problems(self, templates: Any = None) -> list[Any]:
        """Every problem `validate()` would report, as `hera.lint.Problem`s, without raising."""
        from hera.lint import lint_workflow

        return list(lint_workflow(self.to_dict(), templates=templates))

    # -- server ----------------------------------------------------------------------------------------
    def _service(self) -> Any:
        return self.workflows_service  # built on first access when none was given

    def _async_service(self) -> Any:
        svc = _given_service(self)
        import asyncio  # only async programs pay for it

        if svc is None or not asyncio.iscoroutinefunction(getattr(svc, "create_workflow", None)):
            from hera.workflows.async_service import AsyncWorkflowsService

            if svc is None:
                svc = self.workflows_service = AsyncWorkflowsService()
            else:  # a sync service: its async twin (same host, token, namespace), kept beside it
                twin = self.__dict__.get("_async_twin")
                if twin is None:
                    twin = self.__dict__["_async_twin"] = AsyncWorkflowsService.from_service(svc)
                svc = twin
        return svc

    def _require_namespace(self) -> str:
        ns = self.namespace or getattr(_given_service(self), "namespace", None)
        if not ns and _given_service(self) is None:
            from hera.workflows._client.config import default_namespace

            ns = default_namespace()  # ARGO_NAMESPACE, or "default" on the embedded engine
        if not ns:
            raise HeraValidationError("a namespace is required (set `namespace=` or global_config.namespace)",
                                      workflow=self._label(), field="namespace")
        return ns

    def create(self, wait: bool = False, poll_interval: int = 5) -> Any:
        """Submit the workflow (POST); with `wait`, poll until it completes. Sets `name` from the server."""
        m = models_module()

        ns = self._require_namespace()
        wf = self._service().create_workflow(m.WorkflowCreateRequest(workflow=self.build()), namespace=ns)
        if wf is not None and getattr(wf, "metadata", None) is not None and wf.metadata.name:
            self.name = wf.metadata.name
        if wait:
            return self.wait(poll_interval=poll_interval)
        return wf

    def wait(self, poll_interval: int = 5, timeout: Optional[float] = None) -> Any:
        """Poll the server until the workflow's phase is Succeeded, Failed or Error (Pending/Running wait)."""
        ns = self._require_namespace()
        if not self.name:
            raise HeraValidationError("cannot wait for a workflow without a name (create it first)",
                                      workflow=self._label())
        service = self._service()
        if hasattr(service, "wait_workflow"):  # watches between polls, survives server restarts
            return service.wait_workflow(self.name, namespace=ns, timeout=timeout, poll_interval=poll_interval)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wf = service.get_workflow(self.name, namespace=ns)
            if _phase(wf) in _COMPLETED_PHASES:
                return wf
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"workflow {self.name!r} did not complete within {timeout} s")
            time.sleep(poll_interval)

    def lint(self) -> Any:
        """Ask the server to lint the workflow."""
        m = models_module()

        ns = self._require_namespace()
        return self._service().lint_workflow(m.WorkflowLintRequest(workflow=self.build()), namespace=ns)

    def get_workflow_link(self) -> str:
        """`<host>/workflows/<namespace>/<name>?tab=workflow`, from the workflow's service (the same host the
        workflow is sent to; `local` for the embedded engine; credentials in the host shown as none)."""
        if not self.name:
            raise HeraValidationError("the workflow has no name yet (create it first)", workflow=self._label())
        service = self._service()
        if hasattr(service, "get_workflow_link"):
            return str(service.get_workflow_link(self.name, namespace=self._require_namespace()))
        host = getattr(service, "host", None) or global_config.host
        if not host:
            raise HeraValidationError("no host configured (global_config.host)", workflow=self._label())
        return f"{host.rstrip('/')}/workflows/{self._require_namespace()}/{self.name}?tab=workflow"

    async def async_create(self, wait: bool = True, poll_interval: int = 5) -> Any:
        """Async `create` through an AsyncWorkflowsService."""
        m = models_module()

        ns = self._require_namespace()
        svc = self._async_service()
        wf = await svc.create_workflow(m.WorkflowCreateRequest(workflow=self.build()), namespace=ns)
        if wf is not None and getattr(wf, "metadata", None) is not None and wf.metadata.name:
            self.name = wf.metadata.name
        if wait:
            return await self.async_wait(poll_interval=poll_interval)
        return wf

    async def async_wait(self, poll_interval: int = 5, timeout: Optional[float] = None) -> Any:
        """Async `wait`."""
        ns = self._require_namespace()
        svc = self._async_service()
        if hasattr(svc, "wait_workflow"):
            return await svc.wait_workflow(self.name, namespace=ns, timeout=timeout, poll_interval=poll_interval)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wf = await svc.get_workflow(self.name, namespace=ns)
            if _phase(wf) in _COMPLETED_PHASES:
                return wf
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"workflow {self.name!r} did not complete within {timeout} s")
            import asyncio

            await asyncio.sleep(poll_interval)

    async def async_lint(self) -> Any:
        """Async `lint`."""
        m = models_module()

        ns = self._require_namespace()
        return await self._async_service().lint_workflow(m.WorkflowLintRequest(workflow=self.build()), namespace=ns)


def _phase(wf: Any) -> Optional[str]:
    status = getattr(wf, "status", None)
    phase = getattr(status, "phase", None)
    return str(getattr(phase, "value", phase)) if phase is not None else None
