"""Prometheus metrics that Argo emits for a workflow or template: `Counter`, `Gauge`, `Histogram`, `Metric`.

`Label` is the model `MetricLabel` (loaded on first access so importing this module stays cheap).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hera.shared._base_mixin import BaseMixin
from hera.shared.errors import HeraValidationError

if TYPE_CHECKING:
    from hera.workflows import models as m
    from hera.workflows.models import MetricLabel as Label


def __getattr__(name: str) -> Any:
    if name == "Label":
        from hera.workflows.models import MetricLabel

        globals()["Label"] = MetricLabel
        return MetricLabel
    raise AttributeError(f"module 'hera.workflows.metrics' has no attribute {name!r}")


@dataclass(kw_only=True)
class _BaseMetric(BaseMixin):
    """What every Prometheus metric has: `name`, `help`, `labels` (one or many `Label`) and `when`."""

    name: str
    help: str
    labels: Label | list[Label] | None = None
    when: str | None = None

    def _build_labels(self) -> list[m.MetricLabel] | None:
        if self.labels is None:
            return None
        return list(self.labels) if isinstance(self.labels, list | tuple) else [self.labels]

    def _prometheus(self, **kind: Any) -> m.Prometheus:
        """`models.Prometheus` with this metric's name, help, labels and when, plus its kind (`counter=...`)."""
        from hera.workflows import models as m

        return m.Prometheus(name=self.name, help=self.help, labels=self._build_labels(), when=self.when, **kind)

    def _build_metric(self) -> m.Prometheus:
        """The model `Prometheus` entry of `metrics.prometheus`."""
        raise NotImplementedError


@dataclass(kw_only=True)
class Counter(_BaseMetric):
    """A counter increased by `value` each time the metric is emitted."""

    value: str

    def _build_metric(self) -> m.Prometheus:
        from hera.workflows import models as m

        return self._prometheus(counter=m.Counter(value=self.value))


@dataclass(kw_only=True)
class Gauge(_BaseMetric):
    """A gauge set to `value`; `realtime` emits it continuously while the node runs; `operation` (Set/Add/Sub)."""

    realtime: bool
    value: str
    operation: str | None = None

    def _build_metric(self) -> m.Prometheus:
        from hera.workflows import models as m

        return self._prometheus(gauge=m.Gauge(realtime=self.realtime, value=self.value, operation=self.operation))


@dataclass(kw_only=True)
class Histogram(_BaseMetric):
    """A histogram observing `value` into `buckets` (their upper bounds)."""

    buckets: list[float | int | m.Amount]
    value: str

    def _build_metric(self) -> m.Prometheus:
        from hera.workflows import models as m

        return self._prometheus(histogram=m.Histogram(buckets=[_bucket(b) for b in self.buckets], value=self.value))


def _bucket(value: Any) -> Any:
    """Bucket bounds are floats in Argo's schema: `1` is rendered `1.0`, as Hera does."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


@dataclass(kw_only=True)
class Metric(_BaseMetric):
    """A metric given by its model parts: one of `counter`, `gauge` or `histogram` (models)."""

    counter: m.Counter | None = None
    gauge: m.Gauge | None = None
    histogram: m.Histogram | None = None

    def _build_metric(self) -> m.Prometheus:
        return self._prometheus(counter=self.counter, gauge=self.gauge, histogram=self.histogram)


@dataclass(kw_only=True)
class Metrics(BaseMixin):
    """A group of metrics (hera metric classes or model `Prometheus` entries)."""

    metrics: list[_BaseMetric | m.Prometheus]

    def _build_metrics(self) -> list[m.Prometheus]:
        """The `metrics.prometheus` list."""
        return _build_prometheus_list(self.metrics)


def _build_prometheus_list(items: Any) -> list[m.Prometheus]:
    from hera.workflows import models as m

    out: list[m.Prometheus] = []
    for item in items if isinstance(items, list | tuple) else [items]:
        if isinstance(item, _BaseMetric):
            out.append(item._build_metric())
        elif isinstance(item, Metrics):
            out.extend(item._build_metrics())
        elif isinstance(item, m.Prometheus):
            out.append(item)
        elif isinstance(item, m.Metrics):
            out.extend(item.prometheus or [])
        else:
            raise HeraValidationError(
                f"unsupported metric of type {type(item).__name__}; expected Counter, Gauge, Histogram, "
                "Metric, Metrics, models.Prometheus or models.Metrics",
                field="metrics",
            )
    return out


def build_metrics(metrics: Any) -> m.Metrics | None:
    """Normalise a `metrics` argument (one or many of the kinds above, or `models.Metrics`) to `models.Metrics`;
    None, or no metric at all, gives None (nothing to emit)."""
    if metrics is None:
        return None
    from hera.workflows import models as m

    if isinstance(metrics, m.Metrics):
        return metrics
    prometheus = _build_prometheus_list(metrics)
    return m.Metrics(prometheus=prometheus) if prometheus else None


__all__ = ["Counter", "Gauge", "Histogram", "Label", "Metric", "Metrics"]
