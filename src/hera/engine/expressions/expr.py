"""expr-lang evaluation: `evaluate(expression, env)` and compiled, cached `Program`s.

Parsing and compilation are cached by source text, so the same expression evaluated for thousands of
nodes is parsed once. Argo's additions (`asInt`, `asFloat`, `jsonpath`, `toJson`, `sprig.*`) are always
available; names in `env` take precedence over them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from hera.engine.expressions._builtins import ARGO_EXTRAS
from hera.engine.expressions._compiler import Ctx, compile_node
from hera.engine.expressions._parser import Node, parse
from hera.engine.expressions._runtime import EvalError, go_type
from hera.engine.expressions.errors import ExpressionError

__all__ = ["Program", "compile_expression", "evaluate", "evaluate_bool"]


class Program:
    """A compiled expr-lang expression; `run(env)` evaluates it, `variables` lists the dotted names it reads."""

    __slots__ = ("_fn", "_variables", "source", "tree")

    def __init__(self, source: str, tree: Node, fn: Callable[[Ctx], Any]) -> None:
        self.source = source
        self.tree = tree
        self._fn = fn
        self._variables: frozenset[str] | None = None

    def run(self, env: Mapping[str, Any]) -> Any:
        """Evaluate against `env` (nested dicts, e.g. `Scope.nested()`); raises ExpressionError."""
        try:
            return self._fn(Ctx(env, ARGO_EXTRAS))
        except EvalError as e:
            raise ExpressionError(e.message, self.source, e.pos) from None
        except RecursionError:
            raise ExpressionError("expression nested too deeply", self.source, None) from None

    @property
    def variables(self) -> frozenset[str]:
        """Dotted paths of the variables read, e.g. `{"inputs.parameters.x", "steps.flip-coin.outputs.result"}`.

        A path stops at the first dynamic index; `steps['a-b'].x` gives `steps.a-b.x`.
        """
        if self._variables is None:
            found: set[str] = set()
            _collect_paths(self.tree, found, set())
            self._variables = frozenset(found)
        return self._variables

    def __repr__(self) -> str:
        return f"Program({self.source!r})"


def _path_of(node: Node) -> list[str] | None:
    """The static dotted path of a member chain rooted at an identifier, else None."""
    if node.kind == "ident":
        return [node.a]
    if node.kind == "chain":
        return _path_of(node.a)
    if node.kind == "member" and node.b is not None and node.b.kind == "lit" and isinstance(node.b.a, str):
        base = _path_of(node.a)
        return None if base is None else [*base, node.b.a]
    return None


def _collect_paths(node: Any, found: set[str], lets: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _collect_paths(item, found, lets)
        return
    if isinstance(node, tuple):
        for item in node:
            _collect_paths(item, found, lets)
        return
    if not isinstance(node, Node):
        return
    if node.kind in ("ident", "member", "chain"):
        path = _path_of(node)
        if path is not None:
            if path[0] not in lets and path[0] not in ("$env",):
                found.add(".".join(path))
            return
    if node.kind == "call" and node.a.kind == "ident":
        _collect_paths(node.b, found, lets)
        return
    if node.kind == "let":
        _collect_paths(node.b, found, lets)
        _collect_paths(node.c, found, lets | {node.a})
        return
    for child in (node.a, node.b, node.c):
        _collect_paths(child, found, lets)


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> Program:
    """Parse and compile `source` (cached); raises ExpressionError on a syntax error."""
    if not isinstance(source, str):
        raise ExpressionError(f"expected an expression string, got {type(source).__name__}")
    tree = parse(source)
    try:
        fn = compile_node(tree)
    except EvalError as e:
        raise ExpressionError(e.message, source, e.pos) from None
    return Program(source, tree, fn)


def evaluate(expression: str, env: Mapping[str, Any]) -> Any:
    """Evaluate an expr-lang expression against `env`; raises ExpressionError (naming the expression)."""
    return compile_expression(expression).run(env)


def evaluate_bool(expression: str, env: Mapping[str, Any]) -> bool:
    """Evaluate an expression that must give a boolean (retryStrategy.expression, hooks, depends...)."""
    result = evaluate(expression, env)
    if result is True or result is False:
        return result
    raise ExpressionError(f"expected a boolean result, got {go_type(result)}", expression, None)
