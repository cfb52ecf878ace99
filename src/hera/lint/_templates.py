"""Checks of one template on its own: its type, fields, inputs and outputs, and the scope its body sees."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hera.lint._base import LinterBase
from hera.lint._refs import Items
from hera.lint._util import (
    LEAF_TYPES,
    POD_TYPES,
    TEMPLATE_TYPES,
    as_list,
    as_map,
    is_param_expr,
    is_reserved_container,
)
from hera.lint.names import param_name_errors

__all__ = ["TemplateChecks"]


class TemplateChecks(LinterBase):
    """Template-level rules; steps and DAG bodies are checked by GraphChecks."""

    def check_template(self, tmpl: Mapping[str, Any], field: str, inline_name: str | None = None) -> None:
        """One template: exactly one type, field rules, inputs/outputs, and its variable references."""
        name = inline_name or str(tmpl.get("name"))
        present = [t for t in TEMPLATE_TYPES if tmpl.get(t) is not None]
        if not present:
            self.add(
                "template type unspecified: choose one of " + ", ".join(TEMPLATE_TYPES),
                rule="template-type",
                template=name,
                field=field,
            )
            ttype = None
        else:
            ttype = present[0]
            if len(present) > 1:
                self.add(f"multiple template types specified: {', '.join(present)}", rule="template-type", template=name, field=field)
        t = {"template": name}
        # field rules
        if tmpl.get("parallelism") is not None and ttype not in ("steps", "dag"):
            self.add("parallelism is only valid for steps and dag templates", rule="invalid-field", **t, field=f"{field}.parallelism")
        ads = tmpl.get("activeDeadlineSeconds")
        if ads is not None:
            if ttype in ("steps", "dag"):
                self.add("activeDeadlineSeconds is only valid for leaf templates", rule="invalid-field", **t, field=f"{field}.activeDeadlineSeconds")
            elif isinstance(ads, (int, float)) and not isinstance(ads, bool) and ads <= 0:
                self.add("activeDeadlineSeconds must be greater than 0", rule="invalid-field", **t, field=f"{field}.activeDeadlineSeconds")
            elif isinstance(ads, str) and not is_param_expr(ads) and ads.strip().lstrip("-").isdigit() and int(ads) <= 0:
                self.add("activeDeadlineSeconds must be greater than 0", rule="invalid-field", **t, field=f"{field}.activeDeadlineSeconds")
        if ttype in ("container", "script"):
            body = as_map(tmpl.get(ttype))
            default_body = as_map(self.ns.defaults.get(ttype))
            if not body.get("image") and not default_body.get("image"):
                self.add(f"{ttype}.image may not be empty", rule="missing-image", **t, field=f"{field}.{ttype}.image")
        if ttype == "containerSet":
            self.check_container_set(tmpl, field, name)
        for i, sc in enumerate(as_list(tmpl.get("sidecars"))):
            sname = as_map(sc).get("name")
            if is_reserved_container(sname):
                self.add(f"sidecar name {sname!r} is reserved by Argo", rule="reserved-name", **t, field=f"{field}.sidecars[{i}].name")
        self.check_io(tmpl, ttype, field, name)
        # variable references
        scope = self.template_scope(tmpl, ttype)
        if ttype == "steps":
            self.check_steps(tmpl, field, name, scope)
        elif ttype == "dag":
            self.check_dag(tmpl, field, name, scope)
        else:
            self.check_tags(tmpl, scope, Items(), {}, set(), name, None, field)
        if ttype in ("steps", "dag"):
            self.check_tags(as_map(tmpl.get("outputs")), scope, Items(), self._last_producers, self._last_status, name, None, f"{field}.outputs")

    def check_container_set(self, tmpl: Mapping[str, Any], field: str, name: str) -> None:
        """Reserved container names; a container named `main` when the template has inputs or outputs."""
        cs = as_map(tmpl.get("containerSet"))
        containers = as_list(cs.get("containers"))
        names = [as_map(c).get("name") for c in containers]
        for i, cname in enumerate(names):
            if is_reserved_container(cname):
                self.add(f"container name {cname!r} is reserved by Argo", rule="reserved-name", template=name, field=f"{field}.containerSet.containers[{i}].name")
        io = as_map(tmpl.get("inputs")), as_map(tmpl.get("outputs"))
        if any(as_list(x.get(k)) for x in io for k in ("parameters", "artifacts")) and "main" not in names:
            self.add(
                "a containerSet with inputs or outputs must have a container named 'main'",
                rule="container-set-main",
                template=name,
                field=f"{field}.containerSet.containers",
            )

    def check_io(self, tmpl: Mapping[str, Any], ttype: str | None, field: str, name: str) -> None:
        """Input and output names, artifact paths, enums and output `valueFrom` kinds."""
        t = {"template": name}
        leaf = ttype in LEAF_TYPES
        inputs, outputs = as_map(tmpl.get("inputs")), as_map(tmpl.get("outputs"))
        for section, io in (("inputs", inputs), ("outputs", outputs)):
            for kind in ("parameters", "artifacts"):
                seen: set[str] = set()
                for i, item in enumerate(as_list(io.get(kind))):
                    item = as_map(item)
                    iname = item.get("name")
                    f = f"{field}.{section}.{kind}[{i}]"
                    if not iname:
                        self.add(f"{section}.{kind}[{i}].name is required", rule="missing-name", **t, field=f)
                        continue
                    for err in param_name_errors(str(iname)):
                        self.add(f"{section}.{kind} name {iname!r} is invalid: {err}", rule="invalid-name", **t, field=f)
                    if iname in seen:
                        self.add(f"{section}.{kind} name {iname!r} is not unique", rule="duplicate-name", **t, field=f)
                    seen.add(iname)
        for i, a in enumerate(as_list(inputs.get("artifacts"))):
            a = as_map(a)
            if not a.get("name"):
                continue
            for key in ("from", "fromExpression"):
                if a.get(key):
                    self.add(
                        f"inputs.artifacts.{a['name']}.{key} not valid in inputs (give it in the caller's arguments)",
                        rule="artifact-from",
                        **t,
                        field=f"{field}.inputs.artifacts[{i}].{key}",
                    )
            if leaf and ttype != "plugin" and not a.get("path") and ttype not in ("http", "data", "resource"):
                self.add(f"inputs.artifacts.{a['name']}.path not specified", rule="artifact-path", **t, field=f"{field}.inputs.artifacts[{i}].path")
            if not leaf and ttype is not None and a.get("path"):
                self.add(
                    f"inputs.artifacts.{a['name']}.path is only valid in container/script templates",
                    rule="artifact-path",
                    **t,
                    field=f"{field}.inputs.artifacts[{i}].path",
                )
        for i, p in enumerate(as_list(inputs.get("parameters"))):
            p = as_map(p)
            enum = p.get("enum")
            if enum is not None and (not isinstance(enum, list) or not enum):
                self.add(f"inputs.parameters.{p.get('name')}: enum must contain at least one value", rule="invalid-enum", **t, field=f"{field}.inputs.parameters[{i}].enum")
            elif enum and p.get("value") is not None and not is_param_expr(p.get("value")) and str(p["value"]) not in [str(e) for e in enum]:
                self.add(f"inputs.parameters.{p.get('name')}: value {p['value']!r} is not in its enum", rule="invalid-enum", **t, field=f"{field}.inputs.parameters[{i}].value")
        for i, a in enumerate(as_list(outputs.get("artifacts"))):
            a = as_map(a)
            if not leaf and ttype is not None and a.get("path"):
                self.add(
                    f"outputs.artifacts.{a.get('name')}.path is only valid in container/script templates",
                    rule="artifact-path",
                    **t,
                    field=f"{field}.outputs.artifacts[{i}].path",
                )
        for i, p in enumerate(as_list(outputs.get("parameters"))):
            p = as_map(p)
            pname = p.get("name")
            f = f"{field}.outputs.parameters[{i}]"
            value_from = p.get("valueFrom")
            if p.get("value") is not None and value_from is not None:
                self.add(f"outputs.parameters.{pname} has both valueFrom and value", rule="output-value-from", **t, field=f)
                continue
            if p.get("value") is not None:
                continue
            if value_from is None:
                self.add(f"outputs.parameters.{pname} does not have valueFrom or value specified", rule="output-value-from", **t, field=f)
                continue
            vf = as_map(value_from)
            kinds = [k for k in ("path", "jqFilter", "jsonPath", "parameter", "expression", "supplied", "event", "configMapKeyRef") if vf.get(k) is not None and vf.get(k) != ""]
            if len([k for k in kinds if k not in ("event", "configMapKeyRef")]) > 1:
                self.add(f"outputs.parameters.{pname}: multiple valueFrom types specified ({', '.join(kinds)})", rule="output-value-from", **t, field=f"{f}.valueFrom")
            elif not kinds and vf.get("default") is None:
                self.add(
                    f"outputs.parameters.{pname}: valueFrom type unspecified (path, jqFilter, jsonPath, parameter, expression, supplied)",
                    rule="output-value-from",
                    **t,
                    field=f"{f}.valueFrom",
                )
            elif ttype in ("container", "containerSet", "script") and not vf.get("path") and kinds:
                self.add(f"outputs.parameters.{pname}: valueFrom.path must be specified for {ttype} templates", rule="output-value-from", **t, field=f"{f}.valueFrom")
            elif ttype in ("steps", "dag"):
                if not vf.get("parameter") and not vf.get("expression") and not vf.get("supplied") and kinds:
                    self.add(
                        f"outputs.parameters.{pname}: valueFrom.parameter or expression must be specified for {ttype} templates",
                        rule="output-value-from",
                        **t,
                        field=f"{f}.valueFrom",
                    )
            elif ttype not in ("resource",) and (vf.get("jsonPath") or vf.get("jqFilter")):
                self.add(f"outputs.parameters.{pname}: jsonPath and jqFilter are only valid for resource templates", rule="output-value-from", **t, field=f"{f}.valueFrom")

    def template_scope(self, tmpl: Mapping[str, Any], ttype: str | None) -> set[str]:
        """The variables a template's body may use: its inputs, output paths, `pod.name`."""
        scope: set[str] = set()
        leaf = ttype in LEAF_TYPES
        inputs, outputs = as_map(tmpl.get("inputs")), as_map(tmpl.get("outputs"))
        params = [as_map(p).get("name") for p in as_list(inputs.get("parameters"))]
        for n in params:
            scope.add(f"inputs.parameters.{n}")
        # Argo validates the template after substituting its arguments, which always defines `inputs.parameters`
        # (`null` without parameters): Hera's runner scripts use it as their source whatever their inputs
        scope.add("inputs.parameters")
        for a in as_list(inputs.get("artifacts")):
            n = as_map(a).get("name")
            scope.add(f"inputs.artifacts.{n}")
            if leaf:
                scope.add(f"inputs.artifacts.{n}.path")
        if leaf:
            for a in as_list(outputs.get("artifacts")):
                if as_map(a).get("path"):
                    scope.add(f"outputs.artifacts.{as_map(a).get('name')}.path")
            for p in as_list(outputs.get("parameters")):
                if as_map(as_map(p).get("valueFrom")).get("path"):
                    scope.add(f"outputs.parameters.{as_map(p).get('name')}.path")
        if ttype in POD_TYPES:
            scope.add("pod.name")
        return scope

    def check_steps(self, tmpl: Mapping[str, Any], field: str, name: str, scope: set[str]) -> None:
        """Check a steps template's body (implemented by GraphChecks)."""
        raise NotImplementedError

    def check_dag(self, tmpl: Mapping[str, Any], field: str, name: str, scope: set[str]) -> None:
        """Check a DAG template's body (implemented by GraphChecks)."""
        raise NotImplementedError
