"""Every stored notification and every e-mail reads in the reader's language: nothing left in English.

In the pseudo-locale (tests/pseudo_locale.py) each translated string carries ⟦markers⟧. Every message
key the code stores for notifications and activity lines (each `Message(gettext_noop(...))`) is
rendered on the notifications page; every e-mail the product sends is sent to a reader of `qps`. A
word outside the markers that is not user content fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.services import user_preferences_ensure
from accounts.tests.factories import UserFactory
from core.stored_messages import Message
from teams.models import Notification
from teams.notification_preferences import digest_send_for, notification_modes_set
from teams.services import notification_send
from teams.tests.factories import TeamFactory
from tests.pseudo_locale import PSEUDO, pseudo_locale, untranslated, user_content

pytestmark = pytest.mark.django_db

PARAM = "Lovelace"
URL = re.compile(r"https?://[^\s<>\"⟦⟧]+")
STORED = re.compile(r"Message\(\s*(?:gettext_noop\(\s*)?\"((?:[^\"\\]|\\.)*)\"", re.S)
NOOP = re.compile(r"gettext_noop\(\s*\"((?:[^\"\\]|\\.)*)\"", re.S)


def _stored_message_keys() -> set[str]:
    """Every key the code stores for later readers: each gettext_noop in a module that stores Messages."""
    keys: set[str] = set()
    base = Path(settings.BASE_DIR)
    for path in base.rglob("*.py"):
        parts = path.relative_to(base).parts
        if parts[0] in {".venv", "var"} or "tests" in parts or "migrations" in parts:
            continue
        text = path.read_text()
        if "Message(" in text:
            keys.update(NOOP.findall(text))
    return keys


@pytest.fixture
def reader():
    cache.clear()
    with pseudo_locale():
        user = UserFactory(first_name=PARAM)
        prefs = user_preferences_ensure(user=user)
        prefs.language = PSEUDO
        prefs.save()
        cache.clear()
        yield user
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()


def test_every_stored_message_key_and_event_type_reads_translated(reader):
    keys = sorted(_stored_message_keys())
    assert len(keys) > 40  # the code was really read
    for key in keys:
        names = set(re.findall(r"%\((\w+)\)s", key))
        message = Message(key, **dict.fromkeys(names, PARAM))
        for event in Notification.Event.values:
            notification_send(user=reader, team=reader.current_team, title=message, body=message, event=event)
    client = Client()
    client.force_login(reader)

    page = client.get(reverse("teams:notifications")).content.decode()

    assert page.count("data-testid") and "⟦" in page
    assert untranslated(page, content=[PARAM, *user_content()]) == []


def _publishing_emails(user, team):
    from content.tests.factories import ContentPostFactory
    from scheduling.services import _email_if_wanted
    from scheduling.tests.factories import ScheduledPostFactory
    from social.services.publishing import publish_result_prepare
    from social.tests.factories import SocialAccountFactory

    account = SocialAccountFactory(team=team)
    rows = []
    for n in range(2):
        post = ContentPostFactory(author=user, team=team, content=f"{PARAM} {n}", title="", hashtags=[])
        rows.append(
            (
                ScheduledPostFactory(post=post, social_account=account),
                publish_result_prepare(post=post, account=account),
            )
        )
    _email_if_wanted(user, succeeded=True, items=rows[:1])
    _email_if_wanted(user, succeeded=False, items=rows[:1])
    _email_if_wanted(user, succeeded=True, items=rows)


def _mails_text() -> list[tuple[str, str, bool]]:
    texts = []
    for message in mail.outbox:
        texts.append((message.subject, "subject", False))
        texts.append((message.body, "body", False))
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                texts.append((content, "html", True))
    return texts


def test_every_email_reads_translated(reader, django_capture_on_commit_callbacks, settings):
    settings.SELF_HOSTED = True  # every feature on: the invitation is sent, not refused by a plan
    from analytics.services import WEEKLY_REPORT_SETTING, weekly_reports_send
    from billing.emails import TEMPLATES, billing_email_send
    from teams.membership_services import invitation_create
    from teams.permissions import team_context

    team = TeamFactory(owner=reader, name="Lovelace Studio")
    reader.current_team = team
    reader.save(update_fields=["current_team"])
    prefs = user_preferences_ensure(user=reader)
    prefs.notification_settings = {**(prefs.notification_settings or {}), WEEKLY_REPORT_SETTING: True}
    prefs.save()
    notification_modes_set(user=reader, modes={"mention": "digest"})
    notification_send(
        user=reader,
        team=team,
        title=Message("%(name)s mentioned you on “%(post)s”", name=PARAM, post=PARAM),
        event=Notification.Event.MENTION,
    )
    mail.outbox.clear()

    with translation.override(PSEUDO), django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            ctx=team_context(user=reader, requested_team_id=str(team.pk)), email="guest@example.com", role="editor"
        )
        digest_send_for(user_id=reader.pk)
        for template in TEMPLATES:
            billing_email_send(team=team, template=template, context={"period_end": timezone.now()})
        weekly_reports_send()
        _publishing_emails(reader, team)
    Client().post(reverse("account_reset_password"), {"email": reader.email}, HTTP_ACCEPT_LANGUAGE=PSEUDO)

    assert len(mail.outbox) >= 10, [m.subject for m in mail.outbox]
    content = [PARAM, *user_content()]
    english = {
        f"{kind}: {line}"
        for text, kind, html in _mails_text()
        # a link is an address, not words: taken out, the sentence around it is still read
        for line in untranslated(URL.sub(" ", text), content=content, html=html)
    }
    assert sorted(english) == []
