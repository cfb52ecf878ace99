"""`Input` and `Output`: models whose fields become a runner script's template inputs and outputs.

These are the pydantic v2 classes (`hera.workflows.io.v2`); `hera.workflows.io.v1` has the same on `pydantic.v1`.
"""

from __future__ import annotations

from hera.workflows.io.v2 import Input, Output

__all__ = ["Input", "Output"]
