"""Outgoing webhooks against a real receiver on 127.0.0.1: signing, retries, the log, the guard."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.tests.factories import ContentPostFactory
from core.events import COMMENT_ADDED, POST_PUBLISHED, event_emit, product_events
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from integrations.signing import signature_verify
from integrations.tasks import deliver_due_webhooks
from integrations.tests.conftest import Reply
from social.models import PublishResult, PublishStatus
from social.services.publishing import publish_result_prepare, publish_results_deliver
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def _subscribe(api, url: str, events: list[str]) -> tuple[str, str]:
    response = api.post("/api/webhooks/", {"url": url, "events": events}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    return body["webhook"]["id"], body["secret"]


def test_a_published_post_reaches_a_local_receiver_signed_as_documented(
    api, user, team, local_server, allow_local, django_capture_on_commit_callbacks
):
    # given: a receiver subscribed to post.published, and a post on a connected sandbox account
    endpoint_id, secret = _subscribe(api, f"{local_server.url}/hooks", ["post.published"])
    account = SocialAccountFactory(team=team)
    post = ContentPostFactory(author=user, content="Launch day", hashtags=[])

    # when: the post is published through the API
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/social/publish", {"postId": str(post.pk), "accountIds": [str(account.pk)]}, format="json"
        )
    assert response.status_code == 200, response.content

    # then: one signed POST arrived, and the documented check accepts it
    [received] = local_server.requests
    signature = received.headers["contentgenai-signature"]
    timestamp = int(signature.split(",")[0].removeprefix("t="))
    assert signature_verify(secret=secret, header=signature, body=received.body, now=timestamp)
    assert not signature_verify(secret="whsec_wrong", header=signature, body=received.body, now=timestamp)
    assert not signature_verify(secret=secret, header=signature, body=received.body + b" ", now=timestamp)
    event = json.loads(received.body)
    assert event["type"] == "post.published" and received.headers["contentgenai-event"] == "post.published"
    assert event["teamId"] == str(team.pk) and event["id"].startswith("evt_")
    assert event["data"]["post"]["id"] == str(post.pk)
    assert event["data"]["result"]["platformPostId"]  # camelCase, like the REST API
    log = api.get(f"/api/webhooks/{endpoint_id}/deliveries/").json()["results"]
    assert [a["responseStatus"] for a in log[0]["attempts"]] == [200] and log[0]["status"] == "SUCCEEDED"


def test_a_delivery_batch_sends_each_outcome_once_after_it_is_written(
    request, api, user, team, local_server, allow_local, django_capture_on_commit_callbacks
):
    # given: a receiver for both outcomes, and four posts due on one account, the third refused by the platform
    _subscribe(api, f"{local_server.url}/hooks", ["post.published", "post.failed"])
    account = SocialAccountFactory(team=team)
    texts = ["Morning update", "Lunch menu", "Rejected one [sandbox:fail=content]", "Evening recap"]
    posts = [ContentPostFactory(author=user, content=text, hashtags=[]) for text in texts]
    results = [publish_result_prepare(post=p, account=account) for p in posts]
    seen: list[str] = []

    def read_back(sender, events, **kwargs):  # what a listener finds in the database when told
        seen.extend(PublishResult.objects.get(pk=e.data["result"]["id"]).status for e in events)

    product_events.connect(read_back)
    request.addfinalizer(lambda: product_events.disconnect(read_back))

    # when: one worker delivers them as one batch
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        publish_results_deliver(result_ids=[r.pk for r in results])

    # then: one event per post, in order, each received once the outcome it reports was saved
    events = [json.loads(r.body) for r in local_server.requests]
    assert [e["data"]["post"]["id"] for e in events] == [str(p.pk) for p in posts]
    assert [e["type"] for e in events] == ["post.published", "post.published", "post.failed", "post.published"]
    assert [e["data"]["result"]["status"] for e in events] == ["SUCCESS", "SUCCESS", "FAILED", "SUCCESS"]
    assert seen == [PublishStatus.SUCCESS, PublishStatus.SUCCESS, PublishStatus.FAILED, PublishStatus.SUCCESS]
    assert len({e["id"] for e in events}) == 4
    # and the batch stored the four deliveries in one statement
    inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "integrations_webhookdelivery"')]
    assert len(inserts) == 1 and WebhookDelivery.objects.count() == 4


def test_a_failing_receiver_gets_retries_with_growing_delays_and_the_log_shows_each(
    api, team, local_server, allow_local, django_capture_on_commit_callbacks
):
    local_server.respond = lambda request: Reply(500, b"down") if len(local_server.requests) <= 5 else Reply(200)
    endpoint_id, _secret = _subscribe(api, f"{local_server.url}/hooks", ["comment.added"])

    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            event_emit(name=COMMENT_ADDED, team_id=team.pk, data={"comment": {"id": "c1"}})
        delivery = WebhookDelivery.objects.get()
        for _ in range(10):
            delivery.refresh_from_db()
            if delivery.status != WebhookDelivery.Status.PENDING:
                break
            # Nothing is sent before the retry time; then the beat sweep sends it.
            clock.move_to(delivery.next_attempt_at - timedelta(seconds=1))
            deliver_due_webhooks.delay()
            assert len(local_server.requests) == WebhookAttempt.objects.count()
            clock.move_to(delivery.next_attempt_at)
            deliver_due_webhooks.delay()

    arrivals = [r.at for r in local_server.requests]
    gaps = [round(later - earlier) for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert gaps == [30, 60, 120, 240, 480]
    log = api.get(f"/api/webhooks/{endpoint_id}/deliveries/").json()["results"][0]
    assert log["status"] == "SUCCEEDED"
    assert [a["responseStatus"] for a in log["attempts"]] == [500, 500, 500, 500, 500, 200]
    assert [a["retryInSeconds"] for a in log["attempts"]] == [30, 60, 120, 240, 480, None]
    assert log["attempts"][0]["responseBody"] == "down"
    # Every attempt carries the same event id, so a receiver can drop a repeat.
    assert len({json.loads(r.body)["id"] for r in local_server.requests}) == 1


def test_an_endpoint_failing_for_the_whole_window_is_disabled_and_the_owner_told(
    api, user, team, local_server, allow_local, django_capture_on_commit_callbacks
):
    local_server.respond = lambda request: Reply(503, b"")
    endpoint_id, _secret = _subscribe(api, f"{local_server.url}/hooks", ["post.published"])

    with time_machine.travel(timezone.now(), tick=False) as clock:
        start = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            event_emit(name=POST_PUBLISHED, team_id=team.pk, data={})
        delivery = WebhookDelivery.objects.get()
        while True:
            delivery.refresh_from_db()
            if delivery.next_attempt_at is None:
                break
            clock.move_to(delivery.next_attempt_at)
            with django_capture_on_commit_callbacks(execute=True):
                deliver_due_webhooks.delay()
        ended = timezone.now()

    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert not endpoint.is_active and "24 hours" in endpoint.disabled_reason
    assert timedelta(hours=20) < ended - start <= timedelta(hours=24)
    [message] = mail.outbox
    assert message.to == [team.owner.email] and endpoint.url in message.body
    assert f"/integrations/webhooks/{endpoint_id}/" in message.body  # where to turn it back on
    # A disabled endpoint gets no new events until someone enables it again.
    with django_capture_on_commit_callbacks(execute=True):
        event_emit(name=POST_PUBLISHED, team_id=team.pk, data={})
    assert WebhookDelivery.objects.count() == 1
    response = api.patch(f"/api/webhooks/{endpoint_id}/", {"isActive": True}, format="json")
    assert response.json()["webhook"]["isActive"] is True and response.json()["webhook"]["disabledReason"] == ""


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://localhost:8000/admin/",  # a name is refused by what it resolves to
        "http://[::ffff:169.254.169.254]/",
    ],
)
def test_a_webhook_to_an_internal_address_is_refused_by_the_api(api, url):
    response = api.post("/api/webhooks/", {"url": url, "events": ["post.published"]}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["details"]["url"]
    assert not WebhookEndpoint.objects.exists()


def test_a_webhook_to_an_internal_address_is_a_form_error_on_the_page(client, user):
    client.force_login(user)

    response = client.post(
        "/integrations/webhooks/", {"url": "http://169.254.169.254/latest", "events": ["post.published"]}
    )

    assert response.status_code == 400
    assert b'data-testid="field-error"' in response.content
    assert "cannot be reached" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_address_is_checked_again_when_sending(
    api, team, local_server, allow_local, django_capture_on_commit_callbacks
):
    # Saved while the address was allowed; by delivery time it is not (a name can resolve elsewhere later).
    _subscribe(api, f"{local_server.url}/hooks", ["post.published"])
    allow_local.OUTBOUND_ALLOWED_NETWORKS = []

    with django_capture_on_commit_callbacks(execute=True):
        event_emit(name=POST_PUBLISHED, team_id=team.pk, data={})

    assert local_server.requests == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.response_status is None and "cannot be reached" in attempt.error


def test_test_event_redeliver_and_secret_rotation(
    api, team, local_server, allow_local, django_capture_on_commit_callbacks
):
    endpoint_id, first_secret = _subscribe(api, f"{local_server.url}/hooks", ["post.published"])

    with django_capture_on_commit_callbacks(execute=True):
        tested = api.post(f"/api/webhooks/{endpoint_id}/test/")
    assert tested.status_code == 202
    rotated = api.post(f"/api/webhooks/{endpoint_id}/rotate-secret/").json()["secret"]
    assert rotated != first_secret
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(f"/api/webhooks/deliveries/{tested.json()['delivery']['id']}/redeliver/")
    assert again.status_code == 202

    first, second = local_server.requests
    assert json.loads(first.body)["type"] == "webhook.test" and first.body == second.body
    header = second.headers["contentgenai-signature"]
    now = int(header.split(",")[0][2:])
    assert signature_verify(secret=rotated, header=header, body=second.body, now=now)
    assert not signature_verify(secret=first_secret, header=header, body=second.body, now=now)
    assert "secret" not in api.get(f"/api/webhooks/{endpoint_id}/").json()["webhook"]


def test_bad_input_is_a_400_envelope_and_changes_nothing(api):
    for body in ({"url": "https://93.184.216.34/h", "events": ["post.exploded"]}, {"url": "ftp://x", "events": []}):
        response = api.post("/api/webhooks/", body, format="json")
        assert response.status_code == 400 and response.json()["success"] is False
    assert not WebhookEndpoint.objects.exists()


def test_another_teams_user_gets_404_on_every_webhook_endpoint(
    api, outsider_api, team, local_server, allow_local, django_capture_on_commit_callbacks
):
    endpoint_id, _secret = _subscribe(api, f"{local_server.url}/hooks", ["post.published"])
    with django_capture_on_commit_callbacks(execute=True):
        delivery_id = api.post(f"/api/webhooks/{endpoint_id}/test/").json()["delivery"]["id"]
    sent = len(local_server.requests)

    calls = [
        ("get", f"/api/webhooks/{endpoint_id}/"),
        ("patch", f"/api/webhooks/{endpoint_id}/"),
        ("delete", f"/api/webhooks/{endpoint_id}/"),
        ("post", f"/api/webhooks/{endpoint_id}/rotate-secret/"),
        ("post", f"/api/webhooks/{endpoint_id}/test/"),
        ("get", f"/api/webhooks/{endpoint_id}/deliveries/"),
        ("post", f"/api/webhooks/deliveries/{delivery_id}/redeliver/"),
    ]
    for method, url in calls:
        response = getattr(outsider_api, method)(url, {"isActive": False}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json()["error"]["code"] == "NOT_FOUND"
    assert outsider_api.get("/api/webhooks/").json()["count"] == 0
    assert WebhookEndpoint.objects.get().is_active and len(local_server.requests) == sent


def test_moving_an_endpoint_to_an_internal_address_is_refused_and_changes_nothing(api):
    endpoint_id, _secret = _subscribe(api, "https://93.184.216.34/hook", ["post.published"])

    response = api.patch(f"/api/webhooks/{endpoint_id}/", {"url": "http://169.254.169.254/"}, format="json")

    assert response.status_code == 400 and response.json()["error"]["details"]["url"]
    assert WebhookEndpoint.objects.get().url == "https://93.184.216.34/hook"
