"""Step/task-level exit handlers (`onExit`, `hooks.exit`) and lifecycle hooks (`hooks.<name>.expression`).

A step or task counts as done for its group / its dependants only when its node, its triggered hook nodes
and its exit handler node are all fulfilled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hera.engine.core.io import node_scope, render_arguments
from hera.engine.core.nodes import completed, fulfilled
from hera.engine.core.render import ExpressionError, Scope, eval_expr, render_text
from hera.engine.core.run import Req, WorkflowRun
from hera.engine.core.templates import TmplCtx


class ChildTracker:
    """Follows one step/task node through its hooks and exit handler, then calls `on_complete(node)`."""

    def __init__(
        self,
        run: WorkflowRun,
        holder: dict[str, Any],
        kind: str,
        self_name: str,
        scope: Scope,
        boundary_id: str | None,
        tctx: TmplCtx,
        on_complete: Callable[[dict[str, Any]], None],
    ) -> None:
        self.run = run
        self.holder = holder
        self.kind = kind
        self.self_name = self_name
        self.scope = scope
        self.boundary_id = boundary_id
        self.tctx = tctx
        self.on_complete = on_complete
        hooks = holder.get("hooks") or {}
        self.hooks = {k: v for k, v in hooks.items() if k != "exit"}
        self.exit_ref: dict[str, Any] | None = hooks.get("exit")
        if self.exit_ref is None and holder.get("onExit"):
            self.exit_ref = {"template": holder["onExit"]}
        self.fired: set[str] = set()
        self.pending = 0
        self.node: dict[str, Any] | None = None
        self.main_done = False
        self.exit_started = False
        self.finished = False

    # -- lifecycle -------------------------------------------------------------------------------------
    def created(self, node: dict[str, Any]) -> None:
        """The step/task node exists: evaluate hooks now and on every phase change."""
        self.node = node
        if self.hooks:
            self.run.observe(node["id"], self._changed)
            self._eval_hooks(node)

    def _changed(self, node: dict[str, Any]) -> None:
        if not self.finished:
            self._eval_hooks(node)

    def done(self, node: dict[str, Any]) -> None:
        """The step/task node is fulfilled."""
        self.node = node
        self.main_done = True
        if self.hooks:
            self._eval_hooks(node)
        if self.exit_ref is not None and completed(node) and not self.exit_started:
            self.exit_started = True
            self._start(node, f"{node['name']}.onExit", self.exit_ref, exit_handler=True)
        self._maybe_complete()

    # -- internals -------------------------------------------------------------------------------------
    def _self_scope(self, node: dict[str, Any]) -> Scope:
        return self.scope.child(node_scope(f"{self.kind}.{self.self_name}", node))

    def _eval_hooks(self, node: dict[str, Any]) -> None:
        for name, hook in self.hooks.items():
            if name in self.fired:
                continue
            expr = hook.get("expression")
            if not expr:
                continue
            scope = self._self_scope(node)
            try:
                ok = bool(eval_expr(render_text(str(expr), scope), scope))
            except ExpressionError:
                ok = False
            if ok:
                self.fired.add(name)
                self._start(node, f"{node['name']}.hooks.{name}", hook, exit_handler=False)

    def _start(self, node: dict[str, Any], name: str, ref: dict[str, Any], *, exit_handler: bool) -> None:
        run = self.run
        scope = self._self_scope(node)
        if ref.get("arguments") is not None:
            try:
                args = render_arguments(ref.get("arguments"), scope)
            except Exception as e:
                err = run.create_node(
                    name,
                    "Skipped",
                    boundary_id=self.boundary_id,
                    tctx=self.tctx,
                    holder=ref,
                    phase="Error",
                    message=str(e),
                    flag={"hooked": True},
                )
                run.add_child(node["id"], err["id"])
                return
        else:
            args = run.spec.get("arguments") or {}
        holder = {k: v for k, v in ref.items() if k in ("template", "templateRef", "inline")}
        self.pending += 1
        from hera.engine.core.execute import execute

        execute(
            run,
            Req(
                name=name,
                holder=holder,
                tctx=self.tctx,
                args=args,
                boundary_id=self.boundary_id,
                on_done=self._hook_done,
                link_from=[node["id"]],
                is_exit=exit_handler,
                flag={"hooked": True},
            ),
        )

    def _hook_done(self, _node: dict[str, Any]) -> None:
        self.pending -= 1
        self._maybe_complete()

    def _maybe_complete(self) -> None:
        if self.finished or not self.main_done or self.pending > 0 or self.node is None:
            return
        if not fulfilled(self.node):
            return
        self.finished = True
        self.run.sched.post(self.on_complete, self.node)


def exit_node_failed(run: WorkflowRun, node: dict[str, Any]) -> dict[str, Any] | None:
    """The failed exit-handler child of a node, if any (an exit handler failure fails the step's group)."""
    for cid in node.get("children") or []:
        child = run.nodes.get(cid)
        if child is not None and child.get("name", "").endswith(".onExit") and child.get("phase") in ("Failed", "Error"):
            return child
    return None
