"""The checks behind `lint_workflow`: a walk over one document that mirrors Argo's `workflow/validate`.

Each template is checked once (with any arguments, as Argo does for unreferenced templates); each call
site (entrypoint, step, task, exit handler, hook) is checked against the called template's inputs.
Templates reached through `templateRef` are looked up but not re-checked: lint their own documents.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Any

from hera.lint._base import Namespace
from hera.lint._graph import GraphChecks
from hera.lint._util import KINDS, as_list, as_map, is_param_expr
from hera.lint.cron import valid_cron
from hera.lint.lookup import TemplateLookup
from hera.lint.names import (
    MAX_CRON_WORKFLOW_NAME,
    field_name_errors,
    generate_name_errors,
    object_name_errors,
)
from hera.lint.problems import Problem

__all__ = ["lint_document"]


def lint_document(doc: Mapping[str, Any], templates: TemplateLookup | None) -> list[Problem]:
    """All problems in one Argo document (dispatch on `kind`)."""
    if not isinstance(doc, Mapping):
        return [Problem(f"expected a document (mapping), got {type(doc).__name__}", rule="not-a-document")]
    was_enabled = gc.isenabled()
    gc.disable()  # a big DAG allocates many small objects; collections would only slow the walk down
    try:
        return _Linter(doc, templates).run()
    finally:
        if was_enabled:
            gc.enable()


class _Linter(GraphChecks):
    """Document-level checks: metadata, CronWorkflow fields, workflowTemplateRef, globals, entrypoint."""

    def run(self) -> list[Problem]:
        """Check the document and return the problems found."""
        kind = self.kind
        if kind not in KINDS:
            self.add(f"cannot lint kind {kind!r} (expected one of {', '.join(KINDS)})", rule="unsupported-kind", field="kind")
            return self.problems
        self.check_metadata()
        spec = as_map(self.doc.get("spec"))
        if kind == "CronWorkflow":
            self.check_cron(spec)
            meta_spec = spec
            spec = as_map(spec.get("workflowSpec"))
            if not spec:
                self.add("spec.workflowSpec is required", rule="missing-field", field="spec.workflowSpec")
                return self.problems
            self.spec_field = "spec.workflowSpec"
            extra_meta = as_map(meta_spec.get("workflowMetadata"))
        else:
            self.spec_field = "spec"
            extra_meta = as_map(spec.get("workflowMetadata"))
        spec = self.merge_workflow_template_ref(spec)
        self.spec = spec
        self.ns = Namespace(spec)
        self.build_globals(spec, extra_meta)
        self.check_spec(spec)
        return self.problems

    def check_metadata(self) -> None:
        """metadata.name / generateName as Kubernetes accepts them (when given)."""
        meta = self.meta
        name, generate = meta.get("name"), meta.get("generateName")
        if not name and not generate:
            # Argo's lint does not require a name (the server or the engine may give one)
            return
        if name:
            if not isinstance(name, str):
                self.add("metadata.name must be a string", rule="invalid-name", field="metadata.name")
                return
            limit = MAX_CRON_WORKFLOW_NAME if self.kind == "CronWorkflow" else 63
            for err in object_name_errors(name, max_length=limit):
                self.add(f"{self.kind.lower()} name {name!r} is invalid: {err}", rule="invalid-name", field="metadata.name")
        elif generate:
            if not isinstance(generate, str):
                self.add("metadata.generateName must be a string", rule="invalid-name", field="metadata.generateName")
                return
            for err in generate_name_errors(generate):
                self.add(f"generateName {generate!r} is invalid: {err}", rule="invalid-name", field="metadata.generateName")

    def check_cron(self, spec: Mapping[str, Any]) -> None:
        """CronWorkflow fields: at least one valid schedule, a known concurrencyPolicy."""
        schedules = []
        if spec.get("schedule"):
            schedules.append(("spec.schedule", spec["schedule"]))
        for i, s in enumerate(as_list(spec.get("schedules"))):
            schedules.append((f"spec.schedules[{i}]", s))
        if not schedules:
            self.add("spec.schedule or spec.schedules is required", rule="cron-schedule", field="spec.schedules")
        for field, sched in schedules:
            if not isinstance(sched, str) or not valid_cron(sched):
                self.add(f"invalid cron schedule {sched!r}", rule="cron-schedule", field=field)
        policy = spec.get("concurrencyPolicy")
        if policy is not None and policy not in ("Allow", "Forbid", "Replace"):
            self.add(
                f"concurrencyPolicy {policy!r} is invalid (Allow, Forbid or Replace)",
                rule="cron-concurrency-policy",
                field="spec.concurrencyPolicy",
            )

    def merge_workflow_template_ref(self, spec: Mapping[str, Any]) -> Mapping[str, Any]:
        """With a lookup, the spec of the referenced template with this spec merged over it."""
        ref = spec.get("workflowTemplateRef")
        if not ref:
            return spec
        ref = as_map(ref)
        name = ref.get("name")
        field = f"{self.spec_field}.workflowTemplateRef"
        if not name:
            self.add("workflowTemplateRef.name is required", rule="unknown-workflow-template", field=field)
            return spec
        if self.lookup is None:
            self.ref_unresolved = True
            return spec
        cluster = bool(ref.get("clusterScope"))
        target = self.lookup(name, cluster)
        if target is None:
            kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
            self.add(f"{kind} {name!r} not found", rule="unknown-workflow-template", field=field)
            self.ref_unresolved = True
            return spec
        base = dict(as_map(target.get("spec")))
        merged = dict(base)
        for key, value in spec.items():
            if key == "workflowTemplateRef":
                continue
            if key == "arguments":
                merged["arguments"] = _merge_arguments(as_map(base.get("arguments")), as_map(value))
            elif key == "templates":
                merged["templates"] = [*as_list(base.get("templates")), *as_list(value)]
            else:
                merged[key] = value
        return merged

    def build_globals(self, spec: Mapping[str, Any], extra_meta: Mapping[str, Any]) -> None:
        """The `workflow.*` variables this document defines (parameters, artifacts, labels, annotations, global
        outputs)."""
        g = self.globals
        g.update(
            f"workflow.{k}"
            for k in (
                "name", "namespace", "mainEntrypoint", "serviceAccountName", "uid", "priority", "status", "failures",
                "parameters", "parameters.json", "annotations", "annotations.json", "labels", "labels.json",
            )
        )  # fmt: skip
        for source in (self.meta, extra_meta):
            for k in as_map(source.get("annotations")):
                g.add(f"workflow.annotations.{k}")
            for k in as_map(source.get("labels")):
                g.add(f"workflow.labels.{k}")
        for k in as_map(as_map(extra_meta.get("labelsFrom"))):
            g.add(f"workflow.labels.{k}")
        arguments = as_map(spec.get("arguments"))
        for kind in ("parameters", "artifacts"):  # `{{workflow.parameters.p}}`, `from: "{{workflow.artifacts.a}}"`
            for item in as_list(arguments.get(kind)):
                if isinstance(item, Mapping) and item.get("name"):
                    g.add(f"workflow.{kind}.{item['name']}")
        # global outputs: every globalName of any template in this document
        for t in self.ns.templates.values():
            outputs = as_map(t.get("outputs"))
            for p in as_list(outputs.get("parameters")):
                gname = as_map(p).get("globalName")
                if gname:
                    if is_param_expr(gname):
                        self.any_global_param = True
                    else:
                        g.add(f"workflow.outputs.parameters.{gname}")
            for a in as_list(outputs.get("artifacts")):
                gname = as_map(a).get("globalName")
                if gname:
                    if is_param_expr(gname):
                        self.any_global_artifact = True
                    else:
                        g.add(f"workflow.outputs.artifacts.{gname}")

    def check_spec(self, spec: Mapping[str, Any]) -> None:
        """Template names, spec arguments, entrypoint, exit handler, hooks, then every template."""
        sf = self.spec_field
        templates = spec.get("templates")
        has_ref = bool(spec.get("workflowTemplateRef"))
        if templates is not None and not isinstance(templates, list):
            self.add("spec.templates must be a list", rule="invalid-field", field=f"{sf}.templates")
            templates = []
        templates = as_list(templates)
        if not templates and not has_ref:
            self.add("spec.templates must contain at least one template", rule="missing-field", field=f"{sf}.templates")
        # template names: valid and unique
        seen: set[str] = set()
        for i, t in enumerate(templates):
            field = f"{sf}.templates[{i}]"
            if not isinstance(t, Mapping):
                self.add("a template must be a mapping", rule="invalid-field", field=field)
                continue
            name = t.get("name")
            if not name or not isinstance(name, str):
                message = "template name is required"
                if t in _inline_templates(templates):
                    message += (
                        " (it is also a task's or step's `inline` template: as in Hera, a template object created"
                        " inside a workflow context is added to spec.templates; create it outside the context)"
                    )
                self.add(message, rule="missing-name", field=f"{field}.name")
                continue
            for err in field_name_errors(name):
                self.add(f"template name {name!r} is invalid: {err}", rule="invalid-name", template=name, field=f"{field}.name")
            if name in seen:
                self.add(f"template name {name!r} is not unique", rule="duplicate-name", template=name, field=f"{field}.name")
            seen.add(name)
        # spec-level arguments
        args = as_map(spec.get("arguments"))
        self.check_arguments_values(args, sf, allow_empty=True)
        deadline = spec.get("activeDeadlineSeconds")
        if isinstance(deadline, (int, float)) and not isinstance(deadline, bool) and deadline <= 0:
            self.add("activeDeadlineSeconds must be greater than 0", rule="invalid-field", field=f"{sf}.activeDeadlineSeconds")
        # entrypoint
        entry = spec.get("entrypoint")
        unresolved_ref = has_ref and (self.lookup is None or self.ref_unresolved)
        if entry:
            if not unresolved_ref:
                tmpl = self.ns.templates.get(entry)
                if tmpl is None:
                    self.add(f"spec.entrypoint template {entry!r} is not defined", rule="unknown-template", field=f"{sf}.entrypoint")
                elif not self.template_validation:
                    self.check_call(tmpl, args, where={"field": f"{sf}.arguments"}, entry=True)
        elif self.kind in ("Workflow", "CronWorkflow") and not unresolved_ref:
            self.add("spec.entrypoint is required", rule="missing-field", field=f"{sf}.entrypoint")
        # exit handler and workflow hooks
        on_exit = spec.get("onExit")
        if on_exit and not unresolved_ref:
            if on_exit not in self.ns.templates:
                self.add(f"spec.onExit template {on_exit!r} is not defined", rule="unknown-template", field=f"{sf}.onExit")
            elif not self.template_validation:
                self.check_call(self.ns.templates[on_exit], args, where={"field": f"{sf}.onExit"}, entry=True)
        for hname, hook in as_map(spec.get("hooks")).items():
            self.check_hook(hook, f"{sf}.hooks.{hname}", hname, template=None)
        # every template
        for i, t in enumerate(templates):
            if isinstance(t, Mapping) and isinstance(t.get("name"), str):
                self.check_template(t, f"{sf}.templates[{i}]")


def _merge_arguments(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("parameters", "artifacts"):
        merged: dict[Any, Any] = {}
        for item in as_list(base.get(kind)):
            merged[as_map(item).get("name")] = item
        for item in as_list(over.get(kind)):
            name = as_map(item).get("name")
            known = merged.get(name)
            # merged by name, field by field (a strategic merge, as Argo joins the specs): a value given here
            # keeps the template's `enum` and description
            merged[name] = {**known, **item} if isinstance(known, Mapping) and isinstance(item, Mapping) else item
        if merged:
            out[kind] = list(merged.values())
    return out


def _inline_templates(templates: list[Any]) -> list[Any]:
    """The `inline` templates of the DAG tasks and steps among `templates` (to explain a nameless template)."""
    found: list[Any] = []
    for t in templates:
        if not isinstance(t, Mapping):
            continue
        dag = t.get("dag")
        calls: list[Any] = list(dag.get("tasks") or []) if isinstance(dag, Mapping) else []
        for group in t.get("steps") or []:
            if isinstance(group, list):
                calls.extend(group)
        found.extend(c["inline"] for c in calls if isinstance(c, Mapping) and isinstance(c.get("inline"), Mapping))
    return found
