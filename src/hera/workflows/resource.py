"""`Resource`: a template that creates/patches/deletes a Kubernetes resource from a manifest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from hera.workflows._mixins import CallableTemplateMixin, IOMixin, TemplateMixin

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["Resource"]


@dataclass(kw_only=True)
class Resource(CallableTemplateMixin, IOMixin, TemplateMixin):
    """A `resource:` template. `manifest` is a YAML string or a hera Workflow/WorkflowTemplate/CronWorkflow."""

    action: str
    manifest: Optional[Any] = None
    manifest_from: Optional[m.ManifestFrom] = None
    success_condition: Optional[str] = None
    failure_condition: Optional[str] = None
    flags: Optional[list[str]] = None
    merge_strategy: Optional[str] = None
    set_owner_reference: Optional[bool] = None

    def _build_manifest(self) -> Optional[str]:
        manifest = self.manifest
        if manifest is None or isinstance(manifest, str):
            return manifest
        to_yaml = getattr(manifest, "to_yaml", None)
        if to_yaml is None:
            return str(manifest)
        return to_yaml().replace("'{{", "{{").replace("}}'", "}}")

    def _build_template(self) -> m.Template:
        from hera.workflows import models as m

        resource = m.ResourceTemplate(
            action=self.action,
            manifest=self._build_manifest(),
            manifest_from=self.manifest_from,
            success_condition=self.success_condition,
            failure_condition=self.failure_condition,
            flags=self.flags,
            merge_strategy=self.merge_strategy,
            set_owner_reference=self.set_owner_reference,
        )
        return self._make_template(resource=resource, inputs=self._build_inputs(), outputs=self._build_outputs())
