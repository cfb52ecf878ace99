"""Offline validation of Argo documents (Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow).

Works on the JSON-form dicts Argo would receive and reports what Argo's server would refuse, so problems
show before submission and before the embedded engine starts anything. Sits below `hera.workflows` and
`hera.engine` (imports only `hera.shared` and the standard library).

    problems = lint_workflow(doc)                 # list[Problem], empty when the document is fine
    validate_workflow(doc)                        # raises WorkflowValidationError listing every problem
    lint_workflow(doc, templates=TemplateStore(template_docs))   # also resolves templateRef/workflowTemplateRef
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hera.lint.depends import DependsExpr, DependsSyntaxError, depends_of_task, parse_depends
from hera.lint.lookup import TemplateLookup, TemplateStore
from hera.lint.problems import Problem, WorkflowValidationError
from hera.lint.tags import find_tags

__all__ = [
    "DependsExpr",
    "DependsSyntaxError",
    "Problem",
    "TemplateLookup",
    "TemplateStore",
    "WorkflowValidationError",
    "depends_of_task",
    "find_tags",
    "lint_workflow",
    "parse_depends",
    "validate_workflow",
]


def lint_workflow(doc: Mapping[str, Any], *, templates: TemplateLookup | None = None) -> list[Problem]:
    """Every problem Argo's validation would find in `doc` (dispatching on `kind`); empty when it is valid.

    `templates` resolves `templateRef` / `workflowTemplateRef`; without it those references are not checked.
    """
    from hera.lint._checker import lint_document

    return lint_document(doc, templates)


def validate_workflow(doc: Mapping[str, Any], *, templates: TemplateLookup | None = None) -> None:
    """Raise `WorkflowValidationError` (listing all problems) when `lint_workflow` finds any."""
    problems = lint_workflow(doc, templates=templates)
    if problems:
        raise WorkflowValidationError(problems)
