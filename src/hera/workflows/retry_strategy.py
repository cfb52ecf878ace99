"""`RetryStrategy` and `RetryPolicy`: how often and on which failures Argo retries a template or workflow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hera.shared._base_mixin import BaseMixin
from hera.workflows._str_enum import _StrEnum

if TYPE_CHECKING:
    from hera.workflows import models as m


class RetryPolicy(_StrEnum):
    """Which failed node phases are retried; `str()` is Argo's spelling."""

    always = "Always"
    on_failure = "OnFailure"
    on_error = "OnError"
    on_transient_error = "OnTransientError"


@dataclass(kw_only=True)
class RetryStrategy(BaseMixin):
    """Argo's `retryStrategy`: `limit` (int, str or `IntOrString`, kept as given), `retry_policy`,
    `backoff` (`models.Backoff`), `expression` and `affinity` (`models.RetryAffinity`).
    """

    affinity: m.RetryAffinity | None = None
    backoff: m.Backoff | None = None
    expression: str | None = None
    limit: int | str | m.IntOrString | None = None
    retry_policy: str | RetryPolicy | None = None

    def build(self) -> m.RetryStrategy:
        """The model `RetryStrategy`; an enum policy becomes its value, a string is passed as given."""
        from hera.workflows import models as m

        policy: Any = self.retry_policy
        if isinstance(policy, RetryPolicy):
            policy = policy.value
        return m.RetryStrategy(
            affinity=self.affinity,
            backoff=self.backoff,
            expression=self.expression,
            limit=self.limit,
            retry_policy=policy,
        )


__all__ = ["RetryPolicy", "RetryStrategy"]
