"""Shared paths for the model tests: Argo's upstream data lives beside the repository in ../shared."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
ARGO = SHARED / "argo"
