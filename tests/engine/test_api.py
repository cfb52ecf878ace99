"""The Engine facade the REST server and the CLI use: every method, its errors, resource versions."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from hera.engine import Engine
from hera.exceptions import AlreadyExists, BadRequest, NotFound
from tests.engine.helpers import load, nodes_by_display, run

HELLO = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hello-, labels: {team: a}}
spec:
  entrypoint: main
  arguments: {parameters: [{name: msg, value: hi}]}
  templates:
  - name: main
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [sh, -c, "echo {{inputs.parameters.msg}}; echo second line"]}
"""

TEMPLATE = """
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: tmpl, labels: {kind: lib}}
spec:
  entrypoint: main
  arguments: {parameters: [{name: msg, value: from-template}]}
  templates:
  - name: main
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine:3.23, command: [echo, "{{inputs.parameters.msg}}"]}
  - name: other
    container: {image: alpine:3.23, command: [echo, other]}
"""


def test_create_get_and_resource_versions(engine: Engine) -> None:
    wf = engine.create_workflow("default", load(HELLO))
    meta = wf["metadata"]
    assert meta["name"].startswith("hello-") and len(meta["name"]) == len("hello-") + 5
    assert meta["uid"] and meta["creationTimestamp"] and meta["namespace"] == "default"
    assert wf["status"]["phase"] == "Pending"
    rv0 = int(meta["resourceVersion"])
    done = engine.wait_workflow("default", meta["name"], timeout=30)
    assert int(done["metadata"]["resourceVersion"]) > rv0
    assert done["metadata"]["labels"]["workflows.argoproj.io/completed"] == "true"
    assert done["status"]["progress"] == "1/1"
    assert done["status"]["startedAt"] and done["status"]["finishedAt"]
    with pytest.raises(NotFound):
        engine.get_workflow("default", "no-such-workflow")
    with pytest.raises(NotFound):
        engine.get_workflow("other-namespace", meta["name"])


def test_create_errors_and_dry_run(engine: Engine) -> None:
    doc = load(HELLO)
    doc["metadata"] = {"name": "fixed-name"}
    dry = engine.create_workflow("default", doc, dry_run=True)
    assert dry["metadata"]["name"] == "fixed-name"
    with pytest.raises(NotFound):
        engine.get_workflow("default", "fixed-name")
    engine.create_workflow("default", doc)
    with pytest.raises(AlreadyExists):
        engine.create_workflow("default", doc)
    with pytest.raises(BadRequest, match=r"entrypoint|template"):
        engine.create_workflow("default", {"metadata": {"generateName": "x-"}, "spec": {"entrypoint": "nope", "templates": []}})
    with pytest.raises(BadRequest):
        engine.create_workflow("default", {"kind": "Pod", "metadata": {"name": "x"}, "spec": {}})
    assert engine.lint_workflow("default", load(HELLO))["spec"]["entrypoint"] == "main"
    with pytest.raises(BadRequest):
        engine.lint_workflow("default", {"metadata": {"name": "x"}, "spec": {"entrypoint": "nope", "templates": []}})


def test_list_selectors_and_pages(engine: Engine) -> None:
    names = []
    for i in range(3):
        doc = load(HELLO)
        doc["metadata"]["labels"] = {"batch": "page", "n": str(i)}
        names.append(engine.create_workflow("pages", doc)["metadata"]["name"])
    for n in names:
        engine.wait_workflow("pages", n, timeout=30)
    items, token = engine.list_workflows("pages", label_selector="batch=page", limit=2)
    assert len(items) == 2 and token is not None
    rest, token2 = engine.list_workflows("pages", label_selector="batch=page", limit=2, continue_=token)
    assert len(rest) == 1 and token2 is None
    assert {w["metadata"]["name"] for w in items + rest} == set(names)
    assert items[0]["status"]["nodes"]
    only, _ = engine.list_workflows("pages", field_selector=f"metadata.name={names[1]}")
    assert [w["metadata"]["name"] for w in only] == [names[1]]
    assert engine.list_workflows("pages", label_selector="n in (0,2)")[0].__len__() == 2
    everywhere, _ = engine.list_workflows(None, label_selector="batch=page")
    assert len(everywhere) == 3


