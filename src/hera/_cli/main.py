"""Entry point of the `hera` command: a click group that each subcommand module attaches to."""

from __future__ import annotations

import click

from hera._cli.completion import completion_option


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "-v", "--version", package_name="hera", prog_name="hera")
@completion_option
def cli() -> None:
    """hera: author, run and submit Argo Workflows."""


def _register_engine_commands() -> None:
    # run / get / list / logs: the embedded engine (their heavy imports happen inside the commands)
    from hera._cli.engine_cmds import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_register_engine_commands()


def _register_server_command() -> None:
    # server: the REST API over the engine (Starlette/uvicorn are imported only when it runs)
    from hera._cli.server import server

    cli.add_command(server)


_register_server_command()


def _register_authoring_commands() -> None:
    # generate yaml/python and lint: the authoring layer and YAML load inside the commands
    from hera._cli.generate import generate
    from hera._cli.lint_cmd import lint

    cli.add_command(generate)
    cli.add_command(lint)


_register_authoring_commands()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="hera")
