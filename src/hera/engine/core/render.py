"""The engine's use of the expression languages: render templates with a scope, evaluate `when`,
expr-lang expressions and `depends` logic. One place that adapts `hera.engine.expressions` to the scheduler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hera.engine.expressions.errors import AbsentValueError, ExpressionError, UnresolvedTagError
from hera.engine.expressions.expr import compile_expression
from hera.engine.expressions.scope import ABSENT, Scope
from hera.engine.expressions.tags import substitute, substitute_object
from hera.engine.expressions.when import evaluate_when
from hera.lint.depends import And, DependsExpr, Not, Or, TaskRef

__all__ = [
    "ABSENT",
    "AbsentValueError",
    "ExpressionError",
    "Scope",
    "UnresolvedTagError",
    "eval_depends",
    "eval_expr",
    "eval_when",
    "render",
    "render_text",
]

_REF_PREFIXES = ("steps.", "tasks.")


def render(obj: Any, scope: Scope, *, strict_refs: bool = False) -> Any:
    """Substitute every `{{...}}` in the strings of `obj`; unknown tags stay verbatim.

    With `strict_refs`, an unresolvable `steps.*`/`tasks.*` reference raises UnresolvedTagError.
    """
    return substitute_object(obj, scope, strict=_REF_PREFIXES if strict_refs else False)


def render_text(text: str, scope: Scope, *, strict_refs: bool = False) -> str:
    """`render` for one string."""
    if "{{" not in text:
        return text
    return substitute(text, scope, strict=_REF_PREFIXES if strict_refs else False)


def eval_expr(source: str, scope: Scope) -> Any:
    """Evaluate an expr-lang expression over the scope's nested view; raises ExpressionError."""
    return compile_expression(source).run(scope.nested())


def eval_when(text: str, scope: Scope) -> bool:
    """Substitute a `when` condition, then evaluate it with govaluate's rules; raises ExpressionError."""
    rendered = render_text(text, scope, strict_refs=True)
    return bool(evaluate_when(rendered))


def eval_depends(expr: DependsExpr, outcome: Callable[[str, str | None], bool]) -> bool:
    """Evaluate parsed `depends` logic; `outcome(task, result)` answers one operand (result None = bare name)."""
    if expr.root is None:
        return True

    def walk(node: Any) -> bool:
        if isinstance(node, TaskRef):
            return outcome(node.task, node.result)
        if isinstance(node, Not):
            return not walk(node.operand)
        if isinstance(node, And):
            return all(walk(o) for o in node.operands)
        if isinstance(node, Or):
            return any(walk(o) for o in node.operands)
        raise ExpressionError(f"unknown depends node {node!r}", expr.source)

    return walk(expr.root)
