"""Steps templates: groups run one after another, the steps of a group in parallel (Argo's executeSteps)."""

from __future__ import annotations

from functools import partial
from typing import Any

from hera.engine.core.execute import Finisher, compute_template_outputs, execute
from hera.engine.core.hooks import ChildTracker
from hera.engine.core.io import InputError, aggregate_scope, node_scope, render_arguments
from hera.engine.core.loops import LoopError, is_loop, item_scope, loop_items, mentions_item, strip_loop
from hera.engine.core.nodes import continues_on, failed_or_error, fulfilled
from hera.engine.core.render import ExpressionError, Scope, eval_when, render, render_text
from hera.engine.core.run import Req, WorkflowRun
from hera.engine.core.templates import TemplateError, TmplCtx
from hera.engine.naming import loop_node_name

FAILFAST_MESSAGE = "template has failed or errored children and failFast enabled"


def outbound_nodes(run: WorkflowRun, nid: str) -> list[str]:
    """Argo's getOutboundNodes: the leaf node ids that the next group/task hangs off."""
    node = run.nodes.get(nid)
    if node is None:
        return [nid]
    t = node.get("type")
    if t in ("Skipped", "Suspend", "HTTP", "Plugin", "Pod"):
        return [nid]
    children = node.get("children") or []
    if t in ("TaskGroup", "StepGroup"):
        if not children:
            return [nid]
        out: list[str] = []
        for c in children:
            cn = run.nodes.get(c)
            if cn is not None and (cn.get("nodeFlag") or {}).get("hooked"):
                continue
            out.extend(outbound_nodes(run, c))
        return out or [nid]
    if t == "Retry":
        attempts = [c for c in children if not ((run.nodes.get(c) or {}).get("nodeFlag") or {}).get("hooked")]
        return [attempts[-1]] if attempts else [nid]
    out = []
    for o in node.get("outboundNodes") or []:
        out.extend(outbound_nodes(run, o))
    return out or [nid]


def declared_outputs(tctx: TmplCtx, holder: dict[str, Any]) -> dict[str, Any] | None:
    """The `outputs` a step/task's template declares (for §8.3 absent values), or None."""
    try:
        tmpl, _ = tctx.resolve(holder)
    except TemplateError:
        return None
    out: dict[str, Any] | None = tmpl.get("outputs")
    return out


def kill_daemons(run: WorkflowRun, boundary_id: str) -> None:
    """Stop the daemons started under a finished steps/dag node (they end Succeeded)."""
    for pod in run.daemons.pop(boundary_id, []):
        pod.stop_daemon()


class StepsCtl:
    """Runs a steps template as node `node`."""

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
        self.groups: list[list[dict[str, Any]]] = tmpl.get("steps") or []
        self.index = 0

    def start(self) -> None:
        if self.node.get("phase") != "Running":
            self.run.mark(self.node, "Running")
        self.next_group()

    def next_group(self) -> None:
        if self.index >= len(self.groups):
            self.succeed()
            return
        GroupCtl(self, self.index).start()

    def group_done(self, gnode: dict[str, Any], message: str | None) -> None:
        if failed_or_error(gnode):
            self.fail(message or gnode.get("message") or "")
            return
        self.index += 1
        self.next_group()

    def succeed(self) -> None:
        run = self.run
        last = run.node_by_name(f"{self.node['name']}[{len(self.groups) - 1}]") if self.groups else None
        if last is not None:
            outbound: list[str] = []
            for c in last.get("children") or []:
                outbound.extend(outbound_nodes(run, c))
            if outbound:
                self.node["outboundNodes"] = outbound
        outputs, err = compute_template_outputs(self.tmpl, self.scope)
        kill_daemons(run, self.node["id"])
        if err is not None:
            self.finisher.finish("Error", err)
            return
        self.finisher.finish("Succeeded", "", outputs)

    def fail(self, message: str) -> None:
        kill_daemons(self.run, self.node["id"])
        self.finisher.finish("Failed", message)

    def error(self, message: str) -> None:
        """The template itself failed (e.g. a loop's outputs cannot be aggregated): the Steps node is Error."""
        kill_daemons(self.run, self.node["id"])
        self.finisher.finish("Error", message)


