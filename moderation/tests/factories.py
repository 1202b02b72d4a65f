from __future__ import annotations

import factory

from moderation.models import ModerationCase, ModerationPolicy, PolicyRule
from moderation.text import text_hash
from teams.tests.factories import TeamFactory


class ModerationPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModerationPolicy

    team = factory.SubFactory(TeamFactory)


class PolicyRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyRule

    policy = factory.SubFactory(ModerationPolicyFactory)
    kind = PolicyRule.Kind.WORD
    value = "forbidden"
    action = "block"


class ModerationCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModerationCase

    team = factory.SubFactory(TeamFactory)
    author = factory.LazyAttribute(lambda o: o.team.owner)
    text = factory.Sequence(lambda n: f"Flagged text number {n}")
    text_hash = factory.LazyAttribute(lambda o: text_hash(o.text))
    decision = "flag"
    reasons = factory.LazyFunction(
        lambda: [
            {
                "check": "profanity",
                "code": "profanity_mild",
                "message": '"damn" is mild profanity (en).',
                "severity": "flag",
                "key": '"%(text)s" is mild profanity (%(language)s).',
                "params": {"text": "damn", "language": "en"},
            }
        ]
    )
