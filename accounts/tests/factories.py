from __future__ import annotations

from typing import Any

import factory

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    # Most tests act as an established user; the verified-address gate has its own tests with False.
    email_verified = True

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", "correct-horse-battery")
        return model_class.objects.create_user(*args, password=password, **kwargs)
