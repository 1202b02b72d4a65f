"""Load test of the main read and write APIs: `bench/run_locust.sh` runs it against a PostgreSQL stack.

Each simulated user signs in once (POST /api/auth/login with the seeded demo account, JWT), or uses a
personal API key when LOCUST_API_KEY is set, then mixes reads (posts, schedules, the analytics
dashboard, the profile) with writes (save a draft, generate with the offline AI provider, schedule a
draft on the sandbox account). Run by hand:

    locust -f bench/locustfile.py --host http://127.0.0.1:8000 --headless -u 20 -r 5 -t 60s

Environment: LOCUST_EMAIL / LOCUST_PASSWORD (the demo account), LOCUST_API_KEY (skips the login).
"""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from locust import HttpUser, between, task

EMAIL = os.environ.get("LOCUST_EMAIL", "demo@contentgenai.local")
PASSWORD = os.environ.get("LOCUST_PASSWORD", "demo-pass-2026")
API_KEY = os.environ.get("LOCUST_API_KEY", "")
PLATFORMS = ["linkedin", "twitter", "instagram", "facebook"]


class ContentTeamUser(HttpUser):
    """A marketer working through the API: mostly reading lists, sometimes writing and scheduling."""

    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        if API_KEY:
            self.client.headers["Authorization"] = f"Api-Key {API_KEY}"
        else:
            response = self.client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
            response.raise_for_status()
            self.client.headers["Authorization"] = f"Bearer {response.json()['tokens']['accessToken']}"
        self.draft_ids: list[str] = []
        accounts = self.client.get("/api/social/accounts/", name="/api/social/accounts/").json().get("results", [])
        self.sandbox = next((a["id"] for a in accounts if a.get("platform") == "sandbox"), None)

    @task(5)
    def list_posts(self) -> None:
        self.client.get("/api/posts/", name="/api/posts/")

    @task(3)
    def list_schedules(self) -> None:
        self.client.get("/api/schedules/", name="/api/schedules/")

    @task(2)
    def analytics_dashboard(self) -> None:
        self.client.get("/api/analytics/dashboard?timeRange=30d", name="/api/analytics/dashboard")

    @task(1)
    def profile(self) -> None:
        self.client.get("/api/me/", name="/api/me/")

    @task(2)
    def save_draft(self) -> None:
        body: dict[str, Any] = {
            "title": f"Load test {random.randint(1, 10**9)}",  # noqa: S311 - not security
            "content": "Three ways to plan a week of posts in twenty minutes. #planning",
            "platform": random.choice(PLATFORMS),  # noqa: S311
            "tone": "professional",
            "audience": "founders",
            "hashtags": ["#planning"],
        }
        response = self.client.post("/api/content/save", json=body, name="/api/content/save")
        if response.status_code == 201:
            self.draft_ids.append(response.json()["post"]["id"])

    @task(1)
    def generate(self) -> None:
        body = {
            "prompt": f"A tip about {random.choice(['coffee', 'hiring', 'pricing', 'onboarding'])}",  # noqa: S311
            "platform": random.choice(PLATFORMS),  # noqa: S311
            "tone": "fun",
            "audience": "small business owners",
            "contentType": "CAPTION",
        }
        self.client.post("/api/content/generate", json=body, name="/api/content/generate")

    @task(1)
    def schedule_draft(self) -> None:
        if not self.draft_ids or not self.sandbox:
            return
        at = datetime.now(UTC) + timedelta(days=random.randint(2, 30), minutes=random.randint(0, 600))  # noqa: S311
        body = {
            "postId": self.draft_ids.pop(),
            "scheduledAt": at.isoformat(),
            "platforms": [self.sandbox],
            "timezone": "Europe/Berlin",
        }
        self.client.post("/api/content/schedule", json=body, name="/api/content/schedule")