class GroupCtl:
    """One step group: starts its steps (expanding loops, evaluating `when`) and assesses the group."""

    def __init__(self, steps: StepsCtl, index: int) -> None:
        self.steps = steps
        self.run = steps.run
        self.index = index
        self.name = f"{steps.node['name']}[{index}]"
        self.gnode: dict[str, Any] = {}
        self.pending = 0
        self.started_all = False
        self.finished = False
        self.order: list[str] = []
        self.children: dict[str, list[dict[str, Any]]] = {}
        self.remaining: dict[str, int] = {}
        self.loops: set[str] = set()
        self.step_by_name: dict[str, dict[str, Any]] = {}
        self.failfast_tripped = False
        #: Why a finished step's outputs could not enter the scope (Argo: an error of the Steps template).
        self.scope_error: str | None = None

    def start(self) -> None:
        run, steps = self.run, self.steps
        gnode = run.node_by_name(self.name)
        if gnode is None:
            gnode = run.create_node(self.name, "StepGroup", boundary_id=steps.node["id"], tctx=steps.ctx, phase="Running")
        self.gnode = gnode
        if self.index == 0:
            run.add_child(steps.node["id"], gnode["id"])
        else:
            prev = run.node_by_name(f"{steps.node['name']}[{self.index - 1}]")
            if prev is not None:
                kids = [c for c in prev.get("children") or [] if c in run.nodes]
                if not kids:
                    run.add_child(prev["id"], gnode["id"])
                for c in kids:
                    for o in outbound_nodes(run, c):
                        run.add_child(o, gnode["id"])
        for step in steps.groups[self.index] or []:
            self.start_step(step)
        self.started_all = True
        self.check()

    # -- starting steps --------------------------------------------------------------------------------
    def _leaf_node(self, name: str, step: dict[str, Any], phase: str, message: str) -> dict[str, Any]:
        run = self.run
        existing = run.node_by_name(name)
        if existing is not None and fulfilled(existing):
            node = existing
        else:
            node = run.create_node(
                name,
                "Skipped",
                boundary_id=self.steps.node["id"],
                tctx=self.steps.ctx,
                holder=step,
                phase=phase,
                message=message,
            )
        run.add_child(self.gnode["id"], node["id"])
        return node

    def start_step(self, step: dict[str, Any]) -> None:
        sname = step.get("name", "")
        base = f"{self.name}.{sname}"
        self.order.append(sname)
        self.step_by_name[sname] = step
        self.children[sname] = []
        scope = self.steps.scope
        when = step.get("when")
        loop = is_loop(step)
        when_checked = False
        if when and not (loop and mentions_item(when)):
            try:
                ok = eval_when(str(when), scope)
            except ExpressionError as e:
                self._record(sname, self._leaf_node(base, step, "Error", str(e)), count=False)
                return
            if not ok:
                rendered = _safe_render(str(when), scope)
                self._record(sname, self._leaf_node(base, step, "Skipped", f"when '{rendered}' evaluated false"), count=False)
                return
            when_checked = True
        expansions: list[tuple[str, dict[str, Any]]]
        if loop:
            self.loops.add(sname)
            try:
                items = loop_items(step, scope)
            except (LoopError, ExpressionError) as e:
                self._record(sname, self._leaf_node(base, step, "Error", str(e)), count=False)
                return
            if not items:
                self.loops.discard(sname)
                self._record(sname, self._leaf_node(base, step, "Skipped", "Skipped, empty params"), count=False)
                return
            expansions = [(loop_node_name(base, i, item), item_scope(item)) for i, item in enumerate(items)]
        else:
            expansions = [(base, {})]
        self.remaining[sname] = len(expansions)
        body = strip_loop(step)
        for cname, iscope in expansions:
            self.pending += 1
            cscope = scope.child(iscope) if iscope else scope
            self._start_child(sname, step, body, cname, cscope, check_when=bool(when) and not when_checked)

    def _start_child(
        self, sname: str, step: dict[str, Any], body: dict[str, Any], cname: str, cscope: Scope, *, check_when: bool
    ) -> None:
        run, steps = self.run, self.steps
        if check_when:
            try:
                ok = eval_when(str(step["when"]), cscope)
            except ExpressionError as e:
                self._child_finished(sname, self._leaf_node(cname, step, "Error", str(e)))
                return
            if not ok:
                rendered = _safe_render(str(step["when"]), cscope)
                self._child_finished(sname, self._leaf_node(cname, step, "Skipped", f"when '{rendered}' evaluated false"))
                return
        try:
            args = render_arguments(body.get("arguments"), cscope)
            holder = {k: body[k] for k in ("template", "templateRef", "inline") if k in body}
            holder = render(holder, cscope, strict_refs=True)
            full = {**body, **holder}
            if "hooks" in body and cscope is not steps.scope:
                full["hooks"] = render(body["hooks"], cscope)
        except (ExpressionError, InputError) as e:
            self._child_finished(sname, self._leaf_node(cname, step, "Error", str(e)))
            return
        tracker = ChildTracker(
            run,
            full,
            "steps",
            sname,
            cscope,
            steps.node["id"],
            steps.ctx,
            partial(self._child_finished, sname),
        )
        execute(
            run,
            Req(
                name=cname,
                holder=full,
                tctx=steps.ctx,
                args=args,
                boundary_id=steps.node["id"],
                on_done=tracker.done,
                link_from=[self.gnode["id"]],
                locals={"steps.name": sname},
                on_created=tracker.created,
                kind="steps",
                on_cancel=partial(self._cancelled, sname),
                failfast_key=steps.node["id"] if steps.tmpl.get("failFast") else None,
            ),
        )

    # -- completion ------------------------------------------------------------------------------------
    def _record(self, sname: str, node: dict[str, Any], *, count: bool) -> None:
        """A step that produced a single node without running (Skipped / Error / empty loop)."""
        self.children[sname].append(node)
        self._update_scope(sname)

    def _cancelled(self, sname: str) -> None:
        self.pending -= 1
        self.remaining[sname] = self.remaining.get(sname, 1) - 1
        if self.remaining[sname] <= 0:
            self._update_scope(sname)
        self.check()

    def _child_finished(self, sname: str, node: dict[str, Any]) -> None:
        self.pending -= 1
        self.children[sname].append(node)
        self.remaining[sname] = self.remaining.get(sname, 1) - 1
        step = self.step_by_name.get(sname) or {}
        if self.steps.tmpl.get("failFast") and failed_or_error(node) and not continues_on(step, node.get("phase")):
            self.run.failfast_tripped.add(self.steps.node["id"])
            self.failfast_tripped = True
        if self.remaining[sname] <= 0:
            try:
                self._update_scope(sname)
            except InputError as e:
                self.scope_error = str(e)
        self.check()

    def _update_scope(self, sname: str) -> None:
        nodes = self.children[sname]
        prefix = f"steps.{sname}"
        steps = self.steps
        if sname in self.loops:
            nodes_sorted = sorted(nodes, key=_loop_index)
            required = _refers_result(steps.tmpl, sname)
            steps.scope.update(aggregate_scope(prefix, nodes_sorted, result_required=required))
        elif nodes:
            node = nodes[-1]
            declared = None
            if node.get("phase") in ("Skipped", "Omitted"):
                declared = declared_outputs(steps.ctx, self.step_by_name.get(sname) or {})
            steps.scope.update(node_scope(prefix, node, declared))

    def check(self) -> None:
        if self.finished or not self.started_all or self.pending > 0:
            return
        self.finished = True
        run = self.run
        failed: dict[str, Any] | None = None
        for sname in self.order:
            step = self.step_by_name[sname]
            for node in self.children[sname]:
                if failed_or_error(node) and not continues_on(step, node.get("phase")):
                    failed = node
                    break
            if failed is not None:
                break
        if failed is not None:
            message = failed.get("message") or ""
            if self.failfast_tripped and self.steps.tmpl.get("failFast"):
                message = FAILFAST_MESSAGE
                run.mark(self.gnode, "Failed", FAILFAST_MESSAGE)
            else:
                run.mark(self.gnode, "Failed", f"child '{failed['id']}' failed")
            self.steps.group_done(self.gnode, message)
            return
        run.mark(self.gnode, "Succeeded", "")
        if self.scope_error is not None:
            self.steps.error(self.scope_error)
            return
        self.steps.group_done(self.gnode, None)


def _loop_index(node: dict[str, Any]) -> int:
    name = node.get("name", "")
    open_at = name.rfind("(")
    if open_at < 0:
        return 0
    digits = name[open_at + 1 :].split(":", 1)[0]
    try:
        return int(digits)
    except ValueError:
        return 0


def _refers_result(tmpl: dict[str, Any], name: str) -> bool:
    import json

    text = json.dumps(tmpl)
    return (
        f"steps.{name}.outputs.result" in text
        or f"steps['{name}'].outputs.result" in text
        or f'steps[\\"{name}\\"].outputs.result' in text
        or f"tasks.{name}.outputs.result" in text
        or f"tasks['{name}'].outputs.result" in text
        or f'tasks[\\"{name}\\"].outputs.result' in text
    )


def _safe_render(text: str, scope: Scope) -> str:
    try:
        return render_text(text, scope)
    except ExpressionError:
        return text
