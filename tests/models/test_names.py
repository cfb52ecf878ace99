"""The class names, definitions and JSON aliases that user programs rely on (spec/model-names.md)."""

from __future__ import annotations

import enum
import importlib.util
import re
from types import ModuleType
from typing import Any

import pytest
from pydantic import RootModel

import hera.events.models as events_models
import hera.workflows.models as workflows_models

from .conftest import ARGO, REPO, SHARED


def _rows() -> list[tuple[str, str, str, str]]:
    text = (SHARED / "spec" / "model-names.md").read_text(encoding="utf-8")
    rows = []
    for section, package in (("## hera.workflows.models", "workflows"), ("## hera.events.models", "events")):
        body = text.split(section, 1)[1].split("\n## ", 1)[0]
        for line in body.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 3 and cells[0] not in ("class", "---") and not cells[0].startswith("-"):
                rows.append((package, *cells))
    return rows


ROWS = _rows()
MODULES: dict[str, ModuleType] = {"workflows": workflows_models, "events": events_models}


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("generate_models", REPO / "scripts" / "generate_models.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def names() -> dict[str, dict[str, str]]:
    gen = _generator()
    return {label: gen.assign_names(defs, gen.PINS[label]) for label, defs in gen.load_definitions(ARGO).items()}


def test_the_spec_lists_both_packages() -> None:
    assert sum(r[0] == "workflows" for r in ROWS) == 286
    assert sum(r[0] == "events" for r in ROWS) == 135


@pytest.mark.parametrize(("package", "cls", "definition", "notes"), ROWS, ids=[f"{r[0]}.{r[1]}" for r in ROWS])
def test_name(package: str, cls: str, definition: str, notes: str, names: dict[str, dict[str, str]]) -> None:
    model = getattr(MODULES[package], cls)
    assert cls in dir(MODULES[package])
    if "(?)" not in definition:
        assert names[package][definition] == cls
    if notes == "root model":
        assert issubclass(model, RootModel)
    elif notes.startswith("enum:"):
        assert issubclass(model, enum.Enum)
        assert [m.value for m in model] == [v.strip() for v in notes[len("enum:") :].split(",")]
    elif notes.startswith("fields:"):
        for pair in notes[len("fields:") :].split(","):
            field, alias = (p.strip() for p in pair.split("\u2192"))
            info = model.model_fields[field]
            assert (info.alias or field) == alias


def test_short_name_collisions_follow_the_rule(names: dict[str, dict[str, str]]) -> None:
    wf, ev = names["workflows"], names["events"]
    # both prefixed when nobody is pinned
    assert wf["io.k8s.api.core.v1.HTTPHeader"] == "V1HTTPHeader"
    assert wf["io.argoproj.workflow.v1alpha1.HTTPHeader"] == "V1alpha1HTTPHeader"
    assert ev["eventsource.LogEntry"] == "EventsourceLogEntry"
    # the pinned claimant keeps the name, the other is prefixed
    assert wf["io.k8s.api.core.v1.Container"] == "Container"
    assert wf["github.com.argoproj.argo_events.pkg.apis.events.v1alpha1.Container"] == "V1alpha1Container"
    assert ev["io.argoproj.workflow.v1alpha1.Event"] == "Event"
    # one more namespace part while prefixed names still clash
    assert ev["io.k8s.api.core.v1.Event"] == "CoreV1Event"
    assert ev["io.k8s.api.events.v1.Event"] == "EventsV1Event"
    for mapping in (wf, ev):
        assert len(set(mapping.values())) == len(mapping)


def test_every_definition_has_a_class(names: dict[str, dict[str, str]]) -> None:
    for package, module in MODULES.items():
        assert set(names[package].values()) <= set(module.__all__)
    assert len(workflows_models.__all__) >= 425
    assert len(events_models.__all__) >= 772


@pytest.mark.parametrize(
    ("json_name", "field"),
    [("podIP", "pod_ip"), ("targetWWNs", "target_ww_ns"), ("from", "from_"), ("$ref", "ref"), ("$schema", "schema_")],
)
def test_field_names(json_name: str, field: str) -> None:
    assert _generator().field_name(json_name) == field


def test_python_names_are_identifiers() -> None:
    for module in MODULES.values():
        for name in module.__all__:
            assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), name
