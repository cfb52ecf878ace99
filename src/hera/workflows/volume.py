"""Volumes: `Volume` (a PVC created per workflow from `volumeClaimTemplates`) and one class per k8s volume source.

Every class carries the mount fields (`mount_path`, `read_only`, `sub_path`, ...) so that using it on a
container both declares the volume and mounts it. A field the k8s source shares with the mount (`read_only`,
and `name` for `ConfigMapVolume`) is used in both places. Models are imported at build time only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from hera.shared._base_mixin import BaseMixin
from hera.shared.errors import HeraValidationError
from hera.workflows._str_enum import _StrEnum
from hera.workflows.resources import parse_binary_quantity

if TYPE_CHECKING:
    from hera.workflows import models as m


class AccessMode(_StrEnum):
    """Access modes of a persistent volume claim; `str()` is the k8s spelling."""

    read_write_once = "ReadWriteOnce"
    read_only_many = "ReadOnlyMany"
    read_write_many = "ReadWriteMany"
    read_write_once_pod = "ReadWriteOncePod"


def _access_mode(value: Any) -> AccessMode:
    if isinstance(value, AccessMode):
        return value
    if isinstance(value, str):
        for mode in AccessMode:
            if value in (mode.value, mode.name):
                return mode
    raise HeraValidationError(
        f"unknown access mode {value!r}; expected one of {', '.join(mode.value for mode in AccessMode)}",
        field="access_modes",
    )


@dataclass(kw_only=True)
class _BaseVolume(BaseMixin):
    """Mount fields shared by every volume kind; `name` defaults to a random uuid4."""

    name: str | None = None
    mount_path: str | None = None
    mount_propagation: str | None = None
    read_only: bool | None = None
    recursive_read_only: str | None = None
    sub_path: str | None = None
    sub_path_expr: str | None = None

    # Which `models.Volume` field holds the source, its model class, and the fields copied into it.
    _source_key: ClassVar[str] = ""
    _source_model: ClassVar[str] = ""
    _source_fields: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.name is None:
            self.name = str(uuid.uuid4())

    def _build_volume_mount(self) -> m.VolumeMount:
        """The container's `volumeMount` for this volume; needs `mount_path`."""
        from hera.workflows import models as m

        if not self.mount_path:
            raise HeraValidationError(
                f"volume {self.name!r} has no mount_path, so it cannot be mounted into a container",
                field="mount_path",
            )
        return m.VolumeMount(
            name=self.name,
            mount_path=self.mount_path,
            mount_propagation=self.mount_propagation,
            read_only=self.read_only,
            recursive_read_only=self.recursive_read_only,
            sub_path=self.sub_path,
            sub_path_expr=self.sub_path_expr,
        )

    def _build_volume(self) -> m.Volume | None:
        """The pod `volumes` entry (`{name, <source>: {...}}`)."""
        from hera.workflows import models as m

        source_cls = getattr(m, self._source_model)
        source = source_cls(**{f: getattr(self, f) for f in self._source_fields})
        return m.Volume(name=self.name, **{self._source_key: source})