def test_logs_with_selection_grep_tail_and_follow(engine: Engine) -> None:
    wf = run(engine, HELLO)
    name = wf["metadata"]["name"]
    lines = list(engine.workflow_logs("default", name))
    assert [e["content"] for e in lines] == ["hi", "second line"]
    assert lines[0]["podName"] == name
    assert [e["content"] for e in engine.workflow_logs("default", name, grep="sec")] == ["second line"]
    assert [e["content"] for e in engine.workflow_logs("default", name, tail_lines=1)] == ["second line"]
    assert list(engine.workflow_logs("default", name, pod_name="nobody")) == []
    slow = load(HELLO)
    slow["spec"]["templates"][0]["container"]["command"] = ["sh", "-c", "echo one; sleep 0.5; echo two"]
    name2 = engine.create_workflow("default", slow)["metadata"]["name"]
    followed = [e["content"] for e in engine.workflow_logs("default", name2, follow=True)]
    assert followed == ["one", "two"]


def test_watch_reports_added_modified_and_deleted(engine: Engine) -> None:
    events: list[tuple[str, str, str]] = []
    stop = threading.Event()

    def watch() -> None:
        for ev in engine.watch_workflows("watched"):
            obj = ev["object"]
            events.append((ev["type"], obj["metadata"]["name"], obj.get("status", {}).get("phase", "")))
            if ev["type"] == "DELETED" or stop.is_set():
                return

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    time.sleep(0.3)
    name = engine.create_workflow("watched", load(HELLO))["metadata"]["name"]
    engine.wait_workflow("watched", name, timeout=30)
    time.sleep(0.5)
    engine.delete_workflow("watched", name)
    t.join(timeout=10)
    stop.set()
    kinds = [e[0] for e in events if e[1] == name]
    assert kinds[0] == "ADDED" and "MODIFIED" in kinds and kinds[-1] == "DELETED"
    assert ("MODIFIED", name, "Succeeded") in events


def test_delete_removes_workflow_nodes_and_logs(engine: Engine) -> None:
    wf = run(engine, HELLO)
    name, uid = wf["metadata"]["name"], wf["metadata"]["uid"]
    assert (engine.state_dir / "logs" / uid).exists()
    engine.delete_workflow("default", name)
    with pytest.raises(NotFound):
        engine.get_workflow("default", name)
    assert not (engine.state_dir / "logs" / uid).exists()
    with pytest.raises(NotFound):
        engine.delete_workflow("default", name)


def test_workflow_template_crud_lint_and_conflicts(engine: Engine) -> None:
    created = engine.create_workflow_template("default", load(TEMPLATE))
    assert created["metadata"]["uid"]
    with pytest.raises(AlreadyExists):
        engine.create_workflow_template("default", load(TEMPLATE))
    got = engine.get_workflow_template("default", "tmpl")
    items, _ = engine.list_workflow_templates("default", label_selector="kind=lib")
    assert [i["metadata"]["name"] for i in items] == ["tmpl"]
    updated = dict(got)
    updated["spec"] = {**got["spec"], "entrypoint": "other"}
    new = engine.update_workflow_template("default", "tmpl", updated)
    assert int(new["metadata"]["resourceVersion"]) > int(got["metadata"]["resourceVersion"])
    with pytest.raises(AlreadyExists, match="modified"):
        engine.update_workflow_template("default", "tmpl", got)  # stale resourceVersion
    assert engine.lint_workflow_template("default", load(TEMPLATE))["metadata"]["name"] == "tmpl"
    bad = load(TEMPLATE)
    bad["spec"]["templates"][0]["container"]["image"] = ""
    with pytest.raises(BadRequest):
        engine.lint_workflow_template("default", bad)
    engine.delete_workflow_template("default", "tmpl")
    with pytest.raises(NotFound):
        engine.get_workflow_template("default", "tmpl")
    with pytest.raises(NotFound):
        engine.delete_workflow_template("default", "tmpl")


