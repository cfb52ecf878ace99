"""`when` conditions: govaluate syntax and semantics, with Argo's treatment of bare words.

Argo substitutes tags first, then parses the text with govaluate and turns every bare identifier into a
string literal, so `heads == heads` is true and `{{steps.x.outputs.result}} == tails` needs no quotes.
Rules reproduced here (see argo-semantics.md §7):

- numbers are float64 (`1 == 1.0`); `'single'` / `"double"` strings; `true` / `false`;
- quoted strings that look like dates become Unix-time numbers;
- `== !=` deep equality (a string never equals a number); `< <= > >=` numbers or two strings;
- `=~ !~` regexp (pattern on the right); `&& || !` (short-circuit, bool operands only);
- `+` (numbers, or concatenation when either side is a string), `- * / % **`, bitwise `& | ^ << >> ~`;
- `?` `:` ternary, `??`, `in (a, b)`, parentheses; no functions;
- a word containing `.` is an accessor (an error: there are no parameters); `foo-bar` is a subtraction;
- an empty condition is true; any other non-boolean result is an error.

An unresolved `{{...}}` left in the text is not valid govaluate: it raises `WhenError` (Argo marks the
node Error; for a step or task with a loop the engine should expand first, as Argo tolerates it then).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, NamedTuple

from hera.engine.expressions._gofmt import go_float_g, go_time_parse
from hera.engine.expressions.errors import WhenError

__all__ = ["evaluate_when", "parse_when"]

# token kinds
NUMERIC, BOOLEAN, STRING, TIME, VARIABLE, ACCESSOR = "NUMERIC", "BOOLEAN", "STRING", "TIME", "VARIABLE", "ACCESSOR"
PREFIX, MODIFIER, COMPARATOR, LOGICALOP, TERNARY = "PREFIX", "MODIFIER", "COMPARATOR", "LOGICALOP", "TERNARY"
CLAUSE, CLAUSE_CLOSE, SEPARATOR, UNKNOWN = "CLAUSE", "CLAUSE_CLOSE", "SEPARATOR", "UNKNOWN"

_VALUE_NEXT = frozenset({MODIFIER, COMPARATOR, LOGICALOP, CLAUSE_CLOSE, TERNARY, SEPARATOR})
_NEXT: dict[str, frozenset[str]] = {
    UNKNOWN: frozenset({PREFIX, NUMERIC, BOOLEAN, VARIABLE, ACCESSOR, STRING, TIME, CLAUSE}),
    CLAUSE: frozenset({PREFIX, NUMERIC, BOOLEAN, VARIABLE, ACCESSOR, STRING, TIME, CLAUSE, CLAUSE_CLOSE}),
    CLAUSE_CLOSE: frozenset(
        {COMPARATOR, MODIFIER, NUMERIC, BOOLEAN, VARIABLE, STRING, TIME, CLAUSE, CLAUSE_CLOSE, LOGICALOP, TERNARY, SEPARATOR}
    ),
    NUMERIC: _VALUE_NEXT,
    BOOLEAN: _VALUE_NEXT,
    STRING: _VALUE_NEXT,
    TIME: _VALUE_NEXT,
    VARIABLE: _VALUE_NEXT,
    ACCESSOR: _VALUE_NEXT,
    MODIFIER: frozenset({PREFIX, NUMERIC, VARIABLE, ACCESSOR, STRING, BOOLEAN, CLAUSE, CLAUSE_CLOSE}),
    COMPARATOR: frozenset({PREFIX, NUMERIC, BOOLEAN, VARIABLE, ACCESSOR, STRING, TIME, CLAUSE, CLAUSE_CLOSE}),
    LOGICALOP: frozenset({PREFIX, NUMERIC, BOOLEAN, VARIABLE, ACCESSOR, STRING, TIME, CLAUSE, CLAUSE_CLOSE}),
    PREFIX: frozenset({NUMERIC, BOOLEAN, VARIABLE, ACCESSOR, CLAUSE, CLAUSE_CLOSE}),
    TERNARY: frozenset({PREFIX, NUMERIC, BOOLEAN, STRING, TIME, VARIABLE, ACCESSOR, CLAUSE, SEPARATOR}),
    SEPARATOR: frozenset({PREFIX, NUMERIC, BOOLEAN, STRING, TIME, VARIABLE, ACCESSOR, CLAUSE}),
}
_EOF_OK = frozenset({CLAUSE_CLOSE, NUMERIC, BOOLEAN, STRING, TIME, VARIABLE, ACCESSOR})

_PREFIX_SYMBOLS = frozenset({"-", "!", "~"})
_MODIFIER_SYMBOLS = frozenset({"+", "-", "*", "/", "%", "**", "&", "|", "^", ">>", "<<"})
_LOGICAL_SYMBOLS = frozenset({"&&", "||"})
_COMPARATOR_SYMBOLS = frozenset({"==", "!=", ">", ">=", "<", "<=", "=~", "!~", "in"})
_TERNARY_SYMBOLS = frozenset({"?", ":", "??"})

_TIME_LAYOUTS = (
    "Mon Jan _2 15:04:05 2006",
    "Mon Jan _2 15:04:05 MST 2006",
    "Mon Jan 02 15:04:05 -0700 2006",
    "3:04PM",
    "2006-01-02T15:04:05Z07:00",
    "2006-01-02T15:04:05.999999999Z07:00",
    "2006-01-02",
    "2006-01-02 15:04",
    "2006-01-02 15:04:05",
    "2006-01-02 15:04:05-07:00",
    "2006-01-02T15Z0700",
    "2006-01-02T15:04Z0700",
    "2006-01-02T15:04:05Z0700",
    "2006-01-02T15:04:05.999999999Z0700",
)


class _Tok(NamedTuple):
    kind: str
    value: Any


def _try_time(text: str) -> float | None:
    if not text or not (text[0].isdigit() or text[:3].isalpha()):
        return None
    for layout in _TIME_LAYOUTS:
        try:
            parsed = go_time_parse(text, layout)
        except (ValueError, IndexError):
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return float(math.floor((parsed - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds()))
    return None


def _is_variable_char(c: str) -> bool:
    return c.isalpha() or c.isdigit() or c == "_" or c == "."


def _is_quote(c: str) -> bool:
    return c in "'\""


def _is_symbol_char(c: str) -> bool:
    return not (c.isdigit() or c.isalpha() or c in "()[]" or _is_quote(c))


def _read_until(src: str, i: int, keep_space: bool, break_space: bool, cond: Any) -> tuple[str, int, bool]:
    """govaluate's readUntilFalse: returns (text, next index, stopped by condition)."""
    buf: list[str] = []
    n = len(src)
    while i < n:
        c = src[i]
        i += 1
        if c == "\\":
            if i < n:
                buf.append(src[i])
                i += 1
            continue
        if c.isspace():
            if break_space and buf:
                return "".join(buf), i, True
            if not keep_space:
                continue
        if cond(c):
            buf.append(c)
        else:
            return "".join(buf), i - 1, True
    return "".join(buf), i, False


