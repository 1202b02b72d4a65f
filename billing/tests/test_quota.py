"""quota_consume / quota_release: the one place quotas move (Property 26)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from accounts.tests.factories import UserFactory
from billing.models import UsageQuota
from billing.services import quota_consume, quota_release, quota_reset, quota_reset_due
from core.api.errors import QuotaExceeded

pytestmark = pytest.mark.django_db


def test_free_team_can_generate_ten_times_then_gets_quota_exceeded():
    team = UserFactory().current_team
    for _ in range(10):
        quota_consume(team=team, kind="content_generations")

    with pytest.raises(QuotaExceeded) as excinfo:
        quota_consume(team=team, kind="content_generations")

    assert excinfo.value.details["used"] == 10
    assert excinfo.value.details["limit"] == 10
    assert UsageQuota.objects.get(team=team).content_generations == 10


def test_a_failed_call_gives_its_unit_back():
    team = UserFactory().current_team
    quota_consume(team=team, kind="api_calls", amount=3)

    quota_release(team=team, kind="api_calls")

    assert UsageQuota.objects.get(team=team).api_calls == 2


def test_release_never_goes_below_zero():
    team = UserFactory().current_team

    quota_release(team=team, kind="content_generations", amount=5)

    assert UsageQuota.objects.get(team=team).content_generations == 0


def test_a_request_larger_than_what_is_left_takes_nothing():
    team = UserFactory().current_team
    quota_consume(team=team, kind="content_generations", amount=8)

    with pytest.raises(QuotaExceeded):
        quota_consume(team=team, kind="content_generations", amount=3)

    assert UsageQuota.objects.get(team=team).content_generations == 8


def test_unlimited_quota_has_no_ceiling():
    team = UserFactory().current_team
    UsageQuota.objects.filter(team=team).update(max_content_generations=None)

    quota_consume(team=team, kind="content_generations", amount=10_000)

    assert UsageQuota.objects.get(team=team).content_generations == 10_000


def test_self_hosted_never_limits_or_counts(settings):
    settings.SELF_HOSTED = True
    team = UserFactory().current_team

    for _ in range(50):
        quota_consume(team=team, kind="content_generations")

    assert UsageQuota.objects.get(team=team).content_generations == 0


def test_unknown_kind_and_bad_amounts_are_refused():
    team = UserFactory().current_team
    with pytest.raises(ValueError):
        quota_consume(team=team, kind="tweets")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        quota_consume(team=team, kind="api_calls", amount=0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_consumers_never_exceed_the_quota():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is only real on PostgreSQL")
    # given a quota of 10 and 40 threads racing for it
    team = UserFactory().current_team
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                try:
                    quota_consume(team=team, kind="content_generations")
                    outcomes.append("ok")
                except QuotaExceeded:
                    outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then exactly the quota was granted
    assert outcomes.count("ok") == 10
    assert outcomes.count("refused") == 30
    assert UsageQuota.objects.get(team=team).content_generations == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_consumers_and_releasers_never_go_negative_nor_over():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is only real on PostgreSQL")
    # given a quota of 6 and 8 threads that each take a unit, give it back, and give back one more
    team = UserFactory().current_team
    UsageQuota.objects.filter(team=team).update(max_content_generations=6)
    granted: list[int] = []
    seen: list[int] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(10):
                try:
                    quota_consume(team=team, kind="content_generations")
                    granted.append(1)
                except QuotaExceeded:
                    pass
                seen.append(UsageQuota.objects.get(team=team).content_generations)
                quota_release(team=team, kind="content_generations")
                quota_release(team=team, kind="content_generations")  # a spurious extra release
                seen.append(UsageQuota.objects.get(team=team).content_generations)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then the counter stayed within [0, 6] at every read, and ends at zero
    assert granted and all(0 <= value <= 6 for value in seen)
    assert UsageQuota.objects.get(team=team).content_generations == 0


class QuotaProperties(HypothesisTestCase):
    # Property 26: Usage Tracking and Billing (usage never negative, never beyond the limit)
    @settings(max_examples=50, deadline=None)
    @given(
        limit=st.integers(min_value=0, max_value=20),
        ops=st.lists(
            st.tuples(st.sampled_from(["consume", "release"]), st.integers(min_value=1, max_value=6)), max_size=25
        ),
    )
    def test_counter_matches_a_simple_model_and_stays_in_bounds(self, limit, ops):
        team = UserFactory().current_team
        UsageQuota.objects.filter(team=team).update(max_content_generations=limit)
        expected = 0
        for op, amount in ops:
            if op == "consume":
                if expected + amount <= limit:
                    quota_consume(team=team, kind="content_generations", amount=amount)
                    expected += amount
                else:
                    with pytest.raises(QuotaExceeded):
                        quota_consume(team=team, kind="content_generations", amount=amount)
            else:
                quota_release(team=team, kind="content_generations", amount=amount)
                expected = max(0, expected - amount)
            used = UsageQuota.objects.get(team=team).content_generations
            assert used == expected
            assert 0 <= used <= limit


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reset_racing_consumers_loses_nothing_and_counts_nothing_twice():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is only real on PostgreSQL")
    # given a quota of 30 whose period has ended, 6 threads consuming while another resets it
    team = UserFactory().current_team
    UsageQuota.objects.filter(team=team).update(
        max_content_generations=30, content_generations=5, reset_date=timezone.now() - timedelta(seconds=1)
    )
    granted: list[int] = []
    zeroed: list[int | None] = []
    barrier = threading.Barrier(7)

    def consumer() -> None:
        try:
            barrier.wait()
            for _ in range(8):
                try:
                    quota_consume(team=team, kind="content_generations")
                    granted.append(1)
                except QuotaExceeded:
                    pass
        finally:
            connection.close()

    def resetter() -> None:
        try:
            barrier.wait()
            zeroed.append(quota_reset(team=team))
        finally:
            connection.close()

    threads = [threading.Thread(target=consumer) for _ in range(6)] + [threading.Thread(target=resetter)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then every granted unit is either in the zeroed count or in the new period, exactly once
    quota = UsageQuota.objects.get(team=team)
    assert zeroed[0] is not None
    assert 5 + len(granted) == zeroed[0] + quota.content_generations
    assert 0 <= quota.content_generations <= 30
    assert quota.reset_date > timezone.now()


class ResetProperties(HypothesisTestCase):
    # Property 26: Usage Tracking and Billing (a period reset starts from zero, keeps the limit, moves forward)
    @settings(max_examples=25, deadline=None)
    @given(used=st.integers(min_value=0, max_value=10), days_overdue=st.integers(min_value=0, max_value=400))
    def test_reset_zeroes_counters_and_the_next_reset_is_in_the_future(self, used, days_overdue):
        team = UserFactory().current_team
        past = timezone.now() - timedelta(days=days_overdue, seconds=1)
        UsageQuota.objects.filter(team=team).update(content_generations=used, api_calls=used, reset_date=past)

        assert quota_reset_due() >= 1

        quota = UsageQuota.objects.get(team=team)
        assert (quota.content_generations, quota.api_calls) == (0, 0)
        assert timezone.now() < quota.reset_date <= timezone.now() + timedelta(days=30)
        assert quota.max_content_generations == 10
