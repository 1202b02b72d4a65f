from __future__ import annotations

import pytest

from teams.models import ActivityEvent, Notification
from teams.services import activity_record, notification_send
from teams.tasks import notification_payload
from teams.tests.factories import BrandFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_an_activity_line_names_its_actor_verb_and_target():
    team = TeamFactory()
    brand = BrandFactory(team=team)

    event = activity_record(team=team, actor=team.owner, verb="brand.created", summary="Created brand", target=brand)

    stored = ActivityEvent.objects.get(pk=event.pk)
    assert (stored.team, stored.actor, stored.verb) == (team, team.owner, "brand.created")
    assert (stored.target_type, stored.target_id) == ("content.brand", str(brand.pk))
    assert list(team.activity.all()) == [stored]


def test_a_long_summary_is_cut_to_fit_rather_than_failing():
    team = TeamFactory()
    event = activity_record(team=team, actor=None, verb="system.note", summary="x" * 1000)
    assert len(event.summary) == 300


def test_the_live_payload_carries_the_notification_event_type():
    team = TeamFactory()
    notification = notification_send(
        user=team.owner, team=team, title="You were mentioned", event=Notification.Event.MENTION
    )
    assert notification_payload(notification)["event"] == "mention"


def test_a_feed_line_names_the_actor_once_wherever_the_sentence_puts_them(client):
    import re

    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from accounts.tests.factories import UserFactory
    from core.stored_messages import Message

    rui = UserFactory(first_name="Rui")
    team = rui.current_team
    for summary in (
        Message(gettext_noop("wrote “%(post)s”"), post="Rye is back"),
        Message(gettext_noop("%(who)s approved “%(post)s” (%(stage)s)"), who="Rui", post="Rye is back", stage="Review"),
        Message(
            gettext_noop("Imported %(created)s posts (%(scheduled)s schedules) from a %(source)s file"),
            created=3,
            scheduled=1,
            source="Buffer",
        ),
    ):
        activity_record(team=team, actor=rui, verb="post.note", summary=summary)
    client.force_login(rui)

    html = client.get(reverse("teams:activity")).content.decode()

    lines = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line)).strip()
        for line in re.findall(r'data-testid="activity-row">(.*?)·', html, re.S)
    ]
    assert sorted(lines) == sorted(
        [
            "Rui wrote “Rye is back”",
            "Rui approved “Rye is back” (Review)",
            "Imported 3 posts (1 schedules) from a Buffer file",
        ]
    )
    assert "Rui Rui" not in html