def _lex(src: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    state = UNKNOWN
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c.isspace():
            i += 1
            continue
        if c.isdigit() or c == ".":
            if c == "0" and i + 1 < n and src[i + 1] == "x":
                text, i, _ = _read_until(src, i + 2, False, True, lambda ch: ch in "0123456789abcdefABCDEF")
                try:
                    tok = _Tok(NUMERIC, float(int(text, 16)))
                except ValueError:
                    raise WhenError(f"Unable to parse hex value '{text}' to uint64") from None
            else:
                text, i, _ = _read_until(src, i, False, True, lambda ch: ch.isdigit() or ch == ".")
                try:
                    tok = _Tok(NUMERIC, float(text))
                except ValueError:
                    raise WhenError(f"Unable to parse numeric value '{text}' to float64") from None
        elif c == ",":
            tok = _Tok(SEPARATOR, ",")
            i += 1
        elif c == "[":
            text, j, completed = _read_until(src, i + 1, True, False, lambda ch: ch != "]")
            if not completed:
                raise WhenError("Unclosed parameter bracket")
            tok = _Tok(VARIABLE, text)
            i = j + 1
        elif c.isalpha():
            text, i, _ = _read_until(src, i, False, True, _is_variable_char)
            if text == "true":
                tok = _Tok(BOOLEAN, True)
            elif text == "false":
                tok = _Tok(BOOLEAN, False)
            elif text in ("in", "IN"):
                tok = _Tok(COMPARATOR, "in")
            elif "." in text[1:]:
                if text.endswith("."):
                    raise WhenError(f"Hanging accessor on token '{text}'")
                parts = text.split(".")
                for part in parts[1:]:
                    if part and part[0].upper() != part[0]:
                        raise WhenError(f"Unable to access unexported field '{part}' in token '{text}'")
                tok = _Tok(ACCESSOR, parts)
            else:
                tok = _Tok(VARIABLE, text)
        elif _is_quote(c):
            text, j, completed = _read_until(src, i + 1, True, False, lambda ch: not _is_quote(ch))
            if not completed:
                raise WhenError("Unclosed string literal")
            i = j + 1
            as_time = _try_time(text)
            tok = _Tok(TIME, as_time) if as_time is not None else _Tok(STRING, text)
        elif c == "(":
            tok = _Tok(CLAUSE, "(")
            i += 1
        elif c == ")":
            tok = _Tok(CLAUSE_CLOSE, ")")
            i += 1
        else:
            text, i, _ = _read_until(src, i, False, True, _is_symbol_char)
            if text in _PREFIX_SYMBOLS and PREFIX in _NEXT[state]:
                tok = _Tok(PREFIX, text)
            elif text in _MODIFIER_SYMBOLS:
                tok = _Tok(MODIFIER, text)
            elif text in _LOGICAL_SYMBOLS:
                tok = _Tok(LOGICALOP, text)
            elif text in _COMPARATOR_SYMBOLS:
                tok = _Tok(COMPARATOR, text)
            elif text in _TERNARY_SYMBOLS:
                tok = _Tok(TERNARY, text)
            else:
                raise WhenError(f"Invalid token: '{text}'")
        tokens.append(tok)
        state = tok.kind
    return tokens


def _show(value: Any) -> str:
    if isinstance(value, float):
        return go_float_g(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "<nil>"
    if isinstance(value, list):
        return "[" + " ".join(_show(v) for v in value) + "]"
    return str(value)


def _check_syntax(tokens: list[_Tok]) -> None:
    depth = 0
    for tok in tokens:
        if tok.kind == CLAUSE:
            depth += 1
        elif tok.kind == CLAUSE_CLOSE:
            depth -= 1
        if depth < 0:
            break
    if depth != 0:
        raise WhenError("Unbalanced parenthesis")
    state, last = UNKNOWN, _Tok(UNKNOWN, None)
    for tok in tokens:
        if tok.kind not in _NEXT[state]:
            if last.kind == VARIABLE and tok.kind == CLAUSE:
                raise WhenError(f"Undefined function {last.value}")
            raise WhenError(
                f"Cannot transition token types from {state} [{_show(last.value)}] to {tok.kind} [{_show(tok.value)}]"
            )
        state, last = tok.kind, tok
    if tokens and state not in _EOF_OK:
        raise WhenError("Unexpected end of expression")


# -- evaluation tree ----------------------------------------------------------------------------
_LEVELS: tuple[tuple[str, frozenset[str]], ...] = (
    (TERNARY, _TERNARY_SYMBOLS),
    (LOGICALOP, frozenset({"||"})),
    (LOGICALOP, frozenset({"&&"})),
    (COMPARATOR, _COMPARATOR_SYMBOLS),
    (MODIFIER, frozenset({"&", "|", "^"})),
    (MODIFIER, frozenset({"<<", ">>"})),
    (MODIFIER, frozenset({"+", "-"})),
    (MODIFIER, frozenset({"*", "/", "%"})),
    (MODIFIER, frozenset({"**"})),
)


class _Plan:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def separated(self) -> Any:
        first = self.level(0)
        tok = self.peek()
        if tok is None or tok.kind != SEPARATOR:
            return first
        items = [first]
        while (tok := self.peek()) is not None and tok.kind == SEPARATOR:
            self.i += 1
            items.append(self.level(0))
        return ("list", items)

    def level(self, index: int) -> Any:
        if index == len(_LEVELS):
            return self.unary()
        kind, symbols = _LEVELS[index]
        left = self.level(index + 1)
        while (tok := self.peek()) is not None and tok.kind == kind and tok.value in symbols:
            self.i += 1
            right = self.level(index + 1)
            left = ("op", tok.value, left, right)
        return left

    def unary(self) -> Any:
        tok = self.peek()
        if tok is None:
            return ("lit", None)
        self.i += 1
        if tok.kind == PREFIX:
            return ("prefix", tok.value, self.unary())
        if tok.kind == CLAUSE:
            nxt = self.peek()
            if nxt is not None and nxt.kind == CLAUSE_CLOSE:
                self.i += 1
                return ("lit", None)
            inner = self.separated()
            close = self.peek()
            if close is not None and close.kind == CLAUSE_CLOSE:
                self.i += 1
            return inner
        if tok.kind == ACCESSOR:
            return ("accessor", ".".join(tok.value))
        if tok.kind == VARIABLE:
            return ("variable", tok.value)
        return ("lit", tok.value)


def _is_num(v: Any) -> bool:
    return isinstance(v, float)


def _type_error(fmt: str, value: Any, symbol: str) -> WhenError:
    return WhenError(fmt.format(_show(value), symbol))


_MODIFIER_ERR = "Value '{}' cannot be used with the modifier '{}', it is not a number"
_COMPARATOR_ERR = "Value '{}' cannot be used with the comparator '{}', it is not a number"
_LOGICAL_ERR = "Value '{}' cannot be used with the logical operator '{}', it is not a bool"
_TERNARY_ERR = "Value '{}' cannot be used with the ternary operator '{}', it is not a bool"


def _go_equal(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    return bool(a == b)


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise WhenError(f"Unable to compile regexp pattern '{pattern}': {e}") from None


def _eval(node: Any) -> Any:
    tag = node[0]
    if tag == "lit":
        return node[1]
    if tag == "variable":
        raise WhenError(f"No parameter '{node[1]}' found.")
    if tag == "accessor":
        raise WhenError(f"No parameter '{node[1].split('.')[0]}' found.")
    if tag == "list":
        return [_eval(x) for x in node[1]]
    if tag == "prefix":
        v = _eval(node[2])
        sym = node[1]
        if sym == "!":
            if isinstance(v, bool):
                return not v
            raise WhenError(f"Value '{_show(v)}' cannot be used with the prefix '!'")
        if not _is_num(v):
            raise WhenError(f"Value '{_show(v)}' cannot be used with the prefix '{sym}'")
        return -v if sym == "-" else float(~int(v))
    _, sym, left_node, right_node = node
    left = _eval(left_node)
    # short circuits
    if sym == "&&" and left is False:
        return False
    if sym == "||" and left is True:
        return True
    if sym == "??" and left is not None:
        return left
    if sym == "?":
        if not isinstance(left, bool):
            raise _type_error(_TERNARY_ERR, left, sym)
        return _eval(right_node) if left else None
    if sym == ":":
        return left if left is not None else _eval(right_node)
    right = _eval(right_node)
    if sym == "??":
        return right
    if sym in ("&&", "||"):
        for v in (left, right):
            if not isinstance(v, bool):
                raise _type_error(_LOGICAL_ERR, v, sym)
        return right
    if sym == "==":
        return _go_equal(left, right)
    if sym == "!=":
        return not _go_equal(left, right)
    if sym in ("<", "<=", ">", ">="):
        if not ((_is_num(left) and _is_num(right)) or (isinstance(left, str) and isinstance(right, str))):
            raise _type_error(_COMPARATOR_ERR, left, sym)
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[sym]
    if sym in ("=~", "!~"):
        for v in (left, right):
            if not isinstance(v, str):
                raise WhenError(f"Value '{_show(v)}' cannot be used with the comparator '{sym}', it is not a string")
        found = _regex(right).search(left) is not None
        return found if sym == "=~" else not found
    if sym == "in":
        if not isinstance(right, list):
            raise WhenError(f"Value '{_show(right)}' cannot be used with the comparator 'in', it is not an array")
        return any(_go_equal(left, x) for x in right)
    if sym == "+":
        if _is_num(left) and _is_num(right):
            return left + right
        if isinstance(left, str) or isinstance(right, str):
            return _show(left) + _show(right)
        raise _type_error(_MODIFIER_ERR, left, sym)
    for v in (left, right):
        if not _is_num(v):
            raise _type_error(_MODIFIER_ERR, v, sym)
    if sym == "-":
        return left - right
    if sym == "*":
        return left * right
    if sym == "/":
        if right == 0:
            return math.nan if left == 0 else math.copysign(math.inf, left)
        return left / right
    if sym == "%":
        return math.fmod(left, right) if right != 0 else math.nan
    if sym == "**":
        try:
            return math.pow(left, right)
        except (OverflowError, ValueError):
            return math.inf
    a, b = int(left), int(right)
    result = {"&": a & b, "|": a | b, "^": a ^ b, "<<": a << b if b >= 0 else 0, ">>": a >> b if b >= 0 else 0}[sym]
    return float(result)


@lru_cache(maxsize=2048)
def parse_when(condition: str) -> Any:
    """Lex and check a substituted `when` string the way Argo does; returns an evaluation tree."""
    try:
        tokens = _lex(condition)
        _check_syntax(tokens)
    except WhenError as e:
        hint = " (hint: try wrapping the affected expression in quotes (\"))" if "Invalid token" in e.reason else ""
        raise WhenError(f"Invalid 'when' expression '{condition}': {e.reason}{hint}") from None
    # Argo turns every bare word into a string literal
    converted = [_Tok(STRING, t.value) if t.kind == VARIABLE else t for t in tokens]
    try:
        _check_syntax(converted)
    except WhenError as e:
        raise WhenError(f"Failed to parse 'when' expression '{condition}': {e.reason}") from None
    plan = _Plan(converted)
    tree = plan.separated() if converted else ("lit", None)
    return tree


def evaluate_when(condition: str) -> bool:
    """True when the step/task should run. `condition` is the `when` text after tag substitution.

    Empty means true; syntax errors, evaluation errors and non-boolean results raise `WhenError`.
    """
    if condition == "":
        return True
    tree = parse_when(condition)
    try:
        result = _eval(tree)
    except WhenError as e:
        raise WhenError(f"Failed to evaluate 'when' condition '{condition}': {e.reason}") from None
    except RecursionError:
        raise WhenError(f"Failed to evaluate 'when' condition '{condition}': nested too deeply") from None
    if isinstance(result, bool):
        return result
    raise WhenError(f"Expected boolean evaluation for '{condition}'. Got {_show(result)}")
