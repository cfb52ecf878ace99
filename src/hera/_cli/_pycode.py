"""Argo documents → a Python program that builds them with `hera.workflows` (`hera generate python`).

Each Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow becomes `with <Class>(...) as w:`.
Container, script, DAG, steps and container-set templates become `Container(...)`, `Script(...)`,
`with DAG(...)` + `Task(...)`, `with Steps(...) as steps` + `Step(...)` / `with steps.parallel():`,
`with ContainerSet(...)` + `ContainerNode(...)`; every other value is a `hera.workflows.models` constructor
(`m.Arguments(...)`). A template is written in hera's form only if building that form gives back exactly the
same template; otherwise it is appended as `w.templates.append(m.Template(...))`, so the program always
compiles back to the document it came from (`status` is left out).
"""

from __future__ import annotations

import keyword
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from hera._cli._pyformat import (
    LINE_LENGTH,
    Atom,
    Call,
    DictNode,
    ListNode,
    Node,
    join_blocks,
    py_literal,
    statement_lines,
)

__all__ = ["generate_python"]

_WORKFLOW_CLASSES = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")
_DEFAULT_API_VERSION = "argoproj.io/v1alpha1"

# Template fields every hera template class takes, model field → keyword.
_COMMON = {
    name: name
    for name in (
        "name active_deadline_seconds affinity archive_location automount_service_account_token daemon executor "
        "fail_fast host_aliases init_containers memoize node_selector parallelism plugin pod_spec_patch "
        "priority_class_name retry_strategy scheduler_name service_account_name sidecars synchronization timeout "
        "tolerations metrics pending_timeout pod_resources resource_claims inputs outputs"
    ).split()
}
_COMMON["security_context"] = "pod_security_context"
# Fields of the container-like models (Container, ScriptTemplate, ContainerNode) hera's classes take as is.
_CONTAINER = {
    name: name
    for name in (
        "args command env env_from image image_pull_policy lifecycle liveness_probe ports readiness_probe "
        "resize_policy resources restart_policy security_context startup_probe stdin stdin_once "
        "termination_message_path termination_message_policy tty volume_devices volume_mounts working_dir"
    ).split()
}
_INVOCATOR = {
    name: name
    for name in (
        "name template template_ref inline arguments when with_items with_param with_sequence continue_on hooks on_exit"
    ).split()
}
_TASK = {**_INVOCATOR, "depends": "depends", "dependencies": "dependencies"}


class _Unexpressible(Exception):
    """A value hera's classes cannot hold exactly; the caller falls back to the model form."""


# -- values → expression nodes ------------------------------------------------------------------------------
def _is_model(value: Any) -> bool:
    return hasattr(type(value), "model_fields") and hasattr(value, "model_dump")


def _root_value(value: Any) -> Any:
    root = value.root
    if hasattr(root, "isoformat"):  # Time / MicroTime: the text Argo stores
        return value.model_dump(mode="json")
    return root


