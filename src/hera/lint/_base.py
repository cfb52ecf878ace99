"""The linter's state and the checks every part shares: reporting, arguments and calls, template
references, and resolution of `{{...}}` references against a scope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hera.lint._refs import Items, PlusOne, Producer
from hera.lint._util import (
    ALWAYS_OK,
    ARTIFACT_SOURCES,
    UNKNOWN,
    VALID_PREFIXES,
    as_list,
    as_map,
    is_param_expr,
    simple_tags,
)
from hera.lint.lookup import TemplateLookup
from hera.lint.problems import Problem

__all__ = ["LinterBase", "Namespace"]


class Namespace:
    """The templates visible by plain name: those of one document (the linted one or a referenced one)."""

    __slots__ = ("defaults", "templates")

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.templates: dict[str, Mapping[str, Any]] = {}
        for t in as_list(spec.get("templates")):
            if isinstance(t, Mapping) and isinstance(t.get("name"), str):
                self.templates.setdefault(t["name"], t)
        self.defaults = as_map(spec.get("templateDefaults"))


class LinterBase:
    """State of one linting run plus the shared checks; subclasses add template, graph and document checks."""

    def __init__(self, doc: Mapping[str, Any], lookup: TemplateLookup | None) -> None:
        self.doc = doc
        self.lookup = lookup
        self.problems: list[Problem] = []
        meta = as_map(doc.get("metadata"))
        self.meta = meta
        self.kind = doc.get("kind") or "Workflow"
        self.wf_name: str | None = meta.get("name") or meta.get("generateName") or None
        self.template_validation = self.kind in ("WorkflowTemplate", "ClusterWorkflowTemplate")
        self.globals: set[str] = set()
        self.any_global_param = False
        self.any_global_artifact = False
        self.spec: Mapping[str, Any] = {}
        self.ns: Namespace = Namespace({})
        self._ref_cache: dict[tuple[str, str, bool], Any] = {}
        self._req_cache: dict[int, tuple[Any, tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        self._last_producers: Mapping[str, Producer] = {}
        self._last_status: Any = set()
        self.ref_unresolved = False
        self.spec_field = "spec"

    def add(self, message: str, *, rule: str, template: str | None = None, task: str | None = None, field: str | None = None) -> None:
        """Record one problem at the given location."""
        self.problems.append(Problem(message, self.wf_name, template, task, field, rule))

    def check_hook(self, hook: Any, field: str, hname: str, template: str | None, task: str | None = None) -> None:
        """A lifecycle hook (or `hooks.exit`): an expression unless it is the exit hook, and a valid call."""
        hook = as_map(hook)
        if hname != "exit" and not hook.get("expression"):
            self.add(f"hook {hname!r} needs an expression", rule="hook-expression", template=template, task=task, field=f"{field}.expression")
        self.resolve_holder(hook, field, template=template, task=task, args=as_map(hook.get("arguments")))

    def check_arguments_values(
        self, args: Mapping[str, Any], field: str, allow_empty: bool, template: str | None = None, task: str | None = None
    ) -> None:
        """Argument names valid and unique; values present (unless `allow_empty`) and within their enum.

        `field` is the path of the object holding `arguments`.
        """
        where = {"template": template, "task": task}
        names: set[str] = set()
        for i, p in enumerate(as_list(args.get("parameters"))):
            p = as_map(p)
            name = p.get("name")
            if not name:
                self.add("an argument parameter needs a name", rule="missing-name", **where, field=f"{field}.arguments.parameters[{i}]")
                continue
            if name in names:
                self.add(f"argument parameter {name!r} is not unique", rule="duplicate-name", **where, field=f"{field}.arguments.parameters[{i}]")
            names.add(name)
            if not allow_empty and p.get("value") is None and p.get("valueFrom") is None:
                self.add(f"argument parameter {name!r} needs a value", rule="missing-argument-value", **where, field=f"{field}.arguments.parameters[{i}]")
            enum = p.get("enum")
            if enum is not None:
                ef = f"{field}.arguments.parameters[{i}]"
                if not isinstance(enum, list) or not enum:
                    self.add(f"parameter {name!r}: enum must contain at least one value", rule="invalid-enum", **where, field=f"{ef}.enum")
                elif p.get("value") is not None and not is_param_expr(p.get("value")) and str(p["value"]) not in [str(e) for e in enum]:
                    self.add(f"parameter {name!r}: value {p['value']!r} is not in its enum {enum!r}", rule="invalid-enum", **where, field=f"{ef}.value")
        for i, a in enumerate(as_list(args.get("artifacts"))):
            if not as_map(a).get("name"):
                self.add("an argument artifact needs a name", rule="missing-name", **where, field=f"{field}.arguments.artifacts[{i}]")

    def check_call(self, callee: Any, args: Mapping[str, Any], where: dict[str, Any], entry: bool = False) -> None:
        """The called template's input parameters without a value must be given by `args`."""
        if not isinstance(callee, Mapping):
            return
        need_params, need_arts = self._requirements(callee)
        if not need_params and not (need_arts and not entry):
            return
        if need_params:
            supplied = {as_map(p).get("name") for p in as_list(args.get("parameters"))}
            for name in need_params:
                if name not in supplied:
                    self.add(f"inputs.parameters.{name} was not supplied", rule="input-not-supplied", **where)
        if need_arts and not entry:  # workflow-level artifacts may be supplied at submission
            supplied_art = {as_map(a).get("name") for a in as_list(args.get("artifacts"))}
            for name in need_arts:
                if name not in supplied_art:
                    self.add(f"inputs.artifacts.{name} was not supplied", rule="input-not-supplied", **where)

    def _requirements(self, callee: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(input parameters with no value/default/valueFrom, required input artifacts with no source); cached."""
        key = id(callee)
        cached = self._req_cache.get(key)
        if cached is not None and cached[0] is callee:
            return cached[1]
        inputs = as_map(callee.get("inputs"))
        params = tuple(
            str(p["name"])
            for p in map(as_map, as_list(inputs.get("parameters")))
            if p.get("name") and p.get("value") is None and p.get("default") is None and p.get("valueFrom") is None
        )
        arts = tuple(
            str(a["name"])
            for a in map(as_map, as_list(inputs.get("artifacts")))
            if a.get("name") and not a.get("optional") and not any(a.get(k) for k in ARTIFACT_SOURCES)
        )
        self._req_cache[key] = (callee, (params, arts))
        return params, arts

    def resolve_holder(self, holder: Mapping[str, Any], field: str, template: str | None, task: str | None, args: Mapping[str, Any]) -> Any:
        """Resolve the template a step/task/hook calls; reports unknown ones; returns it, UNKNOWN or None."""
        where = {"template": template, "task": task, "field": field}
        name, ref, inline = holder.get("template"), holder.get("templateRef"), holder.get("inline")
        given = (1 if name else 0) + (1 if ref else 0) + (1 if inline else 0)
        if given == 0:
            self.add("must specify one of template, templateRef or inline", rule="missing-template", **where)
            return None
        if given > 1:
            self.add("only one of template, templateRef or inline may be specified", rule="multiple-templates", **where)
        if name:
            tmpl = self.ns.templates.get(name)
            if tmpl is None:
                if self.ref_unresolved:
                    return UNKNOWN
                self.add(f"template {name!r} is not defined", rule="unknown-template", **{**where, "field": f"{field}.template"})
                return None
            self.check_call(tmpl, args, where)
            return tmpl
        if ref:
            tmpl = self.resolve_template_ref(as_map(ref), f"{field}.templateRef", template, task)
            if isinstance(tmpl, Mapping):
                self.check_call(tmpl, args, where)
            return tmpl
        if not isinstance(inline, Mapping):
            self.add("inline must be a template", rule="invalid-field", **{**where, "field": f"{field}.inline"})
            return None
        self.check_template(inline, f"{field}.inline", inline_name=f"{task or template}-inline")
        self.check_call(inline, args, where)
        return inline

    def resolve_template_ref(self, ref: Mapping[str, Any], field: str, template: str | None, task: str | None) -> Any:
        """The template a `templateRef` names (cached), `UNKNOWN` without a lookup, None when missing."""
        name, tname, cluster = ref.get("name"), ref.get("template"), bool(ref.get("clusterScope"))
        where = {"template": template, "task": task, "field": field}
        if not name or not tname:
            self.add("templateRef needs name and template", rule="unknown-template-ref", **where)
            return None
        if self.lookup is None:
            return UNKNOWN
        key = (str(name), str(tname), cluster)
        if key in self._ref_cache:
            cached = self._ref_cache[key]
            if cached is None:
                self.add(self._ref_message(key), rule="unknown-template-ref", **where)
            return cached
        doc = self.lookup(str(name), cluster)
        result: Any = None
        if doc is not None:
            result = Namespace(as_map(doc.get("spec"))).templates.get(str(tname))
        self._ref_cache[key] = result
        if result is None:
            self.add(self._ref_message(key, doc_found=doc is not None), rule="unknown-template-ref", **where)
        return result

    def _ref_message(self, key: tuple[str, str, bool], doc_found: bool | None = None) -> str:
        name, tname, cluster = key
        kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
        if doc_found is None:
            doc_found = self.lookup is not None and self.lookup(name, cluster) is not None
        if not doc_found:
            return f"{kind} {name!r} not found"
        return f"template {tname!r} not found in {kind} {name!r}"

    def tag_ok(self, tag: str, scope: set[str], items: Items, producers: Mapping[str, Producer], status: Any) -> bool:
        """Whether a simple tag resolves in this scope (tags outside Argo's checked prefixes always do)."""
        if not tag.startswith(VALID_PREFIXES):
            return True
        if tag in scope or tag in self.globals:
            return True
        if tag.startswith("item"):
            return items.allows(tag)
        if tag.startswith(ALWAYS_OK):
            return True
        if tag.startswith("workflow."):
            if tag.startswith("workflow.parameters") and (self.template_validation or self.ref_unresolved):
                return True
            if tag.startswith("workflow.outputs.parameters.") and self.any_global_param:
                return True
            if tag.startswith("workflow.outputs.artifacts.") and self.any_global_artifact:
                return True
            return False
        if tag.startswith(("steps.", "tasks.")):
            head, _, rest = tag.partition(".")[2].partition(".")
            producer = producers.get(head)
            if producer is None:
                return False
            return producer.allows(rest, rest == "status" and head in status)
        return False

    def check_tags(
        self,
        obj: Any,
        scope: set[str],
        items: Items,
        producers: Mapping[str, Producer],
        status: Any,
        template: str,
        task: str | None,
        field: str,
    ) -> None:
        """Report every simple tag in `obj` that does not resolve (each tag once)."""
        reported: set[str] = set()
        for tag in simple_tags(obj):
            if tag in reported or self.tag_ok(tag, scope, items, producers, status):
                continue
            reported.add(tag)
            self.add(f"failed to resolve {{{{{tag}}}}}", rule="unresolved-variable", template=template, task=task, field=field)

    def check_holder_tags(
        self,
        holder: Mapping[str, Any],
        scope: set[str],
        items: Items,
        producers: Mapping[str, Producer],
        status: Any,
        template: str,
        name: str,
        me: Producer,
        field: str,
    ) -> None:
        """Tags of a step or task; its `hooks` (exit handler arguments) may also refer to its own outputs."""
        hooks = holder.get("hooks")
        body = {k: v for k, v in holder.items() if k != "hooks"} if hooks else holder
        self.check_tags(body, scope, items, producers, status, template, name, field)
        if hooks:
            with_self = {**producers, name: me}
            self.check_tags(hooks, scope, items, with_self, PlusOne(status, name), template, name, f"{field}.hooks")

    def check_template(self, tmpl: Mapping[str, Any], field: str, inline_name: str | None = None) -> None:
        """Check one template (implemented by TemplateChecks)."""
        raise NotImplementedError
