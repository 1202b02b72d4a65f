"""Template writes. Every change adds a version (with a diff from the one before); history is never rewritten,
so a restore is itself a new version."""

from __future__ import annotations

import difflib
from typing import Any

from django.db import transaction

from content import platform_rules
from content.models import ContentTemplate, ContentTemplateVersion
from teams.permissions import Capability, TeamContext, require

TEMPLATE_FIELDS = ("name", "body", "platform", "tone", "is_public")


def template_diff(old: str, new: str, *, old_label: str, new_label: str) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=old_label, tofile=new_label
        )
    )


def _snapshot(*, template: ContentTemplate, previous_body: str, author: Any, note: str) -> ContentTemplateVersion:
    number = template.version
    return ContentTemplateVersion.objects.create(
        template=template,
        number=number,
        name=template.name,
        body=template.body,
        platform=template.platform,
        tone=template.tone,
        diff=template_diff(previous_body, template.body, old_label=f"v{number - 1}", new_label=f"v{number}"),
        author=author,
        note=note,
    )


@transaction.atomic
def template_create(
    *,
    ctx: TeamContext,
    name: str,
    body: str,
    platform: str = "",
    tone: str = "",
    is_public: bool = False,
    copied_from: ContentTemplate | None = None,
    note: str = "Created",
) -> ContentTemplate:
    require(ctx, Capability.CREATE_CONTENT)
    template = ContentTemplate.objects.create(
        team=ctx.team,
        created_by=ctx.user,
        name=name.strip(),
        body=body,
        platform=platform_rules.normalize_platform(platform),
        tone=tone,
        is_public=is_public,
        copied_from=copied_from,
        version=1,
    )
    _snapshot(template=template, previous_body="", author=ctx.user, note=note)
    return template


@transaction.atomic
def template_update(
    *, ctx: TeamContext, template: ContentTemplate, changes: dict[str, Any], note: str = ""
) -> ContentTemplate:
    """Apply changes; a change to what the template says (not only its visibility) adds a version."""
    require(ctx, Capability.CREATE_CONTENT)
    template = ContentTemplate.objects.select_for_update().get(pk=template.pk)
    previous_body = template.body
    before = {name: getattr(template, name) for name in TEMPLATE_FIELDS}
    for name in TEMPLATE_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(template, name, platform_rules.normalize_platform(value) if name == "platform" else value)
    changed = [name for name in TEMPLATE_FIELDS if getattr(template, name) != before[name]]
    if not changed:
        return template
    if set(changed) - {"is_public"}:
        template.version += 1
        template.save()
        _snapshot(
            template=template, previous_body=previous_body, author=ctx.user, note=note or f"Edited {', '.join(changed)}"
        )
    else:
        template.save(update_fields=["is_public", "updated_at"])
    return template


@transaction.atomic
def template_restore(
    *, ctx: TeamContext, template: ContentTemplate, version: ContentTemplateVersion
) -> ContentTemplate:
    return template_update(
        ctx=ctx,
        template=template,
        changes={"name": version.name, "body": version.body, "platform": version.platform, "tone": version.tone},
        note=f"Restored v{version.number}",
    )


def template_copy(*, ctx: TeamContext, source: ContentTemplate) -> ContentTemplate:
    """Copy a gallery (or own) template into the acting team, as a private template with its own history."""
    return template_create(
        ctx=ctx,
        name=source.name,
        body=source.body,
        platform=source.platform,
        tone=source.tone,
        copied_from=source,
        note=f"Copied from {source.name}",
    )


def template_delete(*, ctx: TeamContext, template: ContentTemplate) -> None:
    require(ctx, Capability.CREATE_CONTENT)
    template.delete()
