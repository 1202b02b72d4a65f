"""The operators' usage page: AI per team and provider, publishing per platform, quotas, CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import GenerationRecord
from content.tests.factories import ContentPostFactory
from social.models import PublishResult, PublishStatus
from social.tests.factories import SocialAccountFactory
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
URL = "/admin/usage/"


def _generations(team, *, provider: str, ok: int, failed: int = 0, cached: int = 0, when=None) -> None:
    for i in range(ok + failed + cached):
        record = GenerationRecord.objects.create(
            team=team,
            kind="CAPTION",
            provider=provider,
            model="gpt-4o-mini",
            tokens_in=100,
            tokens_out=50,
            estimated_cost=Decimal("0.0015") if i < ok else 0,
            succeeded=i < ok or i >= ok + failed,
            cache_hit=i >= ok + failed,
        )
        if when is not None:
            GenerationRecord.objects.filter(pk=record.pk).update(created_at=when)


def _deliveries(platform: str, *, ok: int, failed: int) -> None:
    post = ContentPostFactory()
    for i in range(ok + failed):
        account = SocialAccountFactory(team=post.team, platform=platform)
        PublishResult.objects.create(
            post=post,
            social_account=account,
            platform=platform,
            status=PublishStatus.SUCCESS if i < ok else PublishStatus.FAILED,
            published_at=timezone.now() if i < ok else None,
        )


def test_staff_see_ai_use_per_team_and_provider_publishing_and_quotas(staff_client):
    acme, zeta = TeamFactory(name="Acme"), TeamFactory(name="Zeta")
    _generations(acme, provider="openai", ok=3, failed=1, cached=2)
    _generations(acme, provider="anthropic", ok=1)
    _generations(zeta, provider="openai", ok=2)
    _generations(zeta, provider="openai", ok=5, when=timezone.now() - timedelta(days=40))  # outside 30d
    _deliveries("linkedin", ok=4, failed=1)
    _deliveries("mastodon", ok=0, failed=2)

    page = staff_client.get(URL)

    assert page.status_code == 200
    ai = {(r["team_name"], r["provider_name"]): r for r in page.context["ai_rows"]}
    acme_openai = ai[("Acme", "openai")]
    assert (acme_openai["calls"], acme_openai["cache_hits"], acme_openai["failures"]) == (4, 2, 1)
    assert (acme_openai["tokens_in"], acme_openai["tokens_out"]) == (600, 300)
    assert acme_openai["cost"] == Decimal("0.0045")
    assert ai[("Zeta", "openai")]["calls"] == 2
    assert page.context["ai_totals"]["calls"] == 7
    publishing = {r["platform"]: (r["published"], r["failures"]) for r in page.context["publish_rows"]}
    assert publishing == {"linkedin": (4, 1), "mastodon": (0, 2)}
    html = page.content.decode()
    assert "$0.0045" in html and "Acme" in html
    assert 'id="quota-usage"' in html


def test_the_csv_has_every_table_and_neutralises_formula_cells(staff_client):
    evil = TeamFactory(name='=HYPERLINK("https://evil.example","click")')
    _generations(evil, provider="openai", ok=1)
    _deliveries("linkedin", ok=1, failed=0)

    response = staff_client.get(URL, {"range": "7d", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    ai_row = next(r for r in rows if r and r[0].startswith("'=HYPERLINK"))
    assert ai_row[2:5] == ["openai", "1", "0"]
    assert ["linkedin", "1", "0"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_an_unknown_range_is_a_400(staff_client):
    response = staff_client.get(URL, {"range": "forever"})

    assert response.status_code == 400
    assert "Unknown range" in response.content.decode()


def test_members_are_sent_to_the_admin_login(client, member):
    client.force_login(member)

    response = client.get(URL)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_page_runs_the_same_queries_however_many_teams(staff_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        _generations(TeamFactory(name=f"Team {n}"), provider="openai", ok=1)
    _deliveries("linkedin", ok=1, failed=1)
    few = queries()
    for n in range(15):
        _generations(TeamFactory(name=f"More {n}"), provider="anthropic", ok=2, failed=1)
    _deliveries("bluesky", ok=3, failed=1)

    assert queries() == few


def test_staff_find_the_usage_page_in_the_dashboard_sidebar(staff_client, client, member):
    assert 'href="/admin/usage/"' in staff_client.get("/dashboard/").content.decode()

    client.force_login(member)
    assert 'href="/admin/usage/"' not in client.get("/dashboard/").content.decode()
