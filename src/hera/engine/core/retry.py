"""retryStrategy: a Retry node whose children are the attempts `X(0)`, `X(1)`, … with backoff, policy,
limit, expression and maxDuration as Argo applies them.
"""

from __future__ import annotations

import time
from typing import Any

from hera.engine.core.execute import error_node, is_transient, run_template, started_seconds
from hera.engine.core.io import InputError, process_inputs
from hera.engine.core.nodes import fulfilled
from hera.engine.core.render import ExpressionError, eval_expr, render
from hera.engine.core.run import Req, WorkflowRun
from hera.engine.core.templates import TmplCtx
from hera.engine.durations import format_duration, parse_duration, parse_rfc3339


class RetryCtl:
    """Drives the attempts of one retried template."""

    def __init__(
        self,
        run: WorkflowRun,
        req: Req,
        tmpl: dict[str, Any],
        ctx: TmplCtx,
        strategy: dict[str, Any],
        existing: dict[str, Any] | None,
    ) -> None:
        self.run = run
        self.req = req
        self.tmpl = tmpl
        self.ctx = ctx
        self.strategy = strategy
        self.existing = existing
        self.node: dict[str, Any] = {}
        self.first_start = 0.0

    def _rendered_strategy(self) -> dict[str, Any]:
        scope = self.run.globals.child(self.req.locals)
        try:
            _, values = process_inputs(self.tmpl, self.req.args, scope, lambda p: None)
            scope = scope.child(values)
        except InputError:
            pass
        out: dict[str, Any] = render(self.strategy, scope)
        return out

    def start(self) -> None:
        run, req = self.run, self.req
        if self.existing is not None and self.existing.get("type") == "Retry":
            self.node = self.existing
        else:
            try:
                base = run.globals.child(req.locals)
                inputs, _ = process_inputs(
                    self.tmpl, req.args, base, lambda p: run.sched.param_from_config(run.namespace, p)
                )
            except InputError as e:
                error_node(run, req, str(e), type_="Retry")
                return
            self.node = run.create_node(
                req.name,
                "Retry",
                boundary_id=req.boundary_id,
                tctx=self.ctx,
                holder=req.holder,
                phase="Running",
                inputs={k: v for k, v in inputs.items() if not k.startswith("_")} or None,
                flag=req.flag,
                template_name=self.tmpl.get("name"),
            )
            for parent in req.link_from:
                run.add_child(parent, self.node["id"])
            if req.on_created is not None:
                req.on_created(self.node)
        self.strategy = self._rendered_strategy()
        self.first_start = parse_rfc3339(self.node.get("startedAt")) or time.time()
        children = self.node.get("children") or []
        if children:
            last = run.nodes.get(children[-1])
            if last is not None and fulfilled(last):
                self.attempt_done(last)
                return
            self.start_attempt(len(children) - 1)
            return
        self.start_attempt(0)

    def start_attempt(self, k: int) -> None:
        run = self.run
        name = f"{self.req.name}({k})"
        prev = None
        children = self.node.get("children") or []
        if k > 0 and len(children) >= k:
            prev = run.nodes.get(children[k - 1])
        extra: dict[str, Any] = {"retries": str(k)}
        if prev is not None:
            extra.update(_last_retry(prev))
        else:
            extra.update(
                {"lastRetry.exitCode": "0", "lastRetry.status": "", "lastRetry.duration": "0", "lastRetry.message": ""}
            )
        if self.node.get("message", "").startswith("Backoff"):
            run.mark(self.node, "Running", "")
        existing = run.node_by_name(name)
        run_template(
            run,
            self.req,
            name,
            self.tmpl,
            self.ctx,
            existing=existing,
            link_from=[self.node["id"]],
            on_done=self.attempt_done,
            extra_locals=extra,
            flag={"retried": True},
        )

    def attempt_done(self, child: dict[str, Any]) -> None:
        run, node = self.run, self.node
        if child.get("outputs"):
            node["outputs"] = child["outputs"]
        phase = child.get("phase")
        if phase in ("Succeeded", "Skipped", "Omitted") or (child.get("daemoned") and phase == "Running"):
            if child.get("daemoned"):
                node["daemoned"] = True
            self.finish(phase or "Succeeded", child.get("message"))
            return
        s = self.strategy
        attempts = len(node.get("children") or [])
        message = child.get("message")
        if run.shutdown or run.deadline_passed:
            self.finish(phase or "Failed", message)
            return
        policy = s.get("retryPolicy") or ("Always" if s.get("expression") else "OnFailure")
        if policy == "OnFailure" and phase != "Failed":
            self.finish(phase or "Error", message)
            return
        if policy == "OnError" and phase != "Error":
            self.finish(phase or "Failed", message)
            return
        if policy == "OnTransientError" and not (phase == "Error" and is_transient(message)):
            self.finish(phase or "Failed", message)
            return
        limit = s.get("limit")
        if limit is not None:
            try:
                n = int(limit)
            except (TypeError, ValueError):
                n = 0
            if attempts > n:
                self.finish(phase or "Failed", "No more retries left")
                return
        if s.get("expression"):
            scope = run.globals.child({"retries": str(attempts - 1), **_last_retry(child)})
            try:
                ok = bool(eval_expr(str(s["expression"]), scope))
            except ExpressionError as e:
                self.finish("Error", f"retryStrategy.expression failed: {e}")
                return
            if not ok:
                self.finish(phase or "Failed", "retryStrategy.expression evaluated to false")
                return
        wait = 0.0
        backoff = s.get("backoff") or {}
        if backoff.get("duration"):
            try:
                base = parse_duration(backoff["duration"], field="retryStrategy.backoff.duration")
                factor_raw = backoff.get("factor")
                factor = float(factor_raw) if factor_raw not in (None, "") else 1.0
                wait = base * (factor ** (attempts - 1) if factor > 0 else 1.0)
                if backoff.get("cap"):
                    wait = min(wait, parse_duration(backoff["cap"], field="retryStrategy.backoff.cap"))
                if backoff.get("maxDuration"):
                    max_d = parse_duration(backoff["maxDuration"], field="retryStrategy.backoff.maxDuration")
                    if time.time() + wait - self.first_start > max_d:
                        self.finish(phase or "Failed", "Max duration limit exceeded")
                        return
            except Exception as e:
                self.finish("Error", str(e))
                return
        if wait > 0:
            run.mark(node, "Running", f"Backoff for {format_duration(wait)}")
            run.sched.call_later(run, wait * run.sched.time_scale, self.start_attempt, attempts)
        else:
            self.start_attempt(attempts)

    def finish(self, phase: str, message: str | None) -> None:
        run, node = self.run, self.node
        run.mark(node, phase, message if phase != "Succeeded" else "")
        run.sched.post(self.req.on_done, node)


def _last_retry(prev: dict[str, Any]) -> dict[str, Any]:
    outputs = prev.get("outputs") or {}
    start = started_seconds(prev)
    end = parse_rfc3339(prev.get("finishedAt")) or time.time()
    return {
        "lastRetry.exitCode": str(outputs.get("exitCode", "-1")),
        "lastRetry.status": str(prev.get("phase", "")),
        "lastRetry.duration": str(int(max(0.0, end - start))),
        "lastRetry.message": str(prev.get("message", "")),
    }
