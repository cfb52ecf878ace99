"""UserContainer builds the init containers and sidecars of acceptance program 27 and reuses the env helpers."""

from __future__ import annotations

import pytest

from hera.shared.errors import HeraValidationError
from hera.workflows import models as m
from hera.workflows.env import Env, SecretEnv
from hera.workflows.env_from import ConfigMapEnvFrom
from hera.workflows.resources import Resources
from hera.workflows.user_container import UserContainer
from hera.workflows.volume import EmptyDirVolume
from tests.workflows.leaves._expected import dump, template


def test_init_container_and_sidecars_match_hera() -> None:
    want = template("27_sidecars_init_daemon", "pytest")
    init = UserContainer(name="wait-for-schema", image="busybox:1.36", command=["sh", "-c", "sleep 5"])
    sidecars = [
        UserContainer(
            name="mock-s3",
            image="minio/minio:RELEASE.2024-06-04T19-20-08Z",
            args=["server", "/data"],
            env=[Env(name="MINIO_ROOT_USER", value="ci")],
            mirror_volume_mounts=True,
        ),
        UserContainer(name="mock-smtp", image="mailhog/mailhog:v1.0.1"),
    ]
    assert [dump(init.build())] == want["initContainers"]
    assert [dump(s.build()) for s in sidecars] == want["sidecars"]


def test_env_resources_and_volumes_use_the_leaf_builders() -> None:
    c = UserContainer(
        name="side",
        image="alpine",
        env=[SecretEnv(name="T", secret_name="s", secret_key="k"), {"N": 1}],
        env_from=ConfigMapEnvFrom(name="cm", prefix="P_"),
        resources=Resources(cpu_request="100m", memory_limit="64Mi"),
        volume_mounts=[m.VolumeMount(name="explicit", mount_path="/e")],
        volumes=[EmptyDirVolume(name="scratch", mount_path="/scratch"), EmptyDirVolume(name="unmounted")],
        image_pull_policy="ifnotpresent",
    )
    assert dump(c.build()) == {
        "name": "side",
        "image": "alpine",
        "imagePullPolicy": "IfNotPresent",
        "env": [
            {"name": "T", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
            {"name": "N", "value": "1"},
        ],
        "envFrom": [{"prefix": "P_", "configMapRef": {"name": "cm"}}],
        "resources": {"requests": {"cpu": "100m"}, "limits": {"memory": "64Mi"}},
        "volumeMounts": [{"name": "explicit", "mountPath": "/e"}, {"name": "scratch", "mountPath": "/scratch"}],
    }


def test_model_resources_pass_through() -> None:
    c = UserContainer(name="x", resources=m.ResourceRequirements(limits={"cpu": "1"}))
    assert dump(c.build())["resources"] == {"limits": {"cpu": "1"}}


@pytest.mark.parametrize(
    ("given", "want"),
    [("Always", "Always"), ("never", "Never"), ("if_not_present", "IfNotPresent"), (None, None)],
)
def test_image_pull_policy_is_lenient(given: str | None, want: str | None) -> None:
    assert UserContainer(name="x", image_pull_policy=given).build().image_pull_policy == want


def test_image_pull_policy_enum_member() -> None:
    c = UserContainer(name="x", image_pull_policy=m.ImagePullPolicy.if_not_present)
    assert c.build().image_pull_policy == "IfNotPresent"


def test_unknown_image_pull_policy_is_refused_at_construction() -> None:
    with pytest.raises(HeraValidationError, match="unknown image pull policy 'sometimes'") as info:
        UserContainer(name="x", image_pull_policy="sometimes")
    assert info.value.field == "image_pull_policy"


def test_name_is_required() -> None:
    with pytest.raises(TypeError):
        UserContainer(image="alpine")  # type: ignore[call-arg]
