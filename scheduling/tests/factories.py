from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost, ScheduleStatus


class ScheduledPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduledPost

    post = factory.SubFactory(ContentPostFactory)
    platform = factory.SelfAttribute("post.platform")
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    status = ScheduleStatus.PENDING
