"""Parameter and Artifact: value serialisation, the three model forms, renaming, storage kinds (spec §2.4)."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import BaseModel

from hera.shared.serialization import MISSING, serialize
from hera.workflows import (
    Artifact,
    ArtifactLoader,
    ArtifactoryArtifact,
    AzureArtifact,
    GCSArtifact,
    GitArtifact,
    HDFSArtifact,
    HTTPArtifact,
    NoneArchiveStrategy,
    OSSArtifact,
    Parameter,
    PluginArtifact,
    RawArtifact,
    S3Artifact,
    TarArchiveStrategy,
    ZipArchiveStrategy,
)
from hera.workflows import models as m


class Point(BaseModel):
    x: int
    y: str


def dump(model: BaseModel) -> dict:
    return model.model_dump(exclude_none=True, by_alias=True)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        (1, "1"),
        (1.5, "1.5"),
        (True, "true"),
        (None, "null"),
        ({"k": [1, 2]}, '{"k": [1, 2]}'),
        (["a", "b"], '["a", "b"]'),
        (Point(x=1, y="d"), '{"x": 1, "y": "d"}'),
    ],
)
def test_values_are_serialised_at_construction(value: object, text: str) -> None:
    assert Parameter(name="p", value=value).value == text
    assert Parameter(name="p", default=value).default == text
    assert serialize(value) == text


def test_unset_value_and_default_are_missing_and_omitted() -> None:
    p = Parameter(name="p")
    assert p.value is MISSING and p.default is MISSING
    assert dump(p.as_input()) == {"name": "p"}
    with pytest.raises(ValueError, match="no value"):
        str(p)


def test_value_and_value_from_together_are_rejected() -> None:
    with pytest.raises(ValueError, match="value_from"):
        Parameter(name="p", value="x", value_from=m.ValueFrom(path="/tmp/x"))


def test_model_forms() -> None:
    p = Parameter(
        name="p", value="v", default="d", description="desc", enum=["v", 2], global_name="g", output=True
    )
    assert p.enum == ["v", "2"]
    assert dump(p.as_input()) == {"name": "p", "value": "v", "default": "d", "description": "desc", "enum": ["v", "2"]}
    assert dump(p.as_argument()) == {"name": "p", "value": "v", "description": "desc", "enum": ["v", "2"]}
    assert dump(p.as_output()) == {"name": "p", "value": "v", "description": "desc", "globalName": "g"}


def test_value_from_dict_is_accepted() -> None:
    p = Parameter(name="o", value_from={"path": "/tmp/o"})
    assert dump(p.as_output()) == {"name": "o", "valueFrom": {"path": "/tmp/o"}}


def test_empty_name_fails_at_build() -> None:
    with pytest.raises(ValueError, match="name"):
        Parameter(value="x").as_argument()


def test_str_and_with_name() -> None:
    p = Parameter(name="a", value="{{tasks.t.outputs.result}}", description="d")
    q = p.with_name("b")
    assert (q.name, q.value, q.description, p.name) == ("b", "{{tasks.t.outputs.result}}", "d", "a")
    assert f"{p}" == "{{tasks.t.outputs.result}}"


def test_from_model_round_trip() -> None:
    p = Parameter.from_model(m.Parameter(name="a", default="1", enum=["1", "2"]))
    assert dump(p.as_input()) == {"name": "a", "default": "1", "enum": ["1", "2"]}


def test_keyword_only_and_required_fields() -> None:
    with pytest.raises(TypeError):
        Parameter("a")  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected keyword argument 'nme'"):
        Parameter(nme="a")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'key'"):
        GCSArtifact(name="g")  # type: ignore[call-arg]


def test_dataclass_api_still_works() -> None:
    names = [f.name for f in dataclasses.fields(Parameter)]
    assert names[:3] == ["name", "value", "default"] and "loads" in names
    p = dataclasses.replace(Parameter(name="a", value=1), name="b")
    assert (p.name, p.value) == ("b", "1")
    assert Parameter(name="a", value=1) == Parameter(name="a", value="1")
    assert Parameter(name="a") != Parameter(name="b")


def test_artifact_fields_and_archives() -> None:
    a = Artifact(
        name="a",
        path="/p",
        from_="{{steps.s.outputs.artifacts.x}}",
        sub_path="sub",
        mode=0o644,
        archive=TarArchiveStrategy(compression_level=9),
        global_name="g",
        optional=True,
        archive_logs=True,
        loader=ArtifactLoader.json,
    )
    assert dump(a._build_artifact()) == {
        "name": "a",
        "path": "/p",
        "from": "{{steps.s.outputs.artifacts.x}}",
        "subPath": "sub",
        "mode": 420,
        "archive": {"tar": {"compressionLevel": 9}},
        "globalName": "g",
        "optional": True,
        "archiveLogs": True,
    }
    assert dump(Artifact(name="n", archive=NoneArchiveStrategy())._build_artifact())["archive"] == {"none": {}}
    assert dump(Artifact(name="z", archive=ZipArchiveStrategy())._build_artifact())["archive"] == {"zip": {}}
    assert str(ArtifactLoader.file) == "file"


def test_with_name_copies() -> None:
    a = S3Artifact(name="a", bucket="b", key="k")
    b = a.with_name("c")
    assert isinstance(b, S3Artifact) and (a.name, b.name, b.bucket) == ("a", "c", "b")


@pytest.mark.parametrize(
    ("artifact", "key", "block"),
    [
        (
            S3Artifact(name="a", bucket="b", key="k", role_arn="r", use_sdk_creds=True,
                       access_key_secret=m.SecretKeySelector(name="s", key="ak")),
            "s3",
            {"bucket": "b", "key": "k", "roleARN": "r", "useSDKCreds": True,
             "accessKeySecret": {"name": "s", "key": "ak"}},
        ),
        (GCSArtifact(name="a", bucket="b", key="k"), "gcs", {"bucket": "b", "key": "k"}),
        (
            AzureArtifact(name="a", endpoint="e", container="c", blob="b", use_sdk_creds=True),
            "azure",
            {"endpoint": "e", "container": "c", "blob": "b", "useSDKCreds": True},
        ),
        (
            GitArtifact(name="a", repo="r", revision="v1", depth=1, single_branch=True, insecure_skip_tls=True),
            "git",
            {"repo": "r", "revision": "v1", "depth": 1, "singleBranch": True, "insecureSkipTLS": True},
        ),
        (
            HTTPArtifact(name="a", url="https://x", headers=[m.Header(name="h", value="v")]),
            "http",
            {"url": "https://x", "headers": [{"name": "h", "value": "v"}]},
        ),
        (
            HDFSArtifact(name="a", hdfs_path="/h", hdfs_user="u", addresses=["n:8020"]),
            "hdfs",
            {"path": "/h", "hdfsUser": "u", "addresses": ["n:8020"]},
        ),
        (OSSArtifact(name="a", key="k", bucket="b"), "oss", {"key": "k", "bucket": "b"}),
        (RawArtifact(name="a", data="text\n"), "raw", {"data": "text\n"}),
        (ArtifactoryArtifact(name="a", url="https://af"), "artifactory", {"url": "https://af"}),
        (
            PluginArtifact(name="a", key="k", plugin_name="my-plugin", configuration="c"),
            "plugin",
            {"key": "k", "name": "my-plugin", "configuration": "c"},
        ),
    ],
)
def test_storage_kinds(artifact: Artifact, key: str, block: dict) -> None:
    built = dump(artifact._build_artifact())
    assert built == {"name": "a", key: block}
