"""Template lookup for `templateRef` / `workflowTemplateRef`: a protocol plus a store built from documents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

__all__ = ["TemplateLookup", "TemplateStore"]


class TemplateLookup(Protocol):
    """Finds a WorkflowTemplate (cluster_scope False) or ClusterWorkflowTemplate (True) document by name."""

    def __call__(self, name: str, cluster_scope: bool = False) -> Mapping[str, Any] | None: ...


class TemplateStore:
    """An in-memory `TemplateLookup` over WorkflowTemplate / ClusterWorkflowTemplate documents (dicts)."""

    def __init__(self, documents: Iterable[Mapping[str, Any]] = ()) -> None:
        self._namespaced: dict[str, Mapping[str, Any]] = {}
        self._cluster: dict[str, Mapping[str, Any]] = {}
        for doc in documents:
            self.add(doc)

    def add(self, document: Mapping[str, Any]) -> bool:
        """Add a (Cluster)WorkflowTemplate document; other kinds are ignored (returns False)."""
        if not isinstance(document, Mapping):
            return False
        kind = document.get("kind")
        name = (document.get("metadata") or {}).get("name")
        if not name:
            return False
        if kind == "WorkflowTemplate":
            self._namespaced[name] = document
        elif kind == "ClusterWorkflowTemplate":
            self._cluster[name] = document
        else:
            return False
        return True

    def __call__(self, name: str, cluster_scope: bool = False) -> Mapping[str, Any] | None:
        return (self._cluster if cluster_scope else self._namespaced).get(name)

    def __len__(self) -> int:
        return len(self._namespaced) + len(self._cluster)
