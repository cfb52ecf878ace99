"""Scanner for Argo's `{{...}}` template tags, shared by validation and the engine's substitution.

It follows the scanner Argo uses (fasttemplate with `{{` / `}}`): a tag starts at `{{` and ends at the
first `}}` after it; an opening `{{` with no closing `}}` is plain text. A tag whose body starts with `=`
is an expr-lang expression tag (`{{=expr}}`); any other tag is a simple tag, looked up after trimming
surrounding whitespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["Tag", "find_tags", "has_tags", "iter_tags", "single_tag"]


class Tag(NamedTuple):
    """One tag: `text[start:end]` is the whole `{{...}}`; `body` is what is between the braces."""

    start: int
    end: int
    body: str

    @property
    def is_expression(self) -> bool:
        """True for `{{=expr}}` tags."""
        return self.body.startswith("=")

    @property
    def name(self) -> str:
        """The trimmed variable name of a simple tag, or the expression text (after `=`) of an expression tag."""
        return self.body[1:] if self.body.startswith("=") else self.body.strip()


def iter_tags(text: str) -> Iterator[Tag]:
    """Yield every tag of `text` in order."""
    find = text.find
    pos = find("{{")
    while pos >= 0:
        close = find("}}", pos + 2)
        if close < 0:
            return
        yield Tag(pos, close + 2, text[pos + 2 : close])
        pos = find("{{", close + 2)


def find_tags(text: str) -> list[str]:
    """Names of the tags in `text`: trimmed names for simple tags, `=expr` for expression tags."""
    if "{{" not in text:
        return []
    return [("=" + t.body[1:]) if t.is_expression else t.body.strip() for t in iter_tags(text)]


def has_tags(text: str) -> bool:
    """True when `text` contains at least one complete `{{...}}` tag."""
    pos = text.find("{{")
    return pos >= 0 and text.find("}}", pos + 2) >= 0


def single_tag(text: str) -> str | None:
    """The trimmed name when `text` is exactly one simple tag (e.g. `{{steps.a.outputs.result}}`), else None."""
    if not (text.startswith("{{") and text.endswith("}}")):
        return None
    close = text.find("}}", 2)
    if close != len(text) - 2:
        return None
    body = text[2:close]
    if body.startswith("=") or "{{" in body:
        return None
    return body.strip()
