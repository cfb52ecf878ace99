"""`Artifact` and its storage kinds (S3, GCS, Azure, Git, HTTP, HDFS, OSS, Raw, Artifactory, Plugin).

Imports nothing heavy: the runner loads it (through user modules) on every task start; models load on build.
"""

from __future__ import annotations

from enum import Enum

from hera.shared.errors import HeraValidationError
from hera.workflows._light import LightRecord, models_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar, Optional, Union

    from hera.workflows import models as m
    from hera.workflows.archive import ArchiveStrategy

__all__ = [
    "Artifact",
    "ArtifactLoader",
    "ArtifactoryArtifact",
    "AzureArtifact",
    "GCSArtifact",
    "GitArtifact",
    "HDFSArtifact",
    "HTTPArtifact",
    "OSSArtifact",
    "PluginArtifact",
    "RawArtifact",
    "S3Artifact",
]


class ArtifactLoader(str, Enum):
    """How the runner loads an input artifact: `json` parses the file, `file` passes its text."""

    json = "json"
    file = "file"

    def __str__(self) -> str:
        return self.value


_STORAGE_MODELS = {
    "s3": "S3Artifact",
    "gcs": "GCSArtifact",
    "azure": "AzureArtifact",
    "git": "GitArtifact",
    "http": "HTTPArtifact",
    "hdfs": "HDFSArtifact",
    "oss": "OSSArtifact",
    "raw": "RawArtifact",
    "artifactory": "ArtifactoryArtifact",
    "plugin": "PluginArtifact",
}


