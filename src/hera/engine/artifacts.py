"""A local directory artifact repository that mirrors Argo's S3 key layout.

An artifact with an `s3` location (only a key, or a bucket too) lives at `<root>/<bucket or "default">/<key>`.
Saving tar-gzips the path (Argo's default archive, key `<name>.tgz`), or copies it for `archive: {none: {}}`;
loading extracts archives (optionally only `subPath`) or copies plain files, then applies `mode`.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any


class ArtifactError(Exception):
    """An artifact that cannot be saved or loaded (the node becomes Error with this message)."""


def repo_path(root: Path, art: dict[str, Any]) -> Path:
    """Where an artifact with an s3 location lives in the local repository."""
    s3 = art.get("s3") or {}
    key = (s3.get("key") or "").lstrip("/")
    if not key:
        raise ArtifactError(f"artifact {art.get('name')!r} has no key")
    bucket = s3.get("bucket") or "default"
    target = (root / bucket / key).resolve()
    if not str(target).startswith(str(root.resolve())):
        raise ArtifactError(f"artifact key {key!r} escapes the repository")
    return target


def archive_kind(art: dict[str, Any]) -> str:
    """`tgz` (default), `none` or `zip`, from an artifact's `archive` field."""
    archive = art.get("archive")
    if not archive:
        return "tgz"
    if "none" in archive:
        return "none"
    if "zip" in archive:
        return "zip"
    return "tgz"


def object_name(art: dict[str, Any], source: Path) -> str:
    """The file name of a saved artifact inside its key prefix (Argo's rules)."""
    kind = archive_kind(art)
    if kind == "none":
        return source.name
    if kind == "zip":
        return f"{art['name']}.zip"
    return f"{art['name']}.tgz"


def save(source: Path, art: dict[str, Any], root: Path, key: str) -> dict[str, Any]:
    """Store `source` (file or directory) under `key`; returns the artifact record with its `s3.key`."""
    if not source.exists():
        raise ArtifactError(f"path {art.get('path')} does not exist")
    s3 = dict(art.get("s3") or {})
    s3["key"] = key
    record = {**{k: v for k, v in art.items() if k not in ("s3", "from", "fromExpression")}, "s3": s3}
    target = repo_path(root, record)
    target.parent.mkdir(parents=True, exist_ok=True)
    kind = archive_kind(art)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if kind == "none":
            if source.is_dir():
                if tmp.exists():
                    shutil.rmtree(tmp)
                shutil.copytree(source, tmp, symlinks=True)
                if target.exists():
                    shutil.rmtree(target) if target.is_dir() else target.unlink()
            else:
                shutil.copyfile(source, tmp)
        elif kind == "zip":
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                if source.is_dir():
                    for path in sorted(source.rglob("*")):
                        zf.write(path, str(Path(source.name) / path.relative_to(source)))
                else:
                    zf.write(source, source.name)
        else:
            level = ((art.get("archive") or {}).get("tar") or {}).get("compressionLevel")
            compresslevel = int(level) if level is not None else 6
            with tarfile.open(tmp, "w:gz", compresslevel=max(0, min(9, compresslevel))) as tf:
                tf.add(str(source), arcname=source.name)
        os.replace(tmp, target)
    except OSError as e:
        raise ArtifactError(f"failed to save artifact {art.get('name')}: {e}") from e
    finally:
        if tmp.exists():
            shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()
    return record


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _is_zip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def load(art: dict[str, Any], dest: Path, root: Path) -> None:
    """Place an input artifact at `dest` (raw data, or from the local repository), honouring subPath and mode."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if art.get("raw") is not None:
        dest.write_text(str((art.get("raw") or {}).get("data", "")))
        _apply_mode(dest, art)
        return
    if art.get("s3") is not None:
        source = repo_path(root, art)
        if not source.exists():
            raise ArtifactError(f"failed to load artifact {art.get('name')}: key {art['s3'].get('key')} not found")
        _load_object(source, art, dest)
        _apply_mode(dest, art)
        return
    for kind in ("http", "git", "gcs", "azure", "oss", "hdfs", "artifactory", "plugin"):
        if art.get(kind) is not None:
            raise ArtifactError(
                f"artifact {art.get('name')}: {kind} artifacts are not available to the local engine"
                " (they need the network or a cluster)"
            )
    raise ArtifactError(f"artifact {art.get('name')} has no location")


def _load_object(source: Path, art: dict[str, Any], dest: Path) -> None:
    sub = (art.get("subPath") or "").strip("/")
    if source.is_dir():
        src = source / sub if sub else source
        _copy(src, dest)
        return
    if _is_gzip(source):
        with tempfile.TemporaryDirectory(dir=dest.parent) as tmpd:
            tmp = Path(tmpd)
            try:
                with tarfile.open(source, "r:gz") as tf:
                    _safe_extract(tf, tmp)
            except tarfile.TarError:
                # a gzip file that is not a tarball: decompress it
                import gzip

                with gzip.open(source, "rb") as g, open(tmp / "data", "wb") as out:
                    shutil.copyfileobj(g, out)
            entries = list(tmp.iterdir())
            top = entries[0] if len(entries) == 1 else tmp
            src = top / sub if sub else top
            if not src.exists():
                raise ArtifactError(f"subPath {sub!r} not found in artifact {art.get('name')}")
            _move(src, dest)
        return
    if _is_zip(source):
        with tempfile.TemporaryDirectory(dir=dest.parent) as tmpd:
            tmp = Path(tmpd)
            with zipfile.ZipFile(source) as zf:
                zf.extractall(tmp)
            entries = list(tmp.iterdir())
            top = entries[0] if len(entries) == 1 else tmp
            src = top / sub if sub else top
            _move(src, dest)
        return
    _copy(source, dest)


def _safe_extract(tf: tarfile.TarFile, target: Path) -> None:
    base = str(target.resolve())
    for member in tf.getmembers():
        p = (target / member.name).resolve()
        if not str(p).startswith(base):
            raise ArtifactError(f"archive entry {member.name!r} escapes the target directory")
    try:
        tf.extractall(target, filter="tar")  # type: ignore[call-arg]
    except TypeError:
        tf.extractall(target)


def _copy(src: Path, dest: Path) -> None:
    if dest.exists() and dest.is_dir() and src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True, symlinks=True)
    elif src.is_dir():
        shutil.copytree(src, dest, symlinks=True)
    else:
        shutil.copyfile(src, dest)


def _move(src: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest) if dest.is_dir() else dest.unlink()
    shutil.move(str(src), str(dest))


def _apply_mode(dest: Path, art: dict[str, Any]) -> None:
    mode = art.get("mode")
    if mode is None:
        return
    try:
        m = int(mode)
    except (TypeError, ValueError):
        return
    paths = [dest] if dest.is_file() else [p for p in dest.rglob("*") if p.is_file()]
    for p in paths:
        os.chmod(p, m)


def read_bytes(art: dict[str, Any], root: Path) -> bytes:
    """The content of a stored artifact as a single file (archives of one file are unpacked)."""
    source = repo_path(root, art)
    if source.is_dir():
        raise ArtifactError("artifact is a directory")
    if _is_gzip(source):
        with tarfile.open(source, "r:gz") as tf:
            files = [m for m in tf.getmembers() if m.isfile()]
            if len(files) == 1:
                f = tf.extractfile(files[0])
                if f is not None:
                    return f.read()
        return source.read_bytes()
    return io.BytesIO(source.read_bytes()).getvalue()
