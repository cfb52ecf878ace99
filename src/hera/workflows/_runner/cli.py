"""`python -m hera.workflows.runner -e module:function ARGS_FILE`: the command line and the run from start to exit.

Errors the runner detects are one line on stderr; exceptions raised by the user's code keep their traceback
(without the runner's own frames), because that traceback is what the user needs to fix it.
"""

from __future__ import annotations

import os
import sys

from hera.workflows._runner.errors import RunnerError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PROG = "python -m hera.workflows.runner"
USAGE = f"usage: {PROG} [-h] --entrypoint ENTRYPOINT args_path"
HELP = f"""{USAGE}

Run a hera script's function inside its Argo task: read the input parameters from ARGS_FILE (the substituted
{{{{inputs.parameters}}}}), call the function with typed arguments and write its results as Argo outputs.

positional arguments:
  args_path             file holding the JSON list of input parameters

options:
  -h, --help            show this help message and exit
  --entrypoint ENTRYPOINT, -e ENTRYPOINT
                        the function to run, as module:function
"""
PREFIX = "hera runner: error: "


class _Help(Exception):
    pass


def parse_args(argv: list[str]) -> tuple[str, str]:
    """`(entrypoint, args_path)` from the command line, with argparse's rules and messages (exit code 2)."""
    entry: str | None = None
    positionals: list[str] = []
    only_positionals = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        option, eq, attached = arg.partition("=")
        if only_positionals or arg == "-" or not arg.startswith("-"):
            positionals.append(arg)
        elif arg == "--":
            only_positionals = True
        elif arg in ("-h", "--help"):
            raise _Help
        elif arg == "-e" or (len(option) > 2 and "--entrypoint".startswith(option) and not eq):
            if i + 1 >= len(argv) or (argv[i + 1].startswith("-") and argv[i + 1] != "-"):
                raise RunnerError("argument --entrypoint/-e: expected one argument", exit_code=2)
            entry = argv[i + 1]
            i += 1
        elif len(option) > 2 and "--entrypoint".startswith(option):
            entry = attached
        elif arg.startswith("-e"):
            entry = arg[2:].removeprefix("=")
        else:
            raise RunnerError(f"unrecognized arguments: {arg}", exit_code=2)
        i += 1
    missing = ([] if entry is not None else ["--entrypoint/-e"]) + ([] if positionals else ["args_path"])
    if missing:
        raise RunnerError(f"the following arguments are required: {', '.join(missing)}", exit_code=2)
    if len(positionals) > 1:
        raise RunnerError(f"unrecognized arguments: {' '.join(positionals[1:])}", exit_code=2)
    assert entry is not None
    return entry, positionals[0]


def main(argv: list[str] | None = None) -> int:
    """Run the runner and return the process exit code (0, 1, 2 for usage, or the function's `Output.exit_code`)."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        entry, args_path = parse_args(argv)
    except _Help:
        sys.stdout.write(HELP)
        return 0
    except RunnerError as exc:
        sys.stderr.write(f"{USAGE}\n{PREFIX}{exc.message}\n")
        return exc.exit_code
    try:
        return run(entry, args_path)
    except RunnerError as exc:
        sys.stderr.write(f"{PREFIX}{exc.message}\n")
        return exc.exit_code
    except Exception as exc:  # raised by the user's code (module import or function): keep its traceback
        _print_user_traceback(exc)
        return 1


def run(entry: str, args_path: str) -> int:
    """Read inputs, import the function, bind its arguments, call it and write its outputs."""
    from hera.workflows._runner.args_file import read_inputs
    from hera.workflows._runner.entrypoint import load_entrypoint
    from hera.workflows._runner.outputs import emit
    from hera.workflows._runner.plan import make_plan
    from hera.workflows._runner.signature import read_signature, unwrap

    inputs = read_inputs(args_path)
    fn = unwrap(load_entrypoint(entry))
    try:
        sig = read_signature(fn)
    except Exception as exc:
        raise RunnerError(f"{entry}: cannot read the function's signature: {type(exc).__name__}: {exc}") from None
    try:
        plan = make_plan(sig)
    except RunnerError as exc:
        raise RunnerError(f"{entry}: {exc.message}") from None
    try:
        try:
            args, kwargs = bind(plan, inputs)
        except RunnerError as exc:
            raise RunnerError(f"{entry}: {exc.message}") from None
        result = fn(*args, **kwargs)
        if sig.is_async or _is_coroutine(result):
            import asyncio

            result = asyncio.run(result)
        try:
            return emit(plan.returns, result)
        except RunnerError as exc:
            raise RunnerError(f"{entry}: {exc.message}") from None
    except BaseException:
        _write_placeholders(plan)
        raise


def bind(plan: Any, inputs: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """Positional-only and keyword arguments for the call; `**kwargs` gets the remaining inputs, raw."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for py_name, positional, binding in plan.bindings:
        value = binding.resolve(inputs)
        if positional:
            args.append(value)
        else:
            kwargs[py_name] = value
    if plan.var_keyword is not None:
        bound = plan.bound_input_names()
        for name, raw in inputs.items():
            if name not in bound:
                kwargs[name] = raw
    return args, kwargs


def _is_coroutine(value: Any) -> bool:
    import types

    return isinstance(value, types.CoroutineType)


def _write_placeholders(plan: Any) -> None:
    """Empty files for every declared output not written yet, so Argo can still collect the step's outputs."""
    for target in [*plan.returns.all_targets(), *plan.output_paths]:
        try:
            target.placeholder()
        except OSError:
            pass


def _print_user_traceback(exc: BaseException) -> None:
    """The exception's traceback from the first frame that is not the runner's, importlib's or asyncio's."""
    import traceback

    here = os.path.dirname(os.path.abspath(__file__))
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        internal = (
            filename.startswith(here)
            or filename.startswith("<frozen importlib")
            or f"{os.sep}importlib{os.sep}" in filename
            or f"{os.sep}asyncio{os.sep}" in filename
        )
        if not internal:
            break
        tb = tb.tb_next
    sys.stderr.write("".join(traceback.format_exception(type(exc), exc, tb)))
    sys.stderr.flush()
