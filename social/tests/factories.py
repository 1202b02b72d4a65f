from __future__ import annotations

import factory

from social.models import Platform, SocialAccount
from teams.tests.factories import TeamFactory


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    team = factory.SubFactory(TeamFactory)
    platform = Platform.SANDBOX
    account_id = factory.Sequence(lambda n: f"acct-{n}")
    account_name = factory.Sequence(lambda n: f"Account {n}")
    access_token = factory.Sequence(lambda n: f"access-token-{n}")
    refresh_token = factory.Sequence(lambda n: f"refresh-token-{n}")
