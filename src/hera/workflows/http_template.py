"""`HTTP`: a template that performs an HTTP request from the workflow controller (no pod)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from hera.workflows._mixins import CallableTemplateMixin, IOMixin, TemplateMixin

if TYPE_CHECKING:
    from hera.workflows import models as m

__all__ = ["HTTP"]


@dataclass(kw_only=True)
class HTTP(CallableTemplateMixin, IOMixin, TemplateMixin):
    """An `http:` template."""

    url: str
    method: Optional[str] = None
    headers: Optional[list[m.V1alpha1HTTPHeader]] = None
    body: Optional[str] = None
    body_from: Optional[m.HTTPBodySource] = None
    success_condition: Optional[str] = None
    insecure_skip_verify: Optional[bool] = None
    timeout_seconds: Optional[int] = None

    def _build_template(self) -> m.Template:
        from hera.workflows import models as m

        http = m.HTTP(
            url=self.url,
            method=self.method,
            headers=self.headers,
            body=self.body,
            body_from=self.body_from,
            success_condition=self.success_condition,
            insecure_skip_verify=self.insecure_skip_verify,
            timeout_seconds=self.timeout_seconds,
        )
        return self._make_template(http=http, inputs=self._build_inputs(), outputs=self._build_outputs())
