"""The public authoring API of hera (compatible with Hera v5+), loaded lazily so `import` stays cheap.

Each public name maps to the module that defines it; the module is imported on first access.
"""

from __future__ import annotations

import importlib
import sys
import types

TYPE_CHECKING = False  # not `from typing import ...`: typing costs start-up time the runner pays on every task

_VOLUMES = (
    "AccessMode Volume ExistingVolume EmptyDirVolume SecretVolume ConfigMapVolume DownwardAPIVolume EphemeralVolume "
    "HostPathVolume NFSVolume ProjectedVolume CSIVolume AWSElasticBlockStoreVolume AzureDiskVolume AzureFileVolume "
    "CephFSVolume CinderVolume FCVolume FlexVolume FlockerVolume GCEPersistentDiskVolume GitRepoVolume "
    "GlusterfsVolume ISCSIVolume PhotonPersistentDiskVolume PortworxVolume QuobyteVolume RBDVolume ScaleIOVolume "
    "StorageOSVolume VsphereVirtualDiskVolume"
).split()

_EXPORTS: dict[str, tuple[str, ...]] = {
    "workflow": ("Workflow",),
    "workflow_template": ("WorkflowTemplate",),
    "cluster_workflow_template": ("ClusterWorkflowTemplate",),
    "cron_workflow": ("CronWorkflow",),
    "container": ("Container",),
    "script": ("Script", "script", "ScriptConstructor", "InlineScriptConstructor", "RunnerScriptConstructor"),
    "resource": ("Resource",),
    "suspend": ("Suspend",),
    "http_template": ("HTTP",),
    "data": ("Data",),
    "container_set": ("ContainerSet", "ContainerNode"),
    "steps": ("Steps", "Step", "Parallel", "parallel"),
    "dag": ("DAG",),
    "task": ("Task", "TaskResult"),
    "operator": ("Operator",),
    "user_container": ("UserContainer",),
    "parameter": ("Parameter",),
    "artifact": (
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
    ),
    "io": ("Input", "Output"),
    "archive": ("ArchiveStrategy", "NoneArchiveStrategy", "TarArchiveStrategy", "ZipArchiveStrategy"),
    "env": ("Env", "SecretEnv", "ConfigMapEnv", "FieldEnv", "ResourceEnv"),
    "env_from": ("SecretEnvFrom", "ConfigMapEnvFrom"),
    "resources": ("Resources",),
    "volume": tuple(_VOLUMES),
    "retry_strategy": ("RetryStrategy", "RetryPolicy"),
    "metrics": ("Metric", "Metrics", "Counter", "Gauge", "Histogram", "Label"),
    "workflow_status": ("WorkflowStatus",),
    "service": ("WorkflowsService",),
    "async_service": ("AsyncWorkflowsService",),
    "exceptions": ("InvalidType", "InvalidTemplateCall", "InvalidDispatchType", "NodeNameConflict"),
}

_NAME_TO_MODULE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_NAME_TO_MODULE)  # the 98 public names


def __getattr__(name: str) -> Any:
    module = _NAME_TO_MODULE.get(name)
    if module is None:
        if name == "models":
            return importlib.import_module("hera.workflows.models")
        raise AttributeError(f"module 'hera.workflows' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"hera.workflows.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*__all__, "models"]


# `script` names both a submodule and the decorator it defines. Importing the submodule binds the module onto
# this package (over the decorator); this class puts the decorator back, as Hera's eager imports do.
_SHADOWED = frozenset(name for name, module in _NAME_TO_MODULE.items() if name == module)


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # static view of the lazy names, for type checkers and IDEs
    from typing import Any

    from hera.workflows import models as models
    from hera.workflows.archive import ArchiveStrategy, NoneArchiveStrategy, TarArchiveStrategy, ZipArchiveStrategy
    from hera.workflows.artifact import (
        Artifact,
        ArtifactLoader,
        ArtifactoryArtifact,
        AzureArtifact,
        GCSArtifact,
        GitArtifact,
        HDFSArtifact,
        HTTPArtifact,
        OSSArtifact,
        PluginArtifact,
        RawArtifact,
        S3Artifact,
    )
    from hera.workflows.async_service import AsyncWorkflowsService
    from hera.workflows.cluster_workflow_template import ClusterWorkflowTemplate
    from hera.workflows.container import Container
    from hera.workflows.container_set import ContainerNode, ContainerSet
    from hera.workflows.cron_workflow import CronWorkflow
    from hera.workflows.dag import DAG
    from hera.workflows.data import Data
    from hera.workflows.env import ConfigMapEnv, Env, FieldEnv, ResourceEnv, SecretEnv
    from hera.workflows.env_from import ConfigMapEnvFrom, SecretEnvFrom
    from hera.workflows.exceptions import InvalidDispatchType, InvalidTemplateCall, InvalidType, NodeNameConflict
    from hera.workflows.http_template import HTTP
    from hera.workflows.io import Input, Output
    from hera.workflows.metrics import Counter, Gauge, Histogram, Label, Metric, Metrics
    from hera.workflows.operator import Operator
    from hera.workflows.parameter import Parameter
    from hera.workflows.resource import Resource
    from hera.workflows.resources import Resources
    from hera.workflows.retry_strategy import RetryPolicy, RetryStrategy
    from hera.workflows.script import (
        InlineScriptConstructor,
        RunnerScriptConstructor,
        Script,
        ScriptConstructor,
        script,
    )
    from hera.workflows.service import WorkflowsService
    from hera.workflows.steps import Parallel, Step, Steps, parallel
    from hera.workflows.suspend import Suspend
    from hera.workflows.task import Task, TaskResult
    from hera.workflows.user_container import UserContainer
    from hera.workflows.volume import (
        AccessMode,
        AWSElasticBlockStoreVolume,
        AzureDiskVolume,
        AzureFileVolume,
        CephFSVolume,
        CinderVolume,
        ConfigMapVolume,
        CSIVolume,
        DownwardAPIVolume,
        EmptyDirVolume,
        EphemeralVolume,
        ExistingVolume,
        FCVolume,
        FlexVolume,
        FlockerVolume,
        GCEPersistentDiskVolume,
        GitRepoVolume,
        GlusterfsVolume,
        HostPathVolume,
        ISCSIVolume,
        NFSVolume,
        PhotonPersistentDiskVolume,
        PortworxVolume,
        ProjectedVolume,
        QuobyteVolume,
        RBDVolume,
        ScaleIOVolume,
        StorageOSVolume,
        Volume,
        VsphereVirtualDiskVolume,
    )
    from hera.workflows.workflow import Workflow
    from hera.workflows.workflow_status import WorkflowStatus
    from hera.workflows.workflow_template import WorkflowTemplate
