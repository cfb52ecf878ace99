"""Inputs and outputs: resolving a template's inputs from arguments, rendering step/task arguments, and the
scope entries a finished step or task contributes (including loop aggregates and the v4.0.7+ rules for
outputs of Skipped/Omitted producers).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hera.engine.core.nodes import param_text
from hera.engine.core.render import ABSENT, ExpressionError, Scope, eval_expr, render, render_text
from hera.lint.tags import single_tag


class InputError(Exception):
    """A template input that cannot be resolved (the node becomes Error with this message)."""


ARTIFACT_LOCATIONS = ("s3", "raw", "http", "git", "gcs", "azure", "oss", "hdfs", "artifactory", "plugin")


def has_location(art: dict[str, Any]) -> bool:
    """True when an artifact dict names where its data is."""
    return any(art.get(k) is not None for k in ARTIFACT_LOCATIONS)


def render_arguments(args: dict[str, Any] | None, scope: Scope) -> dict[str, Any]:
    """Resolve a step/task's `arguments` in its caller's scope.

    A parameter that is exactly one reference to an absent value (an output of a Skipped/Omitted producer)
    drops out, so the consumer's input default applies. Artifacts with `from`/`fromExpression` become the
    referenced artifact object. Raises ExpressionError subclasses for unresolvable references.
    """
    if not args:
        return {}
    out: dict[str, Any] = {}
    params = []
    for p in args.get("parameters") or []:
        value = p.get("value")
        if isinstance(value, str) and "{{" in value:
            tag = single_tag(value)
            if tag is not None and scope.get(tag, None) is ABSENT:
                params.append({k: v for k, v in p.items() if k != "value"})
                continue
            p = {**p, "value": render_text(value, scope, strict_refs=True)}
        elif value is not None and not isinstance(value, str):
            p = {**p, "value": param_text(value)}
        if p.get("valueFrom"):
            p = {**p, "valueFrom": render(p["valueFrom"], scope)}
        params.append(p)
    if params:
        out["parameters"] = params
    arts = []
    for a in args.get("artifacts") or []:
        arts.append(resolve_artifact_ref(a, scope))
    if arts:
        out["artifacts"] = arts
    return out


def resolve_artifact_ref(a: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """An artifact argument (or output) with `from`/`fromExpression` replaced by the referenced artifact."""
    if a.get("from"):
        ref = a["from"]
        tag = single_tag(ref) if isinstance(ref, str) else None
        value = scope.get(tag, None) if tag else None
        if tag is None and isinstance(ref, str) and ref.lstrip().startswith("{"):
            value = ref  # already substituted by an earlier pass: the artifact object as JSON text
        if value is ABSENT or value is None:
            # nothing to pass (an optional or skipped producer's artifact): the consumer's input decides
            # whether that is an error ("inputs.artifacts.X was not supplied") or skipped (optional)
            return {k: v for k, v in a.items() if k != "from"}
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise InputError(f"Unable to resolve artifact {ref}: not an artifact") from None
        return {**_location_only(value), **{k: v for k, v in a.items() if k not in ("from",) and k != "name"}, "name": a["name"]}
    if a.get("fromExpression"):
        try:
            value = eval_expr(a["fromExpression"], scope)
        except ExpressionError as e:
            raise InputError(f"failed to evaluate artifact expression {a['fromExpression']!r}: {e}") from None
        if not value:
            if a.get("optional"):
                return {k: v for k, v in a.items() if k != "fromExpression"}
            raise InputError(f"artifact expression {a['fromExpression']!r} gave no artifact")
        if not isinstance(value, dict):
            raise InputError(f"artifact expression {a['fromExpression']!r} did not give an artifact")
        rest = {k: v for k, v in a.items() if k not in ("fromExpression", "name")}
        return {**_location_only(value), **rest, "name": a["name"]}
    return render(a, scope)


def _location_only(art: dict[str, Any]) -> dict[str, Any]:
    out = {k: art[k] for k in ARTIFACT_LOCATIONS if art.get(k) is not None}
    for k in ("archive", "mode", "subPath"):
        if art.get(k) is not None and k not in out:
            out[k] = art[k]
    if "_repo_path" in art:
        out["_repo_path"] = art["_repo_path"]
    return out


def _find(items: list[dict[str, Any]] | None, name: str) -> dict[str, Any] | None:
    for item in items or []:
        if item.get("name") == name:
            return item
    return None


def process_inputs(
    tmpl: dict[str, Any],
    args: dict[str, Any],
    scope: Scope,
    config_value: Callable[[dict[str, Any]], str | None],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the node's resolved `inputs`, the scope entries they define) for a template called with `args`.

    Parameter values come from the argument, else the input's `value`, else its `default`, else a
    configMapKeyRef in the local store; otherwise InputError `inputs.parameters.X was not supplied`.
    """
    inputs = tmpl.get("inputs") or {}
    out_params: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    for p in inputs.get("parameters") or []:
        name = p.get("name")
        q = dict(p)
        arg = _find(args.get("parameters"), name)
        if arg is not None:
            if arg.get("value") is not None:
                q["value"] = arg["value"]
                q.pop("valueFrom", None)
            elif arg.get("valueFrom"):
                q["valueFrom"] = arg["valueFrom"]
                q.pop("value", None)
        if q.get("value") is None and (q.get("valueFrom") or {}).get("configMapKeyRef"):
            v = config_value(q)
            if v is not None:
                q["value"] = v
        if q.get("value") is None and q.get("default") is not None:
            q["value"] = q["default"]
        if q.get("value") is None:
            if (q.get("valueFrom") or {}).get("supplied") is not None:
                continue
            raise InputError(f"inputs.parameters.{name} was not supplied")
        value = param_text(render(q["value"], scope.child(values)) if isinstance(q["value"], str) else q["value"])
        q["value"] = value
        enum = q.get("enum")
        if enum and value not in [param_text(e) for e in enum]:
            raise InputError(f"inputs.parameters.{name} value '{value}' is not one of {[param_text(e) for e in enum]}")
        out_params.append(q)
        values[f"inputs.parameters.{name}"] = value
    if out_params:
        values["inputs.parameters"] = json.dumps(out_params, separators=(",", ":"))
    else:  # Argo always defines it: the JSON of no parameters (a Hera runner script's source with no inputs)
        values["inputs.parameters"] = "null"
    out_arts: list[dict[str, Any]] = []
    # the artifacts see every input parameter, and `{{inputs.parameters}}` (the safe script form's raw artifact)
    art_scope = scope.child(values) if inputs.get("artifacts") else scope
    for a in inputs.get("artifacts") or []:
        name = a.get("name")
        # the template's own fields (a raw artifact's data, an s3 key, a path) are substituted like the rest of
        # the template, with the globals and this template's input parameters (Argo substitutes it whole)
        try:
            q = dict(render(a, art_scope))
        except ExpressionError as e:
            raise InputError(f"inputs.artifacts.{name}: {e}") from None
        arg = _find(args.get("artifacts"), name)
        if arg is not None:
            for k, v in arg.items():
                if k in ("name", "path"):
                    continue
                q[k] = v
        if not has_location(q):
            if q.get("optional"):
                if q.get("path"):
                    values[f"inputs.artifacts.{name}.path"] = q["path"]
                out_arts.append(q)
                continue
            raise InputError(f"inputs.artifacts.{name} was not supplied")
        out_arts.append(q)
        if q.get("path"):
            values[f"inputs.artifacts.{name}.path"] = q["path"]
        values[f"inputs.artifacts.{name}"] = q
    resolved: dict[str, Any] = {}
    if out_params:
        resolved["parameters"] = out_params
    if out_arts:
        resolved["artifacts"] = [{k: v for k, v in a.items() if not k.startswith("_")} for a in out_arts]
        resolved["_artifacts_full"] = out_arts
    outputs = tmpl.get("outputs") or {}
    for a in outputs.get("artifacts") or []:
        if a.get("path"):
            values[f"outputs.artifacts.{a['name']}.path"] = a["path"]
    for p in outputs.get("parameters") or []:
        path = (p.get("valueFrom") or {}).get("path")
        if path:
            values[f"outputs.parameters.{p['name']}.path"] = path
    return resolved, values


