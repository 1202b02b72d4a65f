"""Demo account and demo data for the embedded default (`make run`).

Idempotent: every row is looked up by a stable key before it is created, so running the command
again changes nothing. It lives in monitoring, the top of the import order, because it seeds every
app's tables.
"""

from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import UserPreferences
from analytics.models import ContentAnalytics
from content.models import ContentPost
from scheduling.models import ScheduledPost
from social.models import PublishResult, SandboxPost, SocialAccount
from teams.models import Notification, Team

DEMO_EMAIL = "demo@contentgenai.local"
ADMIN_EMAIL = "admin@contentgenai.local"
DEFAULT_DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo credential
DEMO_TIMEZONE = "Europe/London"
SANDBOX_ACCOUNT_ID = "sandbox-demo"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@dataclass(frozen=True)
class DemoPost:
    title: str
    platform: str
    status: str
    tone: str
    audience: str
    content: str
    hashtags: tuple[str, ...]
    # PUBLISHED/FAILED: days ago; SCHEDULED: days ahead (at `local_time` in DEMO_TIMEZONE).
    days: int = 0
    local_time: tuple[int, int] = (9, 0)


DEMO_POSTS: tuple[DemoPost, ...] = (
    DemoPost(
        title="Launch week recap",
        platform="linkedin",
        status="PUBLISHED",
        tone="professional",
        audience="B2B marketers",
        content=(
            "Launch week is a wrap. 1,200 sign-ups, 38 customer calls and one very tired team.\n\n"
            "Three things we learned:\n1. Lead with the problem, not the feature.\n"
            "2. A 90-second demo beats a 9-slide deck.\n3. Reply to every comment in the first hour.\n\n"
            "Thank you to everyone who tried it and told us what to fix next."
        ),
        hashtags=("#ProductLaunch", "#StartupLife", "#B2BMarketing"),
        days=27,
    ),
    DemoPost(
        title="Five-minute content routine",
        platform="twitter",
        status="PUBLISHED",
        tone="casual",
        audience="solo founders",
        content=(
            "My 5-minute content routine:\n- Write one idea a day\n- Turn the best one into a thread on Friday\n"
            "- Reuse the thread as a LinkedIn post on Monday\nConsistency > virality."
        ),
        hashtags=("#ContentMarketing", "#BuildInPublic"),
        days=21,
    ),
    DemoPost(
        title="Behind the scenes at the studio",
        platform="instagram",
        status="PUBLISHED",
        tone="friendly",
        audience="small business owners",
        content=(
            "Behind the scenes: Monday planning at the studio. Coffee, sticky notes and a calendar full of "
            "posts that write themselves (almost). What does your Monday look like?"
        ),
        hashtags=("#BehindTheScenes", "#SmallBusiness", "#MondayMotivation", "#TeamWork"),
        days=14,
    ),
    DemoPost(
        title="Customer story: Hartley Bakery",
        platform="facebook",
        status="PUBLISHED",
        tone="warm",
        audience="local businesses",
        content=(
            "Hartley Bakery went from posting twice a month to three times a week, and weekend pre-orders "
            "are up 40%. Their secret: batch-writing a week of posts every Sunday evening in 20 minutes."
        ),
        hashtags=("#CustomerStory", "#LocalBusiness", "#SocialMediaTips"),
        days=6,
    ),
    DemoPost(
        title="Hashtag myths",
        platform="mastodon",
        status="PUBLISHED",
        tone="informative",
        audience="community managers",
        content=(
            "Hashtag myth: more is better. On most networks 3 to 5 specific tags beat 30 generic ones. "
            "Pick tags your audience actually follows, and put them at the end, not mid-sentence."
        ),
        hashtags=("#SocialMedia", "#CommunityManagement"),
        days=2,
    ),
    DemoPost(
        title="Webinar reminder",
        platform="linkedin",
        status="SCHEDULED",
        tone="professional",
        audience="marketing leads",
        content=(
            "Next Thursday: 'Planning a quarter of content in one afternoon'. Live, 30 minutes, with a "
            "template you can copy. Bring your messiest content calendar."
        ),
        hashtags=("#Webinar", "#ContentStrategy", "#Marketing"),
        days=1,
        local_time=(9, 0),
    ),
    DemoPost(
        title="Friday tip: repurpose",
        platform="twitter",
        status="SCHEDULED",
        tone="casual",
        audience="creators",
        content=(
            "Friday tip: your best-performing post from last month deserves a second life. "
            "New hook, same insight, different format. Nobody saw it the first time anyway."
        ),
        hashtags=("#CreatorTips", "#Repurpose"),
        days=3,
        local_time=(12, 30),
    ),
    DemoPost(
        title="Product update: calendar view",
        platform="bluesky",
        status="SCHEDULED",
        tone="excited",
        audience="existing users",
        content=(
            "New: drag a post on the calendar to reschedule it. Time zones are kept, so 09:00 in London "
            "stays 09:00 in London, even across the clock change."
        ),
        hashtags=("#ProductUpdate", "#NewFeature"),
        days=6,
        local_time=(17, 0),
    ),
    DemoPost(
        title="TikTok hook ideas",
        platform="tiktok",
        status="DRAFT",
        tone="playful",
        audience="Gen Z shoppers",
        content=(
            "POV: you wrote a week of posts before your coffee got cold. Three hooks to test: "
            "'Stop scrolling if you post every day', 'The 20-minute content week', 'I let AI plan my feed'."
        ),
        hashtags=("#ContentCreator", "#MarketingTok", "#LifeHack"),
    ),
    DemoPost(
        title="Hiring: community manager",
        platform="linkedin",
        status="DRAFT",
        tone="professional",
        audience="job seekers",
        content=(
            "We're hiring a Community Manager (remote, UK or EU time zones). You'll talk to our users "
            "every day and turn what they tell you into the stories we share. Link in the comments."
        ),
        hashtags=("#Hiring", "#RemoteJobs", "#CommunityManager"),
    ),
    DemoPost(
        title="Poll: best time to post",
        platform="instagram",
        status="DRAFT",
        tone="curious",
        audience="followers",
        content="Quick poll for our community: when do you actually read posts? Morning coffee, lunch break, "
        "or late-night scroll? We'll share the results (and the data) next week.",
        hashtags=("#Poll", "#CommunityFirst"),
    ),
    DemoPost(
        title="Spring sale teaser",
        platform="facebook",
        status="FAILED",
        tone="promotional",
        audience="newsletter subscribers",
        content=(
            "Spring cleaning for your content calendar: 30% off the Pro plan until Sunday. "
            "Plan, write and schedule a month of posts in one sitting."
        ),
        hashtags=("#SpringSale", "#Discount"),
        days=4,
    ),
    # Older posts, so the default 30-day view has a previous period to compare with.
    DemoPost(
        title="Our first 100 customers",
        platform="linkedin",
        status="PUBLISHED",
        tone="professional",
        audience="founders",
        content=(
            "100 customers. What got us here: answering every support email within an hour, a changelog "
            "people actually read, and saying no to three big feature requests."
        ),
        hashtags=("#Startup", "#CustomerSuccess"),
        days=52,
    ),
    DemoPost(
        title="Three tools we cut",
        platform="twitter",
        status="PUBLISHED",
        tone="casual",
        audience="small teams",
        content="We cut three tools this quarter and nobody noticed. Audit your stack before you add to it.",
        hashtags=("#Productivity",),
        days=41,
    ),
    DemoPost(
        title="Studio playlist",
        platform="instagram",
        status="PUBLISHED",
        tone="playful",
        audience="creatives",
        content="What we listen to while we edit: the studio playlist, updated every Friday. Add your track below.",
        hashtags=("#StudioLife", "#Playlist"),
        days=34,
    ),
)


