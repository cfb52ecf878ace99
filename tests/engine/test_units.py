"""Unit tests of the engine's small pure parts: naming, durations, selectors, cron schedules, image mapping,
sandbox mode choice."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from hera.engine.cron import CronError, parse_schedule
from hera.engine.durations import format_duration, parse_duration
from hera.engine.executors.images import host_argv, image_argv
from hera.engine.executors.sandbox import needs_overlay
from hera.engine.naming import display_name, fnv32a, item_description, loop_node_name, node_id
from hera.engine.selection import node_field_predicate, parse_label_selector, workflow_field_predicate
from hera.exceptions import BadRequest
from hera.shared.errors import HeraValidationError


def test_fnv32a_matches_the_reference_vectors() -> None:
    # FNV-1a 32-bit test vectors (Fowler/Noll/Vo reference)
    assert fnv32a("") == 0x811C9DC5
    assert fnv32a("a") == 0xE40C292C
    assert fnv32a("foobar") == 0xBF9CF968


def test_node_ids_and_display_names() -> None:
    assert node_id("wf", "wf") == "wf"
    assert node_id("wf", "wf[0].a") == f"wf-{fnv32a('wf[0].a')}"
    assert display_name("wf[0].print(1:hello)", "wf") == "print(1:hello)"
    assert display_name("wf[1]", "wf") == "[1]"
    assert display_name("wf.T(0)", "wf") == "T(0)"
    assert display_name("wf.onExit", None) == "wf.onExit"


def test_loop_item_descriptions_follow_argo() -> None:
    assert item_description({"name": "jesse", "group": "dev"}) == "group:dev,name:jesse"
    assert item_description("a (b)") == "a b"
    assert item_description(3) == "3"
    assert item_description(True) == "true"
    assert item_description([1, "x"]) == "[1 x]"
    assert loop_node_name("wf[0].print", 1, "hello") == "wf[0].print(1:hello)"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("2", 2.0), (5, 5.0), ("1m30s", 90.0), ("1.5h", 5400.0), ("250ms", 0.25), ("1d", 86400.0)],
)
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_bad_duration_names_the_field() -> None:
    with pytest.raises(HeraValidationError, match=r"retry\.backoff"):
        parse_duration("soon", field="retry.backoff")
    assert format_duration(90.5) == "1m30.5s"


def test_label_selectors() -> None:
    labels = {"app": "web", "tier": "front"}
    assert parse_label_selector("app=web,tier!=back")(labels)
    assert parse_label_selector("app in (web, api),!missing")(labels)
    assert not parse_label_selector("tier notin (front)")(labels)
    assert parse_label_selector("app")(labels) and not parse_label_selector("nope")(labels)
    with pytest.raises(BadRequest):
        parse_label_selector("a=b,(")


def test_field_and_node_selectors() -> None:
    wf = {"metadata": {"name": "x", "namespace": "ns"}, "status": {"phase": "Running"}}
    assert workflow_field_predicate("metadata.name=x,status.phase!=Failed")(wf)
    node = {"displayName": "approve", "phase": "Running", "inputs": {"parameters": [{"name": "p", "value": "1"}]}}
    assert node_field_predicate("displayName=approve")(node)
    assert node_field_predicate("inputs.parameters.p.value=1,phase=Running")(node)
    assert not node_field_predicate("displayName=other")(node)


def _utc(*a: int) -> float:
    return datetime(*a, tzinfo=timezone.utc).timestamp()


def test_cron_schedules() -> None:
    s = parse_schedule("*/15 9-17 * * MON-FRI")
    # Saturday 2024-06-01 10:00 → next Monday 09:00
    assert s.next_after(_utc(2024, 6, 1, 10, 0)) == _utc(2024, 6, 3, 9, 0)
    assert parse_schedule("@hourly").next_after(_utc(2024, 1, 1, 0, 30)) == _utc(2024, 1, 1, 1, 0)
    assert parse_schedule("@every 90s").next_after(100.0) == 190.0
    assert parse_schedule("0 0 1 1 *").next_after(_utc(2024, 6, 1)) == _utc(2025, 1, 1)
    # day-of-month OR day-of-week when both are restricted
    both = parse_schedule("0 0 13 * 5")
    assert both.next_after(_utc(2024, 9, 10)) == _utc(2024, 9, 13)
    tz = parse_schedule("CRON_TZ=America/New_York 0 9 * * *")
    assert tz.next_after(_utc(2024, 1, 1, 0, 0)) == _utc(2024, 1, 1, 14, 0)
    for bad in ("* * *", "61 * * * *", "@every soon", "* * * JANX *"):
        with pytest.raises(CronError):
            parse_schedule(bad)


def test_image_argv_and_host_programs() -> None:
    assert image_argv("argoproj/argosay:v2", None, ["echo", "hi"]) == ["/argosay", "echo", "hi"]
    assert image_argv("quay.io/argoproj/argosay:v2", None, None) == ["/argosay"]
    assert image_argv("alpine:3.23", None, None) == ["/bin/sh"]
    assert image_argv("busybox", None, ["echo", "x"]) == ["echo", "x"]
    assert image_argv("python:3", ["python", "-c"], ["print(1)"]) == ["python", "-c", "print(1)"]
    assert host_argv(["python3", "x.py"], "/py", "/shims") == ["/py", "x.py"]
    assert host_argv(["/argosay", "echo"], "/py", "/shims") == ["/shims/argosay", "echo"]
    assert host_argv(["cowsay", "moo"], "/py", "/shims") == ["/shims/cowsay", "moo"]


def test_overlay_is_chosen_only_when_a_template_names_paths_outside_tmp() -> None:
    assert not needs_overlay({"script": {"command": ["python"], "source": "print(1)"}})
    assert not needs_overlay({"container": {"command": ["sh", "-c", "echo x > /tmp/y; cat /etc/os-release"]}})
    assert needs_overlay({"container": {"command": ["sh", "-c", "echo x > /hello.txt"]}})
    assert needs_overlay({"container": {"command": ["true"]}, "outputs": {"artifacts": [{"name": "a", "path": "/mnt/a"}]}})
    assert needs_overlay({"container": {"command": ["true"], "volumeMounts": [{"name": "v", "mountPath": "/w"}]}})
    assert needs_overlay({"script": {"command": ["python"], "source": "open('/data/x', 'w')"}})


def test_code_directories_under_tmp_are_bound_once_and_tmp_itself_under_an_alias() -> None:
    from hera.engine.nesting import TMP_ALIAS, code_views

    binds, views = code_views(["/tmp/p/sub", "/root/p", "/tmp/p", "/tmp"])
    assert views == ["/tmp/p/sub", "/root/p", "/tmp/p", TMP_ALIAS]
    assert binds == [("/tmp/p", "/tmp/p"), ("/tmp", TMP_ALIAS)]  # /tmp/p/sub is seen through /tmp/p
    assert code_views(["/srv/code"]) == ([], ["/srv/code"])


def test_nested_engines_are_refused_on_the_parent_state_and_beyond_the_depth(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from hera.engine.nesting import ENV_DEPTH, ENV_STATE_DIR, MAX_DEPTH, check_create, check_nested

    check_nested(tmp_path)  # outside any node: nothing to refuse
    check_create("w")
    monkeypatch.setenv(ENV_DEPTH, "1")
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path))
    with pytest.raises(BadRequest, match='if __name__ == "__main__"'):
        check_nested(tmp_path)
    check_nested(tmp_path / "other")  # another state directory is the program's own business
    check_create("w")
    monkeypatch.setenv(ENV_DEPTH, str(MAX_DEPTH))
    with pytest.raises(BadRequest, match="local workflows deep"):
        check_create("w")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-02T03:04:05Z", 1704164645.0),
        ("2024-01-02T03:04:05.123456789Z", 1704164645.123456789),  # log timestamps carry nanoseconds
        ("2024-01-02T05:04:05+02:00", 1704164645.0),
        ("2024-01-02T01:04:05-0200", 1704164645.0),
        ("2024-01-02T03:04:05", 1704164645.0),
        ("2024-13-02T03:04:05Z", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_rfc3339_timestamps_parse_on_every_python(text: str, expected: float | None) -> None:
    from hera.engine.durations import parse_rfc3339

    got = parse_rfc3339(text)
    assert got == expected if expected is None else got == pytest.approx(expected, abs=1e-6)