def test_cluster_template_crud(engine: Engine) -> None:
    doc = load(TEMPLATE)
    doc["kind"] = "ClusterWorkflowTemplate"
    doc["metadata"] = {"name": "ctmpl"}
    engine.create_cluster_workflow_template(doc)
    got = engine.get_cluster_workflow_template("ctmpl")
    assert "namespace" not in got["metadata"]
    assert [t["metadata"]["name"] for t in engine.list_cluster_workflow_templates()[0]] == ["ctmpl"]
    engine.update_cluster_workflow_template("ctmpl", got)
    assert engine.lint_cluster_workflow_template(doc)["kind"] == "ClusterWorkflowTemplate"
    engine.delete_cluster_workflow_template("ctmpl")
    with pytest.raises(NotFound):
        engine.get_cluster_workflow_template("ctmpl")


def test_submit_from_templates_and_cron(engine: Engine) -> None:
    engine.create_workflow_template("subs", load(TEMPLATE))
    wf = engine.submit_from("subs", "WorkflowTemplate", "tmpl", parameters=["msg=submitted"], labels="x=y")
    assert wf["metadata"]["labels"]["workflows.argoproj.io/workflow-template"] == "tmpl"
    assert wf["metadata"]["labels"]["x"] == "y"
    done = engine.wait_workflow("subs", wf["metadata"]["name"], timeout=30)
    assert nodes_by_display(done)[done["metadata"]["name"]]["outputs"]["result"] == "submitted"
    other = engine.submit_from("subs", "WorkflowTemplate", "tmpl", entrypoint="other", generate_name="o-")
    assert other["metadata"]["name"].startswith("o-")
    assert engine.wait_workflow("subs", other["metadata"]["name"], timeout=30)["status"]["phase"] == "Succeeded"
    cron = load(CRON)
    cron["spec"]["suspend"] = True
    engine.create_cron_workflow("subs", cron)
    from_cron = engine.submit_from("subs", "CronWorkflow", "every-minute")
    assert from_cron["metadata"]["labels"]["workflows.argoproj.io/cron-workflow"] == "every-minute"
    with pytest.raises(NotFound):
        engine.submit_from("subs", "WorkflowTemplate", "missing")
    with pytest.raises(BadRequest):
        engine.submit_from("subs", "Pod", "x")


CRON = """
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: every-minute}
spec:
  schedules: ["* * * * *"]
  concurrencyPolicy: Forbid
  workflowSpec:
    entrypoint: main
    templates:
    - name: main
      container: {image: alpine:3.23, command: [echo, "{{workflow.scheduledTime}}"]}
"""


def test_cron_crud_suspend_resume_and_validation(engine: Engine) -> None:
    engine.create_cron_workflow("crons", load(CRON))
    assert engine.suspend_cron_workflow("crons", "every-minute")["spec"]["suspend"] is True
    assert engine.resume_cron_workflow("crons", "every-minute")["spec"]["suspend"] is False
    got = engine.get_cron_workflow("crons", "every-minute")
    got["spec"]["schedules"] = ["*/5 * * * *"]
    assert engine.update_cron_workflow("crons", "every-minute", got)["spec"]["schedules"] == ["*/5 * * * *"]
    assert [c["metadata"]["name"] for c in engine.list_cron_workflows("crons")[0]] == ["every-minute"]
    bad = load(CRON)
    bad["spec"]["schedules"] = ["every day"]
    with pytest.raises(BadRequest, match="schedule"):
        engine.lint_cron_workflow("crons", bad)
    assert engine.lint_cron_workflow("crons", load(CRON))["kind"] == "CronWorkflow"
    engine.delete_cron_workflow("crons", "every-minute")
    with pytest.raises(NotFound):
        engine.get_cron_workflow("crons", "every-minute")


