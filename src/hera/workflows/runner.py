"""`python -m hera.workflows.runner -e module:function ARGS_FILE`: runs a hera script's function inside its task.

Argo appends the staged script (the substituted `{{inputs.parameters}}`) as ARGS_FILE. The implementation lives in
`hera.workflows._runner`; this module stays an entry point so its start-up costs nothing beyond the run itself.
"""

from __future__ import annotations

import sys

from hera.workflows._runner.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
