"""`CronWorkflow`: a workflow run on cron schedules; Workflow spec fields go under `spec.workflowSpec`."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Optional

from hera.shared._global_config import global_config
from hera.shared.errors import HeraValidationError
from hera.workflows.workflow import Workflow, _document_kwargs

__all__ = ["CronWorkflow"]

_SCHEDULE_WARNING = (
    "CronWorkflowSpec.schedule was removed in Argo Workflows v4; use `schedules=[...]` instead. "
    "Hera will translate this for you in v7 but will remove the shim in v8."
)

_UPDATE_ATTEMPTS = 3  # update(): a GET then a PUT, again if the controller modified the object in between

_CRON_SPEC_FIELDS = (
    "schedules",
    "timezone",
    "concurrency_policy",
    "starting_deadline_seconds",
    "successful_jobs_history_limit",
    "failed_jobs_history_limit",
    "stop_strategy",
    "when",
)


@dataclass(kw_only=True)
class CronWorkflow(Workflow):
    """An Argo CronWorkflow. `schedule=` is a deprecated shim appended to `schedules`."""

    schedules: Optional[list[str]] = None
    schedule: Optional[str] = None
    timezone: Optional[str] = None
    concurrency_policy: Optional[str] = None
    starting_deadline_seconds: Optional[int] = None
    successful_jobs_history_limit: Optional[int] = None
    failed_jobs_history_limit: Optional[int] = None
    stop_strategy: Optional[Any] = None
    when: Optional[str] = None
    cron_suspend: Optional[bool] = None
    cron_status: Optional[Any] = None
    # hera-only: `spec.workflowMetadata` of the CronWorkflow (labels/annotations of the workflows it creates);
    # the inherited `workflow_metadata` is `spec.workflowSpec.workflowMetadata`
    cron_workflow_metadata: Optional[Any] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.schedule is not None:
            warnings.warn(_SCHEDULE_WARNING, DeprecationWarning, stacklevel=3)
            self.schedules = [*(self.schedules or []), self.schedule]
            self.schedule = None

    def _build_document(self) -> Any:
        from hera.workflows import models as m

        if not self.schedules:
            raise HeraValidationError("a CronWorkflow needs at least one schedule", workflow=self._label(),
                                      field="schedules")
        data = {k: getattr(self, k) for k in _CRON_SPEC_FIELDS}
        data["suspend"] = self.cron_suspend
        data["workflow_metadata"] = self.cron_workflow_metadata
        data["workflow_spec"] = self._build_spec()
        spec = m.CronWorkflowSpec(**{k: v for k, v in data.items() if v is not None})
        return m.CronWorkflow(
            api_version=self.api_version,
            kind=self.kind,
            metadata=self._build_metadata(),
            spec=spec,
            status=self.cron_status,
        )

    @classmethod
    def _from_model(cls, model: Any) -> Any:
        kwargs = _document_kwargs(model)
        spec = model.spec
        if spec is not None:
            kwargs.update(cls._spec_kwargs(spec.workflow_spec))
            for k in _CRON_SPEC_FIELDS:
                v = getattr(spec, k, None)
                if v is not None:
                    kwargs[k] = v
            if spec.suspend is not None:
                kwargs["cron_suspend"] = spec.suspend
            if spec.workflow_metadata is not None:
                kwargs["cron_workflow_metadata"] = spec.workflow_metadata
        if getattr(model, "status", None) is not None:
            kwargs["cron_status"] = model.status
        return cls(**kwargs)

    # -- server ----------------------------------------------------------------------------------------
    def create(self) -> Any:  # type: ignore[override]
        """Create the CronWorkflow on the server."""
        from hera.workflows import models as m

        return self._service().create_cron_workflow(
            m.CreateCronWorkflowRequest(cron_workflow=self.build()), namespace=self._require_namespace()
        )

    def get(self) -> Any:
        """Fetch the stored CronWorkflow."""
        return self._service().get_cron_workflow(self.name, namespace=self._require_namespace())

    def update(self) -> Any:
        """Update the stored CronWorkflow (fetching its resourceVersion first); create it if it does not exist.

        The cron controller writes the object's status too (its phase, last run), so a conflict between the
        GET and the PUT is retried with the new resourceVersion (`_UPDATE_ATTEMPTS` times)."""
        from hera.exceptions import AlreadyExists, NotFound
        from hera.workflows import models as m

        ns = self._require_namespace()
        for attempt in range(_UPDATE_ATTEMPTS):
            try:
                current = self._service().get_cron_workflow(self.name, namespace=ns)
            except NotFound:
                return self.create()
            cron = self.build()
            cron.metadata.resource_version = current.metadata.resource_version
            try:
                return self._service().update_cron_workflow(
                    self.name, m.UpdateCronWorkflowRequest(cron_workflow=cron), namespace=ns
                )
            except AlreadyExists:  # 409: modified since the GET
                if attempt == _UPDATE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def lint(self) -> Any:
        """Ask the server to lint the CronWorkflow."""
        from hera.workflows import models as m

        return self._service().lint_cron_workflow(
            m.LintCronWorkflowRequest(cron_workflow=self.build()), namespace=self._require_namespace()
        )

    async def async_create(self) -> Any:  # type: ignore[override]
        """Async `create`."""
        from hera.workflows import models as m

        return await self._async_service().create_cron_workflow(
            m.CreateCronWorkflowRequest(cron_workflow=self.build()), namespace=self._require_namespace()
        )

    async def async_get(self) -> Any:
        """Async `get`."""
        return await self._async_service().get_cron_workflow(self.name, namespace=self._require_namespace())

    async def async_update(self) -> Any:
        """Async `update`."""
        from hera.exceptions import AlreadyExists, NotFound
        from hera.workflows import models as m

        ns = self._require_namespace()
        svc = self._async_service()
        for attempt in range(_UPDATE_ATTEMPTS):
            try:
                current = await svc.get_cron_workflow(self.name, namespace=ns)
            except NotFound:
                return await self.async_create()
            cron = self.build()
            cron.metadata.resource_version = current.metadata.resource_version
            try:
                return await svc.update_cron_workflow(
                    self.name, m.UpdateCronWorkflowRequest(cron_workflow=cron), namespace=ns
                )
            except AlreadyExists:  # 409: the controller wrote the status since the GET
                if attempt == _UPDATE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def async_lint(self) -> Any:  # type: ignore[override]
        """Async `lint`."""
        from hera.workflows import models as m

        return await self._async_service().lint_cron_workflow(
            m.LintCronWorkflowRequest(cron_workflow=self.build()), namespace=self._require_namespace()
        )

    def get_workflow_link(self) -> str:
        """`<host>/cron-workflows/<namespace>/<name>`, from the CronWorkflow's service (as `Workflow`'s link)."""
        service = self._service()
        if hasattr(service, "get_cron_workflow_link"):
            return str(service.get_cron_workflow_link(self.name, namespace=self._require_namespace()))
        host = getattr(service, "host", None) or global_config.host
        if not host:
            raise HeraValidationError("no host configured (global_config.host)", workflow=self._label())
        return f"{host.rstrip('/')}/cron-workflows/{self._require_namespace()}/{self.name}"
