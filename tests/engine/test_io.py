"""Artifacts through the local repository, private filesystem views, volumes, environment from the local
ConfigMap/Secret store, and templates from the template store."""

from __future__ import annotations

import base64
import tarfile
from pathlib import Path

import pytest

from hera.engine import Engine
from hera.engine.artifacts import repo_path
from tests.engine.helpers import load, nodes_by_display, param, run

ARTIFACTS = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: arts-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: make, template: make}
    - - name: use
        template: use
        arguments:
          artifacts:
          - {name: dir, from: "{{steps.make.outputs.artifacts.dir}}"}
          - {name: file, from: "{{steps.make.outputs.artifacts.plain}}"}
          - {name: sub, from: "{{steps.make.outputs.artifacts.dir}}", subPath: inner/b.txt}
          - name: raw
            raw: {data: "inline text"}
  - name: make
    container:
      image: alpine:3.23
      command: [sh, -c, "mkdir -p /mnt/out/inner && echo A > /mnt/out/a.txt && echo B > /mnt/out/inner/b.txt && echo P > /tmp/plain.txt"]
    outputs:
      artifacts:
      - {name: dir, path: /mnt/out}
      - {name: plain, path: /tmp/plain.txt, archive: {none: {}}}
      - {name: absent, path: /tmp/nothing, optional: true}
  - name: use
    inputs:
      artifacts:
      - {name: dir, path: /in/dir}
      - {name: file, path: /in/file.txt, mode: 0600}
      - {name: sub, path: /in/sub.txt}
      - {name: raw, path: /in/raw.txt}
    container:
      image: alpine:3.23
      command: [sh, -c, "cat /in/dir/a.txt /in/dir/inner/b.txt /in/file.txt /in/sub.txt /in/raw.txt; echo; stat -c %a /in/file.txt"]
"""


def test_artifacts_pass_between_steps_with_archive_subpath_raw_and_mode(engine: Engine) -> None:
    wf = run(engine, ARTIFACTS)
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    nodes = nodes_by_display(wf)
    assert nodes["use"]["outputs"]["result"].split("\n") == ["A", "B", "P", "B", "inline text", "600"]
    arts = {a["name"]: a for a in nodes["make"]["outputs"]["artifacts"]}
    assert set(arts) == {"dir", "plain"}
    # Argo's key layout: <workflow>/<pod>/<artifact>.tgz, or the file's name without an archive
    pod = arts["dir"]["s3"]["key"].split("/")[1]
    assert arts["dir"]["s3"]["key"] == f"{wf['metadata']['name']}/{pod}/dir.tgz"
    assert arts["plain"]["s3"]["key"].endswith("/plain.txt")
    stored = repo_path(engine.state_dir / "artifacts", arts["dir"])
    with tarfile.open(stored) as tf:
        assert sorted(tf.getnames()) == ["out", "out/a.txt", "out/inner", "out/inner/b.txt"]


def test_required_output_artifact_missing_is_an_error(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: art-missing-}
spec:
  entrypoint: p
  templates:
  - name: p
    container: {image: alpine:3.23, command: ["true"]}
    outputs: {artifacts: [{name: x, path: /tmp/none}]}
""",
    )
    assert wf["status"]["phase"] == "Error"
    assert "/tmp/none" in wf["status"]["message"]


def test_key_only_s3_artifacts_use_the_local_repository_and_from_expression(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: keyonly-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: w, template: write}
      - name: r
        depends: w
        template: read
        arguments:
          artifacts:
          - {name: in, fromExpression: "tasks.w.status == 'Succeeded' ? tasks.w.outputs.artifacts.out : nil"}
  - name: write
    container: {image: alpine:3.23, command: [sh, -c, "echo keyed > /tmp/f"]}
    outputs: {artifacts: [{name: out, path: /tmp/f, s3: {key: my/key.tgz}}]}
  - name: read
    inputs: {artifacts: [{name: in, path: /tmp/in}]}
    container: {image: alpine:3.23, command: [cat, /tmp/in]}
""",
    )
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    assert nodes_by_display(wf)["r"]["outputs"]["result"] == "keyed"
    assert (engine.state_dir / "artifacts" / "default" / "my" / "key.tgz").exists()


def test_workflow_artifacts_are_referred_to_by_from(engine: Engine) -> None:
    repo = engine.state_dir / "artifacts" / "inputs" / "data"
    repo.mkdir(parents=True)
    (repo / "history.csv").write_text("day,close\n")
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: wfart-}
spec:
  entrypoint: main
  arguments:
    artifacts:
    - {name: history, s3: {bucket: inputs, key: data/history.csv}}
  templates:
  - name: main
    steps:
    - - name: read
        template: read
        arguments: {artifacts: [{name: in, from: "{{workflow.artifacts.history}}"}]}
  - name: read
    inputs: {artifacts: [{name: in, path: /tmp/in.csv}]}
    container: {image: alpine:3.23, command: [cat, /tmp/in.csv]}
""",
    )
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    read = nodes_by_display(wf)["read"]
    assert read["outputs"]["result"] == "day,close"
    assert read["inputs"]["artifacts"][0]["s3"] == {"bucket": "inputs", "key": "data/history.csv"}


