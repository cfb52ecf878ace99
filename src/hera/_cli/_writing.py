"""Where `hera generate` writes: stdout, one file, or a folder mirroring the input names (optionally flattened)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

__all__ = ["Output"]


class Output:
    """Collects `(relative input path, text)` pairs and writes them as `--to` / `--flatten` ask.

    No `--to`: everything on stdout, joined with `joiner`. `--to` naming a file (one of `file_suffixes`, or an
    existing file): everything in that file. Otherwise `--to` is a folder: one file per input, named like the
    input with `suffix`, in the input's sub-folder unless `flatten`.
    """

    def __init__(
        self, to: Optional[Path], *, suffix: str, file_suffixes: tuple[str, ...], joiner: str, flatten: bool
    ) -> None:
        self.to = to
        self.suffix = suffix
        self.file_suffixes = file_suffixes
        self.joiner = joiner
        self.flatten = flatten
        self.items: list[tuple[Path, str]] = []

    def add(self, relative: Path, text: str) -> None:
        """Queue the text generated from one input file."""
        self.items.append((relative, text))

    def _single_file(self) -> bool:
        to = self.to
        return to is not None and (to.suffix in self.file_suffixes or to.is_file())

    def write(self) -> list[Path]:
        """Write everything; returns the files written (empty for stdout)."""
        texts = [text for _, text in self.items]
        if self.to is None:
            if texts:
                click.echo(self.joiner.join(texts), nl=False)
            return []
        if self._single_file():
            self.to.parent.mkdir(parents=True, exist_ok=True)
            self.to.write_text(self.joiner.join(texts))
            return [self.to]
        written = []
        for relative, text in self.items:
            target = Path(relative.name) if self.flatten else relative
            path = self.to / target.with_suffix(self.suffix)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written.append(path)
        return written
