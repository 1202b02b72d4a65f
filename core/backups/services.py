"""Backup writes: take one, prune old ones, restore one and verify it against its manifest."""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from core.backups import media
from core.backups.database import BackupError, dump, live_manifest, resolve, restore
from core.backups.manifest import compare
from core.models import BackupRun

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 1


def _prefix() -> str:
    return settings.BACKUP_PREFIX.strip("/")


def _path(name: str, filename: str) -> str:
    return f"{_prefix()}/{name}/{filename}"


def _upload(storage: Storage, name: str, local: Path) -> str:
    if storage.exists(name):
        storage.delete(name)
    with local.open("rb") as handle:
        return storage.save(name, File(handle))


def backup_create(
    *, database: str | BaseDatabaseWrapper = "default", include_media: bool = True, storage: Storage | None = None
) -> BackupRun:
    """Dump the database (and media) under `backups/<name>/` with a manifest, then prune old runs."""
    storage = storage or default_storage
    connection = resolve(database)
    vendor = connection.vendor
    now = timezone.now()
    name = f"backup-{now:%Y%m%dT%H%M%S}-{now.microsecond:06d}"
    run = BackupRun.objects.create(name=name, vendor=vendor)
    try:
        with tempfile.TemporaryDirectory(prefix="cg-backup-") as workdir:
            filename = "database.dump" if vendor == "postgresql" else "database.sqlite3"
            local_db = Path(workdir) / filename
            tables = dump(connection=connection, target=local_db)
            run.database_file = _upload(storage, _path(name, filename), local_db)
            size = local_db.stat().st_size
            media_files = 0
            if include_media:
                local_media = Path(workdir) / "media.tar.gz"
                media_files = media.archive(storage=storage, target=local_media, skip_prefix=_prefix())
                run.media_file = _upload(storage, _path(name, "media.tar.gz"), local_media)
                size += local_media.stat().st_size
        manifest = {
            "version": MANIFEST_VERSION,
            "name": name,
            "createdAt": now.isoformat(),
            "vendor": vendor,
            "databaseFile": filename,
            "mediaFile": "media.tar.gz" if include_media else None,
            "mediaFiles": media_files,
            "tables": tables,
        }
        storage.save(_path(name, "manifest.json"), ContentFile(json.dumps(manifest, indent=2).encode()))
    except (BackupError, OSError) as exc:
        run.status, run.error, run.finished_at = BackupRun.Status.FAILED, str(exc)[:4000], timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "database_file", "media_file", "updated_at"])
        logger.error("backup %s failed: %s", name, exc)
        raise
    run.status, run.finished_at, run.size_bytes = BackupRun.Status.SUCCEEDED, timezone.now(), size
    run.table_count, run.row_count = len(tables), sum(t["rows"] for t in tables.values())
    run.save()
    backups_prune(keep=settings.BACKUP_KEEP, storage=storage)
    return run


def backups_prune(*, keep: int, storage: Storage | None = None) -> list[str]:
    """Keep the newest `keep` successful backups; delete older runs and their files."""
    storage = storage or default_storage
    keep_names = list(
        BackupRun.objects.filter(status=BackupRun.Status.SUCCEEDED)
        .order_by("-created_at")
        .values_list("name", flat=True)[: max(keep, 1)]
    )
    oldest_kept = BackupRun.objects.filter(name__in=keep_names).order_by("created_at").first()
    stale = BackupRun.objects.exclude(name__in=keep_names).exclude(status=BackupRun.Status.RUNNING)
    if oldest_kept is not None:
        stale = stale.filter(created_at__lt=oldest_kept.created_at)
    removed = []
    for run in stale:
        for filename in ("manifest.json", "database.dump", "database.sqlite3", "media.tar.gz"):
            path = _path(run.name, filename)
            if storage.exists(path):
                storage.delete(path)
        removed.append(run.name)
        run.delete()
    return removed


def manifest_load(name: str, *, storage: Storage | None = None) -> dict[str, Any]:
    storage = storage or default_storage
    path = _path(name, "manifest.json")
    if "/" in name or not storage.exists(path):
        raise BackupError(f"No backup named {name!r} (looked for {path}).")
    with storage.open(path, "rb") as handle:
        return json.loads(handle.read())


def backups_available(*, storage: Storage | None = None) -> list[str]:
    storage = storage or default_storage
    try:
        directories, _ = storage.listdir(_prefix())
    except FileNotFoundError:
        return []
    return sorted((d for d in directories if storage.exists(_path(d, "manifest.json"))), reverse=True)


@dataclass
class RestoreReport:
    name: str
    expected: dict[str, dict]
    actual: dict[str, dict]
    problems: list[str] = field(default_factory=list)
    media_files: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def backup_restore(
    *,
    name: str,
    database: str | BaseDatabaseWrapper = "default",
    force: bool = False,
    include_media: bool = False,
    storage: Storage | None = None,
) -> RestoreReport:
    """Load backup `name` into `database`, then compare its tables with the manifest."""
    storage = storage or default_storage
    connection = resolve(database)
    manifest = manifest_load(name, storage=storage)
    with tempfile.TemporaryDirectory(prefix="cg-restore-") as workdir:
        local_db = Path(workdir) / manifest["databaseFile"]
        with storage.open(_path(name, manifest["databaseFile"]), "rb") as remote, local_db.open("wb") as out:
            for chunk in iter(lambda: remote.read(1024 * 1024), b""):
                out.write(chunk)
        restore(connection=connection, source=local_db, vendor=manifest["vendor"], force=force)
        media_files = 0
        if include_media and manifest.get("mediaFile"):
            local_media = Path(workdir) / "media.tar.gz"
            with storage.open(_path(name, manifest["mediaFile"]), "rb") as remote:
                local_media.write_bytes(remote.read())
            media_files = media.unpack(storage=storage, source=local_media)
    actual = live_manifest(connection)
    expected = manifest["tables"]
    return RestoreReport(
        name=name, expected=expected, actual=actual, problems=compare(expected, actual), media_files=media_files
    )
