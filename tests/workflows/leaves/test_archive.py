"""Archive strategies render the `archive` blocks of acceptance program 13."""

from __future__ import annotations

from hera.workflows.archive import ArchiveStrategy, NoneArchiveStrategy, TarArchiveStrategy, ZipArchiveStrategy
from tests.workflows.leaves._expected import dump, template


def test_archive_strategies_match_hera() -> None:
    outputs = template("13_artifact_passing_archive", "collect-logs")["outputs"]["artifacts"]
    want = {a["name"]: a["archive"] for a in outputs}
    assert dump(TarArchiveStrategy(compression_level=9)._build_archive_strategy()) == want["raw-logs"]
    assert dump(NoneArchiveStrategy()._build_archive_strategy()) == want["kernel-only"]
    assert dump(ZipArchiveStrategy()._build_archive_strategy()) == want["bundle"]


def test_tar_without_level_and_base() -> None:
    assert dump(TarArchiveStrategy()._build_archive_strategy()) == {"tar": {}}
    assert dump(ArchiveStrategy()._build_archive_strategy()) == {}
    assert isinstance(ZipArchiveStrategy(), ArchiveStrategy)
