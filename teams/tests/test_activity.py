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
