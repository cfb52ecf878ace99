"""Single-value models order by their value: users sort nodes by `started_at` (a Time) without unwrapping."""

from __future__ import annotations

from hera.workflows.models import IntOrString, NodeStatus


def test_nodes_sort_by_start_time() -> None:
    late = NodeStatus(id="late", name="late", type="Pod", started_at="2024-05-01T10:00:02Z")
    early = NodeStatus(id="early", name="early", type="Pod", started_at="2024-05-01T09:59:59Z")
    assert [n.id for n in sorted([late, early], key=lambda n: n.started_at)] == ["early", "late"]


def test_root_models_compare_with_values_and_each_other() -> None:
    assert IntOrString(3) < IntOrString(5) <= IntOrString(5)
    assert IntOrString(7) > 6 and IntOrString(7) >= 7
