"""Volumes: template volumes and mounts of acceptance program 18, PVC templates of program 19, every source kind."""

from __future__ import annotations

import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import hera.workflows as hw
from hera.shared.errors import HeraValidationError
from hera.workflows import models as m
from hera.workflows.volume import (
    AccessMode,
    ConfigMapVolume,
    EmptyDirVolume,
    ExistingVolume,
    HostPathVolume,
    NFSVolume,
    SecretVolume,
    Volume,
    build_volume_mounts,
)
from tests.workflows.leaves._expected import dump, spec, template

SWAGGER = Path(__file__).resolve().parents[3] / ".." / "shared" / "argo" / "swagger.json"


@cache
def _definitions() -> dict[str, Any]:
    with open(SWAGGER) as f:
        return json.load(f)["definitions"]


def _tesseract_volumes() -> list[Any]:
    return [
        EmptyDirVolume(name="scratch", mount_path="/scratch", medium="Memory", size_limit="1Gi"),
        SecretVolume(
            name="license", secret_name="ocr-license", mount_path="/etc/license", read_only=True, default_mode=0o400
        ),
        ConfigMapVolume(name="ocr-settings", mount_path="/etc/ocr", items=[m.KeyToPath(key="lang", path="lang.conf")]),
        HostPathVolume(name="fonts", path="/usr/share/fonts", mount_path="/fonts", type="Directory"),
    ]


def test_template_volumes_match_hera() -> None:
    want = template("18_volumes_mounts", "tesseract")["volumes"]
    assert [dump(v._build_volume()) for v in _tesseract_volumes()] == want


def test_auto_mounts_follow_explicit_mounts_like_hera() -> None:
    want = template("18_volumes_mounts", "tesseract")["container"]["volumeMounts"]
    explicit = [
        m.VolumeMount(name="scans", mount_path="/inbox", sub_path="2024", read_only=True),
        m.VolumeMount(name="ocr-dictionaries", mount_path="/usr/share/tessdata/extra"),
    ]
    mounts = build_volume_mounts(explicit, _tesseract_volumes())
    assert mounts is not None and [dump(x) for x in mounts] == want


def test_workflow_level_volumes_match_hera() -> None:
    got = [ExistingVolume(name="scans", claim_name="scanner-inbox"), ConfigMapVolume(name="ocr-dictionaries")]
    assert [dump(v._build_volume()) for v in got] == spec("18_volumes_mounts")["volumes"]


def test_script_empty_dir_matches_hera() -> None:
    v = EmptyDirVolume(name="pages", mount_path="/pages")
    t = template("18_volumes_mounts", "split-pages")
    assert [dump(v._build_volume())] == t["volumes"]
    assert [dump(v._build_volume_mount())] == t["script"]["volumeMounts"]


def test_pvc_templates_match_hera() -> None:
    media = Volume(
        name="media",
        size="50Gi",
        mount_path="/media",
        storage_class_name="fast-ssd",
        access_modes=[AccessMode.read_write_once],
    )
    manifests = Volume(name="manifests", size="1Gi", mount_path="/manifests", access_modes=["ReadWriteMany"])
    got = [dump(v._build_persistent_volume_claim_template()) for v in (media, manifests)]
    assert got == spec("19_pvc_templates")["volumeClaimTemplates"]
    assert dump(media._build_volume_mount()) == template("19_pvc_templates", "download")["container"]["volumeMounts"][0]
    assert media._build_volume() is None


def test_pvc_defaults_and_resources() -> None:
    v = Volume(name="v", resources=m.VolumeResourceRequirements(requests={"storage": "2Gi"}, limits={"storage": "4Gi"}))
    assert dump(v._build_persistent_volume_claim_template()) == {
        "metadata": {"name": "v"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "2Gi"}, "limits": {"storage": "4Gi"}},
        },
    }
    both = Volume(name="b", size="1Gi", resources=m.VolumeResourceRequirements(limits={"storage": "4Gi"}))
    claim = dump(both._build_persistent_volume_claim_template())
    assert claim["spec"]["resources"] == {"requests": {"storage": "1Gi"}, "limits": {"storage": "4Gi"}}


def test_pvc_metadata_keeps_labels_and_takes_the_volume_name() -> None:
    v = Volume(name="data", size="1Gi", metadata=m.ObjectMeta(labels={"team": "a"}), access_modes=["read_only_many"])
    claim = dump(v._build_persistent_volume_claim_template())
    assert claim["metadata"] == {"name": "data", "labels": {"team": "a"}}
    assert claim["spec"]["accessModes"] == ["ReadOnlyMany"]


def test_pvc_errors() -> None:
    with pytest.raises(HeraValidationError, match="binary unit") as info:
        Volume(name="v", size="10G")
    assert info.value.field == "size"
    with pytest.raises(HeraValidationError, match="needs a `size`"):
        Volume(name="v")
    with pytest.raises(HeraValidationError, match="unknown access mode 'ReadWriteAll'") as info:
        Volume(name="v", size="1Gi", access_modes=["ReadWriteAll"])
    assert info.value.field == "access_modes"


