from __future__ import annotations

from collections.abc import Iterator

import pytest

from billing.tests.fake_stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, fake_stripe_router


@pytest.fixture
def fake_stripe(settings) -> Iterator[FakeStripe]:
    """Stripe configured with test keys, every SDK call answered by the in-memory fake."""
    settings.STRIPE_TEST_SECRET_KEY = SECRET_KEY
    settings.STRIPE_LIVE_MODE = False
    settings.DJSTRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    fake = FakeStripe()
    with fake_stripe_router(fake):
        yield fake
