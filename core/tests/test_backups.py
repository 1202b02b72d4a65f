"""Backups: a fresh backup restored into an empty database holds the same rows (Property 7)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from content.tests.factories import ContentPostFactory
from core.backups.database import BackupError, live_manifest
from core.backups.manifest import compare
from core.backups.services import backup_create, backup_restore, backups_prune, manifest_load
from core.models import BackupRun

# pg_dump must see the rows, so the data is committed (transaction=True), not held in a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

TARGET = "backup_restore_target"


@pytest.fixture
def storage(tmp_path: Path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path / "storage")


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    """A second, empty database of the same vendor as the test database."""
    settings_dict = {**connection.settings_dict, "OPTIONS": {}}
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "restored.sqlite3")
    settings_dict["NAME"] = name
    # Built by hand, not registered in DATABASES: the test database guard only allows "default".
    target = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=TARGET)
    try:
        yield target
    finally:
        target.close()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    return f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"


def _some_data(storage: FileSystemStorage) -> None:
    for index in range(5):
        ContentPostFactory(content=f"Post number {index} ✓", metadata={"n": index, "tags": ["a", "b"]})
    storage.save("avatars/one.png", ContentFile(b"\x89PNG fake image bytes"))


# Property 7: Backup and Recovery Capabilities
def test_a_fresh_backup_restores_into_an_empty_database_with_the_same_counts_and_checksums(storage, empty_database):
    # given a database with posts and a media file
    _some_data(storage)

    # when it is backed up, the media file is lost, and the backup is restored into an empty database
    run = backup_create(storage=storage)
    storage.delete("avatars/one.png")
    report = backup_restore(name=run.name, database=empty_database, storage=storage, include_media=True)

    # then every table has the manifest's row count and checksum, and the media file is back
    assert run.status == BackupRun.Status.SUCCEEDED
    assert report.problems == []
    assert report.actual == report.expected
    assert report.expected["content_contentpost"]["rows"] == 5
    assert report.expected["accounts_user"]["rows"] >= 5
    assert report.media_files == 1
    assert storage.open("avatars/one.png").read() == b"\x89PNG fake image bytes"
    manifest = manifest_load(run.name, storage=storage)
    assert manifest["vendor"] == connection.vendor and manifest["mediaFiles"] == 1

    # and a row changed after the restore is caught by the checksums
    with empty_database.cursor() as cursor:
        cursor.execute("UPDATE content_contentpost SET content = 'tampered'")
    assert compare(manifest["tables"], live_manifest(empty_database)) == ["content_contentpost: checksum differs"]


def test_restore_refuses_a_database_that_is_not_empty(storage):
    run = backup_create(storage=storage, include_media=False)
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(name=run.name, database="default", storage=storage)


def test_only_the_newest_backups_are_kept(storage):
    names = [backup_create(storage=storage, include_media=False).name for _ in range(3)]

    removed = backups_prune(keep=2, storage=storage)

    assert removed == [names[0]]
    assert not storage.exists(f"backups/{names[0]}/manifest.json")
    assert storage.exists(f"backups/{names[2]}/manifest.json")
    assert list(BackupRun.objects.values_list("name", flat=True)) == [names[2], names[1]]


def test_commands_back_up_and_restore_and_print_the_verification(settings, tmp_path, empty_database, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    ContentPostFactory()

    call_command("backup_now", "--no-media")
    name = BackupRun.objects.get().name
    call_command("restore_backup", name, "--database-url", _url(empty_database.settings_dict))

    out = capsys.readouterr().out
    assert f"Backup {name}" in out
    assert "content_contentpost" in out and "MISMATCH" not in out
    assert "every table matches its manifest" in out
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_backup", name)
    with pytest.raises(CommandError, match="No backup named"):
        call_command("restore_backup", "backup-nope")
    assert json.loads((tmp_path / "media" / "backups" / name / "manifest.json").read_text())["name"] == name