# -- what a finished step/task contributes to its caller's scope -------------------------------------------
def node_scope(prefix: str, node: dict[str, Any], declared: dict[str, Any] | None = None) -> dict[str, Any]:
    """Scope entries `<prefix>.{id,status,...,outputs.*}` for a finished node (`prefix` = `steps.X`/`tasks.X`).

    For a Skipped/Omitted node, `declared` (the template's `outputs`) gives §8.3's absent values and defaults.
    """
    out: dict[str, Any] = {f"{prefix}.id": node["id"]}
    if node.get("phase"):
        out[f"{prefix}.status"] = node["phase"]
    if node.get("startedAt"):
        out[f"{prefix}.startedAt"] = node["startedAt"]
    if node.get("finishedAt"):
        out[f"{prefix}.finishedAt"] = node["finishedAt"]
    if node.get("podIP"):
        out[f"{prefix}.ip"] = node["podIP"]
    if node.get("hostNodeName"):
        out[f"{prefix}.hostNodeName"] = node["hostNodeName"]
    outputs = node.get("outputs") or {}
    if outputs.get("exitCode") is not None:
        out[f"{prefix}.exitCode"] = outputs["exitCode"]
    if outputs.get("result") is not None:
        out[f"{prefix}.outputs.result"] = outputs["result"]
    for p in outputs.get("parameters") or []:
        if p.get("value") is not None:
            out[f"{prefix}.outputs.parameters.{p['name']}"] = p["value"]
    for a in outputs.get("artifacts") or []:
        out[f"{prefix}.outputs.artifacts.{a['name']}"] = a
    if node.get("phase") in ("Skipped", "Omitted") and declared:
        for p in declared.get("parameters") or []:
            key = f"{prefix}.outputs.parameters.{p['name']}"
            if key in out:
                continue
            default = (p.get("valueFrom") or {}).get("default")
            out[key] = param_text(default) if default is not None else ABSENT
        out.setdefault(f"{prefix}.outputs.result", ABSENT)
        for a in declared.get("artifacts") or []:
            out.setdefault(f"{prefix}.outputs.artifacts.{a['name']}", ABSENT)
    elif node.get("phase") in ("Skipped", "Omitted"):
        out.setdefault(f"{prefix}.outputs.result", ABSENT)
    return out


