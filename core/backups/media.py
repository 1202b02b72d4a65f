"""Media files to and from one tar.gz, through the storage API (local files or S3 alike)."""

from __future__ import annotations

import io
import posixpath
import tarfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage


def _walk(storage: Storage, path: str, skip: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for directory in sorted(directories):
        child = posixpath.join(path, directory) if path else directory
        if child.rstrip("/") != skip.rstrip("/"):
            yield from _walk(storage, child, skip)


def archive(*, storage: Storage, target: Path, skip_prefix: str) -> int:
    """Every file in `storage` except under `skip_prefix` into `target`; returns the file count."""
    count = 0
    with tarfile.open(target, "w:gz") as tar:
        for name in _walk(storage, "", skip_prefix):
            with storage.open(name, "rb") as handle:
                data = handle.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            count += 1
    return count


def _safe(name: str) -> bool:
    normal = posixpath.normpath(name)
    return not (normal.startswith(("/", "..")) or "/../" in f"/{normal}/")


def unpack(*, storage: Storage, source: Path) -> int:
    """Write every regular file of the archive back into `storage` (existing files are replaced)."""
    count = 0
    with tarfile.open(source, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or not _safe(member.name):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            if storage.exists(member.name):
                storage.delete(member.name)
            storage.save(member.name, ContentFile(handle.read()))
            count += 1
    return count
