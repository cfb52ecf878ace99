"""Counter, Gauge, Histogram, Metric, Metrics and Label build the metrics of acceptance program 29."""

from __future__ import annotations

import pytest

from hera.shared.errors import HeraValidationError
from hera.workflows import models as m
from hera.workflows.metrics import Counter, Gauge, Histogram, Label, Metric, Metrics, build_metrics
from tests.workflows.leaves._expected import dump, spec, template

STEM = "29_metrics"


def test_workflow_counter_and_gauge_match_hera() -> None:
    metrics = Metrics(
        metrics=[
            Counter(
                name="probe_runs_total",
                help="Probe executions",
                value="1",
                labels=[Label(key="service", value="checkout")],
            ),
            Gauge(name="probe_workflow_seconds", help="Workflow duration", realtime=True, value="{{workflow.duration}}"),
        ]
    )
    assert [dump(x) for x in metrics._build_metrics()] == spec(STEM)["metrics"]["prometheus"]


def test_template_histogram_counter_when_and_raw_prometheus_match_hera() -> None:
    raw = m.Prometheus(
        name="probe_status",
        help="Probe status",
        counter=m.Counter(value="1"),
        labels=[Label(key="status", value="{{status}}")],
    )
    built = build_metrics(
        [
            Histogram(
                name="probe_latency_seconds", help="Probe latency", buckets=[0.1, 0.5, 1.0, 5.0], value="{{duration}}"
            ),
            Counter(name="probe_failures_total", help="Failed probes", value="1", when="{{status}} == Failed"),
            raw,
        ]
    )
    assert built is not None
    assert dump(built) == template(STEM, "probe-endpoint")["metrics"]


def test_gauge_with_operation_matches_hera() -> None:
    g = Gauge(name="checkout_queue_depth", help="Queue depth seen by the probe", realtime=False, value="42", operation="Set")
    assert [dump(g._build_metric())] == template(STEM, "queue-probe")["metrics"]["prometheus"]


def test_integer_buckets_become_floats() -> None:
    h = Histogram(name="h", help="h", buckets=[1, 2.5], value="1")
    buckets = dump(h._build_metric())["histogram"]["buckets"]
    assert buckets == [1.0, 2.5] and all(isinstance(b, float) for b in buckets)


def test_generic_metric_and_single_label() -> None:
    metric = Metric(name="x", help="h", gauge=m.Gauge(realtime=False, value="1"), labels=Label(key="k", value="v"))
    assert dump(metric._build_metric()) == {
        "name": "x",
        "help": "h",
        "labels": [{"key": "k", "value": "v"}],
        "gauge": {"realtime": False, "value": "1"},
    }


def test_label_is_the_model() -> None:
    assert Label is m.MetricLabel


def test_build_metrics_forms() -> None:
    assert build_metrics(None) is None
    raw = m.Metrics(prometheus=[m.Prometheus(name="a", help="b")])
    assert build_metrics(raw) is raw
    single = build_metrics(Counter(name="c", help="h", value="1"))
    assert single is not None and [p.name for p in single.prometheus] == ["c"]
    nested = build_metrics([Metrics(metrics=[Counter(name="c", help="h", value="1")]), raw])
    assert nested is not None and [p.name for p in nested.prometheus] == ["c", "a"]
    with pytest.raises(HeraValidationError, match="unsupported metric of type str"):
        build_metrics(["counter"])


def test_required_fields() -> None:
    with pytest.raises(TypeError):
        Counter(name="c", help="h")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Gauge(name="g", help="h", value="1")  # type: ignore[call-arg]
