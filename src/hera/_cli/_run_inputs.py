"""What `hera run FILE` runs: the documents of a YAML/JSON file or a hera program, checked before anything starts.

Every document is validated against its model (a wrong-typed field, an unknown kind or field is reported with the
file, document index and field path, as `hera lint` does); `-p name=value` must name a parameter the workflow
(or the template it references) declares, so a typo is an error rather than a silently unused value.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = ["RUNNABLE_KINDS", "apply_parameters", "load_documents", "parse_parameters"]

# what `hera run` acts on: workflows run, the rest go to the engine's store
RUNNABLE_KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow", "ConfigMap", "Secret")
_PLAIN_KINDS = ("ConfigMap", "Secret")  # Kubernetes objects the engine keeps as they are


def load_documents(path: Path) -> list[dict[str, Any]]:
    """The documents of a `.yaml`/`.yml`/`.json` file, or the workflow objects of a `.py` file, as dicts."""
    if not path.exists():
        raise click.ClickException(f"{path}: no such file")
    if path.suffix == ".py":
        return _from_program(path)
    if path.suffix not in (".yaml", ".yml", ".json"):
        raise click.ClickException(f"{path}: not a .py, .yaml, .yml or .json file")
    return _from_data_file(path)


def _from_program(path: Path) -> list[dict[str, Any]]:
    import runpy

    from hera._cli._sources import describe_error, module_name_for
    from hera.shared.errors import HeraError

    # named as `python FILE` (or, inside a package, `python -m pkg.FILE`) would import it, since runner scripts
    # refer to `<module>:<function>`; never `__main__`: a guarded `w.create()` must not run here
    name, folder = module_name_for(path)
    sys.path.insert(0, str(folder))
    try:
        namespace = runpy.run_path(str(path), run_name=name)
    except SystemExit as e:
        raise click.ClickException(f"{path}: exited while being imported (SystemExit {e.code!r})") from None
    except Exception as e:
        raise click.ClickException(describe_error(e, path)) from None
    docs = []
    seen: set[int] = set()
    for value in namespace.values():
        to_dict = getattr(value, "to_dict", None)
        if not callable(to_dict) or isinstance(value, type) or id(value) in seen:
            continue
        seen.add(id(value))
        try:
            doc = to_dict()
        except HeraError as e:  # located already (workflow, template, task, field)
            raise click.ClickException(f"{path}: {e}") from None
        except Exception as e:
            label = getattr(value, "name", None) or getattr(value, "generate_name", None) or type(value).__name__
            raise click.ClickException(f"{path}: cannot build {label!r}: {describe_error(e, path)}") from None
        if isinstance(doc, dict) and doc.get("kind") in RUNNABLE_KINDS:
            docs.append(doc)
    return docs


def _from_data_file(path: Path) -> list[dict[str, Any]]:
    from hera import _documents
    from hera.shared import yaml as _yaml

    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise click.ClickException(f"{path}: not UTF-8 text ({e.reason})") from None
    except OSError as e:
        raise click.ClickException(f"{path}: {e.strerror}") from None
    try:
        if path.suffix == ".json":
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as e:
                raise click.ClickException(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
            data = parsed if isinstance(parsed, list) else [parsed]  # a list is several documents
        else:
            data = _parse(text, _yaml.load_all)
    except RecursionError:
        raise click.ClickException(f"{path}: nested too deeply to be read") from None
    except (ValueError, _yaml.YAMLError):
        try:
            _documents.from_text(text, source=source)  # the located message (`file:line:column: not valid YAML`)
        except _documents.DocumentError as e:
            raise click.ClickException(str(e)) from None
        raise click.ClickException(f"{path}: not valid YAML or JSON") from None
    docs = []
    for index, doc in enumerate(data):
        if doc is None:
            continue  # an empty document (`---` at the end)
        label = f"{source}[{index}]"
        kind = doc.get("kind") if isinstance(doc, dict) else None
        if kind in _PLAIN_KINDS and isinstance(doc, dict) and doc.get("apiVersion", "v1") == "v1":
            docs.append(doc)
            continue
        try:
            checked = _documents.from_data(doc, source=source, index=index)
        except _documents.DocumentError as e:
            raise click.ClickException(str(e)) from None
        if checked.raw:
            raise click.ClickException(
                f"{label}: {kind} cannot be run by hera run (it runs {', '.join(RUNNABLE_KINDS[:-1])} "
                f"and {RUNNABLE_KINDS[-1]} documents)"
            )
        docs.append(doc)
    return docs


def _parse(text: str, load_all: Callable[[str], Any]) -> list[Any]:
    """The documents of a JSON text (a list is several documents) or a YAML stream, empty ones as None."""
    if text.lstrip()[:1] in ("{", "["):
        try:
            data = json.loads(text)
        except ValueError:
            pass  # YAML flow style, or broken: the YAML reader decides
        else:
            return data if isinstance(data, list) else [data]
    return list(load_all(text))


def parse_parameters(params: tuple[str, ...]) -> list[tuple[str, str]]:
    """`-p name=value` options as pairs; a usage error for one without `=` or without a name."""
    out = []
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{p!r} must be name=value", param_hint="'-p' / '--parameter'")
        out.append((name.strip(), value))
    return out


def declared_parameters(doc: dict[str, Any], templates: Callable[[str, bool], dict[str, Any] | None]) -> list[str]:
    """The names of the workflow's arguments, with those of the template its `workflowTemplateRef` names
    (`templates(name, cluster_scope)` finds it among the file's documents or the engine's store)."""
    spec = doc.get("spec") or {}
    names = [p.get("name") for p in ((spec.get("arguments") or {}).get("parameters") or []) if isinstance(p, dict)]
    ref = spec.get("workflowTemplateRef")
    if isinstance(ref, dict) and ref.get("name"):
        template = templates(str(ref["name"]), bool(ref.get("clusterScope")))
        tspec = (template or {}).get("spec") or {}
        names += [p.get("name") for p in ((tspec.get("arguments") or {}).get("parameters") or []) if isinstance(p, dict)]
    return [n for n in dict.fromkeys(names) if isinstance(n, str)]


def apply_parameters(
    workflows: list[dict[str, Any]],
    params: list[tuple[str, str]],
    entrypoint: str | None,
    templates: Callable[[str, bool], dict[str, Any] | None],
) -> None:
    """Set `--entrypoint` and the `-p` values on each workflow that declares them (in place).

    A parameter no workflow declares is a usage error listing the declared ones: Argo would pass it along
    unused, and the workflow would silently run with its default.
    """
    declared = [declared_parameters(doc, templates) for doc in workflows]
    known = {n for names in declared for n in names}
    for name, _ in params:
        if name not in known:
            where = _names(workflows)
            offer = f"it declares {', '.join(sorted(known))}" if known else "it declares no parameters"
            raise click.BadParameter(
                f"{where} has no parameter {name!r} ({offer} in spec.arguments.parameters)",
                param_hint="'-p' / '--parameter'",
            )
    for doc, names in zip(workflows, declared):
        spec = doc.setdefault("spec", {})
        if entrypoint:
            spec["entrypoint"] = entrypoint
        mine = [(n, v) for n, v in params if n in names]
        if not mine:
            continue
        items = spec.setdefault("arguments", {}).setdefault("parameters", [])
        for name, value in mine:
            for item in items:
                if item.get("name") == name:
                    item["value"] = value
                    item.pop("valueFrom", None)
                    break
            else:
                items.append({"name": name, "value": value})  # declared by the referenced template


def _names(workflows: list[dict[str, Any]]) -> str:
    labels = []
    for doc in workflows:
        meta = doc.get("metadata") or {}
        labels.append(repr(meta.get("name") or meta.get("generateName") or "?"))
    return ("workflow " if len(labels) == 1 else "none of the workflows ") + ", ".join(labels)
