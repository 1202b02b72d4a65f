from __future__ import annotations

import factory

from accounts.tests.factories import UserFactory
from teams.models import Membership, Notification, Team


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def with_owner_membership(obj: Team, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            Membership.objects.get_or_create(team=obj, user=obj.owner, defaults={"role": Membership.Role.OWNER})


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.EDITOR


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Notification {n}")
