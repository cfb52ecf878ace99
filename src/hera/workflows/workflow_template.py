"""`WorkflowTemplate`: a stored, reusable workflow spec; its arguments keep `default`/`enum` (input form)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from hera.shared.errors import HeraValidationError
from hera.workflows.workflow import _METADATA_FIELDS, _SPEC_PASSTHROUGH, Workflow

__all__ = ["WorkflowTemplate"]

_GENERATE_NAME_LIMIT = 58


@dataclass(kw_only=True)
class WorkflowTemplate(Workflow):
    """An Argo WorkflowTemplate (`status` must stay None)."""

    _arguments_as_input: ClassVar[bool] = True

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.status is not None:
            raise HeraValidationError("a WorkflowTemplate cannot have a `status`", workflow=self._label(), field="status")

    def _build_document(self) -> Any:
        from hera.workflows import models as m

        return m.WorkflowTemplate(
            api_version=self.api_version, kind=self.kind, metadata=self._build_metadata(), spec=self._build_spec()
        )

    # -- server ----------------------------------------------------------------------------------------
    def _create(self, service: Any, ns: Optional[str]) -> Any:
        from hera.workflows import models as m

        return service.create_workflow_template(m.WorkflowTemplateCreateRequest(template=self.build()), namespace=ns)

    def _get(self, service: Any, ns: Optional[str]) -> Any:
        return service.get_workflow_template(self.name, namespace=ns)

    def _update(self, service: Any, ns: Optional[str], template: Any) -> Any:
        from hera.workflows import models as m

        return service.update_workflow_template(
            self.name, m.WorkflowTemplateUpdateRequest(template=template), namespace=ns
        )

    def _lint(self, service: Any, ns: Optional[str]) -> Any:
        from hera.workflows import models as m

        return service.lint_workflow_template(m.WorkflowTemplateLintRequest(template=self.build()), namespace=ns)

    def _ns(self) -> Optional[str]:
        return self._require_namespace()

    def create(self) -> Any:  # type: ignore[override]
        """Create the template on the server."""
        return self._create(self._service(), self._ns())

    def get(self) -> Any:
        """Fetch the stored template from the server."""
        return self._get(self._service(), self._ns())

    def update(self) -> Any:
        """Update the stored template (fetching its resourceVersion first); create it if it does not exist."""
        from hera.exceptions import NotFound

        service, ns = self._service(), self._ns()
        try:
            current = self._get(service, ns)
        except NotFound:
            return self._create(service, ns)
        template = self.build()
        template.metadata.resource_version = current.metadata.resource_version
        return self._update(service, ns, template)

    def lint(self) -> Any:
        """Ask the server to lint the template."""
        return self._lint(self._service(), self._ns())

    async def async_create(self) -> Any:  # type: ignore[override]
        """Async `create`."""
        return await self._create(self._async_service(), self._ns())

    async def async_get(self) -> Any:
        """Async `get`."""
        return await self._get(self._async_service(), self._ns())

    async def async_update(self) -> Any:
        """Async `update`."""
        from hera.exceptions import NotFound

        service, ns = self._async_service(), self._ns()
        try:
            current = await self._get(service, ns)
        except NotFound:
            return await self._create(service, ns)
        template = self.build()
        template.metadata.resource_version = current.metadata.resource_version
        return await self._update(service, ns, template)

    async def async_lint(self) -> Any:
        """Async `lint`."""
        return await self._lint(self._async_service(), self._ns())

    def _get_as_workflow(self, generate_name: Optional[str] = None) -> Workflow:
        kwargs: dict[str, Any] = {k: getattr(self, k) for k in _SPEC_PASSTHROUGH}
        for k in _METADATA_FIELDS:
            kwargs[k] = getattr(self, k)
        kwargs.update(
            name=None,
            generate_name=generate_name or (self.name or "")[:_GENERATE_NAME_LIMIT],
            resource_version=None,
            uid=None,
            arguments=self.arguments,
            image_pull_secrets=self.image_pull_secrets,
            metrics=self.metrics,
            on_exit=self.on_exit,
            retry_strategy=self.retry_strategy,
            templates=list(self.templates),
            volume_claim_templates=self.volume_claim_templates,
            volumes=self.volumes,
            workflows_service=self.workflows_service,
            api_version=self.api_version,
        )
        return Workflow(**kwargs)

    def create_as_workflow(self, generate_name: Optional[str] = None, wait: bool = False, poll_interval: int = 5) -> Any:
        """Submit a Workflow built from this template's spec (generateName = the template name, ≤ 58 chars)."""
        return self._get_as_workflow(generate_name).create(wait=wait, poll_interval=poll_interval)
