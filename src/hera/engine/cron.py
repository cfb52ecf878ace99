"""CronWorkflows: a small cron parser (5 fields, names, ranges, steps, `@hourly`…, `@every <duration>`,
`CRON_TZ=`/timezone) and the runner that submits their workflows while the engine runs, with `when`,
concurrencyPolicy, startingDeadlineSeconds, history limits and stopStrategy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from hera.engine.durations import parse_duration, parse_rfc3339, to_rfc3339
from hera.shared.errors import HeraValidationError

if TYPE_CHECKING:
    from hera.engine.api import Engine
    from hera.engine.scheduler import Scheduler


class CronError(HeraValidationError):
    """A schedule that cannot be parsed."""


_MONTHS = {m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}
_DAYS = {d: i for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}
_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def _field(text: str, lo: int, hi: int, names: dict[str, int] | None, what: str) -> tuple[frozenset[int], bool]:
    """(allowed values, is it '*') of one cron field."""
    values: set[int] = set()
    star = text in ("*", "?")
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            try:
                step = int(step_text)
            except ValueError:
                raise CronError(f"invalid step {step_text!r} in {what} field {text!r}") from None
            if step <= 0:
                raise CronError(f"step must be positive in {what} field {text!r}")
        if part in ("*", "?"):
            start, end = lo, hi
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = _value(a, names, what, text), _value(b, names, what, text)
        else:
            start = _value(part, names, what, text)
            end = hi if "/" in text and part not in ("*", "?") else start
        if start < lo or end > hi or start > end:
            raise CronError(f"{what} field {text!r} out of range {lo}-{hi}")
        values.update(range(start, end + 1, step))
    return frozenset(values), star


def _value(text: str, names: dict[str, int] | None, what: str, whole: str) -> int:
    t = text.strip().upper()
    if names and t in names:
        return names[t]
    try:
        return int(t)
    except ValueError:
        raise CronError(f"invalid value {text!r} in {what} field {whole!r}") from None


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: either fixed fields or an `@every` interval."""

    minutes: frozenset[int] = frozenset()
    hours: frozenset[int] = frozenset()
    dom: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    dow: frozenset[int] = frozenset()
    dom_star: bool = True
    dow_star: bool = True
    every: float = 0.0
    tz: str | None = None

    def _day_ok(self, d: datetime) -> bool:
        dow = (d.weekday() + 1) % 7
        in_dom = d.day in self.dom
        in_dow = dow in self.dow
        if self.dom_star or self.dow_star:
            return in_dom and in_dow
        return in_dom or in_dow

    def next_after(self, t: float, tz: str | None = None) -> float:
        """The first firing time strictly after Unix time `t`."""
        if self.every:
            return t + self.every
        zone = _zone(self.tz or tz)
        d = datetime.fromtimestamp(t, zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(366 * 24 * 60):
            if d.month not in self.months:
                d = (d.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
                continue
            if not self._day_ok(d):
                d = (d + timedelta(days=1)).replace(hour=0, minute=0)
                continue
            if d.hour not in self.hours:
                d = (d + timedelta(hours=1)).replace(minute=0)
                continue
            if d.minute not in self.minutes:
                d = d + timedelta(minutes=1)
                continue
            return d.timestamp()
        raise CronError("schedule never fires")


def _zone(name: str | None) -> Any:
    if not name:
        return timezone.utc
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:
        raise CronError(f"unknown time zone {name!r}") from None


def parse_schedule(text: str) -> Schedule:
    """Parse a cron schedule (`m h dom mon dow`, `@daily`, `@every 1h30m`, optional `CRON_TZ=Zone ` prefix)."""
    s = text.strip()
    tz = None
    if s.startswith(("CRON_TZ=", "TZ=")):
        head, _, s = s.partition(" ")
        tz = head.split("=", 1)[1]
        _zone(tz)
        s = s.strip()
    if s.startswith("@every"):
        try:
            secs = parse_duration(s[len("@every") :].strip(), field="schedule")
        except HeraValidationError:
            raise CronError(f"invalid schedule {text!r}") from None
        if secs <= 0:
            raise CronError(f"invalid schedule {text!r}: interval must be positive")
        return Schedule(every=secs, tz=tz)
    s = _DESCRIPTORS.get(s, s)
    parts = s.split()
    if len(parts) != 5:
        raise CronError(f"invalid schedule {text!r}: expected 5 fields (minute hour day-of-month month day-of-week)")
    minutes, _ = _field(parts[0], 0, 59, None, "minute")
    hours, _ = _field(parts[1], 0, 23, None, "hour")
    dom, dom_star = _field(parts[2], 1, 31, None, "day-of-month")
    months, _ = _field(parts[3], 1, 12, _MONTHS, "month")
    dow_raw, dow_star = _field(parts[4].replace("7", "0") if parts[4] == "7" else parts[4], 0, 7, _DAYS, "day-of-week")
    dow = frozenset(d % 7 for d in dow_raw)
    return Schedule(minutes, hours, dom, months, dow, dom_star, dow_star, 0.0, tz)


class CronRunner:
    """Submits the workflows of stored CronWorkflows at their times (runs on the scheduler thread)."""

    def __init__(self, engine: Engine, sched: Scheduler) -> None:
        self.engine = engine
        self.sched = sched
        self.timer: Any = None
        self.started = time.time()

    def start(self) -> None:
        self.reload(startup=True)

    def reload(self, startup: bool = False) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        store = self.engine.store
        earliest: float | None = None
        now = time.time()
        for cron in store.list_objects("CronWorkflow", None):
            try:
                self._update_status(cron)
                nxt = self._consider(cron, now, startup)
            except Exception:
                continue
            if nxt is not None and (earliest is None or nxt < earliest):
                earliest = nxt
        delay = 5.0 if earliest is None else min(5.0, max(0.0, earliest - time.time()))
        self.timer = self.sched.call_later(None, delay, self.reload)

    @staticmethod
    def _schedules(cron: dict[str, Any]) -> list[Schedule]:
        spec = cron.get("spec") or {}
        texts = list(spec.get("schedules") or [])
        if spec.get("schedule"):
            texts.append(spec["schedule"])
        return [parse_schedule(str(t)) for t in texts]

    def _consider(self, cron: dict[str, Any], now: float, startup: bool) -> float | None:
        """Fire the cron if a schedule is due; returns its next firing time."""
        spec = cron.get("spec") or {}
        status = cron.get("status") or {}
        if spec.get("suspend") or status.get("phase") == "Stopped":
            return None
        tz = spec.get("timezone")
        last = parse_rfc3339(status.get("lastScheduledTime")) or parse_rfc3339(
            (cron.get("metadata") or {}).get("creationTimestamp")
        ) or now
        schedules = self._schedules(cron)
        due: float | None = None
        nxt: float | None = None
        for sch in schedules:
            t = sch.next_after(last, tz)
            latest_due = None
            while t <= now:
                latest_due = t
                t = sch.next_after(t, tz)
            if latest_due is not None and (due is None or latest_due > due):
                due = latest_due
            if nxt is None or t < nxt:
                nxt = t
        if due is not None:
            deadline = spec.get("startingDeadlineSeconds")
            late = now - due
            if deadline is not None and late > float(deadline):
                self._record(cron, due, submitted=False)
            elif startup and deadline is None and late > 60:
                self._record(cron, due, submitted=False)
            else:
                self._fire(cron, due)
        return nxt

    def _record(self, cron: dict[str, Any], when: float, *, submitted: bool) -> None:
        cron.setdefault("status", {})["lastScheduledTime"] = to_rfc3339(when)
        self._save(cron)

    def _save(self, cron: dict[str, Any]) -> None:
        """Write the cron's status only (its spec may have been changed meanwhile through the API)."""
        meta = cron["metadata"]
        status = cron.get("status") or {}

        def change(obj: dict[str, Any]) -> None:
            obj["status"] = status

        self.engine.store.modify_object("CronWorkflow", meta.get("namespace") or "", meta["name"], change)

    def _children(self, cron: dict[str, Any]) -> list[dict[str, Any]]:
        ns = cron["metadata"].get("namespace") or "default"
        items, _ = self.engine.list_workflows(
            ns, label_selector=f"workflows.argoproj.io/cron-workflow={cron['metadata']['name']}"
        )
        return items

    def _update_status(self, cron: dict[str, Any]) -> None:
        children = self._children(cron)
        status = cron.setdefault("status", {})
        active = [c for c in children if (c.get("status") or {}).get("phase") not in ("Succeeded", "Failed", "Error")]
        before = dict(status)
        status["active"] = [
            {
                "kind": "Workflow",
                "namespace": c["metadata"]["namespace"],
                "name": c["metadata"]["name"],
                "uid": c["metadata"]["uid"],
                "apiVersion": "argoproj.io/v1alpha1",
            }
            for c in active
        ] or None
        if status["active"] is None:
            status.pop("active")
        succeeded = [c for c in children if (c.get("status") or {}).get("phase") == "Succeeded"]
        failed = [c for c in children if (c.get("status") or {}).get("phase") in ("Failed", "Error")]
        ns = cron["metadata"].get("namespace") or ""
        state = self.engine.store.get_object("CronState", ns, cron["metadata"]["name"]) or {}
        counted = set(state.get("counted") or [])
        new_count = False
        for c in succeeded + failed:
            uid = c["metadata"]["uid"]
            if uid not in counted:
                counted.add(uid)
                new_count = True
                key = "succeeded" if c in succeeded else "failed"
                status[key] = int(status.get(key) or 0) + 1
        if new_count:
            with self.engine.store.transaction() as conn:
                self.engine.store.put_object(
                    conn, "CronState", ns, cron["metadata"]["name"], {"counted": sorted(counted)[-1000:]}
                )
        status.setdefault("phase", "Active")
        spec = cron.get("spec") or {}
        self._history(spec.get("successfulJobsHistoryLimit", 3), succeeded)
        self._history(spec.get("failedJobsHistoryLimit", 1), failed)
        stop = (spec.get("stopStrategy") or {}).get("expression") or (spec.get("stopStrategy") or {}).get("condition")
        if stop and status.get("phase") != "Stopped":
            from hera.engine.core.render import ExpressionError, Scope, eval_expr

            scope = Scope(
                {
                    "cronworkflow.name": cron["metadata"]["name"],
                    "cronworkflow.namespace": cron["metadata"].get("namespace", ""),
                    "cronworkflow.failed": int(status.get("failed") or 0),
                    "cronworkflow.succeeded": int(status.get("succeeded") or 0),
                }
            )
            try:
                if eval_expr(str(stop), scope):
                    status["phase"] = "Stopped"
            except ExpressionError:
                pass
        if status != before:
            self._save(cron)

    def _history(self, limit: Any, items: list[dict[str, Any]]) -> None:
        try:
            n = int(limit)
        except (TypeError, ValueError):
            return
        ordered = sorted(items, key=lambda c: c["metadata"].get("creationTimestamp", ""), reverse=True)
        for c in ordered[max(0, n) :]:
            try:
                self.engine.delete_workflow(c["metadata"]["namespace"], c["metadata"]["name"])
            except Exception:
                pass

    def _when_ok(self, cron: dict[str, Any]) -> bool:
        when = (cron.get("spec") or {}).get("when")
        if not when:
            return True
        from hera.engine.core.render import ExpressionError, Scope, render_text

        status = cron.get("status") or {}
        meta = cron.get("metadata") or {}
        last = parse_rfc3339(status.get("lastScheduledTime"))
        values: dict[str, Any] = {
            "cronworkflow.name": meta.get("name", ""),
            "cronworkflow.namespace": meta.get("namespace", ""),
            "cronworkflow.lastScheduledTime": datetime.fromtimestamp(last, timezone.utc) if last else None,
            "cronworkflow.failed": int(status.get("failed") or 0),
            "cronworkflow.succeeded": int(status.get("succeeded") or 0),
        }
        for k, v in (meta.get("labels") or {}).items():
            values[f"cronworkflow.labels.{k}"] = v
        for k, v in (meta.get("annotations") or {}).items():
            values[f"cronworkflow.annotations.{k}"] = v
        try:
            text = render_text(str(when), Scope(values)).strip()
        except ExpressionError:
            return True
        if text.startswith("{{"):
            return True
        return text.lower() not in ("false", "0", "")

    def _fire(self, cron: dict[str, Any], when: float) -> None:
        spec = cron.get("spec") or {}
        status = cron.setdefault("status", {})
        if not self._when_ok(cron):
            self._record(cron, when, submitted=False)
            return
        policy = spec.get("concurrencyPolicy") or "Allow"
        active = status.get("active") or []
        ns = cron["metadata"].get("namespace") or "default"
        if active and policy == "Forbid":
            self._record(cron, when, submitted=False)
            return
        if active and policy == "Replace":
            for ref in active:
                try:
                    self.engine.terminate_workflow(ns, ref["name"])
                except Exception:
                    pass
        meta, wspec = self.engine._workflow_from_cron(cron)
        meta.setdefault("annotations", {})["workflows.argoproj.io/scheduled-time"] = to_rfc3339(when)
        status["lastScheduledTime"] = to_rfc3339(when)
        self._save(cron)
        try:
            self.engine.create_workflow(ns, {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": meta, "spec": wspec})
        except Exception as e:
            status.setdefault("conditions", [])
            status["conditions"] = [{"type": "SubmissionError", "status": "True", "message": str(e)}]
            self._save(cron)
