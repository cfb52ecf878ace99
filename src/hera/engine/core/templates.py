"""Template resolution: `template:` / `templateRef:` / `inline:` references, templateDefaults, and the merge
of a Workflow over the WorkflowTemplate named by `workflowTemplateRef`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

TEMPLATE_TYPES = ("container", "containerSet", "steps", "dag", "script", "resource", "data", "suspend", "http", "plugin")

#: Looks up a WorkflowTemplate (cluster False) or ClusterWorkflowTemplate (True) document by name.
TemplateLookup = Callable[[str, bool], Mapping[str, Any] | None]


class TemplateError(Exception):
    """A reference to a template that does not exist (the node becomes Error with this message)."""


def template_type(tmpl: Mapping[str, Any]) -> str | None:
    """The template's type, tested in Argo's order, or None when it has none."""
    for t in TEMPLATE_TYPES:
        if tmpl.get(t) is not None:
            return t
    return None


class TmplCtx:
    """Where `template: <name>` references resolve: the workflow's templates, or a (Cluster)WorkflowTemplate's."""

    __slots__ = ("_children", "lookup", "scope", "templates")

    def __init__(self, templates: list[dict[str, Any]], scope: str, lookup: TemplateLookup) -> None:
        self.templates = {t.get("name"): t for t in templates if isinstance(t, dict)}
        self.scope = scope
        self.lookup = lookup
        self._children: dict[tuple[str, bool], TmplCtx] = {}

    def _ref_ctx(self, name: str, cluster: bool) -> TmplCtx:
        key = (name, cluster)
        ctx = self._children.get(key)
        if ctx is None:
            doc = self.lookup(name, cluster)
            if doc is None:
                kind = "clusterworkflowtemplates" if cluster else "workflowtemplates"
                raise TemplateError(f'{kind}.argoproj.io "{name}" not found')
            spec = doc.get("spec") or {}
            scope = f"cluster/{name}" if cluster else f"namespaced/{name}"
            ctx = TmplCtx(spec.get("templates") or [], scope, self.lookup)
            self._children[key] = ctx
        return ctx

    def resolve(self, holder: Mapping[str, Any]) -> tuple[dict[str, Any], TmplCtx]:
        """(template, context of that template) for a step/task/entrypoint holder; raises TemplateError."""
        inline = holder.get("inline")
        if inline:
            return inline, self
        ref = holder.get("templateRef")
        if ref:
            name = ref.get("name") or ""
            tname = ref.get("template") or ""
            ctx = self._ref_ctx(name, bool(ref.get("clusterScope")))
            tmpl = ctx.templates.get(tname)
            if tmpl is None:
                raise TemplateError(f"template {tname} not found in workflow template {name}")
            return tmpl, ctx
        name = holder.get("template")
        if not name:
            raise TemplateError("template name cannot be empty")
        tmpl = self.templates.get(name)
        if tmpl is None:
            raise TemplateError(f"template {name} not found")
        return tmpl, self


def deep_merge(base: Any, over: Any) -> Any:
    """`over` merged onto `base`: dicts recursively, anything else replaced by `over`."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = deep_merge(base[k], v) if k in base else v
        return out
    return copy.deepcopy(over) if isinstance(over, dict | list) else over


def apply_defaults(tmpl: dict[str, Any], defaults: Mapping[str, Any] | None) -> dict[str, Any]:
    """`tmpl` over `spec.templateDefaults`; type sections of the defaults apply only to templates of that type."""
    if not defaults:
        return tmpl
    ttype = template_type(tmpl)
    base = {k: v for k, v in defaults.items() if k not in TEMPLATE_TYPES or k == ttype}
    return deep_merge(base, tmpl)


def _merge_named(base: list[Any] | None, over: list[Any] | None) -> list[Any]:
    out: dict[str, Any] = {}
    order: list[str] = []
    for item in (base or []) + (over or []):
        if not isinstance(item, dict):
            continue
        name = item.get("name", "")
        if name not in out:
            order.append(name)
            out[name] = item
        else:
            out[name] = deep_merge(out[name], item)
    return [out[n] for n in order]


def merge_workflow_spec(wf_spec: Mapping[str, Any], wt_spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec a Workflow with `workflowTemplateRef` runs: the template's spec with the Workflow's fields over it."""
    out: dict[str, Any] = copy.deepcopy(dict(wt_spec))
    for key, value in wf_spec.items():
        if key == "workflowTemplateRef":
            continue
        if key == "arguments":
            base_args = out.get("arguments") or {}
            args = dict(base_args)
            if "parameters" in value or "parameters" in base_args:
                args["parameters"] = _merge_named(base_args.get("parameters"), value.get("parameters"))
            if "artifacts" in value or "artifacts" in base_args:
                args["artifacts"] = _merge_named(base_args.get("artifacts"), value.get("artifacts"))
            out["arguments"] = args
        elif key == "templates":
            out["templates"] = _merge_named(out.get("templates"), value)
        else:
            out[key] = deep_merge(out[key], value) if key in out else copy.deepcopy(value)
    return out
