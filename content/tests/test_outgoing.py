"""A post's outgoing text is built once: every preview, check, moderation case and delivery shows the same bytes."""

from __future__ import annotations

import html
import re

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.tests.factories import UserFactory
from content.outgoing import hashtag_key, outgoing_compose, outgoing_for
from content.platform_rules import extract_hashtags
from content.tests.factories import ContentPostFactory
from moderation.models import ContentFingerprint, ModerationCase
from moderation.services import case_approve
from social.models import SandboxPost
from social.services.publishing import publish_result_deliver, publish_result_prepare
from social.tests.factories import SocialAccountFactory

SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Marks count as part of a tag (Hebrew points, Arabic harakat, Devanagari vowel signs), as for platforms.
TAG_RE = regex.compile(r"(?<![\w#])#([\p{L}\p{M}\p{N}_]+)")


def _tag_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for match in TAG_RE.finditer(text):
        key = hashtag_key(match.group(1))
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_hashtags_the_writer_already_put_in_the_body_are_not_appended_again():
    body = "Fresh loaves every morning in Alfama. #Lisbon #Sourdough"

    out = outgoing_compose(body=body, hashtags=["#Lisbon", "#Sourdough"])

    assert out.text == body


def test_missing_hashtags_are_appended_once_whatever_their_case_or_hash_sign():
    out = outgoing_compose(body="Fresh loaves #lisbon", hashtags=["Lisbon", "#Sourdough", "sourdough", "Summer Sale!"])

    assert out.text == "Fresh loaves #lisbon\n\n#Sourdough #SummerSale"


def test_a_longer_tag_in_the_body_does_not_count_as_the_shorter_one():
    out = outgoing_compose(body="Season 2026 #Lisbon2026", hashtags=["#Lisbon"])

    assert out.text == "Season 2026 #Lisbon2026\n\n#Lisbon"


def test_the_first_comment_is_moderated_with_the_post_but_not_posted_in_it():
    out = outgoing_compose(body="Hello #Lisbon", hashtags=["#Lisbon"], first_comment="  Menu at the link  ")

    assert out.text == "Hello #Lisbon"
    assert out.first_comment == "Menu at the link"
    assert out.moderated == "Hello #Lisbon\n\nMenu at the link"


_letter = st.characters(categories=["Lu", "Ll", "Lo"])
_tag = st.builds(lambda head, tail: head + tail, _letter, st.text(_letter | st.sampled_from("0123456789_"), max_size=8))
_word = st.text(st.characters(categories=["Lu", "Ll", "Nd", "Zs", "Po"], exclude_characters="#＃"), max_size=12)


# Property 13: Platform-Specific Content Formatting (the text that goes out carries each hashtag once)
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    tags=st.lists(_tag, min_size=1, max_size=6, unique_by=hashtag_key),
    in_body=st.lists(st.booleans(), min_size=6, max_size=6),
    words=st.lists(_word, max_size=6),
    upper=st.booleans(),
)
@example(tags=["Aשׁ"], in_body=[False] * 6, words=[], upper=False)  # a combining point (U+05C1) ends no tag
def test_each_hashtag_appears_exactly_once_in_the_outgoing_text(tags, in_body, words, upper):
    inline = [("#" + (t.upper() if upper else t)) for t, keep in zip(tags, in_body, strict=False) if keep]
    body = " ".join(words + inline)

    text = outgoing_compose(body=body, hashtags=tags + [f"#{t}" for t in tags]).text

    counts = _tag_counts(text)
    assert all(counts.get(hashtag_key(t)) == 1 for t in tags), (body, text)
    assert text.startswith(body.strip())


# Property 19: Content Publishing and Data Retrieval (what the preview shows is what the platform receives)
@pytest.mark.django_db
@SLOW
@given(
    tags=st.lists(_tag, max_size=5, unique_by=hashtag_key),
    in_body=st.lists(st.booleans(), min_size=5, max_size=5),
    words=st.lists(_word, min_size=1, max_size=6).filter(lambda w: "".join(w).strip()),
)
def test_the_sandbox_receives_exactly_the_outgoing_text(user, tags, in_body, words):
    inline = ["#" + t for t, keep in zip(tags, in_body, strict=False) if keep]
    post = ContentPostFactory(author=user, content=" ".join(words + inline), hashtags=tags)
    account = SocialAccountFactory(team=user.current_team)

    publish_result_deliver(result_id=publish_result_prepare(post=post, account=account).pk)

    delivered = SandboxPost.objects.get(account_id=account.account_id)
    assert delivered.text == outgoing_for(post).text
    assert all(n == 1 for n in _tag_counts(delivered.text).values())
    ContentFingerprint.objects.all().delete()  # examples are independent: no near-duplicate of the last one


def _preview_of(response, testid: str) -> str:
    page = response.content.decode()
    match = re.search(rf'data-testid="{testid}">(.*?)</(?:div|p)>', page, re.S)
    assert match, f"no {testid} on the page"
    return html.unescape(match.group(1).replace("<br>", "\n")).strip()


@pytest.mark.django_db
def test_post_page_preview_publish_page_moderation_case_and_delivery_all_hold_the_same_text(client, user):
    # given a written post whose body already carries its hashtags, and one more tag only in the list
    body = "Fresh loaves every morning in Alfama, a miracle cure for Mondays. #Lisbon #Sourdough"
    post = ContentPostFactory(author=user, content=body, hashtags=["#Lisbon", "#Sourdough", "#Bakery"])
    account = SocialAccountFactory(team=user.current_team)
    client.force_login(user)
    expected = body + "\n\n#Bakery"

    # when the author looks at the post page and the publish page
    post_page = client.get(f"/posts/{post.pk}/")
    publish_page = client.get(f"/social/publish/{post.pk}/")

    # then both previews show the outgoing text, hashtags once
    assert _preview_of(post_page, "post-preview") == expected
    assert _preview_of(publish_page, "publish-preview") == expected

    # when it is published: moderation holds it for review ("miracle cure"), and the case shows the same text
    response = client.post(f"/social/publish/{post.pk}/submit/", {"account_ids": [str(account.pk)]})
    assert response.status_code == 302
    case = ModerationCase.objects.get(subject_id=str(post.pk))
    assert case.text == expected

    # after a moderator approves, the sandbox receives those exact bytes
    case_approve(case=case, moderator=UserFactory(platform_role=User.PlatformRole.MODERATOR))
    again = client.post(f"/social/publish/{post.pk}/submit/", {"account_ids": [str(account.pk)]}, follow=True)
    assert SandboxPost.objects.exists(), [str(m) for m in again.context["messages"]]
    delivered = SandboxPost.objects.get(account_id=account.account_id)
    assert delivered.text == expected
    assert extract_hashtags(delivered.text) == ["#Lisbon", "#Sourdough", "#Bakery"]


def test_crlf_line_breaks_from_a_browser_go_out_as_one_lf():
    out = outgoing_compose(body="Open today\r\n\r\n#Lisbon\r", hashtags=["#Lisbon"], first_comment="Menu\r\nlink")

    assert out.text == "Open today\n\n#Lisbon"
    assert out.first_comment == "Menu\nlink"
