"""What a step, task or loop lets templates refer to: producers' outputs, `{{item}}`, DAG ancestry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hera.lint._util import PRODUCER_FIXED, RESULT_TYPES, UNKNOWN, as_list, as_map, type_of


class Producer:
    """A step or task whose outputs may be referenced: its called template and whether it is a loop."""

    __slots__ = ("aggregate", "artifacts", "daemon", "parameters", "template", "ttype")

    def __init__(self, template: Any, aggregate: bool) -> None:
        self.template = template
        self.aggregate = aggregate
        self.ttype: str | None = None
        self.parameters: frozenset[str] | None = None
        self.artifacts: frozenset[str] | None = None
        self.daemon = False
        if isinstance(template, Mapping):
            self.ttype = type_of(template)
            self.daemon = bool(template.get("daemon"))
            if self.ttype == "containerSet":
                containers = as_list(as_map(template.get("containerSet")).get("containers"))
                if not any(as_map(c).get("name") == "main" for c in containers):
                    self.ttype = "containerSet-without-main"  # no result or exit code (Argo's HasOutput)

    def _outputs(self, kind: str) -> frozenset[str]:
        outputs = as_map(self.template.get("outputs"))
        return frozenset(str(as_map(x).get("name")) for x in as_list(outputs.get(kind)))

    def allows(self, rest: str, with_status: bool) -> bool:
        """Whether `<steps|tasks>.<name>.<rest>` refers to something this producer has."""
        if rest in PRODUCER_FIXED:
            return True
        if rest == "status":
            return with_status
        tmpl = self.template
        if tmpl is UNKNOWN:
            return True
        if not isinstance(tmpl, Mapping):
            return False
        ttype = self.ttype
        if rest == "ip":
            return self.daemon
        if rest in ("outputs.result", "exitCode"):
            return ttype in RESULT_TYPES or (self.aggregate and ttype in ("script", "containerSet"))
        if rest == "outputs.parameters":
            return self.aggregate
        if rest.startswith("outputs.parameters."):
            if self.parameters is None:
                self.parameters = self._outputs("parameters")
            return rest[19:] in self.parameters
        if rest.startswith("outputs.artifacts."):
            if self.artifacts is None:
                self.artifacts = self._outputs("artifacts")
            return rest[18:] in self.artifacts
        return False


class Items:
    """What `{{item...}}` may refer to (Argo's addItemsToScope)."""

    __slots__ = ("any", "keys", "scalar")

    def __init__(self) -> None:
        self.scalar = False
        self.any = False
        self.keys: set[str] = set()

    def add(self, holder: Mapping[str, Any]) -> str | None:
        """Add the loop of a step/task; returns an error message for an invalid loop."""
        with_items, with_param, with_seq = holder.get("withItems"), holder.get("withParam"), holder.get("withSequence")
        defined = sum(1 for x in (with_items, with_param, with_seq) if x)
        if defined > 1:
            return "only one of withItems, withParam, withSequence can be specified"
        if with_items:
            # `{{item}}` is allowed for every kind of item (a map or list item is inserted as JSON)
            self.scalar = True
            for item in as_list(with_items):
                if isinstance(item, Mapping):
                    self.keys.update(f"item.{k}" for k in item)
                elif isinstance(item, list):
                    self.keys.update(f"item.[{i}]" for i in range(len(item)))
        elif with_param:
            self.any = True
            self.scalar = True
        elif with_seq:
            seq = as_map(with_seq)
            if seq.get("count") is not None and seq.get("end") is not None:
                return "only one of count or end can be defined in withSequence"
            self.scalar = True
        return None

    def allows(self, tag: str) -> bool:
        """Whether `tag` (`item` or `item.<key>`) is defined by the loops seen so far."""
        if self.any and (tag == "item" or tag.startswith("item.")):
            return True
        return (tag == "item" and self.scalar) or tag in self.keys


def find_cycle(deps: Mapping[str, list[str]]) -> list[str] | None:
    """A dependency cycle as a list of task names (first == last), or None; iterative DFS."""
    white, grey, black = 0, 1, 2
    color = dict.fromkeys(deps, white)
    for start in deps:
        if color[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        color[start] = grey
        path.append(start)
        while stack:
            node, i = stack[-1]
            children = deps.get(node, [])
            if i < len(children):
                stack[-1] = (node, i + 1)
                child = children[i]
                c = color.get(child, black)
                if c == grey:
                    at = path.index(child)
                    return [*path[at:], child]
                if c == white:
                    color[child] = grey
                    path.append(child)
                    stack.append((child, 0))
            else:
                color[node] = black
                path.pop()
                stack.pop()
    return None


class Ancestry:
    """Ancestor sets of DAG tasks as bitsets, computed lazily (tasks → their dependencies, acyclic)."""

    def __init__(self, deps: Mapping[str, list[str]]) -> None:
        self.deps = deps
        self.bit = {name: 1 << i for i, name in enumerate(deps)}
        self.memo: dict[str, int] = {}

    def mask(self, name: str) -> int:
        """The bitset of all ancestors of `name` (memoised, computed without recursion)."""
        memo = self.memo
        if name in memo:
            return memo[name]
        stack = [name]
        while stack:
            node = stack[-1]
            pending = [d for d in self.deps.get(node, ()) if d not in memo]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            if node in memo:
                continue
            m = 0
            for d in self.deps.get(node, ()):
                m |= memo[d] | self.bit[d]
            memo[node] = m
        return memo[name]

    def is_ancestor(self, candidate: str, of: str) -> bool:
        """Whether `candidate` is a (transitive) dependency of `of`."""
        if candidate in self.deps.get(of, ()):
            return True
        bit = self.bit.get(candidate)
        return bit is not None and bool(self.mask(of) & bit)


class StatusView:
    """`in` test for "may `tasks.X.status` be used here": only for ancestors of the task."""

    __slots__ = ("ancestry", "task")

    def __init__(self, ancestry: Ancestry, task: str) -> None:
        self.ancestry = ancestry
        self.task = task

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.ancestry.is_ancestor(name, self.task)


class PlusOne:
    """A status view that also admits one more name (the step or task itself, in its hooks)."""

    __slots__ = ("extra", "inner")

    def __init__(self, inner: Any, extra: str) -> None:
        self.inner = inner
        self.extra = extra

    def __contains__(self, name: object) -> bool:
        return name == self.extra or name in self.inner


class AllStatus:
    """A status view admitting every task (used when ancestry is unknown, e.g. the DAG has a cycle)."""

    def __contains__(self, name: object) -> bool:
        return True
