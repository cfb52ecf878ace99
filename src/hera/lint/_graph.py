"""Checks of steps and DAG bodies: names, loops, calls, `depends`, cycles, targets and what each step or
task may refer to (earlier step groups; DAG ancestors)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from hera.lint._refs import AllStatus, Ancestry, Items, Producer, StatusView, find_cycle
from hera.lint._templates import TemplateChecks
from hera.lint._util import as_list, as_map
from hera.lint.depends import DependsExpr, DependsSyntaxError, from_dependencies, parse_depends
from hera.lint.names import field_name_errors

__all__ = ["GraphChecks"]


class GraphChecks(TemplateChecks):
    """Rules on the bodies of steps and DAG templates."""

    def check_steps(self, tmpl: Mapping[str, Any], field: str, name: str, scope: set[str]) -> None:
        """Step groups: names, loops, calls, and references to earlier groups only."""
        groups = tmpl.get("steps")
        if not isinstance(groups, list):
            self.add("steps must be a list of step groups", rule="invalid-field", template=name, field=f"{field}.steps")
            self._last_producers, self._last_status = {}, set()
            return
        names: set[str] = set()
        producers: dict[str, Producer] = {}
        status: set[str] = set()
        items = Items()
        for gi, group in enumerate(groups):
            if isinstance(group, Mapping):  # the {steps: [...]} form of a ParallelSteps
                group = group.get("steps")
            if not isinstance(group, list):
                self.add("a step group must be a list of steps", rule="invalid-field", template=name, field=f"{field}.steps[{gi}]")
                continue
            resolved: list[tuple[str, Any, bool]] = []
            for si, step in enumerate(group):
                sf = f"{field}.steps[{gi}][{si}]"
                step = as_map(step)
                sname = step.get("name")
                if not self.check_node_name(sname, "step", name, f"{sf}.name"):
                    continue
                if sname in names:
                    self.add(f"step name {sname!r} is not unique", rule="duplicate-name", template=name, task=sname, field=f"{sf}.name")
                names.add(sname)
                status.add(sname)
                loop_error = items.add(step)
                if loop_error:
                    self.add(loop_error, rule="invalid-loop", template=name, task=sname, field=sf)
                args = as_map(step.get("arguments"))
                self.check_arguments_values(args, sf, allow_empty=False, template=name, task=sname)
                callee = self.resolve_holder(step, sf, name, sname, args)
                if "onExit" in step or "hooks" in step:
                    self.check_step_extras(step, sf, name, sname)
                aggregate = bool(step.get("withItems") or step.get("withParam"))
                me = Producer(callee, aggregate)
                self.check_holder_tags(step, scope, items, producers, status, name, sname, me, sf)
                resolved.append((sname, callee, aggregate))
            for sname, callee, aggregate in resolved:
                producers[sname] = Producer(callee, aggregate)
        self._last_producers, self._last_status = producers, status

    def check_node_name(self, value: Any, kind: str, template: str, field: str) -> TypeGuard[str]:
        """Report a missing or invalid step or task name; True when there is a name to go on with."""
        if not value or not isinstance(value, str):
            self.add(f"{kind} name is required", rule="missing-name", template=template, field=field)
            return False
        for err in field_name_errors(value):
            self.add(f"{kind} name {value!r} is invalid: {err}", rule="invalid-name", template=template, task=value, field=field)
        return True

    def check_step_extras(self, holder: Mapping[str, Any], field: str, template: str, task: str) -> None:
        """A step or task's onExit template and lifecycle hooks."""
        on_exit = holder.get("onExit")
        if on_exit and on_exit not in self.ns.templates and not self.ref_unresolved:
            self.add(f"onExit template {on_exit!r} is not defined", rule="unknown-template", template=template, task=task, field=f"{field}.onExit")
        for hname, hook in as_map(holder.get("hooks")).items():
            self.check_hook(hook, f"{field}.hooks.{hname}", str(hname), template=template, task=task)

    def check_dag(self, tmpl: Mapping[str, Any], field: str, name: str, scope: set[str]) -> None:
        """DAG tasks: names, depends/dependencies, cycles, targets, calls and ancestor-only references."""
        dag = as_map(tmpl.get("dag"))
        tasks = [t for t in as_list(dag.get("tasks")) if isinstance(t, Mapping)]
        self._last_producers, self._last_status = {}, set()
        by_name: dict[str, Mapping[str, Any]] = {}
        index: dict[str, int] = {}
        tf = f"{field}.dag.tasks"
        for i, task in enumerate(tasks):
            tname = task.get("name")
            if not self.check_node_name(tname, "task", name, f"{tf}[{i}].name"):
                continue
            if tname in by_name:
                self.add(f"task name {tname!r} is not unique", rule="duplicate-name", template=name, task=tname, field=f"{tf}[{i}].name")
                continue
            by_name[tname] = task
            index[tname] = i
        using_depends = any(t.get("depends") for t in tasks)
        deps: dict[str, list[str]] = {}
        reported_mix = False
        for tname, task in by_name.items():
            depends, dependencies = task.get("depends"), task.get("dependencies")
            if depends or dependencies or (using_depends and (task.get("continueOn") is not None or tname[:1].isdigit())):
                reported_mix = self.check_task_depends_rules(task, tname, name, f"{tf}[{index[tname]}]", using_depends, reported_mix)
            if not depends and not dependencies:
                deps[tname] = []
                continue
            expr: DependsExpr | None = None
            if depends:
                if not isinstance(depends, str):
                    self.add("depends must be a string", rule="invalid-depends", template=name, task=tname, field=f"{tf}[{index[tname]}].depends")
                else:
                    try:
                        expr = parse_depends(depends)
                    except DependsSyntaxError as e:
                        self.add(e.message, rule="invalid-depends", template=name, task=tname, field=f"{tf}[{index[tname]}].depends")
            elif not isinstance(dependencies, list):
                self.add("dependencies must be a list of task names", rule="invalid-depends", template=name, task=tname, field=f"{tf}[{index[tname]}].dependencies")
            else:
                expr = from_dependencies([str(d) for d in dependencies])
            ok_names = []
            for dep in expr.task_names() if expr is not None else ():
                if dep in by_name:
                    ok_names.append(dep)
                else:
                    where = f"{tf}[{index[tname]}].{'depends' if depends else 'dependencies'}"
                    self.add(f"dependency {dep!r} not defined", rule="unknown-dependency", template=name, task=tname, field=where)
            deps[tname] = ok_names
        cycle = find_cycle(deps)
        if cycle:
            shown = cycle if len(cycle) <= 10 else [*cycle[:8], f"... ({len(cycle) - 1} tasks in the cycle)"]
            self.add(f"dependency cycle detected: {' -> '.join(shown)}", rule="dag-cycle", template=name, field=f"{field}.dag.tasks")
        target = dag.get("target")
        if isinstance(target, str) and target.strip():
            for tgt in target.split():
                if "{{" in tgt:
                    continue
                if tgt not in by_name:
                    self.add(f"target {tgt!r} is not defined", rule="unknown-target", template=name, field=f"{field}.dag.target")
        # resolve callees once, then check references
        producers: dict[str, Producer] = {}
        for tname, task in by_name.items():
            tfield = f"{tf}[{index[tname]}]"
            args = as_map(task.get("arguments"))
            if args:
                self.check_arguments_values(args, tfield, allow_empty=False, template=name, task=tname)
            callee = self.resolve_holder(task, tfield, name, tname, args)
            producers[tname] = Producer(callee, bool(task.get("withItems") or task.get("withParam")))
            if "onExit" in task or "hooks" in task:
                self.check_step_extras(task, tfield, name, tname)
        ancestry = Ancestry(deps) if not cycle else None
        no_items = Items()
        for tname, task in by_name.items():
            tfield = f"{tf}[{index[tname]}]"
            items = no_items
            if "withItems" in task or "withParam" in task or "withSequence" in task:
                items = Items()
                loop_error = items.add(task)
                if loop_error:
                    self.add(loop_error, rule="invalid-loop", template=name, task=tname, field=tfield)
            task_scope = scope
            inline = task.get("inline")
            if inline:
                inline_params = as_list(as_map(as_map(inline).get("inputs")).get("parameters"))
                task_scope = scope | {f"inputs.parameters.{as_map(p).get('name')}" for p in inline_params}
                task = _without_inline(task)
            status = StatusView(ancestry, tname) if ancestry is not None else AllStatus()
            self.check_holder_tags(task, task_scope, items, producers, status, name, tname, producers[tname], tfield)
            if ancestry is not None and "arguments" in task:
                self.check_argument_ancestry(task, ancestry, name, tname, tfield)
        self._last_producers = producers
        self._last_status = set()

    def check_task_depends_rules(
        self, task: Mapping[str, Any], tname: str, template: str, field: str, using_depends: bool, reported_mix: bool
    ) -> bool:
        """Rules on how a task states its dependencies; returns whether the depends/dependencies mix was reported."""
        where = {"template": template, "task": tname}
        if task.get("depends") and task.get("dependencies"):
            if not reported_mix:
                self.add("cannot use both 'depends' and 'dependencies' in the same DAG template", rule="depends-and-dependencies", **where, field=field)
                reported_mix = True
        elif using_depends and task.get("dependencies") and not reported_mix:
            self.add(
                "cannot use both 'depends' and 'dependencies' in the same DAG template",
                rule="depends-and-dependencies",
                **where,
                field=f"{field}.dependencies",
            )
            reported_mix = True
        if using_depends and task.get("continueOn") is not None:
            self.add(
                "cannot use 'continueOn' when using 'depends'; use 'task.Failed' / 'task.Errored' instead",
                rule="continue-on-with-depends",
                **where,
                field=f"{field}.continueOn",
            )
        if (using_depends or task.get("dependencies")) and tname[:1].isdigit():
            self.add(
                "task name cannot begin with a digit when using either 'depends' or 'dependencies'",
                rule="task-name-digit",
                **where,
                field=f"{field}.name",
            )
        return reported_mix

    def check_argument_ancestry(self, task: Mapping[str, Any], ancestry: Ancestry, template: str, tname: str, field: str) -> None:
        """Argo's rule: an argument that starts with `{{tasks.X` needs X among the task's ancestors."""
        args = as_map(task.get("arguments"))
        for kind, key in (("parameters", "value"), ("artifacts", "from")):
            items = args.get(kind)
            if not items:
                continue
            for i, item in enumerate(as_list(items)):
                value = as_map(item).get(key)
                if type(value) is not str or not value.startswith("{{tasks."):
                    continue
                ref = value[8:].split(".", 1)[0]
                if ref in ancestry.bit and not ancestry.is_ancestor(ref, tname):
                    self.add(
                        f"missing dependency {ref!r} for {kind[:-1]} {as_map(item).get('name')!r}",
                        rule="missing-dependency",
                        template=template,
                        task=tname,
                        field=f"{field}.arguments.{kind}[{i}].{key}",
                    )


def _without_inline(task: Mapping[str, Any]) -> Mapping[str, Any]:
    if "inline" not in task:
        return task
    return {k: v for k, v in task.items() if k != "inline"}
