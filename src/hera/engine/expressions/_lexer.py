"""Tokenizer for expr-lang (https://expr-lang.org/docs/language-definition)."""

from __future__ import annotations

from typing import Any, NamedTuple

from hera.engine.expressions.errors import ExpressionError

__all__ = ["Token", "tokenize"]

# Longest first so that `**` wins over `*`, `??` over `?`, and so on.
_OPERATORS = (
    "...", "**", "??", "?.", "..", "==", "!=", "<=", ">=", "&&", "||",
    "!", "<", ">", "+", "-", "*", "/", "%", "^", "?", ":", ".", ",", "|", "#", ";", "=",
)  # fmt: skip
_WORD_OPERATORS = frozenset({"and", "or", "not", "in", "matches", "contains", "startsWith", "endsWith", "let"})
_BRACKETS = "()[]{}"
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", "'": "'", '"': '"'}


class Token(NamedTuple):
    """kind: num | str | ident | op | bracket | eof; value: the decoded literal or the text."""

    kind: str
    value: Any
    pos: int


def _read_string(src: str, i: int, quote: str) -> tuple[str, int]:
    out: list[str] = []
    n = len(src)
    j = i + 1
    while j < n:
        c = src[j]
        if c == quote:
            return "".join(out), j + 1
        if c == "\\" and quote != "`":
            j += 1
            if j >= n:
                break
            e = src[j]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                j += 1
            elif e in "uU":
                width = 4 if e == "u" else 8
                hexs = src[j + 1 : j + 1 + width]
                try:
                    out.append(chr(int(hexs, 16)))
                except ValueError:
                    raise ExpressionError("invalid unicode escape", src, j - 1) from None
                j += 1 + width
            elif e == "x":
                try:
                    out.append(chr(int(src[j + 1 : j + 3], 16)))
                except ValueError:
                    raise ExpressionError("invalid hex escape", src, j - 1) from None
                j += 3
            elif e in "01234567":
                try:
                    out.append(chr(int(src[j : j + 3], 8)))
                except ValueError:
                    raise ExpressionError("invalid octal escape", src, j - 1) from None
                j += 3
            else:
                raise ExpressionError(f"invalid escape sequence \\{e}", src, j - 1)
            continue
        out.append(c)
        j += 1
    raise ExpressionError("literal not terminated", src, i)


def _read_number(src: str, i: int) -> tuple[int | float, int]:
    n = len(src)
    if src.startswith(("0x", "0X", "0o", "0O", "0b", "0B"), i):
        base = {"x": 16, "o": 8, "b": 2}[src[i + 1].lower()]
        j = i + 2
        while j < n and (src[j].isalnum() or src[j] == "_"):
            j += 1
        try:
            return int(src[i + 2 : j].replace("_", ""), base), j
        except ValueError:
            raise ExpressionError(f"invalid number {src[i:j]!r}", src, i) from None
    j = i
    while j < n and (src[j].isdigit() or src[j] == "_"):
        j += 1
    is_float = False
    # a '.' belongs to the number only if it is not the range operator `..` nor a member access
    if j < n and src[j] == "." and not src.startswith("..", j) and (j + 1 >= n or not (src[j + 1].isalpha() or src[j + 1] == "_")):
        is_float = True
        j += 1
        while j < n and (src[j].isdigit() or src[j] == "_"):
            j += 1
    if j < n and src[j] in "eE":
        k = j + 1
        if k < n and src[k] in "+-":
            k += 1
        if k < n and src[k].isdigit():
            is_float = True
            j = k
            while j < n and src[j].isdigit():
                j += 1
    text = src[i:j].replace("_", "")
    try:
        return (float(text) if is_float else int(text)), j
    except ValueError:
        raise ExpressionError(f"invalid number {src[i:j]!r}", src, i) from None


def _ends_operand(tokens: list[Token]) -> bool:
    if not tokens:
        return False
    last = tokens[-1]
    return last.kind in ("ident", "num", "str", "pointer") or (last.kind == "bracket" and last.value in ")]}")


def tokenize(src: str) -> list[Token]:
    """The tokens of `src`, ending with an `eof` token; raises ExpressionError on bad input."""
    tokens: list[Token] = []
    append = tokens.append
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c.isspace():
            i += 1
            continue
        if c == "/" and src.startswith("//", i):
            end = src.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c == "/" and src.startswith("/*", i):
            end = src.find("*/", i + 2)
            if end < 0:
                raise ExpressionError("unterminated comment", src, i)
            i = end + 2
            continue
        if c.isdigit() or (c == "." and i + 1 < n and src[i + 1].isdigit() and not _ends_operand(tokens)):
            number, j = _read_number(src, i)
            append(Token("num", number, i))
            i = j
            continue
        if c in "\"'`":
            text, j = _read_string(src, i, c)
            append(Token("str", text, i))
            i = j
            continue
        if c.isalpha() or c == "_" or c == "$":
            j = i + 1
            while j < n and (src[j].isalnum() or src[j] in "_$"):
                j += 1
            word = src[i:j]
            append(Token("op" if word in _WORD_OPERATORS else "ident", word, i))
            i = j
            continue
        if c == "#":
            j = i + 1
            while j < n and (src[j].isalnum() or src[j] == "_"):
                j += 1
            append(Token("pointer", src[i + 1 : j], i))
            i = j
            continue
        if c in _BRACKETS:
            append(Token("bracket", c, i))
            i += 1
            continue
        for op in _OPERATORS:
            if src.startswith(op, i):
                if op == "?." and i + 2 < n and src[i + 2].isdigit():
                    continue  # `a ?.5 : b` is a ternary with a float
                append(Token("op", op, i))
                i += len(op)
                break
        else:
            raise ExpressionError(f"unrecognized character {c!r}", src, i)
    append(Token("eof", None, n))
    return tokens
