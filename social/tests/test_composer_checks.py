"""The composer's live checks: limits, accounts, moderation, hints and the post card after every edit."""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory
from social.models import AccountHealth
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db
URL = "/social/composer/checks/"


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _check(client, **data):
    response = client.post(URL, data)
    assert response.status_code == 200, response.content
    return response.json()


def test_over_the_x_limit_save_is_disabled_with_the_reason_and_the_fix(client, owner):
    body = _check(client, platform="twitter", text="word " * 70)

    assert body["count"] == 349 and body["limit"] == 280
    assert body["canSave"] is False
    assert body["saveReason"] == "349 of 280 characters as X (Twitter) counts them."
    (issue,) = [i for i in body["issues"] if i["code"] == "too_long"]
    assert issue["fix"] == "Remove 69 characters."

    fixed = _check(client, platform="twitter", text="word " * 50)
    assert fixed["canSave"] is True and not [i for i in fixed["issues"] if i["code"] == "too_long"]


def test_a_blocked_text_shows_the_block_reason_before_saving(client, owner):
    body = _check(client, platform="twitter", text="If you disagree, kill yourself.")

    assert body["moderation"]["decision"] == "block"
    assert body["canSave"] is False
    (issue,) = [i for i in body["issues"] if i["code"] == "moderation_block"]
    assert issue["message"] and issue["message"] in body["saveReason"]


def test_a_health_claim_is_flagged_with_its_reason_while_typing(client, owner):
    body = _check(client, platform="twitter", text="Our tea is a miracle cure: it cures diabetes.")

    assert body["moderation"]["decision"] in {"flag", "block"}
    codes = {i["code"] for i in body["issues"]}
    assert codes & {"moderation_flag", "moderation_block"}
    assert any("health" in i["message"].lower() for i in body["issues"] if i["code"].startswith("moderation"))


def test_hints_score_and_hashtags_follow_the_latest_text(client, owner):
    first = _check(client, platform="linkedin", text="Fresh bread today.")
    second = _check(client, platform="linkedin", text="Fresh bread today. #Lisbon #Sourdough https://bakery.example")

    assert first["hashtags"] == []
    assert second["hashtags"] == ["#Lisbon", "#Sourdough"]
    assert first["engagement"] != second["engagement"]
    assert '<span class="pv-tag">#Lisbon</span>' in second["preview"]["visibleHtml"]
    assert '<span class="pv-link">https://bakery.example</span>' in second["preview"]["visibleHtml"]
    assert second["preview"]["text"] == "Fresh bread today. #Lisbon #Sourdough https://bakery.example"


def test_the_card_folds_where_linkedin_folds_and_escapes_html(client, owner):
    text = "<b>Hello</b> " + "bread " * 60
    body = _check(client, platform="linkedin", text=text)

    assert "&lt;b&gt;Hello&lt;/b&gt;" in body["preview"]["visibleHtml"]
    assert "<b>" not in body["preview"]["visibleHtml"]
    assert body["preview"]["moreHtml"]  # the rest hides behind "see more"
    assert len(body["preview"]["visibleHtml"]) < len(text)


def test_accounts_ticked_are_checked_for_their_connection(client, owner):
    broken = SocialAccountFactory(
        team=owner.current_team, account_name="Old page", health=AccountHealth.NEEDS_RECONNECT
    )

    none_ticked = _check(client, platform="linkedin", text="Hello")
    ticked = _check(client, platform="linkedin", text="Hello", account_ids=[str(broken.pk)])

    assert {i["code"] for i in none_ticked["issues"]} >= {"not_connected"}
    assert none_ticked["canSave"] is True and none_ticked["canPublish"] is False
    (unticked,) = [i for i in none_ticked["issues"] if i["code"] == "not_connected"]
    assert unticked["severity"] == "warning"  # a draft needs no account; publishing does
    assert any(i["code"] == "needs_reconnect" and "Old page" in i["message"] for i in ticked["issues"])
    assert [a["name"] for a in ticked["accounts"]] == ["Old page"]


def test_another_teams_account_is_a_404_and_bad_input_a_400(client, owner):
    other = SocialAccountFactory(team=UserFactory().current_team)

    assert client.post(URL, {"platform": "twitter", "text": "x", "account_ids": [str(other.pk)]}).status_code == 404
    bad = client.post(URL, {"platform": "myspace", "text": "x"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "VALIDATION_ERROR"


def test_a_browsers_crlf_counts_as_one_line_break(client, owner):
    body = _check(client, platform="twitter", text="Open today\r\n\r\n#Bakery")

    assert body["count"] == 19
    assert body["preview"]["text"] == "Open today\n\n#Bakery"


def test_the_first_comment_is_checked_with_the_post_and_shown_under_the_card(client, owner):
    body = _check(client, platform="twitter", text="New loaves today", first_comment="Order at https://bakery.example")
    blocked = _check(client, platform="twitter", text="New loaves today", first_comment="Haters, kill yourself.")

    assert '<span class="pv-link">https://bakery.example</span>' in body["preview"]["firstCommentHtml"]
    assert body["preview"]["text"] == "New loaves today"  # the comment is not part of the post's text
    assert blocked["canSave"] is False and blocked["moderation"]["decision"] == "block"


def test_a_near_duplicate_of_a_published_post_is_flagged_while_typing(client, owner):
    from moderation.integration import record_published

    text = "Our spring sourdough is back in Alfama from Monday, baked fresh every morning at seven."
    record_published(team=owner.current_team, post_id="00000000-0000-0000-0000-000000000001", text=text)

    body = _check(client, platform="linkedin", text=text)

    moderation = [i for i in body["issues"] if i["code"].startswith("moderation")]
    assert moderation and "already published" in moderation[0]["message"]
