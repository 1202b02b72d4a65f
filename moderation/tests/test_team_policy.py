"""Teams run their own policy: admins edit it in the dashboard or the API; it binds their team only."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from content.models import ContentPost
from moderation.models import ModerationAuditEvent, ModerationPolicy, PolicyRule, ProtectedTerm
from moderation.services import text_moderate
from teams.models import Membership
from teams.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PHRASE = "guaranteed returns"


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _page_data(**overrides) -> dict:
    data = {
        "blocked_phrases": "",
        "flagged_phrases": "",
        "protected_terms": "",
        "min_audience_age": "18",
        **{f"strictness_{c}": "default" for c in ("profanity", "age", "disclosure", "trademark", "duplicate")},
        "strictness_guidelines": "default",
        "strictness_ai": "default",
    }
    return {**data, **overrides}


def test_a_team_admins_blocked_phrase_blocks_that_teams_post_only():
    # given two teams; team A's admin blocks a phrase on the policy page
    owner_a, owner_b = UserFactory(), UserFactory()
    admin_a = UserFactory()
    MembershipFactory(team=owner_a.current_team, user=admin_a, role=Membership.Role.ADMIN)
    admin_a.current_team = owner_a.current_team
    admin_a.save()
    page = Client()
    page.force_login(admin_a)
    saved = page.post("/moderation/policy", _page_data(blocked_phrases=f"{PHRASE}\n  \n"))
    assert saved.status_code == 302

    # when each team saves a post with the phrase
    text = f"Our fund offers {PHRASE} every quarter."
    in_a = _api(owner_a).post("/api/content/save", {"content": text, "platform": "linkedin"}, format="json")
    in_b = _api(owner_b).post("/api/content/save", {"content": text, "platform": "linkedin"}, format="json")

    # then team A's is refused naming the rule, team B's is saved
    assert in_a.status_code == 422
    assert in_a.json()["error"]["code"] == "CONTENT_BLOCKED"
    assert any(PHRASE in r["message"] for r in in_a.json()["error"]["details"]["reasons"])
    assert in_b.status_code == 201
    assert ContentPost.objects.filter(team=owner_b.current_team).count() == 1
    assert not ContentPost.objects.filter(team=owner_a.current_team).exists()


def test_the_page_shows_the_policy_and_its_test_box_to_team_admins():
    owner = UserFactory()
    ModerationPolicy.objects.create(team=owner.current_team)
    client = Client()
    client.force_login(owner)
    data = _page_data(flagged_phrases="crypto tip", protected_terms="Zentrix | Zentrix GmbH")
    assert client.post("/moderation/policy", data).status_code == 302

    html = client.get("/moderation/policy").content.decode()

    assert "crypto tip</textarea>" in html
    assert "Zentrix | Zentrix GmbH</textarea>" in html
    assert 'action="/moderation/check"' in html  # the "test a text" box
    assert "Local lists only: no AI moderation is configured on this site." in html


def test_the_test_box_says_which_rule_fires_and_which_checks_ran():
    owner = UserFactory()
    client = Client()
    client.force_login(owner)
    client.post("/moderation/policy", _page_data(flagged_phrases="crypto tip"))

    result = client.post("/moderation/check", {"text": "Today's crypto tip: buy"}, HTTP_HX_REQUEST="true")

    html = result.content.decode()
    assert 'data-decision="flag"' in html
    assert "&quot;crypto tip&quot; is not allowed by your team&#x27;s policy." in html
    assert "Local lists only: no AI moderation configured." in html


def test_editors_cannot_change_the_policy():
    owner, editor = UserFactory(), UserFactory()
    MembershipFactory(team=owner.current_team, user=editor, role=Membership.Role.EDITOR)
    editor.current_team = owner.current_team
    editor.save()
    client = Client()
    client.force_login(editor)

    assert client.get("/moderation/policy").status_code == 403
    assert client.post("/moderation/policy", _page_data(blocked_phrases="x")).status_code == 403
    response = _api(editor).put("/api/moderation/policy", {"blockedPhrases": ["x"]}, format="json")
    assert response.status_code == 403
    assert not PolicyRule.objects.exists()


def test_strictness_turns_a_check_up_or_off_for_that_team():
    owner = UserFactory()
    api = _api(owner)
    text = "This is damn good coffee"  # mild profanity: flagged by default
    assert text_moderate(team=owner.current_team, text=text).decision == "flag"

    api.put("/api/moderation/policy", {"strictness": {"profanity": "block"}}, format="json")
    assert text_moderate(team=owner.current_team, text=text).decision == "block"

    api.put("/api/moderation/policy", {"strictness": {"profanity": "off"}}, format="json")
    assert text_moderate(team=owner.current_team, text=text).decision == "allow"
    assert text_moderate(team=UserFactory().current_team, text=text).decision == "flag"


def test_the_api_mirrors_the_page_and_keeps_fields_not_sent():
    owner = UserFactory()
    api = _api(owner)

    first = api.put(
        "/api/moderation/policy",
        {"blockedPhrases": [PHRASE], "protectedTerms": [{"term": "Zentrix"}], "minAudienceAge": 16},
        format="json",
    )
    second = api.put("/api/moderation/policy", {"flaggedPhrases": ["crypto tip"]}, format="json")

    assert first.status_code == 200 and second.status_code == 200
    policy = api.get("/api/moderation/policy").json()["policy"]
    assert policy["blockedPhrases"] == [PHRASE]
    assert policy["flaggedPhrases"] == ["crypto tip"]
    assert policy["protectedTerms"] == [{"term": "Zentrix", "owner": owner.current_team.name}]
    assert policy["minAudienceAge"] == 16
    assert policy["strictness"]["profanity"] == "default"
    assert policy["aiAvailable"] is False
    assert ModerationAuditEvent.objects.filter(kind="policy_changed").count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {"strictness": {"guidelines": "off"}},  # platform guidelines can only be made stricter
        {"strictness": {"spelling": "block"}},
        {"minAudienceAge": 21},
        {"blockedPhrases": "not a list"},
        {"blockedPhrases": ["same"], "flaggedPhrases": ["Same"]},
        {"protectedTerms": [{"owner": "no term"}]},
    ],
)
def test_bad_policy_input_is_a_400_and_changes_nothing(body):
    owner = UserFactory()
    api = _api(owner)
    api.put("/api/moderation/policy", {"blockedPhrases": [PHRASE]}, format="json")

    response = api.put("/api/moderation/policy", body, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert list(PolicyRule.objects.values_list("value", flat=True)) == [PHRASE]
    assert not ProtectedTerm.objects.exists()


def test_the_ai_check_switch_only_matters_when_a_key_exists(settings):
    owner = UserFactory()
    api = _api(owner)

    api.put("/api/moderation/policy", {"aiEnabled": False}, format="json")
    assert api.get("/api/moderation/policy").json()["policy"]["aiEnabled"] is True  # nothing to switch off

    settings.MODERATION_OPENAI_API_KEY = "sk-test"
    api.put("/api/moderation/policy", {"aiEnabled": False}, format="json")
    policy = api.get("/api/moderation/policy").json()["policy"]
    assert (policy["aiEnabled"], policy["aiAvailable"]) == (False, True)
    reasons = text_moderate(team=owner.current_team, text="Hello there").reasons
    assert [r.code for r in reasons] == ["ai_off_for_team"]
