"""Thin Celery wrappers around accounts.gdpr."""

from __future__ import annotations

from celery import shared_task

from accounts import gdpr
from accounts.models import DataExport
from core.retry import RETRY_ON_ERROR


@shared_task(name="accounts.tasks.build_data_export", bind=True, **RETRY_ON_ERROR)  # storage, database: retried
def build_data_export(self, export_id: str) -> None:  # type: ignore[no-untyped-def]
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status == DataExport.Status.READY:
        return
    gdpr.data_export_build(export=export)


@shared_task(name="accounts.tasks.delete_due_accounts", bind=True)  # no retry: beat runs it again every hour
def delete_due_accounts(self) -> int:  # type: ignore[no-untyped-def]
    return gdpr.accounts_delete_due()


@shared_task(name="accounts.tasks.purge_expired_exports", bind=True)  # no retry: beat runs it again
def purge_expired_exports(self) -> int:  # type: ignore[no-untyped-def]
    return gdpr.data_exports_purge_expired()
