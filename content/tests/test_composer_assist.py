"""The composer's AI actions on the draft being edited: optimise, hashtags, translate side by side, variants."""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory
from content.models import GenerationRecord
from teams.models import Membership
from teams.tests.factories import BrandFactory, MembershipFactory

pytestmark = pytest.mark.django_db
URL = "/generate/assist/"
DRAFT = "Fresh sourdough every morning in Alfama. Come early, it sells out by ten."


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def _assist(client, **data):
    return client.post(URL, {"text": DRAFT, "platform": "linkedin", "language": "en", **data})


def test_optimize_returns_a_better_draft_with_what_changed(signed_in):
    response = _assist(signed_in, action="optimize")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["text"] and body["text"] != DRAFT
    assert isinstance(body["improvements"], list)
    assert GenerationRecord.objects.count() == 1  # metered like any generation


def test_hashtags_are_suggested_for_the_draft(signed_in):
    body = _assist(signed_in, action="hashtags").json()

    assert body["hashtags"] and all(tag.startswith("#") for tag in body["hashtags"])


def test_translate_answers_in_the_target_language_with_its_direction(signed_in):
    spanish = _assist(signed_in, action="translate", target_language="es").json()
    arabic = _assist(signed_in, action="translate", target_language="ar").json()

    assert spanish["language"] == "es" and spanish["direction"] == "ltr" and spanish["text"]
    assert arabic["language"] == "ar" and arabic["direction"] == "rtl"


def test_variants_are_three_different_drafts(signed_in):
    body = _assist(signed_in, action="variants").json()

    texts = [v["text"] for v in body["variants"]]
    assert len(texts) == 3 and len(set(texts)) == 3


def test_bad_input_is_a_400_and_another_teams_brand_a_404(signed_in):
    assert _assist(signed_in, action="summon").status_code == 400
    missing = _assist(signed_in, action="translate")
    assert missing.status_code == 400 and "target_language" in missing.json()["error"]["details"]
    foreign = BrandFactory(team=UserFactory().current_team)
    assert _assist(signed_in, action="optimize", brand=str(foreign.pk)).status_code == 404
    assert GenerationRecord.objects.count() == 0


def test_a_viewer_cannot_run_them(client, user):
    viewer = UserFactory()
    MembershipFactory(team=user.current_team, user=viewer, role=Membership.Role.VIEWER)
    viewer.current_team = user.current_team
    viewer.save(update_fields=["current_team"])
    client.force_login(viewer)

    response = _assist(client, action="optimize")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "PERMISSION_DENIED"
