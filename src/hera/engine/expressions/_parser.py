"""Parser for expr-lang: tokens → a small AST, with expr's operator precedences.

Precedence (low → high): ternary `?:` and pipe `|`; `or ||` 10; `and &&` 15; comparisons, `in`,
`matches`, `contains`, `startsWith`, `endsWith` 20; `..` 25; `+ -` 30; `* / %` 60; unary `not !` 50;
`** ^` 100 (right-assoc); unary `- +` 90; `??` 500; then member access, indexing, slicing and calls.
"""

from __future__ import annotations

from typing import Any

from hera.engine.expressions._lexer import Token, tokenize
from hera.engine.expressions.errors import ExpressionError

__all__ = ["PREDICATE_BUILTINS", "Node", "parse"]

BINARY: dict[str, int] = {
    "or": 10, "||": 10, "and": 15, "&&": 15,
    "==": 20, "!=": 20, "<": 20, ">": 20, ">=": 20, "<=": 20,
    "in": 20, "matches": 20, "contains": 20, "startsWith": 20, "endsWith": 20,
    "..": 25, "+": 30, "-": 30, "*": 60, "/": 60, "%": 60, "**": 100, "^": 100, "??": 500,
}  # fmt: skip
RIGHT_ASSOC = frozenset({"**", "^"})
COMPARISON = 20
UNARY: dict[str, int] = {"not": 50, "!": 50, "-": 90, "+": 90}
_NEGATABLE = frozenset({"in", "matches", "contains", "startsWith", "endsWith"})

#: Builtins whose second argument is a predicate (closure over `#`).
PREDICATE_BUILTINS = frozenset(
    {
        "all", "any", "none", "one", "filter", "map", "count", "find", "findIndex", "findLast",
        "findLastIndex", "groupBy", "sortBy", "reduce", "sum", "countBy", "partition", "uniqBy",
    }
)  # fmt: skip


class Node:
    """An AST node: `kind` names it; `a`, `b`, `c` are its operands; `pos` is its source offset."""

    __slots__ = ("a", "b", "c", "kind", "pos")

    def __init__(self, kind: str, pos: int, a: Any = None, b: Any = None, c: Any = None) -> None:
        self.kind = kind
        self.pos = pos
        self.a = a
        self.b = b
        self.c = c

    def __repr__(self) -> str:
        parts = [repr(x) for x in (self.a, self.b, self.c) if x is not None]
        return f"{self.kind}({', '.join(parts)})"


# Node kinds and operands:
#   lit(value) ident(name) ptr(name) member(obj, key, optional) slice(obj, lo, hi)
#   call(callee, args) builtin(name, args) closure(body) unary(op, x) binary(op, l, r)
#   cond(c, a, b) array(items) map(pairs) let(name, value, body) chain(node) pipe-less calls


