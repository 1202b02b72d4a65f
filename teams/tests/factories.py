from __future__ import annotations

import factory

from accounts.tests.factories import UserFactory
from teams.models import Brand, Membership, Notification, Team


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


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")
    voice = "Warm, plain-spoken and optimistic. Short sentences."
    words_to_use = factory.LazyFunction(lambda: ["craft", "together"])
    words_to_avoid = factory.LazyFunction(lambda: ["synergy", "disrupt"])
    example_posts = factory.LazyFunction(lambda: ["We build it together, one cup at a time."])
    default_hashtags = factory.LazyFunction(lambda: ["#BrewTogether"])
