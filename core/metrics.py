"""Our own Prometheus metrics, incremented where each event happens (publishing, AI calls).

Defined here, at the bottom of the import order, so every app can record; exposed by
monitoring's /metrics together with django-prometheus's request and database metrics.
"""

from __future__ import annotations

from typing import Final

from prometheus_client import Counter, Histogram

PUBLISH_OUTCOMES: Final = Counter(
    "contentgenai_publish_total",
    "Deliveries of a post to a social account that reached a final state, by platform and outcome.",
    ["platform", "outcome"],
)
AI_REQUESTS: Final = Counter(
    "contentgenai_ai_requests_total",
    "AI generation calls by the provider that answered ('none' when every provider failed) and outcome.",
    ["provider", "outcome"],
)
# Generation calls wait on a remote model: seconds, up to the request timeout and its retries.
AI_LATENCY: Final = Histogram(
    "contentgenai_ai_latency_seconds",
    "Wall time of AI generation calls that reached a provider, by provider.",
    ["provider"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120),
)


def publish_outcome_record(*, platform: str, succeeded: bool) -> None:
    PUBLISH_OUTCOMES.labels(platform=platform or "unknown", outcome="success" if succeeded else "failure").inc()


def ai_call_record(*, provider: str, succeeded: bool, cached: bool, latency_ms: int) -> None:
    outcome = "cached" if cached else "success" if succeeded else "failure"
    AI_REQUESTS.labels(provider=provider or "none", outcome=outcome).inc()
    if not cached:
        AI_LATENCY.labels(provider=provider or "none").observe(latency_ms / 1000)
