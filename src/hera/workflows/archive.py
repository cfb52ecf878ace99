"""Archive strategies of output artifacts: tar (default in Argo, optional compression level), zip, or none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hera.shared._base_mixin import BaseMixin

if TYPE_CHECKING:
    from hera.workflows import models as m


@dataclass(kw_only=True)
class ArchiveStrategy(BaseMixin):
    """Base of the archive strategies; on its own it builds an empty `archive: {}` (Argo's default, tar)."""

    def _build_archive_strategy(self) -> m.ArchiveStrategy:
        from hera.workflows import models as m

        return m.ArchiveStrategy()


@dataclass(kw_only=True)
class NoneArchiveStrategy(ArchiveStrategy):
    """Store the artifact as it is (`archive: {none: {}}`)."""

    def _build_archive_strategy(self) -> m.ArchiveStrategy:
        from hera.workflows import models as m

        return m.ArchiveStrategy(none=m.NoneStrategy())


@dataclass(kw_only=True)
class TarArchiveStrategy(ArchiveStrategy):
    """Tar + gzip the artifact (`archive: {tar: {compressionLevel}}`)."""

    compression_level: int | None = None

    def _build_archive_strategy(self) -> m.ArchiveStrategy:
        from hera.workflows import models as m

        return m.ArchiveStrategy(tar=m.TarStrategy(compression_level=self.compression_level))


@dataclass(kw_only=True)
class ZipArchiveStrategy(ArchiveStrategy):
    """Zip the artifact (`archive: {zip: {}}`)."""

    def _build_archive_strategy(self) -> m.ArchiveStrategy:
        from hera.workflows import models as m

        return m.ArchiveStrategy(zip=m.ZipStrategy())


__all__ = ["ArchiveStrategy", "NoneArchiveStrategy", "TarArchiveStrategy", "ZipArchiveStrategy"]
