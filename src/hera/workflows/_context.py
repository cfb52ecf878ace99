"""The stack of open `with` contexts (Workflow, DAG, Steps, Parallel, ContainerSet) and where new objects go.

Templates constructed inside a context join the outermost context (the Workflow); Tasks, Steps, Parallel groups
and ContainerNodes join the innermost one. The stack lives in a ContextVar, so threads and asyncio tasks each
see their own.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Optional

__all__ = ["_context"]

_PIECES: ContextVar[tuple[Any, ...]] = ContextVar("hera_context_pieces", default=())


class _HeraContext:
    """Push/pop of context objects and dispatch of newly constructed objects to them."""

    @property
    def pieces(self) -> tuple[Any, ...]:
        """The open contexts, outermost first."""
        return _PIECES.get()

    @property
    def active(self) -> Optional[Any]:
        """The innermost open context, or None."""
        pieces = _PIECES.get()
        return pieces[-1] if pieces else None

    @property
    def workflow(self) -> Optional[Any]:
        """The outermost context when it is a Workflow, else None."""
        pieces = _PIECES.get()
        if pieces and getattr(pieces[0], "_context_kind", None) == "workflow":
            return pieces[0]
        return None

    def enter(self, obj: Any) -> None:
        """Open `obj` as the innermost context."""
        _PIECES.set((*_PIECES.get(), obj))

    def exit(self) -> None:
        """Close the innermost context."""
        pieces = _PIECES.get()
        if pieces:
            _PIECES.set(pieces[:-1])

    def add_sub_node(self, node: Any) -> None:
        """Give a newly constructed object to the context it belongs to (no-op outside any context)."""
        pieces = _PIECES.get()
        if not pieces:
            return
        if getattr(node, "_is_template", False):
            pieces[0]._add_sub(node)
        else:
            pieces[-1]._add_sub(node)

    def where(self) -> dict[str, Optional[str]]:
        """`workflow=` / `template=` names of the open contexts, for error messages."""
        pieces = _PIECES.get()
        wf = self.workflow
        template = None
        for p in reversed(pieces):
            if getattr(p, "_is_template", False):
                template = getattr(p, "name", None)
                break
        wf_name = None
        if wf is not None:
            wf_name = wf.name or wf.generate_name
        return {"workflow": wf_name, "template": template}

    def location(self, template: Optional[str]) -> str:
        """` (workflow 'w', template 't')` for an error message: the open workflow and `template`, if any."""
        workflow = self.where()["workflow"]
        parts = [f"workflow '{workflow}'"] if workflow else []
        if template:
            parts.append(f"template '{template}'")
        return f" ({', '.join(parts)})" if parts else ""


_context = _HeraContext()