@dataclass(kw_only=True)
class Volume(_BaseVolume):
    """A persistent volume claim created for each workflow run (`spec.volumeClaimTemplates`).

    Give `size` (binary units, e.g. `"10Gi"`) and/or `resources`; `access_modes` default to `[ReadWriteOnce]`.
    It is mounted into containers that list it but is not a template `volumes` entry.
    """

    size: str | None = None
    resources: m.VolumeResourceRequirements | None = None
    metadata: m.ObjectMeta | None = None
    access_modes: list[str | AccessMode] | None = None
    storage_class_name: str | None = None
    volume_mode: str | None = None
    volume_name: str | None = None
    data_source: m.TypedLocalObjectReference | None = None
    data_source_ref: m.TypedObjectReference | None = None
    selector: m.LabelSelector | None = None
    volume_attributes_class_name: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.access_modes is None:
            self.access_modes = [AccessMode.read_write_once]
        elif isinstance(self.access_modes, str | AccessMode):
            self.access_modes = [_access_mode(self.access_modes)]
        else:
            self.access_modes = [_access_mode(mode) for mode in self.access_modes]
        if self.size is None and self.resources is None:
            raise HeraValidationError(
                f"volume {self.name!r} needs a `size` (e.g. '10Gi') or `resources` with a storage request",
                field="size",
            )
        if self.size is not None:
            parse_binary_quantity(self.size, "size")

    def _build_volume(self) -> None:
        """None: a claim template is not a pod `volumes` entry."""
        return None

    def _build_persistent_volume_claim_template(self) -> m.PersistentVolumeClaim:
        """The `volumeClaimTemplates` entry: metadata.name = `name`, spec from the claim fields."""
        from hera.workflows import models as m

        if self.resources is not None:
            requests: dict[str, Any] = dict(self.resources.requests or {})
            if self.size is not None and "storage" not in requests:
                requests["storage"] = self.size
            resources = m.VolumeResourceRequirements(limits=self.resources.limits, requests=requests or None)
        else:
            resources = m.VolumeResourceRequirements(requests={"storage": self.size})
        if self.metadata is not None:
            metadata = self.metadata.model_copy(update={"name": self.name})
        else:
            metadata = m.ObjectMeta(name=self.name)
        return m.PersistentVolumeClaim(
            metadata=metadata,
            spec=m.PersistentVolumeClaimSpec(
                access_modes=[str(mode) for mode in self.access_modes or []],
                data_source=self.data_source,
                data_source_ref=self.data_source_ref,
                resources=resources,
                selector=self.selector,
                storage_class_name=self.storage_class_name,
                volume_attributes_class_name=self.volume_attributes_class_name,
                volume_mode=self.volume_mode,
                volume_name=self.volume_name,
            ),
        )


@dataclass(kw_only=True)
class ExistingVolume(_BaseVolume):
    """An existing persistent volume claim (`persistentVolumeClaim: {claimName}`)."""

    claim_name: str

    _source_key = "persistent_volume_claim"
    _source_model = "PersistentVolumeClaimVolumeSource"
    _source_fields = ("claim_name", "read_only")


@dataclass(kw_only=True)
class EmptyDirVolume(_BaseVolume):
    """A scratch directory that lives as long as the pod (`emptyDir`, optionally in memory)."""

    medium: str | None = None
    size_limit: str | m.Quantity | None = None

    _source_key = "empty_dir"
    _source_model = "EmptyDirVolumeSource"
    _source_fields = ("medium", "size_limit")


@dataclass(kw_only=True)
class SecretVolume(_BaseVolume):
    """The keys of a Secret as files (`secret`)."""

    default_mode: int | None = None
    items: list[m.KeyToPath] | None = None
    optional: bool | None = None
    secret_name: str | None = None

    _source_key = "secret"
    _source_model = "SecretVolumeSource"
    _source_fields = ("default_mode", "items", "optional", "secret_name")


@dataclass(kw_only=True)
class ConfigMapVolume(_BaseVolume):
    """The keys of a ConfigMap as files (`configMap`); the ConfigMap's name is the volume `name`."""

    default_mode: int | None = None
    items: list[m.KeyToPath] | None = None
    optional: bool | None = None

    _source_key = "config_map"
    _source_model = "ConfigMapVolumeSource"
    _source_fields = ("default_mode", "items", "name", "optional")


@dataclass(kw_only=True)
class DownwardAPIVolume(_BaseVolume):
    """Pod and container fields as files (`downwardAPI`)."""

    default_mode: int | None = None
    items: list[m.DownwardAPIVolumeFile] | None = None

    _source_key = "downward_api"
    _source_model = "DownwardAPIVolumeSource"
    _source_fields = ("default_mode", "items")


