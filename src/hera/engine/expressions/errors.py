"""Typed errors of the expression languages: every message names the expression and what went wrong."""

from __future__ import annotations

from hera.shared.errors import HeraError

__all__ = ["AbsentValueError", "ExpressionError", "UnresolvedTagError", "WhenError"]


class ExpressionError(HeraError):
    """An expression (expr-lang, govaluate `when`, or a tag) that cannot be parsed or evaluated.

    `expression` is the source text, `position` the 0-based offset of the problem when known, `reason`
    the bare explanation.
    """

    def __init__(self, reason: str, expression: str | None = None, position: int | None = None) -> None:
        self.reason = reason
        self.expression = expression
        self.position = position
        message = reason
        if expression is not None:
            message = f"{reason} in expression {expression!r}"
            if position is not None:
                message += f" (at position {position})"
        super().__init__(message)


class UnresolvedTagError(ExpressionError):
    """A `{{tag}}` that a strict substitution could not resolve; `tag` is its trimmed name.

    For `steps.`/`tasks.` references this is Argo's "missing" case: the producer has not finished yet.
    """

    def __init__(self, tag: str, reason: str | None = None) -> None:
        self.tag = tag
        super().__init__(reason or f"failed to resolve {{{{{tag}}}}}", None, None)


class AbsentValueError(ExpressionError):
    """A simple tag refers to a value marked `ABSENT` (an output of a Skipped/Omitted producer, §8.3)."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        super().__init__(
            f"{{{{{tag}}}}} refers to an output of a skipped or omitted node, which has no value", None, None
        )


class WhenError(ExpressionError):
    """A `when` condition that govaluate cannot parse, or that does not evaluate to a boolean."""
