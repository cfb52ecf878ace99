"""Argo's expression languages for the embedded engine: `{{...}}` tags, expr-lang, govaluate `when`, `depends`.

Public interface
----------------
- `Scope(flat: Mapping[str, Any] | None = None, parent: Scope | None = None)`: variables keyed by dotted
  names; `.child(**more)` layers cheaply (no copy of the parent), `.flat` (read-only flat view),
  `.nested()` (cached nested view for expr-lang), `.get/in/[]`, `.update()`. `ABSENT` marks the output of
  a Skipped/Omitted producer (§8.3): nil in expressions, `AbsentValueError` in simple tags.
- `substitute(text, scope, *, strict=False, keep=()) -> str`; `substitute_object(obj, scope, ...)` for
  dicts/lists; `find_tags(text) -> list[str]`, `single_tag(text) -> str | None`, `has_tags(text)`,
  `render_value(v) -> str` (how a non-string value is written into text: Go JSON).
- `evaluate(expression, env) -> Any`, `evaluate_bool(expression, env) -> bool`,
  `compile_expression(source) -> Program` (cached; `.run(env)`, `.variables`).
- `evaluate_when(condition) -> bool` (after substitution).
- `evaluate_depends(depends, outcomes, *, continue_on=None) -> bool | None`, `TaskOutcome`.
- Errors (all `HeraError`): `ExpressionError` (`.expression`, `.position`, `.reason`), its subclasses
  `UnresolvedTagError` (`.tag`), `AbsentValueError` (`.tag`) and `WhenError`.

Environment shapes (what each Argo feature evaluates against)
------------------------------------------------------------
Always available on top of the env: expr builtins (len, filter, map, all, any, none, one, count, find,
sum, join, split, upper, lower, trim, replace, keys, values, toJSON, fromJSON, toBase64, now, duration,
date, int, float, string, type, max, min, abs, concat, get, first, last, sort, ...) and Argo's additions
`asInt`, `asFloat`, `jsonpath(json, path)`, `toJson` and `sprig.<fn>`. Values in Argo's env are mostly
strings; numbers in JSON become int/float, times are aware `datetime`, durations `timedelta`.

- `{{=expr}}` tags and `{{=...}}` inside `when`: `scope.nested()` of the node's flat scope:
  `{"workflow": {"name", "namespace", "uid", "parameters": {<p>: str, "json": str}, "status", ...},
  "inputs": {"parameters": {<p>: str}, "artifacts": {<a>: {...}}}, "steps"/"tasks": {<name>: {"id",
  "status", "exitCode", "startedAt", "finishedAt", "ip", "outputs": {"result": str, "parameters":
  {<p>: str}, "artifacts": {<a>: artifact dict}}}}, "item": <loop item>, "pod": {"name"}, "node": {"name"}}`.
  Hyphenated names need indexing: `steps['flip-coin'].outputs.result`.
- `retryStrategy.expression`: the template scope plus `retries` (str), `lastRetry.exitCode` (str, "-1"
  unknown), `lastRetry.status` (Failed/Error/...), `lastRetry.duration` (seconds, str),
  `lastRetry.message` (str): `scope.child({"retries": "1", "lastRetry.exitCode": "2", ...}).nested()`.
  Substitute `{{...}}` in the expression first (Argo does), then `evaluate_bool`.
- `valueFrom.expression` (steps/dag outputs) and `fromExpression` (artifacts): the steps/dag scope with
  `steps.<s>.*` / `tasks.<t>.*`; for artifacts `...outputs.artifacts.<a>` holds the artifact dict and the
  result is that dict. Skipped producers' outputs are `ABSENT` (nil: `x ?? 'fallback'` works).
- Lifecycle hook `expression`: workflow hooks `{"workflow": {"status": "Running"|..., ...}}`; step/task
  hooks add `steps.<self>.status` / `tasks.<self>.status`.
- Metrics `when` is govaluate after substitution of `{{status}}`, `{{duration}}`, `{{exitCode}}`,
  `{{inputs.*}}`, `{{outputs.*}}`, `{{retries}}`: use `substitute` then `evaluate_when`.
- Data template `transformation[].expression`: `{"data": [<artifact keys>]}`, e.g.
  `filter(data, {# endsWith "main.log"})`; the result is the new list.
- HTTP `successCondition`: `{"request": {"method", "url", "body", "headers": {k: [v]}}, "response":
  {"statusCode": int, "body": str, "headers": {k: [v]}}}`.
- CronWorkflow `when`: `{"cronworkflow": {"name", "namespace", "labels": {...}, "annotations": {...},
  "lastScheduledTime": datetime | None, "failed": int, "succeeded": int}}`.

Layer per-node scopes on the *workflow* (global) scope, not on the caller's template scope, so one
template's `inputs.*` never leak into another's.
"""

from __future__ import annotations

from hera.engine.expressions.depends import TaskOutcome, evaluate_depends
from hera.engine.expressions.errors import AbsentValueError, ExpressionError, UnresolvedTagError, WhenError
from hera.engine.expressions.expr import Program, compile_expression, evaluate, evaluate_bool
from hera.engine.expressions.scope import ABSENT, Scope
from hera.engine.expressions.tags import (
    LATE_VARIABLES,
    find_tags,
    has_tags,
    render_value,
    single_tag,
    substitute,
    substitute_object,
)
from hera.engine.expressions.when import evaluate_when

__all__ = [
    "ABSENT",
    "LATE_VARIABLES",
    "AbsentValueError",
    "ExpressionError",
    "Program",
    "Scope",
    "TaskOutcome",
    "UnresolvedTagError",
    "WhenError",
    "compile_expression",
    "evaluate",
    "evaluate_bool",
    "evaluate_depends",
    "evaluate_when",
    "find_tags",
    "has_tags",
    "render_value",
    "single_tag",
    "substitute",
    "substitute_object",
]
