"""`Data`: a template that reads a data source (e.g. an artifact bucket listing) and transforms it with expr."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hera.workflows._mixins import CallableTemplateMixin, IOMixin, TemplateMixin, _model_name
from hera.workflows.artifact import Artifact

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["Data"]


@dataclass(kw_only=True)
class Data(CallableTemplateMixin, IOMixin, TemplateMixin):
    """A `data:` template; `source` is a DataSource, ArtifactPaths or an Artifact, each transformation a string."""

    source: Any
    transformations: list[Any] = field(default_factory=list)

    def _build_source(self) -> m.DataSource:
        from hera.workflows import models as m

        source = self.source
        if isinstance(source, Artifact):
            built = source._build_artifact().model_dump(by_alias=True, exclude_none=True)
            return m.DataSource(artifact_paths=m.ArtifactPaths.model_validate(built))
        if _model_name(source) == "ArtifactPaths":
            return m.DataSource(artifact_paths=source)
        return source

    def _build_template(self) -> m.Template:
        from hera.workflows import models as m

        data = m.Data(
            source=self._build_source(),
            transformation=[m.TransformationStep(expression=str(t)) for t in self.transformations],
        )
        return self._make_template(data=data, inputs=self._build_inputs(), outputs=self._build_outputs())