def test_cron_runs_its_schedule_while_the_engine_runs(engine: Engine) -> None:
    cron = load(CRON)
    cron["metadata"]["name"] = "fast"
    cron["spec"]["schedules"] = ["@every 1s"]
    engine.create_cron_workflow("cronrun", cron)
    deadline = time.monotonic() + 20
    items: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        items, _ = engine.list_workflows("cronrun", label_selector="workflows.argoproj.io/cron-workflow=fast")
        if any(w["status"].get("phase") == "Succeeded" for w in items):
            break
        time.sleep(0.3)
    engine.suspend_cron_workflow("cronrun", "fast")
    done = [w for w in items if w["status"].get("phase") == "Succeeded"]
    assert done, "the cron workflow never ran"
    scheduled = done[0]["metadata"]["annotations"]["workflows.argoproj.io/scheduled-time"]
    assert nodes_by_display(done[0])[done[0]["metadata"]["name"]]["outputs"]["result"] == scheduled


def test_retry_reruns_only_failed_nodes(engine: Engine, tmp_path: Path) -> None:
    doc = {
        "metadata": {"generateName": "retry-api-"},
        "spec": {
            "entrypoint": "main",
            "volumes": [{"name": "flag", "hostPath": {"path": str(tmp_path)}}],
            "templates": [
                {"name": "main", "steps": [[{"name": "first", "template": "ok"}], [{"name": "second", "template": "check"}]]},
                {"name": "ok", "container": {"image": "alpine:3.23", "command": ["sh", "-c", "echo ran >> /flag/count"], "volumeMounts": [{"name": "flag", "mountPath": "/flag"}]}},
                {"name": "check", "container": {"image": "alpine:3.23", "command": ["test", "-f", "/flag/ok"], "volumeMounts": [{"name": "flag", "mountPath": "/flag"}]}},
            ],
        },
    }
    name = run(engine, doc)["metadata"]["name"]
    assert engine.get_workflow("default", name)["status"]["phase"] == "Failed"
    with pytest.raises(NotFound):
        engine.retry_workflow("default", name + "-x")
    (tmp_path / "ok").write_text("")
    engine.retry_workflow("default", name)
    wf = engine.wait_workflow("default", name, timeout=30)
    assert wf["status"]["phase"] == "Succeeded"
    assert (tmp_path / "count").read_text() == "ran\n"  # the succeeded step did not run again
    with pytest.raises(BadRequest, match="Failed or Error"):
        engine.retry_workflow("default", name)


def test_resubmit_creates_a_new_workflow_and_memoized_reuses_succeeded_pods(engine: Engine, tmp_path: Path) -> None:
    doc = {
        "metadata": {"generateName": "resub-"},
        "spec": {
            "entrypoint": "main",
            "volumes": [{"name": "flag", "hostPath": {"path": str(tmp_path)}}],
            "templates": [
                {"name": "main", "steps": [[{"name": "count", "template": "count"}]]},
                {"name": "count", "container": {"image": "alpine:3.23", "command": ["sh", "-c", "echo x >> /flag/n"], "volumeMounts": [{"name": "flag", "mountPath": "/flag"}]}},
            ],
        },
    }
    first = run(engine, doc)
    again = engine.resubmit_workflow("default", first["metadata"]["name"])
    assert again["metadata"]["name"] != first["metadata"]["name"]
    assert again["metadata"]["labels"]["workflows.argoproj.io/resubmitted-from-workflow"] == first["metadata"]["name"]
    engine.wait_workflow("default", again["metadata"]["name"], timeout=30)
    assert (tmp_path / "n").read_text() == "x\nx\n"
    memo = engine.resubmit_workflow("default", first["metadata"]["name"], memoized=True)
    done = engine.wait_workflow("default", memo["metadata"]["name"], timeout=30)
    assert done["status"]["phase"] == "Succeeded"
    assert (tmp_path / "n").read_text() == "x\nx\n"


def test_wait_times_out(engine: Engine) -> None:
    doc = load(HELLO)
    doc["spec"]["templates"][0]["container"]["command"] = ["sleep", "5"]
    name = engine.create_workflow("default", doc)["metadata"]["name"]
    with pytest.raises(TimeoutError):
        engine.wait_workflow("default", name, timeout=0.5)
    engine.terminate_workflow("default", name)
    assert engine.wait_workflow("default", name, timeout=30)["status"]["phase"] == "Failed"
    with pytest.raises(BadRequest):
        engine.stop_workflow("default", name)


