"""`hera lint FILE...`: validate workflows offline, as Argo's server would, before submitting them.

Reads the documents of YAML/JSON files and the module-level workflow objects of `.py` files. The
WorkflowTemplates and ClusterWorkflowTemplates among them resolve `templateRef`/`workflowTemplateRef`. Prints one
located line per problem and exits 1 when there is any (or a file cannot be read), 0 when all is clean.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

__all__ = ["lint"]

_DATA_SUFFIXES = (".yaml", ".yml", ".json")


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """The files given, with folders replaced by the YAML/JSON/.py files in them (recursively, sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix in (*_DATA_SUFFIXES, ".py"))
        else:
            out.append(path)
    return out


def _label(doc: dict[str, Any]) -> str:
    meta = doc.get("metadata") or {}
    name = meta.get("name") or meta.get("generateName") or "?"
    return f"{doc.get('kind', '?')} '{name}'"


def _documents_of(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """`(where, document dict)` for every workflow-kind document of one file."""
    if path.suffix == ".py":
        from hera._cli._sources import load_workflows, render

        return [(str(path), render(w, path, "to_dict")) for w in load_workflows(path)]
    from hera import _documents

    out = []
    for doc in _documents.from_file(path):
        if doc.raw:
            continue
        data = doc.obj.model_dump(by_alias=True, exclude_none=True, mode="json")
        out.append((f"{doc.source}[{doc.index}]", data))
    return out


@click.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def lint(files: tuple[Path, ...]) -> None:
    """Check the workflows of FILE... (YAML, JSON or hera .py programs) offline: unknown templates, cycles,
    undeclared parameters, bad names, ... Exit status 1 when a problem is found."""
    from hera import _documents
    from hera._cli._sources import SourceError
    from hera.lint import TemplateStore, lint_workflow

    failures: list[str] = []
    documents: list[tuple[str, dict[str, Any]]] = []
    for path in _expand(files):
        if not path.exists():
            failures.append(f"{path}: no such file")
            continue
        if path.suffix not in (*_DATA_SUFFIXES, ".py"):
            failures.append(f"{path}: not a .yaml, .yml, .json or .py file")
            continue
        try:
            found = _documents_of(path)
            if not found and path in files:  # a file named on the command line (not found in a folder)
                failures.append(f"{path}: no workflow documents (Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow)")
            documents.extend(found)
        except (SourceError, _documents.DocumentError) as e:
            failures.append(str(e))
        except OSError as e:
            failures.append(f"{path}: {e.strerror}")
        except RecursionError:
            failures.append(f"{path}: nested too deeply to be read")
    if not documents and not failures:
        failures.append(f"{', '.join(map(str, files))}: no workflow documents found")
    store = TemplateStore(doc for _, doc in documents)
    for where, doc in documents:
        for problem in lint_workflow(doc, templates=store):
            label = "" if problem.workflow else f" {_label(doc)}"
            failures.append(f"{where}{label}: {problem}")
    for line in failures:
        click.echo(line)
    checked = len(documents)
    noun = "document" if checked == 1 else "documents"
    if failures:
        click.echo(f"{checked} {noun} checked, {len(failures)} problem{'s' if len(failures) != 1 else ''}", err=True)
        raise SystemExit(1)
    click.echo(f"{checked} {noun} checked, no problems")