class _Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.tokens = tokenize(src)
        self.i = 0
        self.depth = 0  # closure nesting, for `#` and `.field`

    # -- token helpers ------------------------------------------------------------------------
    @property
    def cur(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        j = min(self.i + k, len(self.tokens) - 1)
        return self.tokens[j]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def is_(self, kind: str, value: Any = None) -> bool:
        tok = self.tokens[self.i]
        return tok.kind == kind and (value is None or tok.value == value)

    def expect(self, kind: str, value: Any = None) -> Token:
        tok = self.cur
        if tok.kind != kind or (value is not None and tok.value != value):
            raise self.error(f"unexpected {self.describe(tok)}, expected {value if value is not None else kind}", tok)
        return self.next()

    def describe(self, tok: Token) -> str:
        if tok.kind == "eof":
            return "end of expression"
        if tok.kind == "str":
            return f"string {tok.value!r}"
        return f"token {tok.value!r}" if tok.kind != "pointer" else f"token '#{tok.value}'"

    def error(self, reason: str, tok: Token | None = None) -> ExpressionError:
        tok = tok or self.cur
        return ExpressionError(reason, self.src, tok.pos)

    # -- grammar ------------------------------------------------------------------------------
    def parse(self) -> Node:
        node = self.parse_sequence()
        if not self.is_("eof"):
            raise self.error(f"unexpected {self.describe(self.cur)}")
        return node

    def parse_sequence(self) -> Node:
        if self.is_("op", "let"):
            tok = self.next()
            name = self.expect("ident").value
            self.expect("op", "=")
            value = self.parse_expression(0)
            self.expect("op", ";")
            body = self.parse_sequence()
            return Node("let", tok.pos, name, value, body)
        node = self.parse_expression(0)
        while self.is_("op", ";"):
            self.next()
            if self.is_("eof"):
                break
            node = self.parse_expression(0)
        return node

    def parse_expression(self, precedence: int) -> Node:
        left = self.parse_primary()
        previous = ""
        while True:
            tok = self.cur
            if tok.kind != "op":
                break
            op = tok.value
            negate = False
            if op == "|" and precedence == 0:
                self.next()
                left = self.parse_pipe(left, tok)
                previous = op
                continue
            if op == "not" and self.peek().kind == "op" and self.peek().value in _NEGATABLE:
                negate = True
                op = self.peek().value
            prec = BINARY.get(op)
            if prec is None or prec < precedence:
                break
            if previous == "??" and op != "??":
                raise self.error(f"operator ({op}) and coalesce expressions (??) cannot be mixed; wrap either in parentheses")
            self.next()
            if negate:
                self.next()
            if prec == COMPARISON:
                left = self.parse_comparison(left, tok, op, negate)
            else:
                right = self.parse_expression(prec if op in RIGHT_ASSOC else prec + 1)
                left = Node("binary", tok.pos, op, left, right)
                if negate:
                    left = Node("unary", tok.pos, "not", left)
            previous = op
        if precedence == 0:
            left = self.parse_conditional(left)
        return left

    def parse_comparison(self, left: Node, tok: Token, op: str, negate: bool) -> Node:
        """`a < b < c` means `a < b && b < c` (expr chains comparisons)."""
        root: Node | None = None
        while True:
            right = self.parse_expression(COMPARISON + 1)
            node = Node("binary", tok.pos, op, left, right)
            if negate:
                node = Node("unary", tok.pos, "not", node)
            root = node if root is None else Node("binary", tok.pos, "&&", root, node)
            tok = self.cur
            if tok.kind != "op":
                break
            negate = tok.value == "not" and self.peek().kind == "op" and self.peek().value in _NEGATABLE
            op = self.peek().value if negate else tok.value
            if BINARY.get(op) != COMPARISON:
                break
            self.next()
            if negate:
                self.next()
            left = right
        return root

    def parse_conditional(self, node: Node) -> Node:
        while self.is_("op", "?"):
            tok = self.next()
            if self.is_("op", ":"):
                self.next()
                other = self.parse_expression(0)
                node = Node("elvis", tok.pos, node, other)
            else:
                yes = self.parse_expression(0)
                self.expect("op", ":")
                no = self.parse_expression(0)
                node = Node("cond", tok.pos, node, yes, no)
        return node

    def parse_pipe(self, left: Node, bar: Token) -> Node:
        tok = self.cur
        if tok.kind != "ident":
            raise self.error("expected a function call after '|'", tok)
        self.next()
        if not self.is_("bracket", "("):
            raise self.error(f"expected '(' after {tok.value!r} in a pipe", self.cur)
        return self.parse_call(tok, first=left)

    def parse_primary(self) -> Node:
        tok = self.cur
        if tok.kind == "op" and tok.value in UNARY:
            self.next()
            operand = self.parse_expression(UNARY[tok.value])
            op = "not" if tok.value in ("not", "!") else tok.value
            return self.parse_postfix(Node("unary", tok.pos, op, operand))
        if tok.kind == "bracket" and tok.value == "(":
            self.next()
            inner = self.parse_sequence()
            self.expect("bracket", ")")
            return self.parse_postfix(inner)
        return self.parse_secondary()

    def parse_secondary(self) -> Node:
        tok = self.cur
        kind = tok.kind
        if kind == "num" or kind == "str":
            self.next()
            return self.parse_postfix(Node("lit", tok.pos, tok.value))
        if kind == "ident":
            self.next()
            name = tok.value
            if name == "true":
                return self.parse_postfix(Node("lit", tok.pos, True))
            if name == "false":
                return self.parse_postfix(Node("lit", tok.pos, False))
            if name == "nil":
                return self.parse_postfix(Node("lit", tok.pos, None))
            if self.is_("bracket", "("):
                return self.parse_postfix(self.parse_call(tok))
            return self.parse_postfix(Node("ident", tok.pos, name))
        if kind == "pointer":
            if self.depth == 0 and tok.value not in ("",):
                pass
            if self.depth == 0:
                raise self.error(f"cannot use pointer '#{tok.value}' outside a predicate", tok)
            self.next()
            return self.parse_postfix(Node("ptr", tok.pos, tok.value))
        if kind == "op" and tok.value == "." and self.depth > 0 and self.peek().kind in ("ident", "op"):
            self.next()
            name_tok = self.next()
            node = Node("member", tok.pos, Node("ptr", tok.pos, ""), Node("lit", name_tok.pos, name_tok.value), False)
            return self.parse_postfix(node)
        if kind == "bracket" and tok.value == "[":
            self.next()
            items: list[Node] = []
            while not self.is_("bracket", "]"):
                items.append(self.parse_expression(0))
                if not self.is_("op", ","):
                    break
                self.next()
            self.expect("bracket", "]")
            return self.parse_postfix(Node("array", tok.pos, items))
        if kind == "bracket" and tok.value == "{":
            return self.parse_postfix(self.parse_map())
        raise self.error(f"unexpected {self.describe(tok)}", tok)

    def parse_map(self) -> Node:
        start = self.expect("bracket", "{")
        pairs: list[tuple[Node, Node]] = []
        while not self.is_("bracket", "}"):
            tok = self.cur
            if tok.kind in ("ident", "op") and isinstance(tok.value, str) and tok.value.isidentifier():
                self.next()
                key = Node("lit", tok.pos, tok.value)
            elif tok.kind in ("str", "num"):
                self.next()
                key = Node("lit", tok.pos, str(tok.value) if tok.kind == "str" else self.src[tok.pos : self.cur.pos].strip())
            elif tok.kind == "bracket" and tok.value == "(":
                self.next()
                key = self.parse_expression(0)
                self.expect("bracket", ")")
            else:
                raise self.error(f"a map key must be an identifier, a string or a number, not {self.describe(tok)}", tok)
            self.expect("op", ":")
            pairs.append((key, self.parse_expression(0)))
            if not self.is_("op", ","):
                break
            self.next()
        self.expect("bracket", "}")
        return Node("map", start.pos, pairs)

    def parse_closure(self) -> Node:
        tok = self.cur
        self.depth += 1
        try:
            if self.is_("bracket", "{"):
                self.next()
                body = self.parse_sequence()
                self.expect("bracket", "}")
            else:
                body = self.parse_expression(0)
        finally:
            self.depth -= 1
        return Node("closure", tok.pos, body)

    def parse_call(self, name_tok: Token, first: Node | None = None) -> Node:
        name = name_tok.value
        self.expect("bracket", "(")
        args: list[Node] = [first] if first is not None else []
        predicate = name in PREDICATE_BUILTINS
        while not self.is_("bracket", ")"):
            if predicate and len(args) == 1:
                args.append(self.parse_closure())
            else:
                args.append(self.parse_expression(0))
            if not self.is_("op", ","):
                break
            self.next()
        self.expect("bracket", ")")
        return Node("call", name_tok.pos, Node("ident", name_tok.pos, name), args)

    def parse_postfix(self, node: Node) -> Node:
        optional_chain = False
        while True:
            tok = self.cur
            if tok.kind == "op" and tok.value in (".", "?."):
                optional = tok.value == "?."
                self.next()
                if optional and self.is_("bracket", "["):
                    self.next()
                    key = self.parse_expression(0)
                    self.expect("bracket", "]")
                    node = Node("member", tok.pos, node, key, True)
                    optional_chain = True
                    continue
                name_tok = self.cur
                if name_tok.kind not in ("ident", "op") or not str(name_tok.value).replace("$", "").isidentifier():
                    raise self.error(f"expected a name after {tok.value!r}", name_tok)
                self.next()
                node = Node("member", tok.pos, node, Node("lit", name_tok.pos, name_tok.value), optional)
                optional_chain = optional_chain or optional
                if self.is_("bracket", "("):
                    self.next()
                    args: list[Node] = []
                    while not self.is_("bracket", ")"):
                        args.append(self.parse_expression(0))
                        if not self.is_("op", ","):
                            break
                        self.next()
                    self.expect("bracket", ")")
                    node = Node("call", name_tok.pos, node, args)
                continue
            if tok.kind == "bracket" and tok.value == "[":
                self.next()
                lo: Node | None = None
                if not self.is_("op", ":"):
                    lo = self.parse_expression(0)
                if self.is_("op", ":"):
                    self.next()
                    hi = None if self.is_("bracket", "]") else self.parse_expression(0)
                    self.expect("bracket", "]")
                    node = Node("slice", tok.pos, node, lo, hi)
                else:
                    self.expect("bracket", "]")
                    node = Node("member", tok.pos, node, lo, False)
                continue
            break
        if optional_chain:
            node = Node("chain", node.pos, node)
        return node


def parse(src: str) -> Node:
    """Parse expr-lang source into an AST; raises ExpressionError naming the position on bad syntax."""
    if not src.strip():
        raise ExpressionError("empty expression", src, 0)
    return _Parser(src).parse()
