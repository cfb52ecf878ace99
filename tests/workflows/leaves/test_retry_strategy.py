"""RetryStrategy / RetryPolicy build the `retryStrategy` blocks of acceptance program 20."""

from __future__ import annotations

from hera.workflows import models as m
from hera.workflows.retry_strategy import RetryPolicy, RetryStrategy
from tests.workflows.leaves._expected import dump, spec, template

STEM = "20_retry_timeouts"


def test_full_strategy_matches_hera() -> None:
    r = RetryStrategy(
        limit=5,
        retry_policy=RetryPolicy.on_transient_error,
        backoff=m.Backoff(duration="10s", factor=2, max_duration="5m"),
        expression="lastRetry.status == 'Error'",
    )
    assert dump(r.build()) == template(STEM, "fetch-forecast")["retryStrategy"]


def test_string_limit_and_policy_stay_strings() -> None:
    r = RetryStrategy(limit="3", retry_policy="OnFailure")
    assert dump(r.build()) == template(STEM, "parse-forecast")["retryStrategy"]


def test_int_limit_stays_int() -> None:
    assert dump(RetryStrategy(limit=2).build()) == spec(STEM)["retryStrategy"]


def test_int_or_string_limit_and_affinity() -> None:
    r = RetryStrategy(
        limit=m.IntOrString(root="{{inputs.parameters.n}}"),
        affinity=m.RetryAffinity(node_anti_affinity=m.RetryNodeAntiAffinity()),
    )
    assert dump(r.build()) == {"limit": "{{inputs.parameters.n}}", "affinity": {"nodeAntiAffinity": {}}}


def test_retry_policy_values() -> None:
    assert {p.name: str(p) for p in RetryPolicy} == {
        "always": "Always",
        "on_failure": "OnFailure",
        "on_error": "OnError",
        "on_transient_error": "OnTransientError",
    }
    assert f"{RetryPolicy.on_error}" == "OnError"
