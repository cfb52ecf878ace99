"""`ClusterWorkflowTemplate`: a cluster-scoped WorkflowTemplate (never namespaced)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from hera.shared.errors import HeraValidationError
from hera.workflows.workflow_template import WorkflowTemplate

__all__ = ["ClusterWorkflowTemplate"]


@dataclass(kw_only=True)
class ClusterWorkflowTemplate(WorkflowTemplate):
    """An Argo ClusterWorkflowTemplate; `namespace` must stay None (also when `global_config.namespace` is set)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.namespace is not None:
            raise HeraValidationError(
                "a ClusterWorkflowTemplate is not namespaced; remove `namespace` (and global_config.namespace)",
                workflow=self._label(),
                field="namespace",
            )

    def _build_document(self) -> Any:
        from hera.workflows import models as m

        return m.ClusterWorkflowTemplate(
            api_version=self.api_version, kind=self.kind, metadata=self._build_metadata(), spec=self._build_spec()
        )

    def _ns(self) -> Optional[str]:
        return None

    def _create(self, service: Any, ns: Optional[str]) -> Any:
        from hera.workflows import models as m

        return service.create_cluster_workflow_template(
            m.ClusterWorkflowTemplateCreateRequest(template=self.build())
        )

    def _get(self, service: Any, ns: Optional[str]) -> Any:
        return service.get_cluster_workflow_template(self.name)

    def _update(self, service: Any, ns: Optional[str], template: Any) -> Any:
        from hera.workflows import models as m

        return service.update_cluster_workflow_template(
            self.name, m.ClusterWorkflowTemplateUpdateRequest(template=template)
        )

    def _lint(self, service: Any, ns: Optional[str]) -> Any:
        from hera.workflows import models as m

        return service.lint_cluster_workflow_template(m.ClusterWorkflowTemplateLintRequest(template=self.build()))