ISOLATION = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: iso-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: w
        template: write
        arguments: {parameters: [{name: v, value: "{{item}}"}]}
        withItems: [a, b, c, d]
  - name: write
    inputs: {parameters: [{name: v}]}
    container:
      image: alpine:3.23
      command: [sh, -c, "echo {{inputs.parameters.v}} > /tmp/x; mkdir -p /mnt/out; echo {{inputs.parameters.v}} > /mnt/out/y; echo {{inputs.parameters.v}} > /result.txt; sleep 0.3; cat /tmp/x /mnt/out/y /result.txt"]
    outputs:
      parameters:
      - {name: x, valueFrom: {path: /tmp/x}}
      - {name: y, valueFrom: {path: /mnt/out/y}}
      - {name: r, valueFrom: {path: /result.txt}}
"""


def test_parallel_nodes_have_private_filesystems(engine: Engine) -> None:
    if engine.sandbox_mode != "overlay":
        pytest.skip("overlay views are not available here")
    wf = run(engine, ISOLATION)
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    for i, v in enumerate("abcd"):
        node = nodes_by_display(wf)[f"w({i}:{v})"]
        assert node["outputs"]["result"] == f"{v}\n{v}\n{v}"
        assert [param(node, k) for k in ("x", "y", "r")] == [v, v, v]
    assert not Path("/result.txt").exists() or Path("/result.txt").read_text().strip() not in "abcd"


def test_unannounced_write_outside_tmp_is_refused_not_done_on_the_host(engine: Engine, tmp_path: Path) -> None:
    if engine.sandbox_mode != "overlay":
        pytest.skip("namespaces are not available here")
    target = tmp_path.parent / "hera-must-not-exist"
    script = "import os; open(os.path.join(os.sep, 'var', 'hera-must-not-exist'), 'w').write('x')"
    wf = run(
        engine,
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": {"generateName": "ro-"},
            "spec": {
                "entrypoint": "w",
                "templates": [{"name": "w", "script": {"image": "python:3", "command": ["python"], "source": script}}],
            },
        },
    )
    assert wf["status"]["phase"] == "Failed"
    assert not Path("/var/hera-must-not-exist").exists()
    assert not target.exists()


def test_volumes_emptydir_and_claim_templates(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: vols-}
spec:
  entrypoint: main
  volumeClaimTemplates:
  - metadata: {name: work}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
  templates:
  - name: main
    steps:
    - - {name: write, template: write}
    - - {name: read, template: read}
  - name: write
    container:
      image: alpine:3.23
      command: [sh, -c, "echo shared > /work/f"]
      volumeMounts: [{name: work, mountPath: /work}]
  - name: read
    volumes: [{name: scratch, emptyDir: {}}]
    container:
      image: alpine:3.23
      command: [sh, -c, "cp /work/f /scratch/g && cat /scratch/g"]
      volumeMounts: [{name: work, mountPath: /work}, {name: scratch, mountPath: /scratch}]
""",
    )
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    assert nodes_by_display(wf)["read"]["outputs"]["result"] == "shared"


def test_env_from_local_config_maps_and_secrets(engine: Engine) -> None:
    engine.put_config_map("default", {"metadata": {"name": "cfg"}, "data": {"color": "blue", "size": "3"}})
    engine.put_secret("default", {"metadata": {"name": "sec"}, "data": {"token": base64.b64encode(b"s3cr3t").decode()}})
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: env-}
spec:
  entrypoint: main
  arguments:
    parameters:
    - name: size
      valueFrom: {configMapKeyRef: {name: cfg, key: size}}
  templates:
  - name: main
    container:
      image: alpine:3.23
      command: [sh, -c, 'echo "$COLOR $TOKEN $PLAIN {{workflow.parameters.size}} $(POD)"']
      env:
      - {name: COLOR, valueFrom: {configMapKeyRef: {name: cfg, key: color}}}
      - {name: TOKEN, valueFrom: {secretKeyRef: {name: sec, key: token}}}
      - {name: PLAIN, value: plain}
      - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
