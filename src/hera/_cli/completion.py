"""`hera --completion SHELL`: print the shell completion script of the `hera` command (bash, zsh or fish)."""

from __future__ import annotations

from typing import Any, Optional

import click

__all__ = ["completion_option"]


def _print_completion(ctx: click.Context, _param: click.Parameter, shell: Optional[str]) -> None:
    if shell is None or ctx.resilient_parsing:
        return
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    if cls is None:  # pragma: no cover - click.Choice already refused it
        raise click.BadParameter(f"unsupported shell {shell!r}")
    command = ctx.command
    prog = ctx.find_root().info_name or "hera"
    click.echo(cls(command, {}, prog, "_HERA_COMPLETE").source())
    ctx.exit(0)


def completion_option(func: Any) -> Any:
    """The eager `--completion [bash|zsh|fish]` option of the `hera` group."""
    return click.option(
        "--completion",
        type=click.Choice(["bash", "zsh", "fish"]),
        expose_value=False,
        is_eager=True,
        callback=_print_completion,
        help="Print the shell completion script and exit (e.g. `eval \"$(hera --completion bash)\"`).",
    )(func)