def value_node(value: Any) -> Node:
    """The expression node of a value: scalars as literals, models as `m.<Class>(...)` constructors."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return Atom(py_literal(value))
    if isinstance(value, dict):
        return DictNode([(value_node(k), value_node(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return ListNode([value_node(v) for v in value])
    if _is_model(value):
        cls = type(value)
        if "root" in cls.model_fields and len(cls.model_fields) == 1:
            return value_node(_root_value(value))
        kwargs = [(name, getattr(value, name)) for name in cls.model_fields]
        kwargs = [(k, v) for k, v in kwargs if v is not None]
        node = Call(f"m.{cls.__name__}", ordered_kwargs(kwargs))
        extra = getattr(value, "model_extra", None) or {}
        if extra:
            if all(k.isidentifier() and not keyword.iskeyword(k) for k in extra):
                node.kwargs.extend((k, value_node(v)) for k, v in extra.items())
            else:
                node.kwargs.append(("**", value_node(dict(extra))))
        return node
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum member
        return Atom(py_literal(value.value))
    raise _Unexpressible(f"cannot write a {type(value).__name__} as Python")


def _group(node: Node) -> int:
    if isinstance(node, Atom):
        return 1
    if isinstance(node, Call):
        return 2
    return 3


def ordered_kwargs(kwargs: Sequence[tuple[str, Any]]) -> list[tuple[str, Node]]:
    """Keyword arguments as nodes, ordered `name` first, then scalars, calls and collections (stable)."""
    nodes = [(k, value_node(v)) for k, v in kwargs]
    return sorted(nodes, key=lambda kv: 0 if kv[0] == "name" else _group(kv[1]))


# -- statements -------------------------------------------------------------------------------------------
@dataclass
class _Stmt:
    """`<call>` as a statement, or `with <call> [as var]:` around `body` when `block`."""

    call: Call
    block: bool = False
    var: Optional[str] = None
    body: list[_Stmt] = field(default_factory=list)
    head: str = ""

    def lines(self, indent: int) -> str:
        if not self.block:
            return statement_lines(self.head, self.call, "", indent)
        tail = f" as {self.var}:" if self.var else ":"
        out = [statement_lines("with ", self.call, tail, indent)]
        if self.body:
            out.extend(s.lines(indent + 4) for s in self.body)
        else:
            out.append(" " * (indent + 4) + "pass")
        return "\n".join(out)


def _map_fields(model: Any, mapping: dict[str, str], skip: Sequence[str] = ()) -> dict[str, Any]:
    """Keyword arguments from a model's set fields through `mapping`; an unmapped set field is unexpressible."""
    out: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None or name in skip:
            continue
        target = mapping.get(name)
        if target is None:
            raise _Unexpressible(name)
        out[target] = value
    extra = getattr(model, "model_extra", None)
    if extra:
        raise _Unexpressible("extra fields")
    return out


def _dump(model: Any) -> Any:
    return model.model_dump(by_alias=True, exclude_none=True, mode="json")


