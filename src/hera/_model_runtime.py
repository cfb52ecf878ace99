"""Runtime of the generated model packages (`hera.workflows.models`, `hera.events.models`): makes each class
from its line of the package's `_classes.tsv` on first use, with Argo's model config.

`models.Name` makes only that class: references to classes not made yet are forward references. Before
pydantic builds a class's schema (its first validation, dump or JSON schema, or a schema that contains it),
every class it reaches is made, leaves first, and stored in the package namespace, where pydantic resolves the
forward references; then the schemas of those classes are built, leaves first, so that each is built once and
reused by the classes above it. Importing a class thus costs one class; its first use costs its closure, once.
A generated package's `__getattr__` calls `package(__name__).get(name)`; the classes find their package's
state through their `__module__`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from datetime import datetime
from enum import Enum
from typing import Any, ForwardRef, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

_SCALARS: dict[str, Any] = {"str": str, "int": int, "float": float, "bool": bool, "_Any": Any, "_datetime": datetime}
_GENERICS = {"list", "dict"}
_LIST: Any = list
_DICT: Any = dict
_TOKENS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[][|,]")
_ENUM: Any = Enum  # called with names known only at run time (its functional API)

_PACKAGES: dict[str, ModelPackage] = {}
_PACKAGES_LOCK = threading.Lock()


def package(name: str) -> ModelPackage:
    """The runtime state of the generated package `name` (already imported), made on the first call."""
    state = _PACKAGES.get(name)
    if state is None:
        with _PACKAGES_LOCK:
            state = _PACKAGES.get(name)
            if state is None:
                state = _PACKAGES[name] = ModelPackage(name)
    return state


class _Lazy:
    """Makes every class a model reaches before pydantic builds a schema with it."""

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> Any:
        _resolve(cls)
        if not force:
            # Leaves first: each class's schema is built once and reused by the classes above it, so building
            # the classes a program constructs (Template, DAGTask, Workflow, ...) costs one pass over them all.
            for dep in _closure(cls):
                if dep is not cls and not getattr(dep, "__pydantic_complete__", True):
                    super(_Lazy, dep).model_rebuild(raise_errors=False, _parent_namespace_depth=0)  # type: ignore[misc]
        # depth 0: names resolve in the class's package only, never in the caller's frame
        return super().model_rebuild(  # type: ignore[misc]
            force=force, raise_errors=raise_errors, _parent_namespace_depth=0, _types_namespace=_types_namespace
        )

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        _resolve(cls)
        return handler(source)


class _Base(_Lazy, BaseModel):
    """An Argo object: snake_case fields with Argo's JSON names as aliases; unknown fields are an error."""

    model_config = ConfigDict(populate_by_name=True, use_enum_values=True, extra="forbid", defer_build=True)


class _Free(_Base):
    """An Argo object whose content the spec leaves open (Plugin, FieldsV1, ...): every key is kept."""

    model_config = ConfigDict(extra="allow")


_ROOT: Any = None
_ROOT_LOCK = threading.Lock()


def _root() -> Any:
    """The base of single-value models (`IntOrString(5)`), made on first need: RootModel is costly to import."""
    global _ROOT
    with _ROOT_LOCK:
        if _ROOT is None:
            from pydantic import RootModel

            class _Root(_Lazy, RootModel):  # type: ignore[type-arg]
                """A single value (IntOrString, Quantity, Item, ...): `IntOrString(5)` or `IntOrString(root=5)`.

                Ordered by value, so `sorted(nodes, key=lambda n: n.started_at)` works (RFC 3339 UTC texts
                sort in time order)."""

                model_config = ConfigDict(defer_build=True)

                def __lt__(self, other: Any) -> bool:
                    return bool(self.root < getattr(other, "root", other))

                def __le__(self, other: Any) -> bool:
                    return bool(self.root <= getattr(other, "root", other))

                def __gt__(self, other: Any) -> bool:
                    return bool(self.root > getattr(other, "root", other))

                def __ge__(self, other: Any) -> bool:
                    return bool(self.root >= getattr(other, "root", other))

            _ROOT = _Root
    return _ROOT


def _generated(cls: type) -> tuple[ModelPackage, str] | None:
    """The package state and name of `cls` if it is a class of a generated package, else None."""
    state = _PACKAGES.get(cls.__module__)
    if state is not None and state.ns.get(cls.__name__) is cls:
        return state, cls.__name__
    return None


def _resolve(cls: type) -> None:
    """Make every class that `cls` (or a generated class it derives from) reaches."""
    for base in cls.__mro__:
        found = _generated(base)
        if found is not None:
            found[0].resolve(found[1])


def _closure(cls: type) -> list[type]:
    """The generated classes `cls` reaches (after `_resolve`), leaves first."""
    order: list[type] = []
    seen: set[type] = set()
    for base in reversed(cls.__mro__):
        found = _generated(base)
        if found is not None and base not in seen:
            found[0].walk(found[1], seen, order)
    return order