def test_watch_stops_when_asked_and_wait_for_change_wakes_on_commits(engine: Engine) -> None:
    stop = threading.Event()
    events: list[str] = []
    ended = threading.Event()

    def watch() -> None:
        for ev in engine.watch_workflows("stoppable", stop=stop):
            events.append(ev["type"])
        ended.set()

    threading.Thread(target=watch, daemon=True).start()
    version = engine.change_version
    name = engine.create_workflow("stoppable", load(HELLO))["metadata"]["name"]
    assert engine.wait_for_change(version, timeout=10) != version
    engine.wait_workflow("stoppable", name, timeout=30)
    time.sleep(0.5)
    assert not ended.is_set()  # nothing more happens, yet the watch would go on
    stop.set()
    assert ended.wait(2), "the watch did not end after stop was set"
    assert events[0] == "ADDED" and "MODIFIED" in events
    quiet = engine.change_version
    t0 = time.monotonic()
    assert engine.wait_for_change(quiet, timeout=0.3) == quiet
    assert time.monotonic() - t0 >= 0.25


def test_lookup_by_uid(engine: Engine) -> None:
    wf = run(engine, HELLO, namespace="byuid")
    got = engine.get_workflow_by_uid(wf["metadata"]["uid"])
    assert got["metadata"]["name"] == wf["metadata"]["name"] and got["status"]["phase"] == "Succeeded"
    assert got["status"]["nodes"]
    with pytest.raises(NotFound):
        engine.get_workflow_by_uid("00000000-0000-0000-0000-000000000000")


def test_submit_options(engine: Engine) -> None:
    engine.create_workflow_template("opts", load(TEMPLATE))
    wf = engine.submit_from(
        "opts",
        "WorkflowTemplate",
        "tmpl",
        name_override="named-run",
        annotations="a=1,b=2",
        service_account="sa",
        priority=3,
        pod_priority_class_name="hi",
        owner_reference={"apiVersion": "v1", "kind": "Pod", "name": "owner", "uid": "u-1"},
        artifacts=["data=some/key.txt"],
    )
    meta, spec = wf["metadata"], wf["spec"]
    assert meta["name"] == "named-run" and "generateName" not in meta
    assert meta["annotations"] == {"a": "1", "b": "2"}
    assert meta["ownerReferences"][0]["name"] == "owner"
    assert spec["serviceAccountName"] == "sa" and spec["priority"] == 3 and spec["podPriorityClassName"] == "hi"
    assert spec["arguments"]["artifacts"] == [{"name": "data", "s3": {"key": "some/key.txt"}}]
    done = engine.wait_workflow("opts", "named-run", timeout=30)
    assert done["status"]["phase"] == "Succeeded"
    dry = engine.submit_from("opts", "WorkflowTemplate", "tmpl", name_override="dry-run", dry_run=True)
    assert dry["metadata"]["name"] == "dry-run"
    with pytest.raises(NotFound):
        engine.get_workflow("opts", "dry-run")
    with pytest.raises(BadRequest, match="name=key"):
        engine.submit_from("opts", "WorkflowTemplate", "tmpl", artifacts=["nokey"])


def test_log_timestamps_and_since_time(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: stamps-}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: alpine:3.23, command: [sh, -c, "echo first; sleep 0.4; printf 'second\\r\\nthird'"]}
""",
    )
    name = wf["metadata"]["name"]
    plain = [e["content"] for e in engine.workflow_logs("default", name)]
    assert plain == ["first", "second", "third"]
    stamped = [e["content"].split(" ", 1) for e in engine.workflow_logs("default", name, timestamps=True)]
    assert [text for _, text in stamped] == ["first", "second", "third"]
    from hera.engine.durations import parse_rfc3339

    times = [parse_rfc3339(t) for t, _ in stamped]
    started = parse_rfc3339(wf["status"]["startedAt"])
    assert all(t is not None and started is not None and started - 1 <= t <= time.time() for t in times)
    assert times[1] - times[0] >= 0.3  # type: ignore[operator]
    later = [e["content"] for e in engine.workflow_logs("default", name, since_time=times[1])]  # type: ignore[arg-type]
    assert later == ["second", "third"]