class Artifact(LightRecord):
    """An Argo artifact. Subclasses add a storage block (`s3:`, `gcs:`, ...)."""

    name: Optional[str] = None
    path: Optional[str] = None
    from_: Optional[str] = None
    from_expression: Optional[str] = None
    sub_path: Optional[str] = None
    mode: Optional[int] = None
    recurse_mode: Optional[bool] = None
    archive: Optional[Union[ArchiveStrategy, m.ArchiveStrategy]] = None
    archive_logs: Optional[bool] = None
    artifact_gc: Optional[m.ArtifactGC] = None
    deleted: Optional[bool] = None
    global_name: Optional[str] = None
    optional: Optional[bool] = None
    output: bool = False
    loader: Optional[ArtifactLoader] = None
    loads: Optional[Callable[[str], Any]] = None
    dumps: Optional[Callable[[Any], str]] = None
    loadb: Optional[Callable[[bytes], Any]] = None
    dumpb: Optional[Callable[[Any], bytes]] = None

    _storage_key: ClassVar[Optional[str]] = None
    """The key of the storage block in the Argo artifact (`s3`, `gcs`, ...)."""

    _storage_fields: ClassVar[dict[str, str]] = {}
    """Hera field name → JSON name inside the storage block."""

    def with_name(self, name: str) -> Artifact:
        """A copy of this artifact under another name."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.name = name
        return new

    def _build_storage(self) -> Any:
        if self._storage_key is None:
            return None
        m = models_module()

        data = {alias: getattr(self, attr) for attr, alias in self._storage_fields.items()}
        data = {k: v for k, v in data.items() if v is not None}
        model_cls = getattr(m, _STORAGE_MODELS[self._storage_key])
        return model_cls.model_validate(data)

    def _build_archive(self) -> Any:
        archive = self.archive
        if archive is None:
            return None
        build = getattr(archive, "_build_archive_strategy", None)
        return build() if build is not None else archive

    def _build_artifact(self) -> m.Artifact:
        """The `models.Artifact` for this artifact (used for inputs, outputs and arguments alike)."""
        m = models_module()

        if not self.name:
            raise HeraValidationError("an Artifact needs a non-empty `name` to be built", field="artifacts")
        data: dict[str, Any] = {
            "name": self.name,
            "path": self.path,
            "from": self.from_,
            "fromExpression": self.from_expression,
            "subPath": self.sub_path,
            "mode": self.mode,
            "recurseMode": self.recurse_mode,
            "archive": self._build_archive(),
            "archiveLogs": self.archive_logs,
            "artifactGC": self.artifact_gc,
            "deleted": self.deleted,
            "globalName": self.global_name,
            "optional": self.optional,
        }
        if self._storage_key is not None:
            data[self._storage_key] = self._build_storage()
        return m.Artifact.model_validate({k: v for k, v in data.items() if v is not None})

    # Hera's names for the same build, used by templates and arguments.
    def as_input(self) -> m.Artifact:
        """The template-input form."""
        return self._build_artifact()

    def as_output(self) -> m.Artifact:
        """The template-output form."""
        return self._build_artifact()

    def as_argument(self) -> m.Artifact:
        """The argument form."""
        return self._build_artifact()


class S3Artifact(Artifact):
    """An artifact stored in S3 (or an S3-compatible store)."""

    key: Optional[str] = None
    bucket: Optional[str] = None
    endpoint: Optional[str] = None
    region: Optional[str] = None
    insecure: Optional[bool] = None
    access_key_secret: Optional[m.SecretKeySelector] = None
    secret_key_secret: Optional[m.SecretKeySelector] = None
    session_token_secret: Optional[m.SecretKeySelector] = None
    role_arn: Optional[str] = None
    use_sdk_creds: Optional[bool] = None
    encryption_options: Optional[m.S3EncryptionOptions] = None
    ca_secret: Optional[m.SecretKeySelector] = None
    create_bucket_if_not_present: Optional[m.CreateS3BucketOptions] = None
    addressing_style: Optional[str] = None

    _storage_key: ClassVar[Optional[str]] = "s3"
    _storage_fields: ClassVar[dict[str, str]] = {
        "key": "key",
        "bucket": "bucket",
        "endpoint": "endpoint",
        "region": "region",
        "insecure": "insecure",
        "access_key_secret": "accessKeySecret",
        "secret_key_secret": "secretKeySecret",
        "session_token_secret": "sessionTokenSecret",
        "role_arn": "roleARN",
        "use_sdk_creds": "useSDKCreds",
        "encryption_options": "encryptionOptions",
        "ca_secret": "caSecret",
        "create_bucket_if_not_present": "createBucketIfNotPresent",
        "addressing_style": "addressingStyle",
    }


class GCSArtifact(Artifact):
    """An artifact stored in Google Cloud Storage."""

    key: str
    bucket: Optional[str] = None
    service_account_key_secret: Optional[m.SecretKeySelector] = None

    _storage_key: ClassVar[Optional[str]] = "gcs"
    _storage_fields: ClassVar[dict[str, str]] = {
        "key": "key",
        "bucket": "bucket",
        "service_account_key_secret": "serviceAccountKeySecret",
    }


class AzureArtifact(Artifact):
    """An artifact stored in Azure Blob Storage."""

    endpoint: str
    container: str
    blob: str
    account_key_secret: Optional[m.SecretKeySelector] = None
    use_sdk_creds: Optional[bool] = None

    _storage_key: ClassVar[Optional[str]] = "azure"
    _storage_fields: ClassVar[dict[str, str]] = {
        "endpoint": "endpoint",
        "container": "container",
        "blob": "blob",
        "account_key_secret": "accountKeySecret",
        "use_sdk_creds": "useSDKCreds",
    }


class GitArtifact(Artifact):
    """An artifact checked out from a Git repository."""

    repo: str
    revision: Optional[str] = None
    branch: Optional[str] = None
    depth: Optional[int] = None
    fetch: Optional[list[str]] = None
    single_branch: Optional[bool] = None
    disable_submodules: Optional[bool] = None
    insecure_ignore_host_key: Optional[bool] = None
    insecure_skip_tls: Optional[bool] = None
    username_secret: Optional[m.SecretKeySelector] = None
    password_secret: Optional[m.SecretKeySelector] = None
    ssh_private_key_secret: Optional[m.SecretKeySelector] = None

    _storage_key: ClassVar[Optional[str]] = "git"
    _storage_fields: ClassVar[dict[str, str]] = {
        "repo": "repo",
        "revision": "revision",
        "branch": "branch",
        "depth": "depth",
        "fetch": "fetch",
        "single_branch": "singleBranch",
        "disable_submodules": "disableSubmodules",
        "insecure_ignore_host_key": "insecureIgnoreHostKey",
        "insecure_skip_tls": "insecureSkipTLS",
        "username_secret": "usernameSecret",
        "password_secret": "passwordSecret",
        "ssh_private_key_secret": "sshPrivateKeySecret",
    }


class HTTPArtifact(Artifact):
    """An artifact fetched from (or uploaded to) an HTTP URL."""

    url: str
    headers: Optional[list[m.Header]] = None
    auth: Optional[m.HTTPAuth] = None

    _storage_key: ClassVar[Optional[str]] = "http"
    _storage_fields: ClassVar[dict[str, str]] = {"url": "url", "headers": "headers", "auth": "auth"}


class HDFSArtifact(Artifact):
    """An artifact stored in HDFS (`hdfs_path` is the HDFS path, `path` the path in the container)."""

    hdfs_path: str
    hdfs_user: Optional[str] = None
    addresses: Optional[list[str]] = None
    force: Optional[bool] = None
    data_transfer_protection: Optional[str] = None
    krb_c_cache_secret: Optional[m.SecretKeySelector] = None
    krb_config_config_map: Optional[m.ConfigMapKeySelector] = None
    krb_keytab_secret: Optional[m.SecretKeySelector] = None
    krb_realm: Optional[str] = None
    krb_service_principal_name: Optional[str] = None
    krb_username: Optional[str] = None

    _storage_key: ClassVar[Optional[str]] = "hdfs"
    _storage_fields: ClassVar[dict[str, str]] = {
        "hdfs_path": "path",
        "hdfs_user": "hdfsUser",
        "addresses": "addresses",
        "force": "force",
        "data_transfer_protection": "dataTransferProtection",
        "krb_c_cache_secret": "krbCCacheSecret",
        "krb_config_config_map": "krbConfigConfigMap",
        "krb_keytab_secret": "krbKeytabSecret",
        "krb_realm": "krbRealm",
        "krb_service_principal_name": "krbServicePrincipalName",
        "krb_username": "krbUsername",
    }


class OSSArtifact(Artifact):
    """An artifact stored in Alibaba Cloud OSS."""

    key: str
    bucket: Optional[str] = None
    endpoint: Optional[str] = None
    access_key_secret: Optional[m.SecretKeySelector] = None
    secret_key_secret: Optional[m.SecretKeySelector] = None
    security_token: Optional[str] = None
    lifecycle_rule: Optional[m.OSSLifecycleRule] = None
    create_bucket_if_not_present: Optional[bool] = None
    use_sdk_creds: Optional[bool] = None

    _storage_key: ClassVar[Optional[str]] = "oss"
    _storage_fields: ClassVar[dict[str, str]] = {
        "key": "key",
        "bucket": "bucket",
        "endpoint": "endpoint",
        "access_key_secret": "accessKeySecret",
        "secret_key_secret": "secretKeySecret",
        "security_token": "securityToken",
        "lifecycle_rule": "lifecycleRule",
        "create_bucket_if_not_present": "createBucketIfNotPresent",
        "use_sdk_creds": "useSDKCreds",
    }


class RawArtifact(Artifact):
    """An artifact whose content is given inline (`raw.data`)."""

    data: str

    _storage_key: ClassVar[Optional[str]] = "raw"
    _storage_fields: ClassVar[dict[str, str]] = {"data": "data"}


class ArtifactoryArtifact(Artifact):
    """An artifact stored in JFrog Artifactory."""

    url: str
    username_secret: Optional[m.SecretKeySelector] = None
    password_secret: Optional[m.SecretKeySelector] = None

    _storage_key: ClassVar[Optional[str]] = "artifactory"
    _storage_fields: ClassVar[dict[str, str]] = {
        "url": "url",
        "username_secret": "usernameSecret",
        "password_secret": "passwordSecret",
    }


class PluginArtifact(Artifact):
    """An artifact handled by an artifact plugin (`plugin_name` is the plugin's name)."""

    key: str
    plugin_name: Optional[str] = None
    configuration: Optional[str] = None
    connection_timeout_seconds: Optional[int] = None

    _storage_key: ClassVar[Optional[str]] = "plugin"
    _storage_fields: ClassVar[dict[str, str]] = {
        "key": "key",
        "plugin_name": "name",
        "configuration": "configuration",
        "connection_timeout_seconds": "connectionTimeoutSeconds",
    }
