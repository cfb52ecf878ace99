"""Turning model validation failures into located `HeraValidationError`s (no pydantic traceback for users).

A wrong value handed to a model-typed field (`command="echo"`, `hooks={"exit": "bye"}`) surfaces when the models
are built; these helpers say which workflow, template, task and field it was, in one readable line.
"""

from __future__ import annotations

from typing import Any, NoReturn, Optional

from hera.shared.errors import HeraValidationError

__all__ = ["is_model_validation_error", "located", "raise_located", "relocate", "validation_message"]

_MAX_ERRORS = 4


def is_model_validation_error(err: BaseException) -> bool:
    """True for a pydantic `ValidationError` (checked by name so pydantic is not imported here)."""
    return type(err).__name__ == "ValidationError" and hasattr(err, "errors")


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "[" in str(part) or "function-" in str(part):  # union / validator tags pydantic adds
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def validation_message(err: Any, prefix: str = "") -> tuple[str, Optional[str]]:
    """`(message, first field path)` of a pydantic ValidationError: `"<path>: <reason> (got <value>)"` items."""
    items: list[tuple[str, str]] = []
    first: Optional[str] = None
    seen: set[str] = set()
    for e in err.errors(include_url=False):
        path = _path(tuple(e.get("loc", ())))
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        if path in seen:
            continue
        seen.add(path)
        first = first or path
        value = e.get("input")
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        items.append((path, f"{e.get('msg', 'invalid')} (got {shown})"))
    title = getattr(err, "title", "model")
    if len(items) == 1:  # the field is in the location already
        return f"invalid value for {title}: {items[0][1]}", first
    more = len(items) - _MAX_ERRORS
    text = "; ".join(f"{path or '<value>'}: {reason}" for path, reason in items[:_MAX_ERRORS])
    if more > 0:
        text += f"; and {more} more"
    return f"invalid value for {title}: {text}", first


def located(
    err: Any,
    *,
    prefix: str = "",
    workflow: Optional[str] = None,
    template: Optional[str] = None,
    task: Optional[str] = None,
) -> HeraValidationError:
    """A HeraValidationError for a pydantic ValidationError, located by workflow/template/task."""
    message, field = validation_message(err, prefix)
    return HeraValidationError(message, workflow=workflow, template=template, task=task, field=field)


def relocate(err: HeraValidationError, **where: Optional[str]) -> HeraValidationError:
    """`err` with the missing parts of its location filled in from `where` (the same type when possible)."""
    changes = {k: v for k, v in where.items() if v is not None and getattr(err, k, None) is None}
    if not changes:
        return err
    for key, value in changes.items():
        setattr(err, key, value)
    err.args = (err._render(),)
    return err


def raise_located(
    err: Exception, *, workflow: Optional[str] = None, template: Optional[str] = None, task: Optional[str] = None
) -> NoReturn:
    """Re-raise `err` located by `where`: hera errors get the missing parts, pydantic errors become hera errors.

    Anything else is re-raised unchanged. Meant for `except ValueError as e: raise_located(e, task=...)`, so the
    successful path pays nothing.
    """
    if isinstance(err, HeraValidationError):
        raise relocate(err, workflow=workflow, template=template, task=task) from None
    if is_model_validation_error(err):
        raise located(err, workflow=workflow, template=template, task=task) from None
    raise err