""",
    )
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    out = nodes_by_display(wf)[wf["metadata"]["name"]]["outputs"]["result"]
    assert out.startswith("blue s3cr3t plain 3 ")


def test_missing_secret_gives_a_clear_error(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: nosecret-}
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine:3.23
      command: ["true"]
      env: [{name: T, valueFrom: {secretKeyRef: {name: nope, key: k}}}]
""",
    )
    assert wf["status"]["phase"] == "Error"
    assert 'secret "nope"' in wf["status"]["message"]


def test_template_refs_workflow_template_ref_and_template_defaults(engine: Engine) -> None:
    engine.create_workflow_template(
        "default",
        load(
            """
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
  entrypoint: greet
  arguments: {parameters: [{name: who, value: world}]}
  templates:
  - name: greet
    inputs: {parameters: [{name: who}]}
    container: {image: alpine:3.23, command: [echo, "hello {{inputs.parameters.who}}"]}
"""
        ),
    )
    engine.create_cluster_workflow_template(
        load(
            """
apiVersion: argoproj.io/v1alpha1
kind: ClusterWorkflowTemplate
metadata: {name: cluster-lib}
spec:
  templates:
  - name: shout
    inputs: {parameters: [{name: msg}]}
    script: {image: python:alpine3.23, command: [python], source: "print('{{inputs.parameters.msg}}'.upper())"}
"""
        )
    )
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: refs-}
spec:
  entrypoint: main
  templateDefaults:
    script: {image: python:alpine3.23}
  templates:
  - name: main
    steps:
    - - name: a
        templateRef: {name: lib, template: greet}
        arguments: {parameters: [{name: who, value: ref}]}
      - name: b
        templateRef: {name: cluster-lib, template: shout, clusterScope: true}
        arguments: {parameters: [{name: msg, value: loud}]}
      - {name: c, template: local}
  - name: local
    script: {command: [python], source: "print('defaults')"}
""",
    )
    assert wf["status"]["phase"] == "Succeeded", wf["status"].get("message")
    nodes = nodes_by_display(wf)
    assert nodes["a"]["outputs"]["result"] == "hello ref"
    assert nodes["a"]["templateRef"] == {"name": "lib", "template": "greet"}
    assert nodes["a"]["templateScope"] == "namespaced/lib"
    assert nodes["b"]["outputs"]["result"] == "LOUD"
    assert nodes["c"]["outputs"]["result"] == "defaults"
    wf2 = run(
        engine,
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": {"generateName": "wtref-"},
            "spec": {"workflowTemplateRef": {"name": "lib"}, "arguments": {"parameters": [{"name": "who", "value": "merged"}]}},
        },
    )
    assert wf2["status"]["phase"] == "Succeeded"
    assert nodes_by_display(wf2)[wf2["metadata"]["name"]]["outputs"]["result"] == "hello merged"
    assert wf2["status"]["storedWorkflowTemplateSpec"]["entrypoint"] == "greet"


def test_unknown_template_ref_is_refused(engine: Engine) -> None:
    from hera.exceptions import BadRequest

    with pytest.raises(BadRequest):
        engine.create_workflow(
            "default",
            {
                "metadata": {"generateName": "bad-"},
                "spec": {
                    "entrypoint": "m",
                    "templates": [{"name": "m", "steps": [[{"name": "s", "templateRef": {"name": "nope", "template": "x"}}]]}],
                },
            },
        )


def test_resource_templates_fail_with_a_clear_message(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: res-}
spec:
  entrypoint: r
  templates:
  - name: r
    resource: {action: create, manifest: "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: x}\\n"}
""",
    )
    assert wf["status"]["phase"] == "Error"
    assert "Kubernetes cluster" in wf["status"]["message"]


def test_workflow_metadata_labels_from_expressions(engine: Engine) -> None:
    wf = run(
        engine,
        """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: labels-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: foo, value: bar}]}
  workflowMetadata:
    labels: {fixed: "yes"}
    labelsFrom: {foo: {expression: workflow.parameters.foo}}
  templates:
  - name: main
    container: {image: argoproj/argosay:v2}
""",
    )
    labels = wf["metadata"]["labels"]
    assert labels["foo"] == "bar" and labels["fixed"] == "yes"
    found, _ = engine.list_workflows("default", label_selector="foo=bar")
    assert wf["metadata"]["name"] in [w["metadata"]["name"] for w in found]


def test_container_executor_is_reported_when_unavailable(tmp_path: Path) -> None:
    from hera.engine import EngineOptions
    from hera.exceptions import NotImplemented as NotImplementedErr

    e = Engine(tmp_path / "s", options=EngineOptions(executor="podman"))
    try:
        with pytest.raises(NotImplementedErr, match="podman"):
            e.start()
    finally:
        e.close()