def test_access_mode_values() -> None:
    assert [str(a) for a in AccessMode] == ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]


def test_name_defaults_to_a_uuid4() -> None:
    a, b = EmptyDirVolume(), EmptyDirVolume()
    assert a.name != b.name
    assert uuid.UUID(str(a.name)).version == 4


def test_mount_fields_and_shared_read_only() -> None:
    v = NFSVolume(
        name="n",
        server="nfs.local",
        path="/export",
        read_only=True,
        mount_path="/mnt",
        mount_propagation="HostToContainer",
        recursive_read_only="IfPossible",
        sub_path_expr="$(POD)",
    )
    assert dump(v._build_volume()) == {"name": "n", "nfs": {"server": "nfs.local", "path": "/export", "readOnly": True}}
    assert dump(v._build_volume_mount()) == {
        "name": "n",
        "mountPath": "/mnt",
        "mountPropagation": "HostToContainer",
        "readOnly": True,
        "recursiveReadOnly": "IfPossible",
        "subPathExpr": "$(POD)",
    }


def test_mounting_without_mount_path_is_an_error() -> None:
    with pytest.raises(HeraValidationError, match="volume 'x' has no mount_path") as info:
        EmptyDirVolume(name="x")._build_volume_mount()
    assert info.value.field == "mount_path"


def test_build_volume_mounts_skips_unmountable_volumes() -> None:
    raw = m.Volume(name="raw", empty_dir=m.EmptyDirVolumeSource())
    assert build_volume_mounts(None, [raw, EmptyDirVolume(name="nomount")]) is None
    mounts = build_volume_mounts(None, EmptyDirVolume(name="one", mount_path="/one"))
    assert mounts is not None and [x.name for x in mounts] == ["one"]


_REF = m.LocalObjectReference(name="secret")
# class name -> required constructor arguments (the `required` fields of its k8s source in swagger.json)
_KINDS: dict[str, dict[str, Any]] = {
    "ExistingVolume": {"claim_name": "c"},
    "EmptyDirVolume": {},
    "SecretVolume": {},
    "ConfigMapVolume": {},
    "DownwardAPIVolume": {},
    "EphemeralVolume": {},
    "HostPathVolume": {"path": "/p"},
    "NFSVolume": {"server": "s", "path": "/p"},
    "ProjectedVolume": {},
    "CSIVolume": {"driver": "d"},
    "AWSElasticBlockStoreVolume": {"volume_id": "v"},
    "AzureDiskVolume": {"disk_name": "d", "disk_uri": "u"},
    "AzureFileVolume": {"secret_name": "s", "share_name": "sh"},
    "CephFSVolume": {"monitors": ["m1"]},
    "CinderVolume": {"volume_id": "v"},
    "FCVolume": {},
    "FlexVolume": {"driver": "d"},
    "FlockerVolume": {},
    "GCEPersistentDiskVolume": {"pd_name": "pd"},
    "GitRepoVolume": {"repository": "r"},
    "GlusterfsVolume": {"endpoints": "e", "path": "/p"},
    "ISCSIVolume": {"iqn": "iqn", "lun": 0, "target_portal": "t"},
    "PhotonPersistentDiskVolume": {"pd_id": "pd"},
    "PortworxVolume": {"volume_id": "v"},
    "QuobyteVolume": {"registry": "r", "volume": "v"},
    "RBDVolume": {"image": "i", "monitors": ["m1"]},
    "ScaleIOVolume": {"gateway": "g", "secret_ref": _REF, "system": "s"},
    "StorageOSVolume": {},
    "VsphereVirtualDiskVolume": {"volume_path": "/v"},
}


def test_every_public_volume_kind_is_covered() -> None:
    public = set(hw._EXPORTS["volume"]) - {"AccessMode", "Volume"}
    assert public == set(_KINDS)


@pytest.mark.parametrize("kind", sorted(_KINDS))
def test_volume_kind_renders_its_k8s_source(kind: str) -> None:
    cls = getattr(hw, kind)
    volume = cls(name="vol", mount_path="/mnt", **_KINDS[kind])
    rendered = dump(volume._build_volume())
    (key,) = set(rendered) - {"name"}
    definitions = _definitions()
    ref = definitions["io.k8s.api.core.v1.Volume"]["properties"][key]["$ref"].rsplit("/", 1)[-1]
    assert ref == f"io.k8s.api.core.v1.{cls._source_model}"
    for required in definitions[ref].get("required", []):
        assert required in rendered[key], f"{kind} lost required field {required}"
    assert dump(volume._build_volume_mount()) == {"name": "vol", "mountPath": "/mnt"}


@pytest.mark.parametrize("kind", [k for k, v in _KINDS.items() if v])
def test_required_source_fields_are_required(kind: str) -> None:
    with pytest.raises(TypeError):
        getattr(hw, kind)(name="vol")
