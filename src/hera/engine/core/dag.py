"""DAG templates: tasks start when their `depends` logic can be decided (event-driven: each finished task
decrements its dependants' counters, so a 1,000-task DAG costs O(tasks + edges), not a rescan per event).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from hera.engine.core.execute import Finisher, compute_template_outputs, execute
from hera.engine.core.hooks import ChildTracker
from hera.engine.core.io import InputError, aggregate_scope, node_scope, render_arguments
from hera.engine.core.loops import LoopError, is_loop, item_scope, loop_items, mentions_item, strip_loop
from hera.engine.core.nodes import COMPLETED, continues_on, failed_or_error, fulfilled
from hera.engine.core.render import ExpressionError, Scope, eval_depends, eval_when, render
from hera.engine.core.run import Req, WorkflowRun
from hera.engine.core.steps import (
    FAILFAST_MESSAGE,
    _loop_index,
    _refers_result,
    _safe_render,
    declared_outputs,
    kill_daemons,
    outbound_nodes,
)
from hera.engine.core.templates import TmplCtx
from hera.engine.naming import loop_node_name
from hera.lint.depends import DependsExpr, DependsSyntaxError, depends_of_task

_RANK = {"": 0, "Succeeded": 1, "Failed": 2, "Error": 2}


class DagCtl:
    """Runs a dag template as node `node`."""

    def __init__(
        self,
        run: WorkflowRun,
        req: Req,
        node: dict[str, Any],
        tmpl: dict[str, Any],
        ctx: TmplCtx,
        scope: Scope,
        finisher: Finisher,
    ) -> None:
        self.run = run
        self.req = req
        self.node = node
        self.tmpl = tmpl
        self.ctx = ctx
        self.scope = scope.child()
        self.finisher = finisher
        dag = tmpl.get("dag") or {}
        self.tasks: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        for t in dag.get("tasks") or []:
            self.tasks[t["name"]] = t
            self.order.append(t["name"])
        self.fail_fast = dag.get("failFast") is not False
        self.tmpl_fail_fast = bool(tmpl.get("failFast"))
        self.exprs: dict[str, DependsExpr] = {}
        self.deps: dict[str, list[str]] = {}
        self.dependents: dict[str, list[str]] = {n: [] for n in self.order}
        self.remaining: dict[str, int] = {}
        self.done: dict[str, dict[str, Any]] = {}
        self.running: set[str] = set()
        self.any_failed = False
        self.started: set[str] = set()
        self.loop_children: dict[str, list[dict[str, Any]]] = {}
        self.loop_pending: dict[str, int] = {}
        self.group_nodes: dict[str, dict[str, Any]] = {}
        self.finished = False
        self.needed: set[str] = set()
        self.targets_left: set[str] = set()
        target = dag.get("target")
        self.targets_text = target
        self.targets: list[str] = []
        #: Tasks whose outputs could not enter the scope (a loop's results that are not JSON), with the reason:
        #: as in Argo, a task that would read them errors, and so does the DAG's own outputs step.
        self.scope_errors: dict[str, str] = {}

    # -- setup -----------------------------------------------------------------------------------------
    def start(self) -> None:
        run = self.run
        if self.node.get("phase") != "Running":
            run.mark(self.node, "Running")
        try:
            for name in self.order:
                expr = depends_of_task(self.tasks[name])
                self.exprs[name] = expr
                deps = [d for d in expr.task_names() if d in self.tasks]
                self.deps[name] = deps
                for d in deps:
                    self.dependents[d].append(name)
                self.remaining[name] = len(deps)
        except DependsSyntaxError as e:
            self.finish("Error", str(e))
            return
        if self.targets_text:
            rendered = render(str(self.targets_text), self.scope)
            self.targets = [t for t in rendered.split() if t]
            missing = [t for t in self.targets if t not in self.tasks]
            if missing:
                self.finish("Error", f"target '{missing[0]}' is not a task of the DAG")
                return
        else:
            self.targets = [n for n in self.order if not self.dependents[n]]
        needed = self._needed()
        self.needed = needed
        self.targets_left = set(self.targets)
        for name in self.order:
            if name in needed and self.remaining[name] == 0:
                self.evaluate(name)
        self.check()

    def _needed(self) -> set[str]:
        """The targets and their transitive dependencies (tasks outside that set never run)."""
        out: set[str] = set()
        stack = list(self.targets)
        while stack:
            t = stack.pop()
            if t in out:
                continue
            out.add(t)
            stack.extend(self.deps.get(t, []))
        return out

    # -- depends logic ---------------------------------------------------------------------------------
    def outcome(self, task: str, result: str | None) -> bool:
        node = self.done.get(task)
        if node is None:
            return False
        phase = node.get("phase")
        daemoned = bool(node.get("daemoned")) and phase != "Pending"
        if result is None:
            t = self.tasks.get(task) or {}
            return (
                phase in ("Succeeded", "Skipped")
                or daemoned
                or (phase == "Failed" and continues_on(t, "Failed"))
                or (phase == "Error" and continues_on(t, "Error"))
            )
        if result == "Succeeded":
            return phase == "Succeeded"
        if result == "Failed":
            return phase == "Failed"
        if result == "Errored":
            return phase == "Error"
        if result == "Skipped":
            return phase == "Skipped"
        if result == "Omitted":
            return phase == "Omitted"
        if result == "Daemoned":
            return daemoned
        kids = self.loop_children.get(task)
        if result == "AnySucceeded":
            return bool(kids) and any(k.get("phase") == "Succeeded" for k in kids or [])
        if result == "AllFailed":
            return bool(kids) and all(k.get("phase") == "Failed" for k in kids or [])
        return False

    def _link_from(self, name: str) -> list[str]:
        deps = self.deps.get(name) or []
        if not deps:
            return [self.node["id"]]
        out: list[str] = []
        for d in deps:
            dn = self.done.get(d)
            if dn is None:
                continue
            for o in outbound_nodes(self.run, dn["id"]):
                if o not in out:
                    out.append(o)
        return out or [self.node["id"]]

    def _leaf(self, name: str, task: dict[str, Any], phase: str, message: str, link_from: list[str]) -> dict[str, Any]:
        run = self.run
        existing = run.node_by_name(name)
        if existing is not None and fulfilled(existing):
            node = existing
        else:
            node = run.create_node(
                name, "Skipped", boundary_id=self.node["id"], tctx=self.ctx, holder=task, phase=phase, message=message
            )
        for p in link_from:
            run.add_child(p, node["id"])
        return node

    def evaluate(self, name: str) -> None:
        """All dependencies are fulfilled: decide whether the task runs, is omitted, or errors."""
        if self.finished or name in self.started:
            return
        self.started.add(name)
        task = self.tasks[name]
        base = f"{self.node['name']}.{name}"
        link_from = self._link_from(name)
        try:
            ok = eval_depends(self.exprs[name], self.outcome)
        except ExpressionError as e:
            self.task_done(name, self._leaf(base, task, "Error", str(e), link_from))
            return
        if not ok:
            self.task_done(
                name, self._leaf(base, task, "Omitted", "omitted: depends condition not met", link_from)
            )
            return
        if self.scope_errors:
            broken = self._broken_ancestor(name)
            if broken is not None:
                self.task_done(name, self._leaf(base, task, "Error", self.scope_errors[broken], link_from))
                return
        scope = self.scope.child({"tasks.name": name})
        when = task.get("when")
        loop = is_loop(task)
        if when and not (loop and mentions_item(when)):
            try:
                when_ok = eval_when(str(when), scope)
            except ExpressionError as e:
                self.task_done(name, self._leaf(base, task, "Error", str(e), link_from))
                return
            if not when_ok:
                msg = f"when '{_safe_render(str(when), scope)}' evaluated false"
                self.task_done(name, self._leaf(base, task, "Skipped", msg, link_from))
                return
            when = None
        if not loop:
            self._start_one(name, task, base, scope, link_from, None, when)
            return
        try:
            items = loop_items(task, scope)
        except (LoopError, ExpressionError) as e:
            self.task_done(name, self._leaf(base, task, "Error", str(e), link_from))
            return
        if not items:
            self.task_done(name, self._leaf(base, task, "Skipped", "Skipped, empty params", link_from))
            return
        run = self.run
        group = run.node_by_name(base)
        if group is None or group.get("type") != "TaskGroup":
            group = run.create_node(
                base, "TaskGroup", boundary_id=self.node["id"], tctx=self.ctx, holder=task, phase="Running"
            )
        for p in link_from:
            run.add_child(p, group["id"])
        self.group_nodes[name] = group
        self.running.add(name)
        self.loop_children[name] = []
        self.loop_pending[name] = len(items)
        body = strip_loop(task)
        for i, item in enumerate(items):
            cname = loop_node_name(base, i, item)
            self._start_one(name, body, cname, scope.child(item_scope(item)), [group["id"]], i, when)

    def _broken_ancestor(self, name: str) -> str | None:
        """The first ancestor of `name` (Argo puts every ancestor in a task's scope) whose outputs failed."""
        seen: set[str] = set()
        stack = list(self.deps.get(name, []))
        while stack:
            d = stack.pop()
            if d in seen:
                continue
            seen.add(d)
            if d in self.scope_errors:
                return d
            stack.extend(self.deps.get(d, []))
        return None

    def _start_one(
        self,
        name: str,
        task: dict[str, Any],
        cname: str,
        scope: Scope,
        link_from: list[str],
        index: int | None,
        when: Any,
    ) -> None:
        run = self.run
        if when:
            try:
                ok = eval_when(str(when), scope)
            except ExpressionError as e:
                self._expansion_done(name, index, self._leaf(cname, task, "Error", str(e), link_from))
                return
            if not ok:
                msg = f"when '{_safe_render(str(when), scope)}' evaluated false"
                self._expansion_done(name, index, self._leaf(cname, task, "Skipped", msg, link_from))
                return
        try:
            args = render_arguments(task.get("arguments"), scope)
            holder = {k: task[k] for k in ("template", "templateRef", "inline") if k in task}
            holder = render(holder, scope, strict_refs=True)
            full = {**task, **holder}
        except (ExpressionError, InputError) as e:
            self._expansion_done(name, index, self._leaf(cname, task, "Error", str(e), link_from))
            return
        tracker = ChildTracker(
            run,
            full,
            "tasks",
            name,
            scope,
            self.node["id"],
            self.ctx,
            partial(self._expansion_done, name, index),
        )

        def created(node: dict[str, Any], n: str = name) -> None:
            if n not in self.done:
                self.running.add(n)
            tracker.created(node)

        execute(
            run,
            Req(
                name=cname,
                holder=full,
                tctx=self.ctx,
                args=args,
                boundary_id=self.node["id"],
                on_done=tracker.done,
                link_from=link_from,
                locals={"tasks.name": name},
                on_created=created,
                kind="tasks",
                on_cancel=partial(self._cancelled, name, index),
                failfast_key=self.node["id"],
            ),
        )

    # -- completion ------------------------------------------------------------------------------------
    def _cancelled(self, name: str, index: int | None) -> None:
        if index is not None:
            self.loop_pending[name] -= 1
        self.check()

    def _expansion_done(self, name: str, index: int | None, node: dict[str, Any]) -> None:
        if index is None:
            self.task_done(name, node)
            return
        self.loop_children[name].append(node)
        self.loop_pending[name] -= 1
        if self.loop_pending[name] > 0:
            return
        group = self.group_nodes[name]
        task = self.tasks[name]
        kids = sorted(self.loop_children[name], key=_loop_index)
        phase = "Succeeded"
        message = ""
        for k in kids:
            if failed_or_error(k) and not continues_on(task, k.get("phase")):
                phase = k.get("phase") or "Failed"
                message = k.get("message") or ""
        self.run.mark(group, phase, message)
        self.task_done(name, group)

    def task_done(self, name: str, node: dict[str, Any]) -> None:
        if name in self.done:
            return
        self.done[name] = node
        self.running.discard(name)
        if name in self.targets_left:
            self.targets_left.discard(name)
        if node.get("phase") in ("Failed", "Error"):
            self.any_failed = True
        prefix = f"tasks.{name}"
        task = self.tasks[name]
        try:
            if name in self.loop_children and node.get("type") == "TaskGroup":
                kids = sorted(self.loop_children[name], key=_loop_index)
                self.scope.update(aggregate_scope(prefix, kids, result_required=_refers_result(self.tmpl, name)))
                self.scope.update({f"{prefix}.id": node["id"], f"{prefix}.status": node.get("phase", "")})
            else:
                declared = declared_outputs(self.ctx, task) if node.get("phase") in ("Skipped", "Omitted") else None
                self.scope.update(node_scope(prefix, node, declared))
        except InputError as e:
            self.scope_errors[name] = f"failed to aggregate outputs for {name}: {e}"
        if self.tmpl_fail_fast and failed_or_error(node) and not continues_on(task, node.get("phase")):
            self.run.failfast_tripped.add(self.node["id"])
        for d in self.dependents.get(name, []):
            self.remaining[d] -= 1
            if self.remaining[d] == 0 and d in self.needed:
                self.evaluate(d)
        self.check()

    def _branch_phase(self, name: str, memo: dict[str, str]) -> str:
        if name in memo:
            return memo[name]
        node = self.done.get(name)
        if node is not None and node.get("phase") in COMPLETED:
            memo[name] = node["phase"]
            return memo[name]
        best = ""
        for d in self.deps.get(name, []):
            p = self._branch_phase(d, memo)
            if _RANK.get(p, 0) > _RANK.get(best, 0):
                best = p
        memo[name] = best
        return best

    def check(self) -> None:
        if self.finished:
            return
        if self.running:
            return
        memo: dict[str, str] = {}
        if self.any_failed and (self.fail_fast or self.node["id"] in self.run.failfast_tripped):
            for t in sorted(self.targets):
                if t not in self.done:
                    continue
                phase = self._branch_phase(t, memo)
                if phase in ("Failed", "Error") and not continues_on(self.tasks[t], phase):
                    self.run.failfast_tripped.add(self.node["id"])
                    self.finish(phase, self._failure_message(t))
                    return
        if self.node["id"] in self.run.failfast_tripped and self.tmpl_fail_fast:
            self.finish("Failed", FAILFAST_MESSAGE)
            return
        if self.targets_left:
            return
        for t in sorted(self.targets):
            phase = self._branch_phase(t, memo)
            if phase in ("Failed", "Error") and not continues_on(self.tasks[t], phase):
                self.finish(phase, self._failure_message(t))
                return
        outbound: list[str] = []
        for t in self.targets:
            for o in outbound_nodes(self.run, self.done[t]["id"]):
                if o not in outbound:
                    outbound.append(o)
        if outbound:
            self.node["outboundNodes"] = outbound
        if self.scope_errors:
            self.finish("Error", next(iter(self.scope_errors.values())))
            return
        outputs, err = compute_template_outputs(self.tmpl, self.scope)
        if err is not None:
            self.finish("Error", err)
            return
        self.finish("Succeeded", "", outputs)

    def _failure_message(self, target: str) -> str:
        node = self.done.get(target)
        if node is not None and node.get("phase") in ("Failed", "Error"):
            return str(node.get("message") or "")
        for d in self.deps.get(target, []):
            msg = self._failure_message(d)
            if msg:
                return msg
        return ""

    def finish(self, phase: str, message: str, outputs: dict[str, Any] | None = None) -> None:
        if self.finished:
            return
        self.finished = True
        if phase != "Succeeded":
            outbound: list[str] = []
            for t in self.targets:
                if t in self.done:
                    outbound.extend(outbound_nodes(self.run, self.done[t]["id"]))
            if outbound:
                self.node["outboundNodes"] = outbound
        kill_daemons(self.run, self.node["id"])
        self.finisher.finish(phase, message, outputs)
