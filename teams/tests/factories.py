from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

import factory

from accounts.models import User
from accounts.tests.factories import UserFactory
from content.models import Brand
from teams.models import Membership, Notification, Team
from teams.permissions import TeamContext, team_context


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


@dataclass
class Crew:
    """A team with one member per role (the owner made it) and a member of another team."""

    team: Team
    users: dict[str, User]
    outsider: User

    def ctx(self, role: str) -> TeamContext:
        return team_context(user=self.users[role], requested_team_id=str(self.team.pk))


def crew_create(*, name: str = "Agency") -> Crew:
    owner = UserFactory(email=f"owner.{uuid4().hex[:6]}@example.com", first_name="Olive")
    team = TeamFactory(name=name, owner=owner)
    users: dict[str, User] = {"owner": owner}
    first_names = {"admin": "Ada", "editor": "Eddie", "reviewer": "Rita", "viewer": "Vic", "client": "Cleo"}
    for role, first in first_names.items():
        user = UserFactory(email=f"{role}.{uuid4().hex[:6]}@example.com", first_name=first)
        MembershipFactory(team=team, user=user, role=role)
        users[role] = user
    return Crew(team=team, users=users, outsider=UserFactory())
