"""`Scope`: the variables visible to a template, as Argo keeps them (a flat map of dotted keys).

Simple tags look names up literally in the flat map; expr-lang sees the nested view (`a.b.c` →
`{a: {b: {c: ...}}}`; when a key also has child keys the less specific key is dropped, as Argo does).
Scopes layer cheaply: `child()` adds a few keys on top of a parent without copying it, and nested views
are built copy-on-write from the parent's cached view.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["ABSENT", "Scope"]


class _Absent:
    """Type of `ABSENT`: a value that exists as a name but has no value (Skipped/Omitted producer outputs)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "ABSENT"


#: Marks an output of a Skipped/Omitted producer (§8.3): `nil` in expressions, an error in simple tags.
ABSENT: Any = _Absent()


class Scope(Mapping[str, Any]):
    """Variables keyed by dotted names (`inputs.parameters.x`, `tasks.my-task.outputs.result`).

    A Scope is a read-only Mapping over its own keys plus its parents'; the nearest layer wins.
    `update()` may add keys to a layer later (e.g. global outputs); views built earlier are refreshed.
    """

    __slots__ = ("_cache", "_local", "_parent", "_version")

    def __init__(self, values: Mapping[str, Any] | None = None, parent: Scope | None = None) -> None:
        self._local: dict[str, Any] = dict(values) if values else {}
        self._parent = parent
        self._version = 0
        self._cache: tuple[tuple[int, ...], dict[str, Any]] | None = None

    # -- layering -------------------------------------------------------------------------------
    def child(self, values: Mapping[str, Any] | None = None, /, **more: Any) -> Scope:
        """A new layer on top of this scope holding `values` and `more` (cost: the size of the new keys)."""
        local = dict(values) if values else {}
        if more:
            local.update(more)
        return Scope(local, self)

    def update(self, values: Mapping[str, Any] | None = None, /, **more: Any) -> None:
        """Add or replace keys in this layer (children see them too)."""
        if values:
            self._local.update(values)
        if more:
            self._local.update(more)
        self._version += 1

    @property
    def parent(self) -> Scope | None:
        """The layer below, if any."""
        return self._parent

    @property
    def local(self) -> Mapping[str, Any]:
        """This layer's own keys."""
        return self._local

    # -- Mapping ---------------------------------------------------------------------------------
    def __getitem__(self, key: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            local = scope._local
            if key in local:
                return local[key]
            scope = scope._parent
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        """The value of `key` in the nearest layer that has it, else `default`."""
        scope: Scope | None = self
        while scope is not None:
            local = scope._local
            if key in local:
                return local[key]
            scope = scope._parent
        return default

    def __contains__(self, key: object) -> bool:
        scope: Scope | None = self
        while scope is not None:
            if key in scope._local:
                return True
            scope = scope._parent
        return False

    def _layers(self) -> list[dict[str, Any]]:
        layers = []
        scope: Scope | None = self
        while scope is not None:
            layers.append(scope._local)
            scope = scope._parent
        return layers

    def __iter__(self) -> Iterator[str]:
        return iter(ChainMap(*self._layers()))

    def __len__(self) -> int:
        return len(ChainMap(*self._layers()))

    @property
    def flat(self) -> Mapping[str, Any]:
        """A read-only flat view of every visible key (nearest layer wins); built without copying."""
        return ChainMap(*self._layers())

    def to_dict(self) -> dict[str, Any]:
        """A plain dict copy of the flat view."""
        return dict(self.flat)

    def __repr__(self) -> str:
        depth = len(self._layers())
        return f"Scope({len(self._local)} local keys, {depth} layers)"

    # -- nested view -----------------------------------------------------------------------------
    def _versions(self) -> tuple[int, ...]:
        out = []
        scope: Scope | None = self
        while scope is not None:
            out.append(scope._version)
            scope = scope._parent
        return tuple(out)

    def nested(self) -> dict[str, Any]:
        """The nested view used as expr-lang's environment (cached; treat it as read-only).

        `ABSENT` values appear as None (expr's nil).
        """
        versions = self._versions()
        cache = self._cache
        if cache is not None and cache[0] == versions:
            return cache[1]
        base = self._parent.nested() if self._parent is not None else {}
        view = _overlay(base, self._local) if self._local else base
        self._cache = (versions, view)
        return view


def _overlay(base: dict[str, Any], flat: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with the dotted keys of `flat` added, copying only the dicts on the paths that change."""
    root = dict(base)
    owned = {id(root)}
    # Less specific keys first, so a more specific key always turns a leaf into a dict (Argo drops the leaf).
    for key in sorted(flat, key=lambda k: k.count(".")):
        value = flat[key]
        if value is ABSENT:
            value = None
        parts = key.split(".")
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if isinstance(child, dict):
                if id(child) not in owned:
                    child = dict(child)
                    owned.add(id(child))
                    node[part] = child
            else:
                child = {}
                owned.add(id(child))
                node[part] = child
            node = child
        last = parts[-1]
        if isinstance(node.get(last), dict) and not isinstance(value, dict):
            continue  # a more specific key exists below: the less specific one is dropped
        node[last] = value
    return root