@dataclass(kw_only=True)
class EphemeralVolume(_BaseVolume):
    """A generic ephemeral volume provisioned from a claim template (`ephemeral`)."""

    volume_claim_template: m.PersistentVolumeClaimTemplate | None = None

    _source_key = "ephemeral"
    _source_model = "EphemeralVolumeSource"
    _source_fields = ("volume_claim_template",)


@dataclass(kw_only=True)
class HostPathVolume(_BaseVolume):
    """A file or directory of the node (`hostPath`)."""

    path: str
    type: str | None = None

    _source_key = "host_path"
    _source_model = "HostPathVolumeSource"
    _source_fields = ("path", "type")


@dataclass(kw_only=True)
class NFSVolume(_BaseVolume):
    """An NFS export (`nfs`)."""

    server: str
    path: str

    _source_key = "nfs"
    _source_model = "NFSVolumeSource"
    _source_fields = ("path", "read_only", "server")


@dataclass(kw_only=True)
class ProjectedVolume(_BaseVolume):
    """Several sources projected into one directory (`projected`)."""

    default_mode: int | None = None
    sources: list[m.VolumeProjection] | None = None

    _source_key = "projected"
    _source_model = "ProjectedVolumeSource"
    _source_fields = ("default_mode", "sources")


@dataclass(kw_only=True)
class CSIVolume(_BaseVolume):
    """A volume of a CSI driver (`csi`)."""

    driver: str
    fs_type: str | None = None
    node_publish_secret_ref: m.LocalObjectReference | None = None
    volume_attributes: dict[str, str] | None = None

    _source_key = "csi"
    _source_model = "CSIVolumeSource"
    _source_fields = ("driver", "fs_type", "node_publish_secret_ref", "read_only", "volume_attributes")


@dataclass(kw_only=True)
class AWSElasticBlockStoreVolume(_BaseVolume):
    """An AWS EBS disk (`awsElasticBlockStore`)."""

    volume_id: str
    fs_type: str | None = None
    partition: int | None = None

    _source_key = "aws_elastic_block_store"
    _source_model = "AWSElasticBlockStoreVolumeSource"
    _source_fields = ("fs_type", "partition", "read_only", "volume_id")


@dataclass(kw_only=True)
class AzureDiskVolume(_BaseVolume):
    """An Azure data disk (`azureDisk`)."""

    disk_name: str
    disk_uri: str
    caching_mode: str | None = None
    fs_type: str | None = None
    kind: str | None = None

    _source_key = "azure_disk"
    _source_model = "AzureDiskVolumeSource"
    _source_fields = ("caching_mode", "disk_name", "disk_uri", "fs_type", "kind", "read_only")


@dataclass(kw_only=True)
class AzureFileVolume(_BaseVolume):
    """An Azure File share (`azureFile`)."""

    secret_name: str
    share_name: str

    _source_key = "azure_file"
    _source_model = "AzureFileVolumeSource"
    _source_fields = ("read_only", "secret_name", "share_name")


@dataclass(kw_only=True)
class CephFSVolume(_BaseVolume):
    """A CephFS mount (`cephfs`)."""

    monitors: list[str]
    path: str | None = None
    secret_file: str | None = None
    secret_ref: m.LocalObjectReference | None = None
    user: str | None = None

    _source_key = "cephfs"
    _source_model = "CephFSVolumeSource"
    _source_fields = ("monitors", "path", "read_only", "secret_file", "secret_ref", "user")


@dataclass(kw_only=True)
class CinderVolume(_BaseVolume):
    """An OpenStack Cinder volume (`cinder`)."""

    volume_id: str
    fs_type: str | None = None
    secret_ref: m.LocalObjectReference | None = None

    _source_key = "cinder"
    _source_model = "CinderVolumeSource"
    _source_fields = ("fs_type", "read_only", "secret_ref", "volume_id")


@dataclass(kw_only=True)
class FCVolume(_BaseVolume):
    """A Fibre Channel volume (`fc`)."""

    fs_type: str | None = None
    lun: int | None = None
    target_ww_ns: list[str] | None = None
    wwids: list[str] | None = None

    _source_key = "fc"
    _source_model = "FCVolumeSource"
    _source_fields = ("fs_type", "lun", "read_only", "target_ww_ns", "wwids")


