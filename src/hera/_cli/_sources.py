"""Finding the input files of `hera generate` / `hera lint` and importing the workflow objects of `.py` files.

A `.py` file is imported the way `python file.py` would see it: its folder goes first on `sys.path` (or, inside a
package, the folder above the package) and its module name is what a runner script's `-e module:function` uses.
"""

from __future__ import annotations

import fnmatch
import importlib
import importlib.util
import sys
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hera.shared.errors import HeraError

__all__ = ["SourceError", "collect_files", "describe_error", "load_workflows", "module_name_for"]


class SourceError(HeraError):
    """An input file that cannot be found, imported or built; the message names the file (and line)."""


def _matches(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    """True when a glob matches the path relative to `root`, the path as given, or the file name."""
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    candidates = (relative, path.as_posix(), path.name)
    return any(fnmatch.fnmatch(c, p) for p in patterns for c in candidates)


def collect_files(
    source: Path,
    suffixes: tuple[str, ...],
    *,
    recursive: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[tuple[Path, Path]]:
    """`(file, path relative to the input folder)` for `source` (a file) or the matching files in it (a folder).

    Folders are read one level deep unless `recursive`; `include` globs (any of) keep files, `exclude` globs drop
    them. Results are sorted, so output does not depend on the file system's order.
    """
    if not source.exists():
        raise SourceError(f"{source}: no such file or folder")
    if source.is_file():
        if source.suffix not in suffixes:
            raise SourceError(f"{source}: not a {_or(suffixes)} file")
        return [(source, Path(source.name))]
    pattern = "**/*" if recursive else "*"
    out = []
    for path in sorted(source.glob(pattern)):
        if not path.is_file() or path.suffix not in suffixes:
            continue
        if any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(source).parts[:-1]):
            continue
        if include and not _matches(path, source, include):
            continue
        if exclude and _matches(path, source, exclude):
            continue
        out.append((path, path.relative_to(source)))
    return out


def module_name_for(path: Path) -> tuple[str, Path]:
    """`(module name, folder to put on sys.path)` for a `.py` file, honouring enclosing packages."""
    path = path.resolve()
    parts = [path.stem] if path.stem != "__init__" else []
    folder = path.parent
    while (folder / "__init__.py").exists() and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    if not parts:  # a top-level __init__.py outside any package
        parts = [path.parent.name]
        folder = path.parent.parent
    return ".".join(parts), folder


def _or(suffixes: Sequence[str]) -> str:
    """`.yaml, .yml or .json`."""
    return suffixes[0] if len(suffixes) == 1 else ", ".join(suffixes[:-1]) + " or " + suffixes[-1]


def error_location(err: BaseException, path: Path) -> str:
    """`file:line` where `err` arose: a syntax error's own position, else the user's deepest frame."""
    if isinstance(err, SyntaxError) and err.filename:
        return f"{err.filename}:{err.lineno}" if err.lineno else str(err.filename)
    return _user_frame(err.__traceback__, path)


def describe_error(err: BaseException, path: Path) -> str:
    """`file:line: SyntaxError: invalid syntax` (a syntax error's message without its repeated position)."""
    message = err.msg if isinstance(err, SyntaxError) and err.msg else str(err)
    return f"{error_location(err, path)}: {type(err).__name__}: {message}"


def _user_frame(tb: Any, path: Path) -> str:
    """`file:line` of the deepest frame of the traceback that is in the user's file (or the deepest frame
    outside Python's frozen import machinery)."""
    frames = [f for f in traceback.extract_tb(tb) if not f.filename.startswith("<frozen ")]
    target = str(path.resolve())
    for frame in reversed(frames):
        if frame.filename == target or Path(frame.filename).resolve() == Path(target):
            return f"{frame.filename}:{frame.lineno}"
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    return str(path)


def _import(path: Path) -> Any:
    name, folder = module_name_for(path)
    folder_text = str(folder)
    if folder_text not in sys.path:
        sys.path.insert(0, folder_text)
    if "." in name:
        return importlib.import_module(name)
    existing = sys.modules.get(name)
    if existing is not None and Path(getattr(existing, "__file__", "") or "").resolve() == path.resolve():
        return existing
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SourceError(f"{path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    # dataclasses, pydantic and pickling look the module up while it runs; a file named like a module already
    # loaded (`types.py`, `test.py`) gets the name only while it runs, so hera's own imports keep working
    shadowed = existing
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        if shadowed is not None:
            sys.modules[name] = shadowed
        raise
    if shadowed is not None:
        sys.modules[name] = shadowed
    return module


def load_workflows(path: Path) -> list[Any]:
    """The module-level Workflow objects (any subclass, each once, in definition order) of a `.py` file."""
    import hera.shared.yaml  # noqa: F401  (loaded before user folders go on sys.path: a user's yaml.py must not shadow it)
    from hera.workflows.workflow import Workflow

    try:
        module = _import(path)
    except SystemExit as e:
        raise SourceError(f"{path}: exited while being imported (SystemExit {e.code!r})") from None
    except HeraError as e:
        raise SourceError(f"{path}: {e}") from None
    except Exception as e:
        raise SourceError(describe_error(e, path)) from None
    seen: set[int] = set()
    out = []
    for value in vars(module).values():
        if isinstance(value, Workflow) and id(value) not in seen:
            seen.add(id(value))
            out.append(value)
    return out


def render(workflow: Any, path: Path, method: str = "to_yaml") -> Any:
    """`workflow.<method>()`, with a failure reported as a SourceError naming the file and the workflow."""
    try:
        return getattr(workflow, method)()
    except HeraError as e:
        raise SourceError(f"{path}: {e}") from None
    except Exception as e:
        label = getattr(workflow, "name", None) or getattr(workflow, "generate_name", None)
        raise SourceError(
            f"{path}: workflow {label!r}: {type(e).__name__}: {e} ({_user_frame(e.__traceback__, path)})"
        ) from None


def join_documents(texts: Iterable[str]) -> str:
    """YAML documents joined with `---` lines (each text ends with a newline)."""
    parts = [t if t.endswith("\n") else t + "\n" for t in texts]
    return "---\n".join(parts)
