"""Portability writes: request and build exports; preview and run imports (all rows or none)."""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.api.errors import ApiError, ValidationFailed
from core.stored_messages import Message
from core.uploads import UploadRefused, zip_member_read
from scheduling.models import DataExport
from scheduling.portability import importers
from scheduling.portability.dataset import KINDS, ExportFilters, export_dataset
from scheduling.portability.exporters import RENDERERS
from scheduling.portability.importers import FileError, ImportRow, RowError
from scheduling.services import post_schedule
from scheduling.timeutils import zone
from social.models import SocialAccount
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record

logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 5 * 1024 * 1024


# ---- exports -------------------------------------------------------------------------------------
def data_export_request(
    *,
    ctx: TeamContext,
    export_format: str,
    kinds: list[str],
    date_from: date | None,
    date_to: date | None,
    anonymize: bool,
) -> DataExport:
    require(ctx, Capability.VIEW)
    if export_format not in RENDERERS:
        raise ValidationFailed("Unknown format.", details={"format": ["Use JSON, CSV or XML."]})
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValidationFailed("Unknown type.", details={"types": [f"Unknown: {', '.join(unknown)}."]})
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed("The range ends before it starts.", details={"to": ["Pick a later date."]})
    export = DataExport.objects.create(
        team=ctx.team,
        requested_by=ctx.user,
        format=export_format,
        kinds=[k for k in KINDS if k in kinds] or list(KINDS),
        date_from=date_from,
        date_to=date_to,
        anonymize=anonymize,
    )
    activity_record(
        team=ctx.team,
        actor=ctx.user,
        verb="data.exported",
        summary=Message(
            gettext_noop("Requested a %(format)s export (%(kinds)s), anonymised")
            if anonymize
            else gettext_noop("Requested a %(format)s export (%(kinds)s)"),
            format=export_format,
            kinds=", ".join(export.kinds),
        ),
        target=export,
    )
    from scheduling.tasks import build_data_export

    transaction.on_commit(lambda: build_data_export.delay(str(export.pk)))
    return export


def data_export_build(*, export_id: Any) -> DataExport | None:
    export = DataExport.objects.select_related("team").filter(pk=export_id).first()
    if export is None or export.status == DataExport.Status.READY:
        return export
    render, extension, _ = RENDERERS[export.format]
    filters = ExportFilters(
        kinds=tuple(export.kinds), date_from=export.date_from, date_to=export.date_to, anonymize=export.anonymize
    )
    try:
        dataset = export_dataset(team=export.team, filters=filters)
        content = render(dataset)
    except Exception as exc:
        logger.exception("portability export %s failed", export.pk)
        export.status, export.error = DataExport.Status.FAILED, str(exc)[:500]
        export.save(update_fields=["status", "error", "updated_at"])
        return export
    export.file.save(
        f"export-{export.created_at:%Y%m%d}-{str(export.pk)[:8]}.{extension}", ContentFile(content), save=False
    )
    export.counts = {k: len(dataset[k]) for k in ("posts", "schedules", "analytics") if k in dataset}
    export.status = DataExport.Status.READY
    export.save(update_fields=["file", "counts", "status", "updated_at"])
    return export


# ---- imports -------------------------------------------------------------------------------------
@dataclass
class ImportOutcome:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)
    created: int = 0
    scheduled: int = 0
    committed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": [r.as_dict() for r in self.rows],
            "errors": [e.as_dict() for e in self.errors],
            "notes": [n.as_dict() for n in self.notes],
            "created": self.created,
            "scheduled": self.scheduled,
            "committed": self.committed,
        }


