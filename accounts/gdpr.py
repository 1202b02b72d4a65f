"""GDPR: collect everything a user owns into a ZIP, and delete an account keeping shared work anonymised.

Models are discovered through the app registry, so apps added later are exported and deleted
without edits here: every model with a foreign key to the user, every model hanging off those rows,
and every row of the personal teams only this user belongs to. Teams sit above accounts, so the teams
app registers which of its rows are the user's alone and what to do before a deletion
(`gdpr_owned_roots_register`, `gdpr_before_delete_register`, from its AppConfig.ready).
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from accounts.models import DataExport, SecurityEvent, User
from core.fields import EncryptedTextField
from core.spreadsheet import SafeDictCsvWriter

logger = logging.getLogger(__name__)

EXPORT_SALT = "accounts.data-export"
# Column names that hold credentials or one-time secrets, whatever the model.
SECRET_NAME_PARTS = ("password", "secret", "token", "hash", "session_key", "otp", "jti")
SECRET_EXACT_NAMES = {"key", "api_key", "bak", "salt"}
# Plumbing whose rows are not the user's data (or are pure secrets).
SKIPPED_MODELS = {
    "sessions.session",
    "admin.logentry",
    "otp_totp.totpdevice",
    "accounts.sealedtotpdevice",
    "otp_static.staticdevice",
    "otp_static.statictoken",
}
MAX_DEPTH = 3


def _is_secret(field: models.Field) -> bool:
    if isinstance(field, EncryptedTextField):
        return True
    name = field.name.lower()
    return name in SECRET_EXACT_NAMES or any(part in name for part in SECRET_NAME_PARTS)


def _exportable_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not _is_secret(f)]


def _row(obj: models.Model, fields: list[models.Field]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields:
        value = f.value_from_object(obj)
        if isinstance(f, models.FileField | models.ImageField):
            value = value.name if value else ""
        out[f.attname] = value
    return out


# A higher app's model whose rows may be the user's alone (found only through the function, never by
# following a foreign key to the user), and steps to run before an account is deleted.
_OWNED_ROOTS: dict[type[models.Model], Callable[[User], Sequence[models.Model]]] = {}
_BEFORE_DELETE: list[Callable[[User], None]] = []


def gdpr_owned_roots_register(*, model: type[models.Model], rows: Callable[[User], Sequence[models.Model]]) -> None:
    _OWNED_ROOTS[model] = rows


def gdpr_before_delete_register(step: Callable[[User], None]) -> None:
    if step not in _BEFORE_DELETE:
        _BEFORE_DELETE.append(step)


def user_owned_rows(user: User) -> dict[str, list[models.Model]]:
    """Every row the user owns, by model label: breadth-first over foreign keys from the user and their solo teams."""
    found: dict[str, dict[Any, models.Model]] = defaultdict(dict)
    found[User._meta.label_lower][user.pk] = user
    frontier: dict[type[models.Model], list[Any]] = {User: [user.pk]}
    for root_model, rows in _OWNED_ROOTS.items():
        roots = rows(user)
        for root in roots:
            found[root_model._meta.label_lower][root.pk] = root
        if roots:
            frontier[root_model] = [root.pk for root in roots]
    for _depth in range(MAX_DEPTH):
        next_frontier: dict[type[models.Model], list[Any]] = defaultdict(list)
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in SKIPPED_MODELS:
                continue
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model not in frontier:
                    continue
                if model is User or model in _OWNED_ROOTS:
                    continue
                parent_ids = frontier[field.related_model]  # type: ignore[index]
                for obj in model._default_manager.filter(**{f"{field.name}__in": parent_ids}):
                    if obj.pk not in found[label]:
                        found[label][obj.pk] = obj
                        next_frontier[model].append(obj.pk)
        frontier = dict(next_frontier)
        if not frontier:
            break
    return {label: list(rows.values()) for label, rows in sorted(found.items()) if rows}


def data_export_zip(user: User) -> bytes:
    """JSON (all of it in one file) and one CSV per model, without secret columns."""
    rows_by_model = user_owned_rows(user)
    everything: dict[str, list[dict[str, Any]]] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for label, objs in rows_by_model.items():
            fields = _exportable_fields(type(objs[0]))
            rows = [_row(obj, fields) for obj in objs]
            everything[label] = rows
            text = io.StringIO()
            writer = SafeDictCsvWriter(text, fieldnames=[f.attname for f in fields])
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: json.dumps(v, cls=DjangoJSONEncoder) if isinstance(v, dict | list) else v
                        for k, v in row.items()
                    }
                )
            archive.writestr(f"csv/{label}.csv", text.getvalue())
        meta = {"user": str(user.pk), "email": user.email, "exported_at": timezone.now()}
        archive.writestr("data.json", json.dumps({"export": meta, "data": everything}, cls=DjangoJSONEncoder, indent=2))
        archive.writestr(
            "README.txt",
            "Your ContentGenAI data. data.json holds everything; csv/ has one file per kind of record.\n"
            "Passwords, tokens and other secrets are never included.\n",
        )
    return buffer.getvalue()


def data_export_build(*, export: DataExport) -> DataExport:
    try:
        payload = data_export_zip(export.user)
    except Exception:
        logger.exception("data export failed", extra={"export": str(export.pk)})
        export.status = DataExport.Status.FAILED
        export.save(update_fields=["status"])
        raise
    name = default_storage.save(f"exports/{export.user_id}/{export.pk}.zip", ContentFile(payload))
    export.file_name = name
    export.status = DataExport.Status.READY
    export.ready_at = timezone.now()
    export.save(update_fields=["file_name", "status", "ready_at"])
    return export


def data_export_link_token(export: DataExport) -> str:
    return signing.dumps({"export": str(export.pk), "user": str(export.user_id)}, salt=EXPORT_SALT)


def data_export_from_token(token: str, *, user: User) -> DataExport | None:
    """The export a download link points at, if the link is genuine, unexpired and the user's own."""
    try:
        payload = signing.loads(token, salt=EXPORT_SALT, max_age=settings.DATA_EXPORT_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("user") != str(user.pk):
        return None
    return DataExport.objects.filter(pk=payload.get("export"), user=user, status=DataExport.Status.READY).first()


def data_exports_purge_expired() -> int:
    cutoff = timezone.now() - timedelta(seconds=settings.DATA_EXPORT_LINK_MAX_AGE)
    purged = 0
    for export in DataExport.objects.filter(created_at__lt=cutoff):
        if export.file_name:
            default_storage.delete(export.file_name)
        export.delete()
        purged += 1
    return purged


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the user and their own data; shared posts stay with the author set to null (SET_NULL)."""
    user_id = str(user.pk)
    for step in _BEFORE_DELETE:
        step(user)
    for export in DataExport.objects.filter(user=user):
        if export.file_name:
            transaction.on_commit(partial(default_storage.delete, export.file_name))
    if user.avatar and user.avatar.name:
        transaction.on_commit(partial(default_storage.delete, user.avatar.name))
    from accounts.services import user_sessions_revoke_all

    user_sessions_revoke_all(user=user)
    user.delete()
    # The audit trail outlives the account; it keeps the id, not the email.
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.ACCOUNT_DELETED, data={"user_id": user_id})


def accounts_delete_due() -> int:
    from accounts.models import AccountDeletion

    due = AccountDeletion.objects.filter(scheduled_for__lte=timezone.now()).select_related("user")
    count = 0
    for deletion in due:
        account_delete(user=deletion.user)
        count += 1
    return count