def _json_list_value(values: list[str]) -> str:
    parsed = []
    for v in values:
        try:
            x = json.loads(v)
        except ValueError:
            return json.dumps(values, separators=(",", ":"))
        if not isinstance(x, dict | list):
            return json.dumps(values, separators=(",", ":"))
        parsed.append(x)
    return json.dumps(parsed, separators=(",", ":"))


def aggregate_scope(prefix: str, children: list[dict[str, Any]], *, result_required: bool) -> dict[str, Any]:
    """Scope entries for a loop `prefix` from its expansions (sorted by index): aggregated results/outputs.

    Raises InputError when a result is not JSON and the caller refers to the aggregated result.
    """
    out: dict[str, Any] = {}
    param_list: list[dict[str, str]] = []
    values: dict[str, list[str]] = {}
    results: list[Any] = []
    result_ok = True
    for node in children:
        outputs = node.get("outputs")
        if not outputs or node.get("phase") != "Succeeded":
            continue
        if outputs.get("parameters"):
            entry: dict[str, str] = {}
            for p in outputs["parameters"]:
                v = param_text(p.get("value"))
                entry[p["name"]] = v
                values.setdefault(p["name"], []).append(v)
            param_list.append(entry)
        if outputs.get("result") is not None:
            try:
                results.append(json.loads(outputs["result"]))
            except ValueError:
                if result_required:
                    raise InputError(
                        f"cannot aggregate {prefix}.outputs.result: the result of {node.get('displayName')}"
                        f" is not JSON: {outputs['result'][:80]!r}"
                    ) from None
                result_ok = False
    if result_ok:
        out[f"{prefix}.outputs.result"] = json.dumps(results, separators=(",", ":"))
    out[f"{prefix}.outputs.parameters"] = json.dumps(param_list, separators=(",", ":"))
    for name, vals in values.items():
        out[f"{prefix}.outputs.parameters.{name}"] = _json_list_value(vals)
    return out