def import_text(raw: bytes) -> str:
    """The CSV text of an upload: a CSV file, or posts.csv inside a CSV export's zip."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationFailed("The file is too large.", details={"file": [f"At most {MAX_IMPORT_BYTES} bytes."]})
    if raw[:4] == b"PK\x03\x04":
        try:
            raw = zip_member_read(raw, "posts.csv")
        except UploadRefused as exc:
            raise ValidationFailed(str(exc), details={"file": [str(exc)]}) from exc
        except (zipfile.BadZipFile, KeyError) as exc:
            raise ValidationFailed("The zip has no posts.csv.", details={"file": ["Upload posts.csv."]}) from exc
    try:
        return importers.base.decode(raw)
    except FileError as exc:
        raise ValidationFailed(str(exc), details={"file": [str(exc)]}) from exc


def _accounts_for(ctx: TeamContext, row: ImportRow, accounts: list[SocialAccount]) -> list[SocialAccount]:
    if row.accounts:
        wanted = {a.lower() for a in row.accounts}
        chosen = [a for a in accounts if a.account_name.lower() in wanted or a.account_id.lower() in wanted]
        found = {a.account_name.lower() for a in chosen} | {a.account_id.lower() for a in chosen}
        missing = sorted(wanted - found)
        if missing:
            raise ValidationFailed(
                f"No connected account named {', '.join(missing)}.", details={"accounts": ["Connect it first."]}
            )
        return chosen
    if row.platform:
        chosen = [a for a in accounts if a.platform == row.platform]
        if not chosen:
            raise ValidationFailed(f"No connected {row.platform} account.", details={"platform": ["Connect one."]})
        return chosen
    raise ValidationFailed("A dated row needs a platform or an account.", details={"platform": ["Choose one."]})


def _import_row(ctx: TeamContext, row: ImportRow, accounts: list[SocialAccount], outcome: ImportOutcome) -> None:
    from content.services import post_create

    post = post_create(
        ctx=ctx,
        title=row.title,
        content=row.content,
        hashtags=row.hashtags,
        platform=row.platform,
        tone=row.tone,
        audience=row.audience,
        metadata={"imported": True},
    )
    outcome.created += 1
    if row.scheduled_at is None:
        return
    if row.scheduled_at <= timezone.now():
        # History (a tool's sent posts): kept as a draft with its date, never published again.
        post.metadata = {"imported": True, "original_date": row.scheduled_at.isoformat()}
        post.save(update_fields=["metadata", "updated_at"])
        outcome.notes.append(RowError(row.number, "scheduled_at", "The date has passed: imported as a draft."))
        return
    tz = row.timezone or ctx.team.timezone
    accounts_for_row = _accounts_for(ctx, row, accounts)
    outcome.scheduled += len(
        post_schedule(post=post, accounts=accounts_for_row, at=row.scheduled_at, tz=tz, actor=ctx).scheduled
    )


def posts_import(
    *, ctx: TeamContext, source: str, raw: bytes, commit: bool, platform: str = "", day_first: bool = False
) -> ImportOutcome:
    """Parse the file and create every row through the content and scheduling services.

    One transaction: any row error rolls everything back. A preview (`commit=False`) runs the very
    same writes and rolls them back, so it reports moderation, quota and account errors too.
    """
    require(ctx, Capability.CREATE_CONTENT)
    if source not in importers.SOURCES:
        raise ValidationFailed("Unknown source.", details={"source": [f"Use one of {', '.join(importers.SOURCES)}."]})
    text = import_text(raw)
    try:
        parsed = importers.parse(source, text, tz=zone(ctx.team.timezone), day_first=day_first)
    except FileError as exc:
        raise ValidationFailed(str(exc), details={"file": [str(exc)]}) from exc
    default_platform = importers.base.platform_of(platform)
    if default_platform is None:
        raise ValidationFailed("Unknown platform.", details={"platform": ["Unknown platform."]})
    for row in parsed.rows:
        row.platform = row.platform or default_platform
    outcome = ImportOutcome(rows=parsed.rows, errors=list(parsed.errors))
    if not parsed.rows and not parsed.errors:
        outcome.errors.append(RowError(1, "file", "The file has no rows."))
    accounts = list(SocialAccount.objects.filter(team=ctx.team, is_active=True))
    with transaction.atomic():
        for row in parsed.rows:
            try:
                with transaction.atomic():
                    _import_row(ctx, row, accounts, outcome)
            except ApiError as exc:
                outcome.errors.append(RowError(row.number, _field_of(exc), exc.message))
        outcome.errors.sort(key=lambda e: e.row)
        outcome.committed = commit and not outcome.errors
        if outcome.committed:
            activity_record(
                team=ctx.team,
                actor=ctx.user,
                verb="data.imported",
                summary=Message(
                    gettext_noop("Imported %(created)s posts (%(scheduled)s schedules) from a %(source)s file"),
                    created=outcome.created,
                    scheduled=outcome.scheduled,
                    source=source,
                ),
                data={"source": source, "created": outcome.created, "scheduled": outcome.scheduled},
            )
        else:
            transaction.set_rollback(True)
    if commit and not outcome.committed:
        outcome.created = outcome.scheduled = 0
    return outcome


def _field_of(exc: ApiError) -> str:
    details = exc.details if isinstance(exc.details, dict) else {}
    return next(iter(details), "row")
