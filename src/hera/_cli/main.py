"""Entry point of the `hera` command: a click group that each subcommand module attaches to."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="hera", prog_name="hera")
def cli() -> None:
    """hera: author, run and submit Argo Workflows."""


def main() -> None:
    """Console-script entry point."""
    cli()
