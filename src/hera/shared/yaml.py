"""YAML in and out, as Hera writes it and as Argo reads it (libyaml's C loader and dumper when present).

`dump` renders the way Hera's `to_yaml` does: every mapping ordered `name` first, then scalars, lists and
mappings, alphabetical within each group; multi-line strings as block literals; `y`/`Y`/`n`/`N` quoted; PyYAML's
wrapping at 80 columns, except that a line cut inside an unclosed `{{` is joined back. `load`/`load_all` read
like Kubernetes does: timestamps and `1:30`-style numbers stay strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

try:  # libyaml bindings: several times faster in both directions
    from yaml import CSafeDumper as _SafeDumper
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeDumper as _SafeDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

__all__ = ["YAMLError", "dump", "load", "load_all"]

YAMLError = yaml.YAMLError

_QUOTED = frozenset(("y", "Y", "n", "N"))  # booleans to YAML 1.1 readers such as Go's yaml.v2


def _ordered(mapping: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    """`name` first, then scalar values, lists, mappings; alphabetical within each group."""
    return sorted(
        mapping.items(),
        key=lambda kv: (
            0 if kv[0] == "name" else 3 if isinstance(kv[1], dict) else 2 if isinstance(kv[1], list) else 1,
            kv[0] if isinstance(kv[0], str) else str(kv[0]),
        ),
    )


def _represent_dict(dumper: Any, data: Mapping[Any, Any]) -> Any:
    return dumper.represent_mapping("tag:yaml.org,2002:map", _ordered(data))


def _represent_str(dumper: Any, data: str) -> Any:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    if data in _QUOTED:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


class _Dumper(_SafeDumper):  # type: ignore[misc,valid-type]
    """The safe dumper with Hera's key order and string styles."""


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(str, _represent_str)


_DROPPED = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, resolving plain scalars as Kubernetes' YAML reader does: no timestamps, no base 60."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
        for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


_TAGGED_LINE = re.compile(r"^.*\{\{.*$", re.M)
_BLOCK_HEADER = re.compile(r"(?:^ *|: |- )[|>][0-9+-]*$")
_PLAIN_KEY = re.compile(r"[^'\"\s#&*!|>%@`-](?:[^:]|:(?=\S))*: ")
_QUOTED_KEY = re.compile(r"(?:'(?:[^']|'')*'|\"(?:[^\"\\]|\\.)*\"): ")


def _continuation_indent(line: str) -> int:
    """Where PyYAML indents the next line when it wraps the scalar ending `line`."""
    rest = line.lstrip(" ")
    column = len(line) - len(rest)
    item = False
    while rest.startswith("- "):
        rest, column, item = rest[2:], column + 2, True
    if _PLAIN_KEY.match(rest) or _QUOTED_KEY.match(rest):
        return column + 2  # the value of `key: value`
    return column if item else len(line) - len(line.lstrip(" "))


def _rejoin(text: str) -> str:
    """Join back the lines PyYAML wrapped inside an unclosed `{{` (block literals are left alone)."""
    if not any(line.count("{{") > line.count("}}") for line in _TAGGED_LINE.findall(text)):
        return text  # nothing was cut inside a tag (the common case): no need to walk every line
    lines = text.split("\n")
    out: list[str] = []
    block = -1  # while inside a block literal: the indentation of the line that opened it
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        indent = len(line) - len(line.lstrip(" "))
        if block >= 0 and (not line.strip() or indent > block):
            out.append(line)
            continue
        block = -1
        if _BLOCK_HEADER.search(line):
            block = indent
        elif line.count("{{") > line.count("}}"):
            expected = _continuation_indent(line)
            while line.count("{{") > line.count("}}") and i < len(lines):
                nxt = lines[i]
                rest = nxt.lstrip(" ")
                if not rest or len(nxt) - len(rest) != expected:
                    break
                line = f"{line} {rest}"
                i += 1
        out.append(line)
    return "\n".join(out)


def dump(data: Any, **kwargs: Any) -> str:
    """`data` as YAML text in Hera's layout; `kwargs` go to `yaml.dump` (e.g. `width`, `allow_unicode`)."""
    options: dict[str, Any] = {"default_flow_style": False, "sort_keys": False}
    options.update(kwargs)
    return _rejoin(yaml.dump(data, Dumper=_Dumper, **options))


def load(text: str | bytes) -> Any:
    """The single YAML (or JSON) document in `text`; raises `yaml.YAMLError` for text that is not YAML."""
    return yaml.load(text, Loader=_Loader)


def load_all(text: str | bytes) -> list[Any]:
    """Every document of a multi-document YAML stream, in order (`None` for an empty document)."""
    return list(yaml.load_all(text, Loader=_Loader))
