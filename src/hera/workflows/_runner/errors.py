"""The runner's error: one line that says what is wrong with an input, an output or the entrypoint."""

from __future__ import annotations

from hera.shared.errors import HeraError


class RunnerError(HeraError):
    """A problem the runner reports as one line on stderr (no traceback) before exiting non-zero.

    `exit_code` is the process's exit status: 2 for command-line usage errors, 1 for everything else.
    """

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def shorten(value: object, limit: int = 60) -> str:
    """`repr(value)` cut to about `limit` characters, so an error line stays one readable line."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text