@dataclass(kw_only=True)
class FlexVolume(_BaseVolume):
    """A FlexVolume driver volume (`flexVolume`)."""

    driver: str
    fs_type: str | None = None
    options: dict[str, str] | None = None
    secret_ref: m.LocalObjectReference | None = None

    _source_key = "flex_volume"
    _source_model = "FlexVolumeSource"
    _source_fields = ("driver", "fs_type", "options", "read_only", "secret_ref")


@dataclass(kw_only=True)
class FlockerVolume(_BaseVolume):
    """A Flocker dataset (`flocker`)."""

    dataset_name: str | None = None
    dataset_uuid: str | None = None

    _source_key = "flocker"
    _source_model = "FlockerVolumeSource"
    _source_fields = ("dataset_name", "dataset_uuid")


@dataclass(kw_only=True)
class GCEPersistentDiskVolume(_BaseVolume):
    """A GCE persistent disk (`gcePersistentDisk`)."""

    pd_name: str
    fs_type: str | None = None
    partition: int | None = None

    _source_key = "gce_persistent_disk"
    _source_model = "GCEPersistentDiskVolumeSource"
    _source_fields = ("fs_type", "partition", "pd_name", "read_only")


@dataclass(kw_only=True)
class GitRepoVolume(_BaseVolume):
    """A git repository cloned into a directory (`gitRepo`, deprecated in k8s)."""

    repository: str
    directory: str | None = None
    revision: str | None = None

    _source_key = "git_repo"
    _source_model = "GitRepoVolumeSource"
    _source_fields = ("directory", "repository", "revision")


@dataclass(kw_only=True)
class GlusterfsVolume(_BaseVolume):
    """A GlusterFS volume (`glusterfs`)."""

    endpoints: str
    path: str

    _source_key = "glusterfs"
    _source_model = "GlusterfsVolumeSource"
    _source_fields = ("endpoints", "path", "read_only")


@dataclass(kw_only=True)
class ISCSIVolume(_BaseVolume):
    """An iSCSI disk (`iscsi`)."""

    iqn: str
    lun: int
    target_portal: str
    chap_auth_discovery: bool | None = None
    chap_auth_session: bool | None = None
    fs_type: str | None = None
    initiator_name: str | None = None
    iscsi_interface: str | None = None
    portals: list[str] | None = None
    secret_ref: m.LocalObjectReference | None = None

    _source_key = "iscsi"
    _source_model = "ISCSIVolumeSource"
    _source_fields = (
        "chap_auth_discovery",
        "chap_auth_session",
        "fs_type",
        "initiator_name",
        "iqn",
        "iscsi_interface",
        "lun",
        "portals",
        "read_only",
        "secret_ref",
        "target_portal",
    )


@dataclass(kw_only=True)
class PhotonPersistentDiskVolume(_BaseVolume):
    """A Photon Controller persistent disk (`photonPersistentDisk`)."""

    pd_id: str
    fs_type: str | None = None

    _source_key = "photon_persistent_disk"
    _source_model = "PhotonPersistentDiskVolumeSource"
    _source_fields = ("fs_type", "pd_id")


@dataclass(kw_only=True)
class PortworxVolume(_BaseVolume):
    """A Portworx volume (`portworxVolume`)."""

    volume_id: str
    fs_type: str | None = None

    _source_key = "portworx_volume"
    _source_model = "PortworxVolumeSource"
    _source_fields = ("fs_type", "read_only", "volume_id")


@dataclass(kw_only=True)
class QuobyteVolume(_BaseVolume):
    """A Quobyte volume (`quobyte`)."""

    registry: str
    volume: str
    group: str | None = None
    tenant: str | None = None
    user: str | None = None

    _source_key = "quobyte"
    _source_model = "QuobyteVolumeSource"
    _source_fields = ("group", "read_only", "registry", "tenant", "user", "volume")


