"""Every spec feature the composer issue lists is reachable from the dashboard, not only through the API.

Starting at the dashboard, the owner of a team with a post, an account, a queue, a series and a
template follows the links the pages offer (same site, GET only, two clicks deep from the sidebar),
and every action is found on some page it reached: as a button, a form or a link.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import UserFactory
from content.template_services import template_create, template_update
from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost
from scheduling.series import recurring_create
from social.tests.factories import SocialAccountFactory
from teams.models import Membership
from teams.permissions import TeamContext

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a [^>]*href="(/[^"#?]*(?:\?[^"#]*)?)"')
SKIP = re.compile(
    r"^/(accounts/|admin|static/|media/|api/|i18n/|settings/privacy/|notifications/.+/open/|.*/download/)"
)

# What must be reachable, and the mark on a page that shows it is.
FEATURES = {
    "composer: generate a draft per platform": 'data-testid="generate"',
    "composer: save draft": 'data-testid="save-draft"',
    "composer: submit for approval": 'data-testid="composer-submit"',
    "composer: publish now": 'data-testid="composer-publish"',
    "composer: schedule": 'data-testid="composer-schedule"',
    "composer: add to queue": 'data-testid="composer-queue"',
    "composer: repeat (RRULE presets)": 'data-testid="composer-repeat"',
    "composer: optimize": 'data-testid="assist-optimize"',
    "composer: hashtag suggestions": 'data-testid="assist-hashtags"',
    "composer: translate": 'data-testid="assist-translate"',
    "composer: variants": 'data-testid="assist-variants"',
    "post page: publish and schedule": 'data-testid="publishing-panel"',
    "post page: schedule in one click": 'data-testid="schedule-post"',
    "approvals queue": 'data-testid="waiting-count"',
    "approval workflows (under Team)": 'data-testid="team-workflows-link"',
    "calendar: week time grid": 'href="?view=week"',
    "calendar: recurring series with edit and stop": 'data-testid="series-stop"',
    "queue: reorder": 'data-testid="queue-down"',
    "queue: shuffle": 'data-testid="queue-shuffle"',
    "templates: create": 'data-testid="template-form"',
    "templates: gallery": 'data-testid="gallery-tab"',
    "templates: version history with restore": 'data-testid="restore-version"',
    "templates: use in the composer": 'data-testid="use-template"',
}


def _world():
    owner = UserFactory()
    team = owner.current_team
    account = SocialAccountFactory(team=team, account_name="Main sandbox")
    post = ContentPostFactory(author=owner, title="Spring menu", content="Spring menu", hashtags=[], platform="sandbox")
    for n in range(2):
        queued = ContentPostFactory(author=owner, title=f"Queued {n}", content=f"Queued {n}", hashtags=[])
        ScheduledPost.objects.create(
            post=queued,
            social_account=account,
            platform="sandbox",
            scheduled_at=timezone.now() + timedelta(days=n + 1),
            in_queue=True,
        )
    start = datetime.combine(timezone.now().date() + timedelta(days=1), time(9, 0))
    recurring_create(post=post, account=account, rrule="FREQ=WEEKLY", start_local=start, tz="UTC", actor=owner)
    ctx = TeamContext(user=owner, team=team, membership=Membership.objects.get(team=team, user=owner))
    template = template_create(ctx=ctx, name="Launch", body="We launched {product}")
    template_update(ctx=ctx, template=template, changes={"body": "We launched {product} today"})
    return owner


def test_every_feature_of_the_composer_issue_is_reachable_from_the_dashboard():
    owner = _world()
    client = Client()
    client.force_login(owner)

    seen: dict[str, str] = {}
    frontier = ["/dashboard/"]
    for _depth in range(3):
        following = []
        for url in frontier:
            if url in seen or SKIP.match(url):
                continue
            response = client.get(url)
            seen[url] = response.content.decode() if response.status_code == 200 else ""
            following += [link for link in LINK.findall(seen[url]) if link not in seen]
        frontier = list(dict.fromkeys(following))[:150]

    missing = [name for name, mark in FEATURES.items() if not any(mark in html for html in seen.values())]
    assert missing == [], f"not reachable from the dashboard in {len(seen)} pages: {missing}"