class ModelPackage:
    """One generated package's state: its namespace, the text of its `_classes.tsv`, the parsed lines, and the
    classes whose closure is made (`ready`), guarded by one lock."""

    def __init__(self, name: str) -> None:
        module = sys.modules[name]
        self.name = name
        self.ns: dict[str, Any] = module.__dict__
        path = os.path.join(os.path.dirname(module.__file__ or ""), "_classes.tsv")
        with open(path, encoding="utf-8") as file:
            self.text = file.read()
        self.specs: dict[str, list[Any]] = {}
        self.refs: dict[str, list[str]] = {}
        self.lock = threading.RLock()
        self.ready: set[type] = set()

    def get(self, name: str) -> Any:
        """The class `name`, made now if needed (its references may stay forward references until first use)."""
        cls = self.ns.get(name)
        if cls is None:
            if self.spec(name) is None:
                raise AttributeError(f"module {self.name!r} has no attribute {name!r}")
            with self.lock:
                cls = self.ns.get(name) or self._make(name, {})
        return cls

    def spec(self, name: str) -> list[Any] | None:
        """[kind, docstring, body] of a class: its line of `_classes.tsv`, parsed on first need."""
        spec = self.specs.get(name)
        if spec is None:
            start = self.text.find(f"\n{name}\t")
            if start < 0:
                return None
            start += len(name) + 2
            spec = self.specs[name] = json.loads(self.text[start : self.text.find("\n", start)])
        return spec

    def refs_of(self, name: str) -> list[str]:
        """The names of the package's classes that the class `name` refers to, sorted."""
        refs = self.refs.get(name)
        if refs is None:
            kind, _, body = self._spec(name)
            exprs = [body] if kind == "r" else [f[2] for f in body] if kind == "m" else []
            found = {t for e in exprs for t in _TOKENS.findall(e) if t[0].isalpha()}
            refs = self.refs[name] = sorted(found - _SCALARS.keys() - _GENERICS)
        return refs

    def resolve(self, name: str) -> None:
        """Make every class that the class `name` reaches, and mark them ready."""
        if self.ns.get(name) in self.ready:
            return
        with self.lock:
            made: dict[str, Any] = {}
            self._visit(name, made, set())
            self.ready.update(made.values())

    def walk(self, name: str, seen: set[type], order: list[type]) -> None:
        """Append the classes `name` reaches (all made), leaves first, to `order`."""
        cls = self.ns[name]
        seen.add(cls)
        for ref in self.refs_of(name):
            if self.ns[ref] not in seen:
                self.walk(ref, seen, order)
        order.append(cls)

    def _spec(self, name: str) -> list[Any]:
        spec = self.spec(name)
        if spec is None:
            raise AttributeError(f"module {self.name!r} has no attribute {name!r}")
        return spec

    def _visit(self, name: str, made: dict[str, Any], visiting: set[str]) -> None:
        cls = self.ns.get(name)
        if cls is None or cls not in self.ready:
            visiting.add(name)
            for ref in self.refs_of(name):
                if ref not in made and ref not in visiting:
                    self._visit(ref, made, visiting)
            visiting.discard(name)
            if cls is None:  # references still being made (a cycle) stay forward references
                cls = self._make(name, made)
        made[name] = cls

    def _type(self, expr: str, made: dict[str, Any]) -> Any:
        """The annotation for a type expression such as `list[Template] | None`: classes from `made` or the
        package, else forward references."""
        tokens = _TOKENS.findall(expr)
        pos = 0

        def union() -> Any:
            nonlocal pos
            items = []
            while True:
                name = tokens[pos]
                pos += 1
                if pos < len(tokens) and tokens[pos] == "[":
                    pos += 1
                    args = [union()]
                    while tokens[pos] == ",":
                        pos += 1
                        args.append(union())
                    pos += 1
                    item: Any = _LIST[args[0]] if name == "list" else _DICT[args[0], args[1]]
                elif name in _SCALARS:
                    item = _SCALARS[name]
                else:
                    item = made.get(name) or self.ns.get(name) or ForwardRef(name)
                items.append(item)
                if pos < len(tokens) and tokens[pos] == "|":
                    pos += 1
                    continue
                return items[0] if len(items) == 1 else Union[tuple(items)]

        return union()

    def _make(self, name: str, made: dict[str, Any]) -> Any:
        """Create the class `name` from its spec and store it in the package namespace."""
        kind, doc, body = self._spec(name)
        cls: Any
        if kind == "e":
            cls = _ENUM(name, body, type=str, module=self.name, qualname=name)
            cls.__doc__ = doc
        else:
            ns: dict[str, Any] = {"__module__": self.name, "__qualname__": name, "__doc__": doc or None}
            base: Any
            if kind == "r":
                base = _root()
                ns["__annotations__"] = {"root": self._type(body, made)}
            elif kind == "f":
                base = _Free
            else:
                base = _Base
                annotations = ns["__annotations__"] = {}
                for attr, alias, expr, required, description in body:
                    annotation = self._type(expr, made)
                    annotations[attr] = annotation if required else Optional[annotation]
                    info = {"alias": alias} if alias else {}
                    if description:
                        info["description"] = description
                    if info:
                        ns[attr] = Field(**info) if required else Field(None, **info)
                    elif not required:
                        ns[attr] = None
            # as pydantic's create_model does; the names resolve in the package namespace only
            cls = type(base)(name, (base,), ns, __pydantic_reset_parent_namespace__=False)
        self.ns[name] = cls
        return cls
