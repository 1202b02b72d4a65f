"""The cache-hit path stays cheap without skipping what a hit must still do.

Provider configuration is remembered per process and version (content.providers.config_rows); these
tests prove a change is seen by the very next request, and that a hit still records, still counts
against nothing, and is still moderated for the asking team.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import AIProviderConfig, GenerationRecord
from content.providers.config_rows import CONFIG_VERSION_KEY
from content.tests import fakes
from moderation.tests.factories import ModerationPolicyFactory, PolicyRuleFactory

pytestmark = pytest.mark.django_db

BODY = {
    "prompt": "Autumn coffee blend",
    "platform": "linkedin",
    "tone": "fun",
    "audience": "baristas",
    "contentType": "CAPTION",
}


def _generate(api, **extra):
    return api.post("/api/content/generate", {**BODY, **extra}, format="json")


def _config_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if AIProviderConfig._meta.db_table in q["sql"]]


def test_a_cache_hit_reads_no_provider_configuration_rows(api):
    _generate(api)  # offline answers and fills the cache; the configuration is now remembered

    with CaptureQueriesContext(connection) as queries:
        response = _generate(api)

    assert response.json()["metadata"]["cached"] is True
    assert _config_queries(queries.captured_queries) == []


def test_an_admin_change_to_a_provider_is_seen_by_the_next_request(api, openai_configured):
    openai_configured.default = fakes.ok(fakes.openai_completion("from openai"))
    assert _generate(api, prompt="one").json()["metadata"]["provider"] == "openai"

    row = AIProviderConfig.objects.create(name="openai", is_active=False)  # the admin switches OpenAI off
    assert _generate(api, prompt="two").json()["metadata"]["provider"] == "offline"

    row.is_active = True
    row.model = "gpt-4.1-mini"
    row.save()  # and back on, with another model
    meta = _generate(api, prompt="three").json()["metadata"]
    assert (meta["provider"], openai_configured.requests[-1].json()["model"]) == ("openai", "gpt-4.1-mini")

    row.delete()  # back to the environment's model
    _generate(api, prompt="four")
    assert openai_configured.requests[-1].json()["model"] == "gpt-4o-mini"


def test_a_team_key_added_in_another_process_is_seen_once_the_version_changes(api, user, fake_ai, settings):
    from django.core.cache import cache

    assert _generate(api, prompt="one").json()["metadata"]["provider"] == "offline"
    # Another web process's save: the row reaches the database, and its signal gives a new version
    # in the shared cache (here written by hand, since this process never saw the save).
    AIProviderConfig.objects.bulk_create(
        [AIProviderConfig(team=user.current_team, name="openai", api_key="sk-team", base_url=f"{fake_ai.url}/v1")]
    )
    fake_ai.default = fakes.ok(fakes.openai_completion("with the team's key"))
    cache.set(CONFIG_VERSION_KEY, "changed-elsewhere")

    assert _generate(api, prompt="two").json()["metadata"]["provider"] == "openai"
    assert fake_ai.requests[-1].headers["authorization"] == "Bearer sk-team"


def test_without_a_working_cache_the_rows_are_read_every_time(api, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    AIProviderConfig.objects.create(name="openai", is_active=False)

    with CaptureQueriesContext(connection) as queries:
        _generate(api)
        _generate(api)

    assert len(_config_queries(queries.captured_queries)) == 2


def test_the_record_of_a_cache_hit_is_stored_with_the_request(api, user, openai_configured):
    openai_configured.queue(fakes.ok(fakes.openai_completion("first answer")))
    _generate(api)

    response = _generate(api)

    assert response.json()["metadata"]["cached"] is True
    hit = GenerationRecord.objects.get(cache_hit=True)
    assert (hit.team_id, hit.user_id, hit.kind, hit.provider, hit.model, hit.succeeded) == (
        user.current_team.pk,
        user.pk,
        "CAPTION",
        "openai",
        "gpt-4o-mini",
        True,
    )
    assert (hit.estimated_cost, hit.attempts) == (0, [])


def test_a_cached_answer_is_moderated_again_for_the_team_that_asks(api, user, openai_configured):
    openai_configured.queue(fakes.ok(fakes.openai_completion("Our autumn blend beats CompetitorCo. #Coffee")))
    assert _generate(api).status_code == 200

    policy = ModerationPolicyFactory(team=user.current_team)
    PolicyRuleFactory(policy=policy, kind="word", value="competitorco", action="block")
    response = _generate(api)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "CONTENT_BLOCKED"


@pytest.fixture
def batched(settings):
    """Production's batching: rows wait for a full batch or for their age at the end of a request."""
    from core.write_buffer import buffered_flush

    settings.WRITE_BUFFER_MAX_ROWS = 50
    settings.WRITE_BUFFER_MAX_SECONDS = 3600
    yield settings
    buffered_flush()


