"""Importing the leaf classes, hera.expr and hera.auth must not load pydantic or the generated models."""

from __future__ import annotations

import subprocess
import sys

LEAF_NAMES = (
    "Env SecretEnv ConfigMapEnv FieldEnv ResourceEnv SecretEnvFrom ConfigMapEnvFrom Resources AccessMode Volume "
    "ExistingVolume EmptyDirVolume NFSVolume RetryStrategy RetryPolicy Counter Gauge Histogram Metric Metrics "
    "ArchiveStrategy NoneArchiveStrategy TarArchiveStrategy ZipArchiveStrategy UserContainer Operator WorkflowStatus"
)

PROGRAM = f"""
import sys
from hera.workflows import {", ".join(LEAF_NAMES.split())}
import hera.expr, hera.auth
Env(name="a", value=1); Resources(cpu_request="1", memory_limit="1Gi"); Volume(name="v", size="1Gi")
str(hera.expr.g.a.filter(hera.expr.it > 1))
heavy = sorted(m for m in sys.modules if m.startswith(("pydantic", "hera.workflows.models")))
print(",".join(heavy))
"""


def test_leaf_imports_and_construction_stay_light() -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == ""