class _Generator:
    """Writes the statements of one module; remembers which hera names it used."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.uses_models = False

    # -- templates --------------------------------------------------------------------------------------
    def template(self, t: Any, workflow_var: str) -> _Stmt:
        """The statement adding template `t` to the workflow in `workflow_var`."""
        try:
            stmt = self._hera_template(t)
        except _Unexpressible:
            stmt = None
        if stmt is not None:
            return stmt
        return _Stmt(call=Call(f"{workflow_var}.templates.append", args=[value_node(t)]))

    def _common_kwargs(self, t: Any, type_key: str, volumes: bool) -> dict[str, Any]:
        kwargs = _map_fields(t, _COMMON, skip=(type_key, "metadata", "volumes"))
        meta = t.metadata
        if meta is not None:
            data = _dump(meta)
            if set(data) - {"labels", "annotations"} or any(not v for v in data.values()) or not data:
                raise _Unexpressible("metadata")
            kwargs.update({k: getattr(meta, k) for k in data})
        if t.volumes is not None:
            if not volumes:
                raise _Unexpressible("volumes")
            kwargs["volumes"] = t.volumes
        return kwargs

    def _hera_template(self, t: Any) -> Optional[_Stmt]:
        for key, make in (
            ("container", self._container),
            ("script", self._script),
            ("dag", self._dag),
            ("steps", self._steps),
            ("container_set", self._container_set),
        ):
            if getattr(t, key) is not None:
                return make(t)
        return None

    def _check(self, obj: Any, t: Any) -> None:
        if _dump(obj._build_template()) != _dump(t):
            raise _Unexpressible("does not build back to the same template")

    def _container(self, t: Any) -> _Stmt:
        from hera.workflows import Container

        kwargs = self._common_kwargs(t, "container", volumes=True)
        kwargs.update(_map_fields(t.container, _CONTAINER))
        if "image" not in kwargs:
            raise _Unexpressible("image")  # hera would fill in global_config.image
        self._check(Container(**kwargs), t)
        self.names.add("Container")
        return _Stmt(call=Call("Container", ordered_kwargs(list(kwargs.items()))))

    def _script(self, t: Any) -> _Stmt:
        from hera.workflows import Script

        kwargs = self._common_kwargs(t, "script", volumes=True)
        script = t.script
        kwargs.update(_map_fields(script, {**_CONTAINER, "source": "source", "name": "container_name"}))
        if "image" not in kwargs or "command" not in kwargs:
            raise _Unexpressible("image/command")  # hera would fill in global_config defaults
        self._check(Script(**kwargs), t)
        self.names.add("Script")
        return _Stmt(call=Call("Script", ordered_kwargs(list(kwargs.items()))))

    def _invocator(self, node: Any, mapping: dict[str, str]) -> dict[str, Any]:
        kwargs = _map_fields(node, mapping)
        if "with_items" in kwargs:
            kwargs["with_items"] = [getattr(i, "root", i) for i in kwargs["with_items"]]
        return kwargs

    def _dag(self, t: Any) -> _Stmt:
        from hera.workflows import DAG, Task

        kwargs = self._common_kwargs(t, "dag", volumes=False)
        dag = t.dag
        if dag.fail_fast != t.fail_fast:
            raise _Unexpressible("fail_fast")  # hera writes DAG(fail_fast=...) on both
        kwargs.update(_map_fields(dag, {"target": "target", "tasks": "tasks", "fail_fast": "fail_fast"}))
        tasks = [self._invocator(task, _TASK) for task in kwargs.pop("tasks")]
        self._check(DAG(tasks=[Task(**k) for k in tasks], **kwargs), t)
        self.names.update(("DAG", "Task"))
        body = [_Stmt(call=Call("Task", ordered_kwargs(list(k.items())))) for k in tasks]
        return _Stmt(call=Call("DAG", ordered_kwargs(list(kwargs.items()))), block=True, body=body)

    def _steps(self, t: Any) -> _Stmt:
        from hera.workflows import Parallel, Step, Steps

        kwargs = self._common_kwargs(t, "steps", volumes=False)
        groups = [[self._invocator(s, _INVOCATOR) for s in group.root] for group in t.steps]
        built = [Step(**g[0]) if len(g) == 1 else Parallel(sub_steps=[Step(**s) for s in g]) for g in groups]
        self._check(Steps(sub_steps=built, **kwargs), t)
        self.names.update(("Steps", "Step"))
        body: list[_Stmt] = []
        var = None
        for group in groups:
            steps = [_Stmt(call=Call("Step", ordered_kwargs(list(s.items())))) for s in group]
            if len(group) == 1:
                body.extend(steps)
            else:
                var = "steps"
                body.append(_Stmt(call=Call("steps.parallel"), block=True, body=steps))
        return _Stmt(call=Call("Steps", ordered_kwargs(list(kwargs.items()))), block=True, var=var, body=body)

    def _container_set(self, t: Any) -> _Stmt:
        from hera.workflows import ContainerNode, ContainerSet

        kwargs = self._common_kwargs(t, "container_set", volumes=True)
        cs = t.container_set
        kwargs.update(
            _map_fields(
                cs,
                {"containers": "containers", "retry_strategy": "container_set_retry_strategy",
                 "volume_mounts": "volume_mounts"},
            )
        )
        nodes = []
        for node in kwargs.pop("containers", []):
            node_kwargs = _map_fields(node, {**_CONTAINER, "name": "name", "dependencies": "dependencies"})
            if "image" not in node_kwargs:
                raise _Unexpressible("image")
            nodes.append(node_kwargs)
        self._check(ContainerSet(containers=[ContainerNode(**n) for n in nodes], **kwargs), t)
        self.names.update(("ContainerSet", "ContainerNode"))
        body = [_Stmt(call=Call("ContainerNode", ordered_kwargs(list(n.items())))) for n in nodes]
        return _Stmt(call=Call("ContainerSet", ordered_kwargs(list(kwargs.items()))), block=True, body=body)

    # -- documents --------------------------------------------------------------------------------------
    def document(self, doc: Any, var: str) -> str:
        """The `with <Class>(...) as <var>:` block of one workflow-kind model."""
        kind = doc.kind
        self.names.add(kind)
        kwargs: dict[str, Any] = {}
        if doc.api_version not in (None, _DEFAULT_API_VERSION):
            kwargs["api_version"] = doc.api_version
        if doc.metadata is not None:
            kwargs.update({k: v for k, v in _dump_fields(doc.metadata).items()})
        if kind == "CronWorkflow":
            spec = doc.spec
            cron = {k: getattr(spec, k) for k in type(spec).model_fields if k != "workflow_spec"}
            cron = {k: v for k, v in cron.items() if v is not None}
            if "suspend" in cron:
                cron["cron_suspend"] = cron.pop("suspend")
            if "workflow_metadata" in cron:
                cron["cron_workflow_metadata"] = cron.pop("workflow_metadata")
            kwargs.update(cron)
            workflow_spec = spec.workflow_spec
        else:
            workflow_spec = doc.spec
        templates: list[Any] = []
        if workflow_spec is not None:
            fields = _dump_fields(workflow_spec)
            templates = fields.pop("templates", None) or []
            kwargs.update(fields)
        body = [self.template(t, var) for t in templates]
        if any(isinstance(k, str) and k not in _workflow_fields(kind) for k in kwargs):
            unknown = sorted(k for k in kwargs if k not in _workflow_fields(kind))
            raise ValueError(f"{kind} fields hera cannot express: {', '.join(unknown)}")
        call = Call(kind, ordered_kwargs(list(kwargs.items())))
        stmt = _Stmt(call=call, block=True, var=var, body=body)
        if _stmt_has_model_call(stmt):
            self.uses_models = True
        return stmt.lines(0)

    def imports(self) -> str:
        lines = []
        if self.names:
            names = sorted(self.names, key=str.lower)
            line = f"from hera.workflows import {', '.join(names)}"
            if len(line) > LINE_LENGTH:
                line = "from hera.workflows import (\n" + "".join(f"    {n},\n" for n in names) + ")"
            lines.append(line)
        if self.uses_models:
            lines.append("from hera.workflows import models as m")
        return "\n".join(lines)


def _dump_fields(model: Any) -> dict[str, Any]:
    """The set (non-None) fields of a model, as the model holds them."""
    return {k: getattr(model, k) for k in type(model).model_fields if getattr(model, k) is not None}


def _workflow_fields(kind: str) -> set[str]:
    import dataclasses

    import hera.workflows as hw

    return {f.name for f in dataclasses.fields(getattr(hw, kind))}


def _variable(index: int) -> str:
    return "w" if index == 0 else f"w{index + 1}"


def generate_python(documents: Sequence[Any]) -> str:
    """One Python module building every workflow-kind document model in `documents` (`w`, `w2`, ...)."""
    gen = _Generator()
    blocks = []
    for i, doc in enumerate(d for d in documents if getattr(d, "kind", None) in _WORKFLOW_CLASSES):
        blocks.append(gen.document(doc, _variable(i)))
    body = "\n\n".join(blocks)
    code = join_blocks([gen.imports(), body]) if blocks else ""
    return _black(code)


def _has_model_call(node: Node) -> bool:
    """True when the tree writes a `m.<Model>(...)` constructor (so `models as m` must be imported)."""
    if isinstance(node, Call):
        if node.func.startswith("m."):
            return True
        return any(_has_model_call(a) for a in node.args) or any(_has_model_call(v) for _, v in node.kwargs)
    if isinstance(node, ListNode):
        return any(_has_model_call(i) for i in node.items)
    if isinstance(node, DictNode):
        return any(_has_model_call(k) or _has_model_call(v) for k, v in node.items)
    return False


def _stmt_has_model_call(stmt: _Stmt) -> bool:
    return _has_model_call(stmt.call) or any(_stmt_has_model_call(s) for s in stmt.body)


def _black(code: str) -> str:
    """`code` formatted by black (line length 88) when black is installed, else as written."""
    if not code:
        return code
    try:
        import black
    except ImportError:
        return code
    try:
        return str(black.format_str(code, mode=black.Mode(line_length=88)))
    except Exception:
        return code
