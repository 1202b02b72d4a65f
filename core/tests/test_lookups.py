"""One lookup helper (core/lookups.py), ids typed in the URL, and pages that leave 404s to the error
middleware instead of translating each ApiError by hand."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.api.errors import NotFoundError
from core.lookups import get_or_404, uuid_or_404

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "accounts", "teams", "billing", "moderation", "content", "social", "analytics", "scheduling"]


def test_an_id_becomes_a_uuid_or_a_404_naming_what_is_missing():
    some = uuid.uuid4()
    assert uuid_or_404(str(some), "post") == some
    assert uuid_or_404(some, "post") is some
    for bad in ("not-a-uuid", "", None, 12, "1' OR '1'='1"):
        with pytest.raises(NotFoundError, match="No such post."):
            uuid_or_404(bad, "post")


@pytest.mark.django_db
def test_a_row_outside_the_queryset_is_a_404_like_a_malformed_id():
    from accounts.tests.factories import UserFactory
    from teams.models import Team

    mine, theirs = UserFactory().current_team, UserFactory().current_team
    scoped = Team.objects.filter(pk=mine.pk)

    assert get_or_404(scoped, pk=str(mine.pk), what="team") == mine
    for pk in (theirs.pk, uuid.uuid4(), "garbage"):
        with pytest.raises(NotFoundError, match="No such team."):
            get_or_404(scoped, pk=pk, what="team")


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_ids_in_routes_are_uuids():
    loose = sorted({r for r in _routes(get_resolver().url_patterns) if re.search(r"<str:\w+_id>", r)})
    assert not loose, f"use <uuid:…> for these ids: {loose}"


def test_no_view_translates_an_api_error_into_http404_by_hand():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            if re.search(r"raise Http404\(exc\.message\)", path.read_text()):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"core.middleware renders ApiErrors as pages already: {offenders}"
