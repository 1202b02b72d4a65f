"""Thin Celery wrappers around accounts.gdpr."""

from __future__ import annotations

from celery import shared_task

from accounts import gdpr
from accounts.models import DataExport


@shared_task(name="accounts.tasks.build_data_export", bind=True, max_retries=3, default_retry_delay=60)
def build_data_export(self, export_id: str) -> None:  # type: ignore[no-untyped-def]
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status == DataExport.Status.READY:
        return
    try:
        gdpr.data_export_build(export=export)
    except Exception as exc:  # noqa: BLE001 - any failure (storage, database) is worth a retry
        raise self.retry(exc=exc) from exc


@shared_task(name="accounts.tasks.delete_due_accounts", bind=True, max_retries=3, default_retry_delay=300)
def delete_due_accounts(self) -> int:  # type: ignore[no-untyped-def]
    return gdpr.accounts_delete_due()


@shared_task(name="accounts.tasks.purge_expired_exports", bind=True, max_retries=3, default_retry_delay=300)
def purge_expired_exports(self) -> int:  # type: ignore[no-untyped-def]
    return gdpr.data_exports_purge_expired()
