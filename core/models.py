"""Abstract bases shared by every app, and the tiny state the platform itself keeps."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class UUIDModel(models.Model):
    """Random UUID primary key: ids never reveal counts and are strings in the API."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class TimeStampedModel(UUIDModel):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Heartbeat(models.Model):
    """Last time a background process proved it is alive (beat, worker)."""

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class BackupRun(TimeStampedModel):
    """One backup attempt. The files (and the manifest) live under `backups/<name>/` in storage;
    this row is the history the admin shows and what pruning walks."""

    class Status(models.TextChoices):
        RUNNING = "RUNNING", _("Running")
        SUCCEEDED = "SUCCEEDED", _("Succeeded")
        FAILED = "FAILED", _("Failed")

    name = models.CharField(max_length=80, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    vendor = models.CharField(max_length=20)
    database_file = models.CharField(max_length=300, blank=True)
    media_file = models.CharField(max_length=300, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    table_count = models.PositiveIntegerField(default=0)
    row_count = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"
