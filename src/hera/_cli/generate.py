"""`hera generate yaml` (Python programs → Argo YAML) and `hera generate python` (Argo YAML → Python programs).

Both take a file or a folder (`--recursive` for sub-folders, `-i/--include` and `-e/--exclude` globs) and write
to stdout, to one file, or to a folder mirroring the input names (`--to`, `--flatten`). Heavy modules (the
authoring layer, YAML, models) load inside the commands, so `hera --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import click

__all__ = ["generate"]

_YAML_SUFFIXES = (".yaml", ".yml")


def _options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options both generate commands share."""
    decorators = [
        click.argument("from_", metavar="FROM", type=click.Path(path_type=Path)),
        click.option("--to", type=click.Path(path_type=Path), default=None,
                     help="Output file (or existing file) or folder; stdout when omitted."),
        click.option("--recursive", is_flag=True, help="Also read the sub-folders of a FROM folder."),
        click.option("--flatten", is_flag=True, help="Write every output file directly in the --to folder."),
        click.option("-i", "--include", multiple=True, metavar="GLOB", help="Only read files matching GLOB."),
        click.option("-e", "--exclude", multiple=True, metavar="GLOB", help="Skip files matching GLOB."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _write(output: Any) -> None:
    """`output.write()`, with a folder or file that cannot be written reported in one line."""
    try:
        output.write()
    except OSError as e:
        raise click.ClickException(f"cannot write {e.filename or output.to}: {e.strerror or e}") from None


@click.group()
def generate() -> None:
    """Generate Argo YAML from hera programs, or hera programs from Argo YAML."""


@generate.command("yaml")
@_options
def generate_yaml(
    from_: Path, to: Optional[Path], recursive: bool, flatten: bool, include: tuple[str, ...], exclude: tuple[str, ...]
) -> None:
    """Write the YAML of every Workflow object defined at module level in the .py file(s) of FROM.

    Several workflows are joined with `---`. With --to naming a .yaml/.yml (or existing) file they all go to that
    file; otherwise --to is a folder that gets one `<input name>.yaml` per input file.
    """
    from hera._cli._sources import SourceError, collect_files, join_documents, load_workflows, render
    from hera._cli._writing import Output

    output = Output(to, suffix=".yaml", file_suffixes=_YAML_SUFFIXES, joiner="---\n", flatten=flatten)
    try:
        files = collect_files(from_, (".py",), recursive=recursive, include=include, exclude=exclude)
        for path, relative in files:
            workflows = load_workflows(path)
            if workflows:
                output.add(relative, join_documents(render(w, path) for w in workflows))
    except SourceError as e:
        raise click.ClickException(str(e)) from None
    if not output.items:
        # an empty result is a mistake (a workflow built inside a function or a __main__ guard, a wrong folder):
        # say so rather than write nothing and succeed
        what = "no .py files" if not files else "no module-level Workflow objects"
        sub_folders = from_.is_dir() and not recursive and any(p.is_dir() for p in from_.iterdir())
        raise click.ClickException(f"{from_}: {what} found{' (sub-folders need --recursive)' if sub_folders else ''}")
    _write(output)


@generate.command("python")
@_options
def generate_python(
    from_: Path, to: Optional[Path], recursive: bool, flatten: bool, include: tuple[str, ...], exclude: tuple[str, ...]
) -> None:
    """Write hera programs building the Workflow, WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow
    documents of the YAML file(s) of FROM.

    Without --to, or with --to naming a .py (or existing) file, one program builds every document (`w`, `w2`, ...);
    otherwise --to is a folder that gets one `<input name>.py` per input file. Formatted by black when installed.
    """
    from hera import _documents
    from hera._cli._pycode import generate_python as to_python
    from hera._cli._sources import SourceError, collect_files
    from hera._cli._writing import Output

    output = Output(to, suffix=".py", file_suffixes=(".py",), joiner="", flatten=flatten)
    per_file: list[tuple[Path, list[Any]]] = []
    try:
        for path, relative in collect_files(
            from_, (*_YAML_SUFFIXES, ".json"), recursive=recursive, include=include, exclude=exclude
        ):
            docs = _documents.from_file(path)
            models = [d.obj for d in docs if not d.raw]
            for d in docs:
                if d.raw:
                    click.echo(f"{d.source}[{d.index}]: skipping a {d.kind} (not a workflow kind)", err=True)
            if models:
                per_file.append((relative, models))
    except (SourceError, _documents.DocumentError) as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:
        raise click.ClickException(f"{e.filename}: {e.strerror}") from None
    except RecursionError:
        raise click.ClickException(f"{path}: nested too deeply to be read") from None
    try:
        if to is None or output._single_file():
            everything = [m for _, models in per_file for m in models]
            if everything:
                output.add(Path("generated.py"), to_python(everything))
        else:
            for relative, models in per_file:
                output.add(relative, to_python(models))
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    _write(output)