@dataclass(kw_only=True)
class RBDVolume(_BaseVolume):
    """A Rados Block Device (`rbd`)."""

    image: str
    monitors: list[str]
    fs_type: str | None = None
    keyring: str | None = None
    pool: str | None = None
    secret_ref: m.LocalObjectReference | None = None
    user: str | None = None

    _source_key = "rbd"
    _source_model = "RBDVolumeSource"
    _source_fields = ("fs_type", "image", "keyring", "monitors", "pool", "read_only", "secret_ref", "user")


@dataclass(kw_only=True)
class ScaleIOVolume(_BaseVolume):
    """A ScaleIO volume (`scaleIO`)."""

    gateway: str
    secret_ref: m.LocalObjectReference
    system: str
    fs_type: str | None = None
    protection_domain: str | None = None
    ssl_enabled: bool | None = None
    storage_mode: str | None = None
    storage_pool: str | None = None
    volume_name: str | None = None

    _source_key = "scale_io"
    _source_model = "ScaleIOVolumeSource"
    _source_fields = (
        "fs_type",
        "gateway",
        "protection_domain",
        "read_only",
        "secret_ref",
        "ssl_enabled",
        "storage_mode",
        "storage_pool",
        "system",
        "volume_name",
    )


@dataclass(kw_only=True)
class StorageOSVolume(_BaseVolume):
    """A StorageOS volume (`storageos`)."""

    fs_type: str | None = None
    secret_ref: m.LocalObjectReference | None = None
    volume_name: str | None = None
    volume_namespace: str | None = None

    _source_key = "storageos"
    _source_model = "StorageOSVolumeSource"
    _source_fields = ("fs_type", "read_only", "secret_ref", "volume_name", "volume_namespace")


@dataclass(kw_only=True)
class VsphereVirtualDiskVolume(_BaseVolume):
    """A vSphere virtual disk (`vsphereVolume`)."""

    volume_path: str
    fs_type: str | None = None
    storage_policy_id: str | None = None
    storage_policy_name: str | None = None

    _source_key = "vsphere_volume"
    _source_model = "VsphereVirtualDiskVolumeSource"
    _source_fields = ("fs_type", "storage_policy_id", "storage_policy_name", "volume_path")


def build_volume_mounts(volume_mounts: Any, volumes: Any) -> list[m.VolumeMount] | None:
    """A container's `volumeMounts`: the explicit ones first, then one per hera volume with a `mount_path`.

    Model `Volume`s and hera volumes without a mount path are not mounted. None when there are none.
    """
    mounts: list[Any] = []
    if volume_mounts is not None:
        mounts.extend(volume_mounts if isinstance(volume_mounts, list | tuple) else [volume_mounts])
    if volumes is not None:
        for volume in volumes if isinstance(volumes, list | tuple) else [volumes]:
            if isinstance(volume, _BaseVolume) and volume.mount_path:
                mounts.append(volume._build_volume_mount())
    return mounts or None


__all__ = [
    "AWSElasticBlockStoreVolume",
    "AccessMode",
    "AzureDiskVolume",
    "AzureFileVolume",
    "CSIVolume",
    "CephFSVolume",
    "CinderVolume",
    "ConfigMapVolume",
    "DownwardAPIVolume",
    "EmptyDirVolume",
    "EphemeralVolume",
    "ExistingVolume",
    "FCVolume",
    "FlexVolume",
    "FlockerVolume",
    "GCEPersistentDiskVolume",
    "GitRepoVolume",
    "GlusterfsVolume",
    "HostPathVolume",
    "ISCSIVolume",
    "NFSVolume",
    "PhotonPersistentDiskVolume",
    "PortworxVolume",
    "ProjectedVolume",
    "QuobyteVolume",
    "RBDVolume",
    "ScaleIOVolume",
    "SecretVolume",
    "StorageOSVolume",
    "Volume",
    "VsphereVirtualDiskVolume",
]
