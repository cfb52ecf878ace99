"""Parser for DAG `depends` logic (Argo's enhanced depends) and legacy `dependencies` lists.

It lives in the lint layer so that validation (authoring layer) and the engine share one parser; the
engine's evaluator is `hera.engine.expressions.depends`. Grammar (what Argo accepts, which it evaluates
with expr-lang after replacing `-` by `_` in task names):

    expr    := or
    or      := and ( "||" and )*
    and     := unary ( "&&" unary )*
    unary   := "!" unary | "(" expr ")" | operand
    operand := TASK [ "." RESULT ]

`TASK` is a DAG task name (`[a-zA-Z0-9][-a-zA-Z0-9]*`, `_` tolerated); `RESULT` is one of `RESULTS`.
A bare `TASK` means `(TASK.Succeeded || TASK.Skipped || TASK.Daemoned)`, plus `|| TASK.Failed` /
`|| TASK.Errored` when that task has `continueOn.failed` / `continueOn.error` (the evaluator expands it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, Union

from hera.shared.errors import HeraValidationError

__all__ = [
    "RESULTS",
    "And",
    "DependsExpr",
    "DependsNode",
    "DependsSyntaxError",
    "Not",
    "Or",
    "TaskRef",
    "depends_of_task",
    "from_dependencies",
    "parse_depends",
]

#: The task results Argo accepts after a task name in `depends`.
RESULTS: frozenset[str] = frozenset(
    {"Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed"}
)


class DependsSyntaxError(HeraValidationError):
    """A `depends` expression that cannot be parsed; names the expression and the offending position."""

    def __init__(self, reason: str, expression: str, position: int, **where: Any) -> None:
        self.reason = reason
        self.expression = expression
        self.position = position
        super().__init__(f"invalid depends expression {expression!r}: {reason} (at position {position})", **where)


class _Node:
    """Base of the depends AST nodes: immutable, compared by value."""

    __slots__ = ()

    def _key(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self._key()!r}"


class TaskRef(_Node):
    """`task` (result None: the default Succeeded/Skipped/Daemoned expansion) or `task.Result`."""

    __slots__ = ("result", "task")

    def __init__(self, task: str, result: str | None = None) -> None:
        self.task = task
        self.result = result

    def _key(self) -> tuple[Any, ...]:
        return (self.task, self.result)

    def __str__(self) -> str:
        return self.task if self.result is None else f"{self.task}.{self.result}"


class Not(_Node):
    """`!operand`."""

    __slots__ = ("operand",)

    def __init__(self, operand: DependsNode) -> None:
        self.operand = operand

    def _key(self) -> tuple[Any, ...]:
        return (self.operand,)

    def __str__(self) -> str:
        return f"!{_wrap(self.operand)}"


class _Joined(_Node):
    """Two or more operands joined by one operator (`_op`)."""

    __slots__ = ("operands",)
    _op = ""

    def __init__(self, operands: tuple[DependsNode, ...]) -> None:
        self.operands = operands

    def _key(self) -> tuple[Any, ...]:
        return self.operands

    def __str__(self) -> str:
        return self._op.join(_wrap(o) for o in self.operands)


class And(_Joined):
    """`a && b && ...` (two or more operands)."""

    __slots__ = ()
    _op = " && "


class Or(_Joined):
    """`a || b || ...` (two or more operands)."""

    __slots__ = ()
    _op = " || "


DependsNode = Union[TaskRef, Not, And, Or]


def _wrap(node: DependsNode) -> str:
    return f"({node})" if isinstance(node, (And, Or)) else str(node)


class DependsExpr:
    """A parsed `depends` expression: `root` is None for an empty expression (no dependencies)."""

    __slots__ = ("_names", "root", "source")

    def __init__(self, source: str, root: DependsNode | None) -> None:
        self.source = source
        self.root = root
        self._names: list[str] | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DependsExpr) and self.source == other.source and self.root == other.root

    def __hash__(self) -> int:
        return hash((self.source, self.root))

    def __repr__(self) -> str:
        return f"DependsExpr({self.source!r})"

    def refs(self) -> list[TaskRef]:
        """Every task reference in source order (duplicates kept)."""
        out: list[TaskRef] = []
        if self.root is not None:
            _collect(self.root, out)
        return out

    def task_names(self) -> list[str]:
        """The referenced task names, each once, in order of first appearance."""
        if self._names is None:
            self._names = list(dict.fromkeys(ref.task for ref in self.refs()))
        return list(self._names)

    def __str__(self) -> str:
        return "" if self.root is None else str(self.root)


def _collect(node: DependsNode, out: list[TaskRef]) -> None:
    if isinstance(node, TaskRef):
        out.append(node)
    elif isinstance(node, Not):
        _collect(node.operand, out)
    else:
        for op in node.operands:
            _collect(op, out)


_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z0-9_-]+)(?:\.(?P<result>[A-Za-z0-9]*))?|(?P<op>&&|\|\||!)|(?P<paren>[()]))"
)
_SIMPLE = re.compile(r"\s*([A-Za-z0-9_-]+)\s*")


def _tokenize(text: str) -> Iterator[tuple[str, str, int]]:
    """Yield (kind, value, position); kinds: name, result, op, lparen, rparen, end."""
    pos, n = 0, len(text)
    match = _TOKEN.match
    while pos < n:
        m = match(text, pos)
        if m is None or m.end() == pos:
            rest = text[pos:]
            if not rest.strip():
                break
            at = pos + len(rest) - len(rest.lstrip())
            raise DependsSyntaxError(f"unexpected character {text[at]!r}", text, at)
        if m.group("name") is not None:
            yield "name", m.group("name"), m.start("name")
            if m.group("result") is not None:
                yield "result", m.group("result"), m.start("result") - 1
        elif m.group("op") is not None:
            yield "op", m.group("op"), m.start("op")
        else:
            paren = m.group("paren")
            yield ("lparen" if paren == "(" else "rparen"), paren, m.start("paren")
        pos = m.end()
    yield "end", "", n


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = list(_tokenize(text))
        self.pos = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.pos]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def fail(self, reason: str, at: int) -> DependsSyntaxError:
        return DependsSyntaxError(reason, self.text, at)

    def parse(self) -> DependsNode | None:
        if self.peek()[0] == "end":
            return None
        node = self.parse_or()
        kind, value, at = self.peek()
        if kind != "end":
            raise self.fail(f"unexpected {value!r}", at)
        return node

    def parse_or(self) -> DependsNode:
        items = [self.parse_and()]
        while self.peek()[:2] == ("op", "||"):
            self.take()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> DependsNode:
        items = [self.parse_unary()]
        while self.peek()[:2] == ("op", "&&"):
            self.take()
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self) -> DependsNode:
        kind, value, at = self.take()
        if kind == "op" and value == "!":
            return Not(self.parse_unary())
        if kind == "lparen":
            node = self.parse_or()
            k2, v2, at2 = self.take()
            if k2 != "rparen":
                raise self.fail("missing ')'" if k2 == "end" else f"expected ')' but found {v2!r}", at2)
            return node
        if kind == "name":
            if self.peek()[0] == "result":
                _, result, rat = self.take()
                if result not in RESULTS:
                    raise self.fail(
                        f"unknown task result {result!r} for task {value!r} (valid: {', '.join(sorted(RESULTS))})",
                        rat,
                    )
                return TaskRef(value, result)
            return TaskRef(value)
        if kind == "end":
            raise self.fail("unexpected end of expression", at)
        raise self.fail(f"unexpected {value!r}", at)


@lru_cache(maxsize=16384)
def parse_depends(text: str) -> DependsExpr:
    """Parse a `depends` string; raises `DependsSyntaxError` (naming the expression) when malformed."""
    if not isinstance(text, str):
        raise DependsSyntaxError(f"expected a string, got {type(text).__name__}", str(text), 0)
    simple = _SIMPLE.fullmatch(text)
    if simple is not None:  # the common case: one task name
        return DependsExpr(text, TaskRef(simple.group(1)))
    return DependsExpr(text, _Parser(text).parse())


def from_dependencies(names: Sequence[str]) -> DependsExpr:
    """Legacy `dependencies: [A, B]`, which Argo treats as `depends: "A && B"`."""
    refs = tuple(TaskRef(str(n)) for n in names)
    root: DependsNode | None = None if not refs else refs[0] if len(refs) == 1 else And(refs)
    return DependsExpr(" && ".join(str(n) for n in names), root)


def depends_of_task(task: Mapping[str, Any]) -> DependsExpr:
    """The dependency logic of a DAG task dict: its `depends`, else its `dependencies`, else empty."""
    depends = task.get("depends")
    if depends:
        return parse_depends(depends)
    return from_dependencies(task.get("dependencies") or ())
