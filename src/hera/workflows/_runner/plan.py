"""From the entrypoint's signature to a plan: a binding per parameter and what the return value becomes."""

from __future__ import annotations

from hera.workflows._runner.coerce import is_union, strip_annotated
from hera.workflows._runner.errors import RunnerError
from hera.workflows._runner.inputs import (
    ArtifactInput,
    InputModelInput,
    OutputPathInput,
    ParameterInput,
    output_path_for,
    plan_model_fields,
)
from hera.workflows._runner.outputs import OutputModelPlan, OutputTarget, ReturnPlan
from hera.workflows._runner.signature import (
    POSITIONAL_ONLY,
    UNANNOTATED,
    VAR_KEYWORD,
    VAR_POSITIONAL,
    Signature,
    io_annotation,
    is_artifact,
    is_input_model,
    is_output_model,
    model_fields,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Plan:
    """Bindings for the function's parameters, its `**kwargs` name if any, and the return plan."""

    __slots__ = ("bindings", "output_paths", "returns", "var_keyword")

    def __init__(self) -> None:
        self.bindings: list[tuple[str, bool, Any]] = []  # (python name, positional-only, binding)
        self.var_keyword: str | None = None
        self.output_paths: list[OutputPathInput] = []
        self.returns = ReturnPlan([], tuple_return=False)

    def bound_input_names(self) -> set[str]:
        """The input names the named parameters consume (so `**kwargs` gets only the others)."""
        names: set[str] = set()
        for py_name, _, binding in self.bindings:
            names.add(py_name)
            name = getattr(binding, "name", None)
            if name:
                names.add(name)
        return names


def make_plan(sig: Signature) -> Plan:
    """The plan for a function with signature `sig`; RunnerError for signatures the runner cannot serve."""
    plan = Plan()
    for param in sig.params:
        if param.kind == VAR_KEYWORD:
            plan.var_keyword = param.name
            continue
        if param.kind == VAR_POSITIONAL:
            continue
        tp, meta = strip_annotated(param.annotation)
        io = io_annotation(meta)
        positional = param.kind == POSITIONAL_ONLY
        if io is not None:
            name = getattr(io, "name", None) or param.name
            artifact = is_artifact(io)
            if getattr(io, "output", False):
                out = OutputPathInput(output_path_for(io, name, artifact), tp)
                plan.output_paths.append(out)
                plan.bindings.append((param.name, positional, out))
            elif artifact:
                label = f"input artifact '{name}'"
                plan.bindings.append((param.name, positional, ArtifactInput(io, name, tp, label)))
            else:
                label = f"input parameter '{name}'"
                binding = ParameterInput(param.name, name, tp, getattr(io, "loads", None), param.default, label)
                plan.bindings.append((param.name, positional, binding))
        elif is_input_model(tp):
            fields = plan_model_fields(model_fields(tp))
            label = f"input '{param.name}' ({tp.__qualname__})"
            plan.bindings.append((param.name, positional, InputModelInput(tp, fields, label)))
        else:
            label = f"input parameter '{param.name}'"
            binding = ParameterInput(param.name, param.name, tp, None, param.default, label)
            plan.bindings.append((param.name, positional, binding))
    plan.returns = _return_plan(sig.returns)
    return plan


def _target(annotation: Any, default_name: str | None) -> OutputTarget | None:
    tp, meta = strip_annotated(annotation)
    io = io_annotation(meta)
    if io is None:
        return None
    name = getattr(io, "name", None) or default_name
    if not name:
        raise RunnerError("an output in the return annotation has no name")
    artifact = is_artifact(io)
    label = f"output {'artifact' if artifact else 'parameter'} '{name}'"
    return OutputTarget(io, name, tp, artifact, label)


def _return_plan(annotation: Any) -> ReturnPlan:
    if annotation is UNANNOTATED:
        return ReturnPlan([], tuple_return=False)
    tp, _ = strip_annotated(annotation)
    if is_output_model(tp):
        fields: list[tuple[str, OutputTarget]] = []
        for field, ftp, meta, _required in model_fields(tp):
            if field in ("exit_code", "result"):
                continue
            io = io_annotation(meta)
            name = (getattr(io, "name", None) or field) if io is not None else field
            artifact = io is not None and is_artifact(io)
            label = f"output {'artifact' if artifact else 'parameter'} '{name}'"
            fields.append((field, OutputTarget(io, name, ftp, artifact, label)))
        return ReturnPlan([], tuple_return=False, model=OutputModelPlan(tp, fields))
    single = _target(annotation, None)
    if single is not None:
        return ReturnPlan([single], tuple_return=False)
    if getattr(tp, "__origin__", None) is tuple and not is_union(tp):
        items = [a for a in getattr(tp, "__args__", ()) if a is not Ellipsis]
        targets = [_target(a, None) for a in items]
        declared = [t for t in targets if t is not None]
        if declared and len(declared) != len(targets):
            raise RunnerError(
                "every item of a tuple return annotation must be Annotated with a Parameter or Artifact"
            )
        if declared:
            return ReturnPlan(declared, tuple_return=True)
    return ReturnPlan([], tuple_return=False)
