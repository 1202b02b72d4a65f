"""How much our generation path costs on top of the provider, measured in one run.

(a) median time our path (content_generate: registry, prompt, retries wrapper, quota, record, cache write,
    platform fitting, engagement, moderation hook) adds over calling the same local fake OpenAI server
    directly with the openai SDK. Target: at most 15 ms.
(b) a cache hit through POST /api/content/generate, as a ratio to a plain cached JSON view answered by the
    same stack (DRF, authentication, team context, camelCase renderer). Target: at most 2.

Run: .venv/bin/python bench/ai_overhead.py [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def _median_ms(call, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs

    setup_test_environment()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = ":memory:"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    import openai
    from rest_framework.response import Response
    from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    from accounts.tests.factories import UserFactory
    from content.apis import ContentGenerateApi
    from content.services import brief_build, content_generate
    from content.tests import fakes
    from content.tests.fake_server import FakeAIServer
    from teams.permissions import request_team_context, team_context

    settings.SELF_HOSTED = True  # no quota ceiling for thousands of calls; the code path is the same
    with FakeAIServer() as server:
        server.default = fakes.ok(fakes.openai_completion("A fresh post about coffee for baristas. #Coffee #Beans"))
        settings.AI_PROVIDER_PRIORITY = ["openai", "offline"]
        settings.OPENAI_API_KEY = "sk-bench"
        settings.OPENAI_BASE_URL = f"{server.url}/v1"
        cache.clear()

        user = UserFactory()
        ctx = team_context(user=user)
        brief = brief_build(kind="CAPTION", topic="Coffee", platform="linkedin", tone="fun", audience="baristas")
        client = openai.OpenAI(api_key="sk-bench", base_url=f"{server.url}/v1", max_retries=0)
        messages = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]

        def direct() -> None:
            client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_completion_tokens=100)

        def ours() -> None:
            content_generate(ctx=ctx, brief=brief, regenerate=True)

        for _ in range(20):  # warm both paths (connection pools, imports)
            direct()
            ours()
        direct_ms = _median_ms(direct, runs)
        ours_ms = _median_ms(ours, runs)

        class PlainCachedJson(APIView):
            """What every team-scoped read in this product does at least: resolve the team, read the cache."""

            def get(self, request):  # type: ignore[no-untyped-def]
                request_team_context(request)
                return Response(cache.get("bench:plain"))

        cache.set("bench:plain", {"success": True, "content": "x" * 300, "metadata": {"provider": "openai"}}, 3600)
        factory = APIRequestFactory()
        generate_view = ContentGenerateApi.as_view()
        plain_view = PlainCachedJson.as_view()
        body = {
            "prompt": "Coffee",
            "platform": "linkedin",
            "tone": "fun",
            "audience": "baristas",
            "contentType": "CAPTION",
        }
        APIClient().post  # noqa: B018 (imports DRF's test client machinery before timing)

        def cache_hit() -> None:
            request = factory.post("/api/content/generate", body, format="json")
            force_authenticate(request, user=user)
            response = generate_view(request)
            assert response.data["metadata"]["cached"], "expected a cache hit"

        def plain() -> None:
            request = factory.get("/plain")
            force_authenticate(request, user=user)
            plain_view(request).render()

        request = factory.post("/api/content/generate", body, format="json")
        force_authenticate(request, user=user)
        generate_view(request)  # fill the cache
        for _ in range(20):
            cache_hit()
            plain()
        hit_ms = _median_ms(cache_hit, runs)
        plain_ms = _median_ms(plain, runs)

    overhead = ours_ms - direct_ms
    ratio = hit_ms / plain_ms if plain_ms else float("inf")
    print(f"runs per measurement: {runs}")
    print(f"(a) direct SDK call: {direct_ms:.2f} ms median; our path: {ours_ms:.2f} ms median")
    print(f"    overhead: {overhead:.2f} ms (target <= 15 ms) {'OK' if overhead <= 15 else 'OVER'}")
    print(f"(b) cache hit via /api/content/generate: {hit_ms:.2f} ms; plain cached JSON view: {plain_ms:.2f} ms")
    print(f"    ratio: {ratio:.2f} (target <= 2) {'OK' if ratio <= 2 else 'OVER'}")


if __name__ == "__main__":
    main()
