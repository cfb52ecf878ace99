"""A small expression tree and a black-like layout for generated Python code (88 columns, magic trailing commas).

`hera generate python` builds `Call`/`ListNode`/`DictNode`/`Atom` trees and renders them: a node that fits on
its line stays flat, anything longer breaks into one argument per line with a trailing comma, as black does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Union

__all__ = ["LINE_LENGTH", "Atom", "Call", "DictNode", "ListNode", "Node", "py_literal", "render"]

LINE_LENGTH = 88
_INDENT = 4


@dataclass
class Atom:
    """Text that is never broken (a literal or a name)."""

    text: str


@dataclass
class Call:
    """`func(arg, key=value, **mapping)`; a keyword of `**` renders as `**value`."""

    func: str
    kwargs: list[tuple[str, Node]] = field(default_factory=list)
    args: list[Node] = field(default_factory=list)


@dataclass
class ListNode:
    """`[a, b]`."""

    items: list[Node]


@dataclass
class DictNode:
    """`{k: v}`."""

    items: list[tuple[Node, Node]]


Node = Union[Atom, Call, ListNode, DictNode]


def _kw(key: str, value: Node) -> str:
    return f"**{flat(value)}" if key == "**" else f"{key}={flat(value)}"


def flat(node: Node) -> str:
    """The node on one line."""
    if isinstance(node, Atom):
        return node.text
    if isinstance(node, Call):
        parts = [flat(a) for a in node.args] + [_kw(k, v) for k, v in node.kwargs]
        return f"{node.func}({', '.join(parts)})"
    if isinstance(node, ListNode):
        return "[" + ", ".join(flat(i) for i in node.items) + "]"
    return "{" + ", ".join(f"{flat(k)}: {flat(v)}" for k, v in node.items) + "}"


def render(node: Node, column: int, indent: int, trail: int = 0) -> str:
    """`node` starting at `column` of a line indented by `indent`, followed by `trail` more characters."""
    text = flat(node)
    if column + len(text) + trail <= LINE_LENGTH or isinstance(node, Atom):
        return text
    inner = indent + _INDENT
    pad = " " * inner
    lines: list[str] = []
    if isinstance(node, Call):
        if not node.args and not node.kwargs:
            return text
        opening, closing = f"{node.func}(", ")"
        for arg in node.args:
            lines.append(pad + render(arg, inner, inner, 1) + ",")
        for key, value in node.kwargs:
            prefix = "**" if key == "**" else f"{key}="
            lines.append(pad + prefix + render(value, inner + len(prefix), inner, 1) + ",")
    elif isinstance(node, ListNode):
        if not node.items:
            return text
        opening, closing = "[", "]"
        for item in node.items:
            lines.append(pad + render(item, inner, inner, 1) + ",")
    else:
        if not node.items:
            return text
        opening, closing = "{", "}"
        for key_node, item_node in node.items:
            prefix = f"{flat(key_node)}: "
            lines.append(pad + prefix + render(item_node, inner + len(prefix), inner, 1) + ",")
    return "\n".join([opening, *lines, " " * indent + closing])


def _escape(text: str, quote: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32 or ch in "\x7f\u2028\u2029":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _triple_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n" or ch == "\t":
            out.append(ch)
        elif ord(ch) < 32 or ch in "\x7f\u2028\u2029":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    body = "".join(out).replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return f'"""{body}"""'


def py_literal(value: Union[str, int, float, bool, None]) -> str:
    """Python source for a scalar: strings double-quoted (triple-quoted when multi-line), numbers as repr."""
    if isinstance(value, str):
        if "\n" in value.rstrip("\n") or value.count("\n") > 1:
            return _triple_quoted(value)
        if '"' in value and "'" not in value:
            return "'" + _escape(value, "'") + "'"
        return '"' + _escape(value, '"') + '"'
    if isinstance(value, float) and value != value:
        return 'float("nan")'
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return 'float("inf")' if value > 0 else 'float("-inf")'
    return repr(value)


def statement_lines(head: str, node: Node, tail: str, indent: int) -> str:
    """`head + node + tail` as one (possibly multi-line) statement indented by `indent`."""
    pad = " " * indent
    return pad + head + render(node, indent + len(head), indent, len(tail)) + tail


def join_blocks(blocks: Sequence[str]) -> str:
    """Top-level blocks separated by one blank line, ending with a newline."""
    return "\n\n".join(b.rstrip("\n") for b in blocks) + "\n"