def test_a_cache_hit_inserts_nothing_on_its_request_and_is_counted_in_the_next_batch(api, user, batched):
    from core.write_buffer import buffered_flush
    from moderation.models import ModerationAuditEvent

    assert _generate(api).status_code == 200  # the miss is recorded and moderated at once
    records, audits = GenerationRecord.objects.count(), ModerationAuditEvent.objects.count()

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert _generate(api).json()["metadata"]["cached"] is True
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]

    assert inserts == []
    assert (GenerationRecord.objects.count(), ModerationAuditEvent.objects.count()) == (records, audits)
    assert buffered_flush() == 6  # three hits and three reused moderation decisions, in one statement each
    hits = GenerationRecord.objects.filter(cache_hit=True, team=user.current_team, user=user)
    assert hits.count() == 3
    assert ModerationAuditEvent.objects.filter(team_id=user.current_team.pk).count() == audits + 3


def test_waiting_records_are_written_when_a_request_ends_after_their_time(api, user, batched):
    _generate(api)
    batched.WRITE_BUFFER_MAX_SECONDS = 0

    assert _generate(api).json()["metadata"]["cached"] is True

    assert GenerationRecord.objects.filter(cache_hit=True).count() == 1  # flushed as the response closed


def test_a_full_batch_is_written_at_once(api, user, batched):
    batched.WRITE_BUFFER_MAX_ROWS = 4
    _generate(api)

    for _ in range(2):
        _generate(api)  # two hits: two records and two audit rows, the fourth row fills the batch

    assert GenerationRecord.objects.filter(cache_hit=True).count() == 2


def test_a_cache_hit_issues_only_the_statements_every_api_request_does(api, user, batched):
    assert _generate(api).status_code == 200  # the miss: the team's (empty) results are read here, once
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert _generate(api).json()["metadata"]["cached"] is True

    statements = [q["sql"] for q in queries.captured_queries]
    # What any team-scoped API call costs: the caller's membership, the plan's rate limit, the usage count.
    assert len(statements) <= 3 * 4
    tables = ("content_", "moderation_", "analytics_")
    assert [sql for sql in statements if any(f'"{prefix}' in sql for prefix in tables)] == []


def test_a_cached_texts_verdict_is_reused_only_while_the_teams_rules_are_unchanged(api, user, openai_configured):
    from moderation.models import ModerationAuditEvent

    openai_configured.queue(fakes.ok(fakes.openai_completion("Our autumn blend beats CompetitorCo. #Coffee")))
    assert _generate(api).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        hit = _generate(api)
    assert (hit.status_code, hit.json()["metadata"]["moderation"]["decision"]) == (200, "allow")
    policy_reads = [q["sql"] for q in queries.captured_queries if "moderation_moderationpolicy" in q["sql"]]
    assert policy_reads == []  # the verdict was reused, not decided again

    policy = ModerationPolicyFactory(team=user.current_team)
    rule = PolicyRuleFactory(policy=policy, kind="word", value="competitorco", action="block")
    assert _generate(api).status_code == 422
    assert _generate(api).status_code == 422  # the new verdict is the one reused

    rule.delete()
    again = _generate(api)
    assert (again.status_code, again.json()["metadata"]["moderation"]["decision"]) == (200, "allow")
    assert again.json()["metadata"]["cached"] is True
    assert ModerationAuditEvent.objects.filter(team_id=user.current_team.pk).count() >= 5  # every check recorded


def test_a_cache_hit_reads_the_cache_in_three_round_trips(api, user, settings):
    from content.tests import recording_cache

    settings.CACHES = {"default": {"BACKEND": "content.tests.recording_cache.RecordingCache"}}
    assert _generate(api).status_code == 200
    recording_cache.READS.clear()

    assert _generate(api).json()["metadata"]["cached"] is True

    ours = [
        keys for keys in recording_cache.READS if any(k.startswith(("ai:", "analytics:", "moderation:")) for k in keys)
    ]
    assert [len(ours), *(sorted({k.split(":")[0] for k in keys}) for keys in ours)] == [
        3,
        ["ai", "analytics"],  # the provider configuration's version and the team's results, together
        ["ai"],  # the answer, under each provider's key
        ["moderation"],  # the verdict and the versions it was made under
    ]
