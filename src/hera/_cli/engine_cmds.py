"""`hera run`, `hera get`, `hera list`, `hera logs`: the embedded engine from the command line.

Heavy modules (the engine, YAML, rich) load inside the commands so `hera --help` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

_STATE_HELP = "state directory of the embedded engine (default: $HERA_STATE_DIR, else $XDG_DATA_HOME/hera, else ~/.local/share/hera)"


def _engine(state_dir: str | None, **opts: Any) -> Any:
    from hera.engine import Engine, EngineOptions

    options = EngineOptions(**{k: v for k, v in opts.items() if v is not None})
    with state_errors(state_dir):
        return Engine(state_dir, options=options)


def _state_label(state_dir: str | None) -> str:
    if state_dir:
        return state_dir
    return os.environ.get("HERA_STATE_DIR") or "the default state directory"


@contextlib.contextmanager
def state_errors(state_dir: str | None) -> Iterator[None]:
    """Report a state directory that cannot be used (not a directory, not writable, not a database) in one line."""
    import sqlite3

    from hera.exceptions import HeraException
    from hera.shared.errors import HeraError

    try:
        yield
    except HeraException:  # an API error (not found, bad request): the command reports it
        raise
    except HeraError as e:  # the engine names the directory and the reason itself
        raise click.ClickException(str(e)) from None
    except sqlite3.Error as e:
        raise click.ClickException(f"state directory {_state_label(state_dir)}: cannot use its database: {e}") from None
    except OSError as e:  # later than the engine's own checks (it names a file that is not a directory)
        label = _state_label(state_dir)
        where = f" ({e.filename})" if e.filename and str(e.filename) != label else ""
        raise click.ClickException(f"state directory {label}: {e.strerror or e}{where}") from None


def _check_regex(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        import re

        try:
            re.compile(value)
        except re.error as e:
            raise click.BadParameter(f"{value!r} is not a regular expression: {e}") from None
    return value


def _store(engine: Any, namespace: str, doc: dict[str, Any]) -> str:
    from hera.exceptions import AlreadyExists

    kind = doc.get("kind")
    name = (doc.get("metadata") or {}).get("name", "")
    if kind == "WorkflowTemplate":
        try:
            engine.create_workflow_template(namespace, doc)
        except AlreadyExists:
            engine.update_workflow_template(namespace, name, {**doc, "metadata": {**doc["metadata"], "resourceVersion": None}})
    elif kind == "ClusterWorkflowTemplate":
        try:
            engine.create_cluster_workflow_template(doc)
        except AlreadyExists:
            engine.update_cluster_workflow_template(name, {**doc, "metadata": {**doc["metadata"], "resourceVersion": None}})
    elif kind == "CronWorkflow":
        try:
            engine.create_cron_workflow(namespace, doc)
        except AlreadyExists:
            engine.update_cron_workflow(namespace, name, {**doc, "metadata": {**doc["metadata"], "resourceVersion": None}})
    elif kind == "ConfigMap":
        engine.put_config_map(namespace, doc)
    elif kind == "Secret":
        engine.put_secret(namespace, doc)
    else:  # the loader lets only runnable kinds through
        raise click.ClickException(f"{kind} {name}: hera run cannot store a {kind}")
    return f"{kind} {name}"


@click.command("run")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-p", "--parameter", "params", multiple=True, help="workflow parameter name=value (repeatable)")
@click.option("--entrypoint", default=None, help="template to start from")
@click.option("--state-dir", default=None, help=_STATE_HELP)
@click.option("-n", "--namespace", default="default", show_default=True)
@click.option("--parallelism", type=click.IntRange(min=1), default=None, help="node processes running at once")
@click.option("--time-scale", type=click.FloatRange(min=0), default=None, help="scale every wait (sleep, suspend, backoff, deadline)")
@click.option("--isolation", type=click.Choice(["auto", "overlay", "tmp", "none"]), default=None)
@click.option("--quiet", "-q", is_flag=True, help="only the summary")
def run_cmd(
    file: Path,
    params: tuple[str, ...],
    entrypoint: str | None,
    state_dir: str | None,
    namespace: str,
    parallelism: int | None,
    time_scale: float | None,
    isolation: str | None,
    quiet: bool,
) -> None:
    """Run the workflow(s) in FILE (.py, .yaml or .json) on this machine and show their progress.

    Templates, cron workflows, config maps and secrets in the file go to the engine's store; workflows
    run. Exit code 0 when every workflow Succeeded, 1 otherwise. Ctrl-C stops the workflows (exit handlers
    run); a second Ctrl-C leaves at once (they carry on the next time an engine starts on this state).
    """
    from hera._cli._run_inputs import apply_parameters, load_documents, parse_parameters
    from hera.exceptions import HeraException, NotFound

    pairs = parse_parameters(params)
    loaded_at = time.time()
    docs = load_documents(file)
    workflows = [d for d in docs if d.get("kind") == "Workflow"]
    others = [d for d in docs if d.get("kind") != "Workflow"]
    if not workflows and not others:
        raise click.ClickException(f"{file}: no Workflow, WorkflowTemplate or CronWorkflow found")
    if (params or entrypoint) and not workflows:
        raise click.UsageError(f"{file} has no Workflow to apply -p/--entrypoint to")
    code = [str(file.parent.resolve()), os.getcwd()]
    if file.suffix == ".py":  # a file inside a package: its modules import from the folder above the package
        from hera._cli._sources import module_name_for

        code.insert(0, str(module_name_for(file)[1]))
    engine = _engine(state_dir, parallelism=parallelism, time_scale=time_scale, isolation=isolation, python_path=code)

    def template(name: str, cluster: bool) -> dict[str, Any] | None:
        kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
        for d in others:
            if d.get("kind") == kind and (d.get("metadata") or {}).get("name") == name:
                return d
        try:
            found: dict[str, Any] = (
                engine.get_cluster_workflow_template(name) if cluster else engine.get_workflow_template(namespace, name)
            )
            return found
        except NotFound:
            return None

    try:
        with state_errors(state_dir):
            apply_parameters(workflows, pairs, entrypoint, template)
            engine.start()
        for d in others:
            try:
                click.echo(f"stored {_store(engine, namespace, d)}", err=True)
            except HeraException as e:
                raise click.ClickException(f"{file}: {d.get('kind')} {(d.get('metadata') or {}).get('name')}: {e}") from None
        if not workflows:
            return
        names = []
        for d in workflows:
            try:
                wf = engine.create_workflow(namespace, d, typed=True)
            except HeraException as e:
                own = _created_on_import(engine, namespace, d, loaded_at) if e.status_code == 409 else None
                if own is not None and file.suffix == ".py":
                    click.echo(f"{own}: submitted by {file.name} itself when it was imported; following that run", err=True)
                    names.append(own)
                    continue
                hint = " (use metadata.generateName for a new name each run)" if e.status_code == 409 else ""
                raise click.ClickException(f"{file}: {e}{hint}") from None
            names.append(wf["metadata"]["name"])
        finals = _watch(engine, namespace, names, quiet=quiet)
    finally:
        engine.close()
    from hera._cli._tree import summary

    ok = True
    for wf in finals:
        head, failures = summary(wf)
        phase = (wf.get("status") or {}).get("phase")
        ok = ok and phase == "Succeeded"
        click.secho(head, fg="green" if phase == "Succeeded" else "red", err=False)
        for line in failures:
            click.echo(f"  {line}")
    sys.exit(0 if ok else 1)


def _created_on_import(engine: Any, namespace: str, doc: dict[str, Any], since: float) -> str | None:
    """The name of the stored workflow `doc` names when it was created after `since`: a program that calls
    `w.create()` at module level submitted it while `hera run` imported it (so it is followed, not re-run)."""
    from hera.engine.durations import parse_rfc3339
    from hera.exceptions import HeraException

    meta = doc.get("metadata") or {}
    name = meta.get("name")
    if not name:
        return None
    try:
        stored = engine.get_workflow(meta.get("namespace") or namespace, name)
    except HeraException:
        return None
    created = parse_rfc3339((stored.get("metadata") or {}).get("creationTimestamp"))
    return name if created is not None and created >= int(since) else None


def _watch(engine: Any, namespace: str, names: list[str], *, quiet: bool) -> list[dict[str, Any]]:
    """Follow the workflows until they complete: a live tree on a terminal, plain lines otherwise."""
    done_phases = ("Succeeded", "Failed", "Error")
    interrupted = 0
    live = None
    tty = sys.stdout.isatty() and not quiet and os.environ.get("TERM") != "dumb"
    last_seen: dict[str, tuple[str, str]] = {}
    if tty:
        from rich.console import Console, Group
        from rich.live import Live

        from hera._cli._tree import render_rich

        console = Console()
        live = Live(console=console, refresh_per_second=4, transient=False)
        live.start()
    try:
        while True:
            try:
                wfs = [engine.get_workflow(namespace, n) for n in names]
                if live is not None:
                    height = max(10, console.size.height - 4) // max(1, len(wfs))
                    live.update(Group(*[render_rich(wf, max_rows=height) for wf in wfs]))
                elif not quiet:
                    _print_changes(wfs, last_seen)
                if all((wf.get("status") or {}).get("phase") in done_phases for wf in wfs):
                    return wfs
                time.sleep(0.25)
            except KeyboardInterrupt:
                interrupted += 1
                if interrupted >= 2:
                    click.echo("\nleaving; the workflows carry on the next time an engine starts on this state", err=True)
                    raise SystemExit(130) from None
                click.echo("\nstopping (Ctrl-C again to leave now)", err=True)
                for n in names:
                    try:
                        engine.stop_workflow(namespace, n)
                    except Exception:
                        pass
    finally:
        if live is not None:
            live.stop()


def _print_changes(wfs: list[dict[str, Any]], last: dict[str, tuple[str, str]]) -> None:
    from hera._cli._tree import plain_line, tree_rows

    for wf in wfs:
        for depth, node in tree_rows(wf):
            key = node["id"]
            state = (node.get("phase", ""), node.get("message", ""))
            if last.get(key) != state:
                last[key] = state
                click.echo(f"{time.strftime('%H:%M:%S')} {plain_line(node, depth)}")


@click.command("get")
@click.argument("name")
@click.option("--state-dir", default=None, help=_STATE_HELP)
@click.option("-n", "--namespace", default="default", show_default=True)
@click.option("-o", "--output", type=click.Choice(["tree", "json", "yaml"]), default="tree", show_default=True)
def get_cmd(name: str, state_dir: str | None, namespace: str, output: str) -> None:
    """Show a workflow stored in the state directory."""
    from hera.exceptions import NotFound

    engine = _engine(state_dir)
    try:
        with state_errors(state_dir):
            wf = engine.get_workflow(namespace, name)
    except NotFound as e:
        raise click.ClickException(_not_found(e, namespace, state_dir)) from None
    finally:
        engine.close()
    if output == "json":
        import json

        click.echo(json.dumps(wf, indent=2))
        return
    if output == "yaml":
        import yaml

        click.echo(yaml.safe_dump(wf, sort_keys=False))
        return
    if sys.stdout.isatty():
        from rich.console import Console

        from hera._cli._tree import render_rich

        Console().print(render_rich(wf))
    else:
        from hera._cli._tree import duration, plain_line, tree_rows

        status = wf.get("status") or {}
        click.echo(f"{name}  {status.get('phase')}  {duration(status)}  {status.get('message', '')}".rstrip())
        for depth, node in tree_rows(wf):
            click.echo(plain_line(node, depth + 1))


@click.command("list")
@click.option("--state-dir", default=None, help=_STATE_HELP)
@click.option("-n", "--namespace", default="default", show_default=True)
@click.option("-A", "--all-namespaces", is_flag=True)
@click.option("--running", is_flag=True, help="only workflows not yet completed")
@click.option("--completed", is_flag=True, help="only completed workflows")
@click.option("-l", "--selector", default=None, help="label selector")
def list_cmd(
    state_dir: str | None, namespace: str, all_namespaces: bool, running: bool, completed: bool, selector: str | None
) -> None:
    """List the workflows stored in the state directory (newest first)."""
    from hera._cli._tree import duration

    sel = selector or ""
    if running:
        sel = ",".join(s for s in (sel, "workflows.argoproj.io/completed!=true") if s)
    if completed:
        sel = ",".join(s for s in (sel, "workflows.argoproj.io/completed=true") if s)
    from hera.exceptions import HeraException

    engine = _engine(state_dir)
    try:
        with state_errors(state_dir):
            items, _ = engine.list_workflows(None if all_namespaces else namespace, label_selector=sel or None)
    except HeraException as e:  # a selector that does not parse
        raise click.BadParameter(e.message or str(e), param_hint="'-l' / '--selector'") from None
    finally:
        engine.close()
    rows = [("NAME", "STATUS", "AGE", "DURATION", "PROGRESS", "MESSAGE")]
    now = time.time()
    from hera.engine.durations import parse_rfc3339

    for wf in items:
        meta, status = wf["metadata"], wf.get("status") or {}
        created = parse_rfc3339(meta.get("creationTimestamp")) or now
        age = int(now - created)
        age_text = f"{age}s" if age < 60 else f"{age // 60}m" if age < 3600 else f"{age // 3600}h"
        name = meta["name"] if not all_namespaces else f"{meta.get('namespace')}/{meta['name']}"
        rows.append(
            (name, status.get("phase", ""), age_text, duration(status), status.get("progress", ""), status.get("message", ""))
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        click.echo("  ".join(r[i].ljust(widths[i]) for i in range(5)) + ("  " + r[5] if r[5] else ""))


@click.command("logs")
@click.argument("name")
@click.option("--node", default=None, help="only this node (display name, node id or pod name)")
@click.option("-f", "--follow", is_flag=True, help="keep printing until the workflow is done")
@click.option("--grep", default=None, callback=_check_regex, help="only lines matching this regular expression")
@click.option("--tail", type=click.IntRange(min=0), default=None, help="only the last N lines of each node")
@click.option("--state-dir", default=None, help=_STATE_HELP)
@click.option("-n", "--namespace", default="default", show_default=True)
def logs_cmd(
    name: str, node: str | None, follow: bool, grep: str | None, tail: int | None, state_dir: str | None, namespace: str
) -> None:
    """Print the logs of a workflow's nodes (each line prefixed with its node)."""
    from hera.exceptions import HeraException, NotFound

    engine = _engine(state_dir)
    try:
        with state_errors(state_dir):
            wf = engine.get_workflow(namespace, name)
        from hera.engine.logs import node_pod_name

        names: dict[str, str] = {}
        known: set[str] = set()
        for n in ((wf.get("status") or {}).get("nodes") or {}).values():
            if n.get("type") == "Pod":
                pname = node_pod_name(name, n)
                names[pname] = n.get("displayName", "")
                known.update((pname, n.get("displayName", ""), n.get("id", ""), n.get("name", "")))
        if node is not None and node not in known:
            shown = sorted(n for n in names.values() if n)
            offer = f"; its pod nodes are {', '.join(shown)}" if shown else "; it has no pod nodes yet"
            raise click.ClickException(f"workflow {name} has no node {node!r}{offer}")
        with state_errors(state_dir):
            for entry in engine.workflow_logs(namespace, name, pod_name=node, follow=follow, grep=grep, tail_lines=tail):
                label = names.get(entry["podName"], entry["podName"])
                click.echo(f"{label}: {entry['content']}")
    except NotFound as e:
        raise click.ClickException(_not_found(e, namespace, state_dir)) from None
    except HeraException as e:  # a --grep that is not a regular expression, ...
        raise click.ClickException(e.message or str(e)) from None
    finally:
        engine.close()


def _not_found(e: Exception, namespace: str, state_dir: str | None) -> str:
    return f"{getattr(e, 'message', '') or e} (namespace {namespace!r}, state directory {_state_label(state_dir)})"


COMMANDS = (run_cmd, get_cmd, list_cmd, logs_cmd)
