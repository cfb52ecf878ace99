"""`hera server`'s REST API over real HTTP, with a plain HTTP client: shapes, errors, streams, auth."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from tests.server._support import ThreadServer, script_workflow, serve_engine


def _wait(http: httpx.Client, name: str, ns: str = "default", timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        wf = http.get(f"/api/v1/workflows/{ns}/{name}").json()
        if wf.get("status", {}).get("phase") in ("Succeeded", "Failed", "Error"):
            return wf  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"{name} did not finish")


def _create(http: httpx.Client, doc: dict[str, Any], ns: str = "default") -> dict[str, Any]:
    r = http.post(f"/api/v1/workflows/{ns}", json={"workflow": doc})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_version_info_userinfo(http: httpx.Client) -> None:
    v = http.get("/api/v1/version").json()
    assert v["version"].startswith("v4.1.2+hera.") and set(v) >= {"gitCommit", "goVersion", "platform", "compiler"}
    assert http.get("/api/v1/info").status_code == 200
    assert http.get("/api/v1/userinfo").json() == {}


def test_create_get_list_delete(http: httpx.Client) -> None:
    created = _create(http, script_workflow("print('hello')", generate_name="crud-", labels={"team": "a"}))
    name = created["metadata"]["name"]
    assert name.startswith("crud-") and created["metadata"]["namespace"] == "default"
    done = _wait(http, name)
    assert done["status"]["phase"] == "Succeeded"
    node = next(iter(done["status"]["nodes"].values()))
    assert node["outputs"]["result"] == "hello"

    listed = http.get("/api/v1/workflows/default", params={"listOptions.labelSelector": "team=a"}).json()
    assert [w["metadata"]["name"] for w in listed["items"]] == [name]
    assert http.get("/api/v1/workflows/default", params={"listOptions.labelSelector": "team=b"}).json()["items"] == []
    by_field = http.get("/api/v1/workflows/default", params={"listOptions.fieldSelector": f"metadata.name={name}"})
    assert [w["metadata"]["name"] for w in by_field.json()["items"]] == [name]

    assert http.delete(f"/api/v1/workflows/default/{name}").json() == {}
    gone = http.get(f"/api/v1/workflows/default/{name}")
    assert gone.status_code == 404 and gone.json() == {"code": 5, "message": f'workflows.argoproj.io "{name}" not found'}


def test_list_pages_with_limit_and_continue(http: httpx.Client) -> None:
    names = {_create(http, script_workflow("pass", generate_name="page-", labels={"p": "1"}))["metadata"]["name"] for _ in range(3)}
    seen: list[str] = []
    token = None
    for _ in range(5):
        params: dict[str, Any] = {"listOptions.labelSelector": "p=1", "listOptions.limit": 2}
        if token:
            params["listOptions.continue"] = token
        page = http.get("/api/v1/workflows/default", params=params).json()
        assert len(page["items"]) <= 2
        seen += [w["metadata"]["name"] for w in page["items"]]
        token = page["metadata"].get("continue")
        if not token:
            break
    assert sorted(seen) == sorted(names)


def test_all_namespaces_list(http: httpx.Client) -> None:
    name = _create(http, script_workflow("pass", generate_name="other-"), ns="other")["metadata"]["name"]
    everywhere = [w["metadata"]["name"] for w in http.get("/api/v1/workflows/").json()["items"]]
    assert name in everywhere
    assert name not in [w["metadata"]["name"] for w in http.get("/api/v1/workflows/default").json()["items"]]


def test_bad_bodies_are_400_naming_the_field(http: httpx.Client) -> None:
    doc = script_workflow("pass")
    doc["spec"]["templates"][0]["scriptt"] = doc["spec"]["templates"][0].pop("script")
    r = http.post("/api/v1/workflows/default", json={"workflow": doc})
    assert r.status_code == 400 and r.json()["code"] == 3
    assert "workflow.spec.templates[0].scriptt: unknown field" in r.json()["message"]

    doc = script_workflow("pass")
    doc["spec"]["parallelism"] = "lots"
    r = http.post("/api/v1/workflows/default", json={"workflow": doc})
    assert r.status_code == 400 and "workflow.spec.parallelism" in r.json()["message"]

    r = http.post("/api/v1/workflows/default", content=b'{"workflow": ')
    assert r.status_code == 400 and "not valid JSON" in r.json()["message"]
    r = http.post("/api/v1/workflows/default", json=[1, 2])
    assert r.status_code == 400 and "must be a JSON object" in r.json()["message"]
    r = http.post("/api/v1/workflows/default", json={})
    assert r.status_code == 400 and "workflow: required field missing" in r.json()["message"]


def test_invalid_workflow_is_400_with_the_linter_message(http: httpx.Client) -> None:
    doc = script_workflow("pass")
    doc["spec"]["entrypoint"] = "missing"
    r = http.post("/api/v1/workflows/default", json={"workflow": doc})
    assert r.status_code == 400 and "missing" in r.json()["message"]
    r = http.post("/api/v1/workflows/default/lint", json={"workflow": doc})
    assert r.status_code == 400 and "missing" in r.json()["message"]
    ok = http.post("/api/v1/workflows/default/lint", json={"workflow": script_workflow("pass")})
    assert ok.status_code == 200 and ok.json()["kind"] == "Workflow"


def test_duplicate_name_is_409(http: httpx.Client) -> None:
    doc = script_workflow("pass")
    doc["metadata"] = {"name": "dup-once"}
    assert http.post("/api/v1/workflows/default", json={"workflow": doc}).status_code == 200
    again = http.post("/api/v1/workflows/default", json={"workflow": doc})
    assert again.status_code == 409 and again.json()["code"] == 6 and "dup-once" in again.json()["message"]


def test_unserved_operations_answer_501_and_unknown_paths_404(http: httpx.Client) -> None:
    r = http.get("/api/v1/sensors/default")
    assert r.status_code == 501 and r.json()["code"] == 12 and "Argo Events" in r.json()["message"]
    r = http.post("/api/v1/sync/default", json={})
    assert r.status_code == 501 and "SyncService" in r.json()["message"]
    r = http.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["code"] == 5
    r = http.patch("/api/v1/workflows/default")
    assert r.status_code == 405 and "PATCH" in r.json()["message"]


def test_logs_stream_lines_as_they_are_written(http: httpx.Client) -> None:
    source = "import time\nprint('first', flush=True)\ntime.sleep(1.5)\nprint('second', flush=True)"
    name = _create(http, script_workflow(source, generate_name="logs-"))["metadata"]["name"]
    started = time.monotonic()
    lines: list[tuple[float, dict[str, Any]]] = []
    with http.stream("GET", f"/api/v1/workflows/default/{name}/log", params={"logOptions.follow": "true"}) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if line:
                lines.append((time.monotonic() - started, json.loads(line)))
    contents = [entry["result"]["content"] for _, entry in lines]
    assert contents == ["first", "second"]
    assert lines[0][1]["result"]["podName"].startswith(name)
    # streamed: the first line arrived well before the second was written
    assert lines[1][0] - lines[0][0] > 0.8
    missing = http.get("/api/v1/workflows/default/nope/log")
    assert missing.status_code == 404 and missing.json()["code"] == 5
    bad = http.get(f"/api/v1/workflows/default/{name}/log", params={"grep": "("})
    assert bad.status_code == 400 and "grep" in bad.json()["message"]


def test_watch_streams_events_until_the_client_leaves(http: httpx.Client) -> None:
    name = _create(http, script_workflow("import time; time.sleep(0.5)", generate_name="watch-"))["metadata"]["name"]
    types: list[str] = []
    with http.stream(
        "GET", "/api/v1/workflow-events/default", params={"listOptions.fieldSelector": f"metadata.name={name}"}
    ) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if not line:
                continue
            event = json.loads(line)["result"]
            assert event["object"]["metadata"]["name"] == name
            types.append(event["type"])
            if event["object"].get("status", {}).get("phase") == "Succeeded":
                break
    assert types[0] == "ADDED" and types[-1] in ("ADDED", "MODIFIED") and len(types) >= 2
    bad = http.get("/api/v1/workflow-events/default", params={"listOptions.labelSelector": "a in (b"})
    assert bad.status_code == 400


def test_suspend_resume_stop_and_retry(http: httpx.Client) -> None:
    doc = script_workflow("pass", generate_name="ctl-")
    doc["spec"]["templates"] = [
        {"name": "main", "steps": [[{"name": "wait", "template": "pause"}], [{"name": "fail", "template": "boom"}]]},
        {"name": "pause", "suspend": {}},
        {"name": "boom", "script": {"image": "python:3.11", "command": ["python"], "source": "raise SystemExit(3)"}},
    ]
    name = _create(http, doc)["metadata"]["name"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        nodes = http.get(f"/api/v1/workflows/default/{name}").json().get("status", {}).get("nodes", {})
        if any(n.get("type") == "Suspend" and n.get("phase") == "Running" for n in nodes.values()):
            break
        time.sleep(0.05)
    r = http.put(f"/api/v1/workflows/default/{name}/resume", json={})
    assert r.status_code == 200, r.text
    done = _wait(http, name)
    assert done["status"]["phase"] == "Failed"
    r = http.put(f"/api/v1/workflows/default/{name}/stop", json={})
    assert r.status_code == 400 and "already Failed" in r.json()["message"]
    r = http.put(f"/api/v1/workflows/default/{name}/retry", json={})
    assert r.status_code == 200 and r.json()["status"]["phase"] == "Running"
    r = http.put(f"/api/v1/workflows/default/{name}/retry", json={"parameters": ["a=1"]})
    assert r.status_code == 400 and "must be Failed or Error" in r.json()["message"]
    r = http.put(f"/api/v1/workflows/default/{name}/set", json={"nodeFieldSelector": "x", "outputParameters": "{bad"})
    assert r.status_code == 400 and "outputParameters" in r.json()["message"]


def test_templates_submit_and_cron(http: httpx.Client) -> None:
    template = script_workflow("print('from template')")
    template.update(kind="WorkflowTemplate", metadata={"name": "tpl"})
    r = http.post("/api/v1/workflow-templates/default", json={"template": template})
    assert r.status_code == 200, r.text
    rv = r.json()["metadata"]["resourceVersion"]
    assert http.post("/api/v1/workflow-templates/default", json={"template": template}).status_code == 409
    listed = http.get("/api/v1/workflow-templates/default").json()["items"]
    assert [t["metadata"]["name"] for t in listed] == ["tpl"]
    updated = {**template, "metadata": {"name": "tpl", "resourceVersion": rv, "labels": {"v": "2"}}}
    r = http.put("/api/v1/workflow-templates/default/tpl", json={"template": updated})
    assert r.status_code == 200 and r.json()["metadata"]["labels"] == {"v": "2"}
    stale = http.put("/api/v1/workflow-templates/default/tpl", json={"template": updated})
    assert stale.status_code == 409

    sub = http.post(
        "/api/v1/workflows/default/submit", json={"resourceKind": "WorkflowTemplate", "resourceName": "tpl"}
    )
    assert sub.status_code == 200, sub.text
    done = _wait(http, sub.json()["metadata"]["name"])
    assert done["status"]["phase"] == "Succeeded", done["status"]
    assert next(iter(done["status"]["nodes"].values()))["outputs"]["result"] == "from template"
    opts = {
        "name": "tpl-named",
        "annotations": "team=ml,owner=ana",
        "labels": "run=nightly",
        "serviceAccount": "runner",
        "priority": 5,
        "podPriorityClassName": "high",
    }
    r = http.post(
        "/api/v1/workflows/default/submit",
        json={"resourceKind": "WorkflowTemplate", "resourceName": "tpl", "submitOptions": opts},
    )
    assert r.status_code == 200, r.text
    made = r.json()
    assert made["metadata"]["name"] == "tpl-named"
    assert made["metadata"]["annotations"] == {"team": "ml", "owner": "ana"}
    assert made["metadata"]["labels"]["run"] == "nightly"
    assert made["spec"]["serviceAccountName"] == "runner" and made["spec"]["priority"] == 5
    assert made["spec"]["podPriorityClassName"] == "high"
    assert _wait(http, "tpl-named")["status"]["phase"] == "Succeeded"
    dry = http.post(
        "/api/v1/workflows/default/submit",
        json={"resourceKind": "WorkflowTemplate", "resourceName": "tpl", "submitOptions": {"name": "tpl-dry", "serverDryRun": True}},
    )
    assert dry.status_code == 200 and dry.json()["metadata"]["name"] == "tpl-dry"
    assert http.get("/api/v1/workflows/default/tpl-dry").status_code == 404

    cwt = {**template, "kind": "ClusterWorkflowTemplate", "metadata": {"name": "ctpl"}}
    assert http.post("/api/v1/cluster-workflow-templates", json={"template": cwt}).status_code == 200
    assert http.get("/api/v1/cluster-workflow-templates/ctpl").json()["kind"] == "ClusterWorkflowTemplate"
    assert http.delete("/api/v1/cluster-workflow-templates/ctpl").status_code == 200
    assert http.get("/api/v1/cluster-workflow-templates/ctpl").status_code == 404

    cron = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "CronWorkflow",
        "metadata": {"name": "nightly"},
        "spec": {"schedules": ["0 3 * * *"], "workflowSpec": template["spec"]},
    }
    assert http.post("/api/v1/cron-workflows/default", json={"cronWorkflow": cron}).status_code == 200
    assert http.put("/api/v1/cron-workflows/default/nightly/suspend", json={}).json()["spec"]["suspend"] is True
    assert http.put("/api/v1/cron-workflows/default/nightly/resume", json={}).json()["spec"]["suspend"] is False
    bad = {**cron, "metadata": {"name": "bad"}, "spec": {**cron["spec"], "schedules": ["not a schedule"]}}
    r = http.post("/api/v1/cron-workflows/default", json={"cronWorkflow": bad})
    assert r.status_code == 400
    assert http.delete("/api/v1/workflow-templates/default/tpl").status_code == 200


def test_retry_and_resubmit_with_parameters(http: httpx.Client) -> None:
    doc = script_workflow("import os, sys; sys.exit(int(os.environ['CODE']))", generate_name="par-")
    tmpl = doc["spec"]["templates"][0]
    tmpl["inputs"] = {"parameters": [{"name": "code"}]}
    tmpl["script"]["env"] = [{"name": "CODE", "value": "{{inputs.parameters.code}}"}]
    doc["spec"]["arguments"] = {"parameters": [{"name": "code", "value": "3"}]}
    entry = doc["spec"]["entrypoint"]
    doc["spec"]["templates"].append(
        {"name": "top", "steps": [[{"name": "run", "template": entry, "arguments": {"parameters": [{"name": "code", "value": "{{workflow.parameters.code}}"}]}}]]}
    )
    doc["spec"]["entrypoint"] = "top"
    name = _create(http, doc)["metadata"]["name"]
    assert _wait(http, name)["status"]["phase"] == "Failed"
    r = http.put(f"/api/v1/workflows/default/{name}/retry", json={"parameters": ["code=0"]})
    assert r.status_code == 200, r.text
    retried = _wait(http, name)
    assert retried["status"]["phase"] == "Succeeded", retried["status"]
    assert retried["spec"]["arguments"]["parameters"] == [{"name": "code", "value": "0"}]
    r = http.put(f"/api/v1/workflows/default/{name}/resubmit", json={"parameters": ["code=4"]})
    assert r.status_code == 200, r.text
    again = _wait(http, r.json()["metadata"]["name"])
    assert again["status"]["phase"] == "Failed" and "exit code 4" in again["status"]["message"]
    uid = again["metadata"]["uid"]
    r = http.put(f"/api/v1/archived-workflows/{uid}/retry", json={"parameters": ["code=0"]})
    assert r.status_code == 200, r.text
    assert _wait(http, again["metadata"]["name"])["status"]["phase"] == "Succeeded"
    r = http.put(f"/api/v1/workflows/default/{name}/resubmit", json={"parameters": ["code"]})
    assert r.status_code == 400 and "name=value" in r.json()["message"]


def test_log_timestamps(http: httpx.Client) -> None:
    name = _create(http, script_workflow("import time\nprint('one')\ntime.sleep(0.3)\nprint('two')", generate_name="ts-"))["metadata"]["name"]
    assert _wait(http, name)["status"]["phase"] == "Succeeded"
    plain = http.get(f"/api/v1/workflows/default/{name}/log", params={"logOptions.container": "main"})
    assert [json.loads(line)["result"]["content"] for line in plain.text.splitlines()] == ["one", "two"]
    r = http.get(f"/api/v1/workflows/default/{name}/log", params={"logOptions.container": "main", "logOptions.timestamps": "true"})
    lines = [json.loads(line)["result"]["content"] for line in r.text.splitlines()]
    stamps = [line.split(" ", 1) for line in lines]
    assert [text for _, text in stamps] == ["one", "two"]
    from hera.engine.durations import parse_rfc3339

    times = [parse_rfc3339(t) for t, _ in stamps]
    assert all(t is not None and abs(time.time() - t) < 60 for t in times)
    assert times[1] - times[0] >= 0.2  # type: ignore[operator]
    later = http.get(
        f"/api/v1/workflows/default/{name}/log",
        params={"logOptions.container": "main", "logOptions.sinceTime.seconds": str(int(times[1]))},  # type: ignore[arg-type]
    )
    assert "two" in later.text


def test_archive_and_artifacts(http: httpx.Client) -> None:
    doc = script_workflow("open('/tmp/out.txt', 'w').write('payload')", generate_name="art-")
    doc["spec"]["templates"][0]["outputs"] = {"artifacts": [{"name": "out", "path": "/tmp/out.txt"}]}
    wf = _create(http, doc)
    name, uid = wf["metadata"]["name"], wf["metadata"]["uid"]
    done = _wait(http, name)
    assert done["status"]["phase"] == "Succeeded", done["status"]
    node_id = next(iter(done["status"]["nodes"]))
    r = http.get(f"/artifacts/default/{name}/{node_id}/out")
    assert r.status_code == 200 and r.content == b"payload"
    assert http.get(f"/artifacts-by-uid/{uid}/{node_id}/out").content == b"payload"
    assert http.get(f"/artifacts/default/{name}/{node_id}/nope").status_code == 404
    archived = http.get(f"/api/v1/archived-workflows/{uid}")
    assert archived.status_code == 200 and archived.json()["metadata"]["name"] == name
    names = [w["metadata"]["name"] for w in http.get("/api/v1/archived-workflows", params={"namePrefix": "art-"}).json()["items"]]
    assert names == [name]


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with serve_engine(tmp_path_factory.mktemp("guarded"), auth_token="s3cret-token") as s:
        yield s


def test_auth_token_required(guarded: ThreadServer) -> None:
    url = f"{guarded.url}/api/v1/workflows/default"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token"}):
        r = httpx.get(url, headers=headers)
        assert r.status_code == 401 and r.json()["code"] == 16
        assert "s3cret" not in r.text
    ok = httpx.get(url, headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200 and ok.json()["items"] == []
