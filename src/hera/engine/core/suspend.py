"""Suspend templates: a Suspend node that waits for a duration or for resume/set through the API."""

from __future__ import annotations

import time
from typing import Any

from hera.engine.core.execute import TemplateCtl
from hera.engine.durations import parse_duration, parse_rfc3339


class SuspendCtl(TemplateCtl):
    """Runs a suspend template as node `node` (Running while suspended)."""

    timer: Any = None  # the pending resume-after-duration timer

    def start(self) -> None:
        run, node = self.run, self.node
        run.suspends[node["id"]] = self
        if node.get("phase") != "Running":
            run.mark(node, "Running")
        duration = (self.tmpl.get("suspend") or {}).get("duration")
        if duration not in (None, ""):
            try:
                seconds = parse_duration(duration, field="suspend.duration")
            except Exception as e:
                self.finish("Error", str(e))
                return
            started = parse_rfc3339(node.get("startedAt")) or time.time()
            remaining = max(0.0, started + seconds * run.sched.time_scale - time.time())
            self.timer = run.sched.call_later(run, remaining, self.expired)

    def expired(self) -> None:
        self.resume(None)

    def resume(self, values: dict[str, str] | None, phase: str = "Succeeded", message: str | None = None) -> None:
        """End the suspension: supplied output parameters come from `values`, else their defaults."""
        if self.timer is not None:
            self.timer.cancel()
        declared = (self.tmpl.get("outputs") or {}).get("parameters") or []
        inputs = {p.get("name"): p for p in (self.node.get("inputs") or {}).get("parameters") or []}
        params = []
        for p in declared:
            name = p.get("name")
            vf = p.get("valueFrom") or {}
            value: Any = None
            if values and name in values:
                value = values[name]
            elif vf.get("default") is not None:
                value = vf["default"]
            elif name in inputs and inputs[name].get("default") is not None:
                value = inputs[name]["default"]
            elif p.get("value") is not None:
                value = p["value"]
            q = dict(p)
            if value is not None:
                q["value"] = str(value)
            params.append(q)
        outputs = {"parameters": params} if params else None
        self.finish(phase, message, outputs)

    def finish(self, phase: str, message: str | None, outputs: dict[str, Any] | None = None) -> None:
        self.run.suspends.pop(self.node["id"], None)
        self.finisher.finish(phase, message, outputs)
