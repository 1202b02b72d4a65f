from __future__ import annotations

import factory

from accounts.tests.factories import UserFactory
from content.models import ContentPost


class ContentPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentPost

    author = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda o: o.author.current_team)
    title = factory.Sequence(lambda n: f"Post {n}")
    content = factory.Faker("paragraph")
    hashtags = factory.LazyFunction(lambda: ["#marketing", "#ai"])
    platform = "linkedin"
    tone = "professional"
    audience = "founders"