class Command(BaseCommand):
    help = "Create the demo user, an admin user and demo content (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when the demo user already exists (used by scripts/runstack.py on every start).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        password = demo_password()
        if options["if_missing"] and user_model.objects.filter(email=DEMO_EMAIL).exists():
            self.stdout.write(f"Demo data already present (log in as {DEMO_EMAIL}).")
            return
        with transaction.atomic():
            demo, demo_created = self._user(DEMO_EMAIL, password, first_name="Demo", last_name="User")
            admin, admin_created = self._user(ADMIN_EMAIL, password, first_name="Admin", superuser=True)
            counts = self._content(demo)
            # The demo workspace gets Pro for a year (a comp, no Stripe needed) so every feature can be tried
            # on the embedded default; sign up another account to see the Free plan's limits.
            call_command("comp_workspace", email=DEMO_EMAIL, tier="PRO", days=365, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready: " + ", ".join(f"{n} {k}" for k, n in counts.items())))
        self._credentials(password, reused=not (demo_created and admin_created))

    def _user(
        self, email: str, password: str, *, first_name: str, last_name: str = "", superuser: bool = False
    ) -> tuple[Any, bool]:
        user_model = get_user_model()
        user = user_model.objects.filter(email=email).first()
        created = user is None
        if user is None:
            create = user_model.objects.create_superuser if superuser else user_model.objects.create_user
            user = create(email=email, password=password, first_name=first_name, last_name=last_name)
        if not user.email_verified:
            user.email_verified = True
            user.save(update_fields=["email_verified"])
        # allauth keeps its own verified-address row; without it the login flow asks to verify.
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user, created

    def _content(self, user: Any) -> dict[str, int]:

        team = Team.objects.get(pk=user.current_team_id)
        if team.timezone != DEMO_TIMEZONE:
            team.timezone = DEMO_TIMEZONE
            team.save(update_fields=["timezone", "updated_at"])
        UserPreferences.objects.get_or_create(user=user, defaults={"timezone": DEMO_TIMEZONE})
        account, _ = SocialAccount.objects.get_or_create(
            team=team,
            platform="sandbox",
            account_id=SANDBOX_ACCOUNT_ID,
            defaults={
                "connected_by": user,
                "account_name": "Demo Sandbox",
                # Any value works for the sandbox platform; the field encrypts it at rest.
                "access_token": secrets.token_urlsafe(32),
                "permissions": ["publish", "read_metrics"],
                "metadata": {"demo": True},
            },
        )
        Notification.objects.get_or_create(
            user=user,
            team=team,
            title="Welcome to ContentGenAI",
            defaults={"body": "This workspace holds demo posts, a schedule and two months of analytics.", "url": "/"},
        )

        now = timezone.now()
        zone = ZoneInfo(DEMO_TIMEZONE)
        for index, spec in enumerate(DEMO_POSTS):
            post, created = ContentPost.objects.get_or_create(
                team=team,
                title=spec.title,
                defaults={
                    "author": user,
                    "content": spec.content,
                    "hashtags": list(spec.hashtags),
                    "platform": spec.platform,
                    "tone": spec.tone,
                    "audience": spec.audience,
                    "status": spec.status,
                    "metadata": {"demo": True},
                },
            )
            if not created:
                continue
            if spec.status == "SCHEDULED":
                at = _local_slot(now, spec.days, spec.local_time, zone)
                post.scheduled_at = at
                post.save(update_fields=["scheduled_at", "updated_at"])
                ScheduledPost.objects.create(
                    post=post,
                    social_account=account,
                    platform=account.platform,
                    scheduled_at=at,
                    timezone=DEMO_TIMEZONE,
                )
            elif spec.status == "PUBLISHED":
                # Published at working hours of the demo's time zone, spread over the day, so its best
                # times to post (learned from these posts) read like a real team's.
                published_at = _local_slot(now, -spec.days, (8 + index * 7 % 11, 0), zone, past=True)
                post.scheduled_at = published_at
                post.published_at = published_at
                post.save(update_fields=["scheduled_at", "published_at", "updated_at"])
                result = PublishResult.objects.create(
                    post=post,
                    social_account=account,
                    platform=account.platform,
                    status="SUCCESS",
                    published_at=published_at,
                    metadata={"target_platform": spec.platform},
                )
                # What the sandbox received, dated to the publication, so the hourly metrics fetch
                # finds the post and continues the same simulated curve the history below starts.
                # It carries the result's idempotency key, as a real delivery does: that is how the
                # workspace's sandbox timeline finds it.
                delivered = SandboxPost.objects.create(
                    account_id=SANDBOX_ACCOUNT_ID,
                    account_name=account.account_name,
                    text=spec.content,
                    idempotency_key=result.idempotency_key,
                )
                SandboxPost.objects.filter(pk=delivered.pk).update(created_at=published_at)
                PublishResult.objects.filter(pk=result.pk).update(
                    platform_post_id=str(delivered.pk),
                    # The delivery's page in the app's sandbox timeline, as the connector links it.
                    url=settings.SITE_URL.rstrip("/") + reverse("social:sandbox_delivery", args=[delivered.pk]),
                )
            elif spec.status == "FAILED":
                failed_at = now - timedelta(days=spec.days)
                post.scheduled_at = failed_at
                post.save(update_fields=["scheduled_at", "updated_at"])
                PublishResult.objects.create(
                    post=post,
                    social_account=account,
                    platform=account.platform,
                    status="FAILED",
                    error="Sandbox rejected the post: the linked image was not reachable.",
                    metadata={"target_platform": spec.platform},
                )

        # The simulated history: what the sandbox would have reported each day since publication.
        call_command("backfill_sandbox_metrics", team=str(team.pk), days=60, stdout=io.StringIO())
        for post in ContentPost.objects.filter(team=team, status="PUBLISHED", engagement_score__isnull=True):
            latest = ContentAnalytics.objects.filter(post=post).order_by("-recorded_at").first()
            if latest is not None:
                post.engagement_score = round(min(latest.engagement_rate * 1000, 100), 2)  # 4.5 % -> 45
                post.save(update_fields=["engagement_score", "updated_at"])
        posts = ContentPost.objects.filter(team=team)
        return {
            "posts": posts.count(),
            "scheduled": ScheduledPost.objects.filter(team=team).count(),
            "publish results": PublishResult.objects.filter(post__team=team).count(),
            "analytics snapshots": ContentAnalytics.objects.filter(post__team=team).count(),
        }

    def _credentials(self, password: str, *, reused: bool) -> None:
        shown = password if not reused else f"{password} (unless changed since the account was created)"
        lines = [
            "",
            "  Demo login   email: " + DEMO_EMAIL,
            "               password: " + shown,
            "  Admin (/admin/)   email: " + ADMIN_EMAIL + "   password: same as above",
            "",
        ]
        self.stdout.write("\n".join(lines))


def _local_slot(
    now: datetime, days_ahead: int, local_time: tuple[int, int], zone: ZoneInfo, *, past: bool = False
) -> datetime:
    """A wall-clock time `days_ahead` days from now in `zone` (kept in the future, or the past), as UTC."""
    day = now.astimezone(zone).date() + timedelta(days=days_ahead)
    local = datetime(day.year, day.month, day.day, local_time[0], local_time[1], tzinfo=zone)
    if not past and local <= now:
        local += timedelta(days=1)
    if past and local >= now:
        local -= timedelta(days=1)
    return local.astimezone(ZoneInfo("UTC"))
