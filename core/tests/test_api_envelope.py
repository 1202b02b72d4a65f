from __future__ import annotations

import io
import json
import logging

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from core.logging import JsonFormatter, RequestIdFilter

ENVELOPE_KEYS = {"code", "message", "details", "timestamp", "requestId", "retryable", "retryAfter"}


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["success"] is False
    assert set(body["error"]) == ENVELOPE_KEYS
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"]["timestamp"].endswith("Z")
    assert body["error"]["requestId"] == response["X-Request-ID"]
    return body["error"]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


pytestmark = [pytest.mark.django_db, pytest.mark.urls("core.tests.urls")]


def test_validation_error_names_each_field_in_camel_case(api):
    response = api.post("/api/test/echo/", {"displayName": "far too long", "count": 0}, format="json")

    error = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert set(error["details"]) == {"displayName", "count"}
    assert "displayName" in error["message"]
    assert error["retryable"] is False


def test_valid_body_is_read_in_camel_case_and_answered_in_camel_case(api):
    response = api.post("/api/test/echo/", {"displayName": "Ann", "count": 2}, format="json")

    assert response.status_code == 200
    assert response.json() == {"success": True, "received": {"displayName": "Ann", "count": 2}}


def test_malformed_json_is_a_400_not_a_500(api):
    response = api.post("/api/test/echo/", data="{not json", content_type="application/json")

    assert_envelope(response, 400, "VALIDATION_ERROR")


def test_missing_credentials_is_401(api):
    assert_envelope(api.get("/api/me/"), 401, "INVALID_AUTHENTICATION")


def test_bad_bearer_token_is_401_with_a_readable_message(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")

    error = assert_envelope(api.get("/api/me/"), 401, "INVALID_AUTHENTICATION")

    # simplejwt's errors carry a dict: the message is its sentence, never the dict's repr
    assert error["message"] == "Given token not valid for any token type"


def test_an_access_token_of_an_ended_login_is_401_with_a_readable_message(api):
    from accounts.tokens import tokens_issue, tokens_revoke

    user = UserFactory()
    pair = tokens_issue(user=user)
    tokens_revoke(user=user, raw_refresh=pair.refresh, family=pair.family)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access}")

    error = assert_envelope(api.get("/api/me/"), 401, "INVALID_AUTHENTICATION")

    assert error["message"] == "This session was ended. Log in again."


def test_permission_denied_is_403(api):
    assert_envelope(api.get("/api/test/raise/forbidden/"), 403, "PERMISSION_DENIED")


def test_unknown_api_path_is_404_envelope(api):
    assert_envelope(api.get("/api/does-not-exist/"), 404, "NOT_FOUND")


def test_wrong_method_is_405(api):
    api.force_authenticate(UserFactory())
    assert_envelope(api.delete("/api/me/"), 405, "METHOD_NOT_ALLOWED")


def test_throttled_is_429_with_retry_after(api):
    response = api.get("/api/test/raise/throttled/")

    error = assert_envelope(response, 429, "RATE_LIMIT_EXCEEDED")
    assert error["retryable"] is True
    assert error["retryAfter"] == 42
    assert response["Retry-After"] == "42"


def test_quota_exceeded_is_429_with_details(api):
    response = api.get("/api/test/raise/quota/")

    error = assert_envelope(response, 429, "QUOTA_EXCEEDED")
    assert error["details"] == {"kind": "content_generations"}
    assert error["retryAfter"] == 3600


def test_unexpected_exception_is_500_envelope_without_traceback(api):
    response = api.get("/api/test/raise/bug/")

    error = assert_envelope(response, 500, "INTERNAL_ERROR")
    assert "boom" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert error["retryable"] is True


def test_request_id_is_echoed_into_header_and_envelope(api):
    response = api.get("/api/test/raise/forbidden/", HTTP_X_REQUEST_ID="client-id-123")

    assert response["X-Request-ID"] == "client-id-123"
    assert response.json()["error"]["requestId"] == "client-id-123"


def test_request_id_is_made_when_missing_or_unsafe(api):
    made = api.get("/healthz")
    unsafe = api.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")

    assert len(made["X-Request-ID"]) == 32
    assert unsafe["X-Request-ID"] != "bad id\nwith newline"
    assert len(unsafe["X-Request-ID"]) == 32


def test_log_lines_written_during_a_request_carry_its_id(api):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("core.api")
    logger.addHandler(handler)
    try:
        api.get("/api/test/raise/bug/", HTTP_X_REQUEST_ID="trace-me-42")
    finally:
        logger.removeHandler(handler)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "the unhandled error was not logged"
    assert all(line["requestId"] == "trace-me-42" for line in lines)
    assert lines[0]["level"] == "ERROR"
    assert "RuntimeError" in lines[0]["exception"]


def test_html_404_outside_the_api_is_a_page_not_json(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- Errors Django raises before or outside DRF still answer the envelope under /api/ -----------


def test_a_bug_outside_drf_under_the_api_is_a_500_envelope(client):
    client.raise_request_exception = False

    response = client.get("/api/test/plain-bug/", HTTP_X_REQUEST_ID="plain-bug-1")

    error = assert_envelope(response, 500, "INTERNAL_ERROR")
    assert error["requestId"] == "plain-bug-1"
    assert "boom" not in response.content.decode()


def test_a_bad_host_under_the_api_is_a_400_envelope(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]

    response = client.get("/api/me/", HTTP_HOST="evil.example")

    assert_envelope(response, 400, "VALIDATION_ERROR")


def test_a_bad_host_on_a_page_is_an_html_400(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]

    response = client.get("/accounts/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_a_real_endpoint_refusing_a_role_is_a_403_envelope(api):
    # a viewer of a team may read its posts but not write them
    from teams.models import Membership
    from teams.tests.factories import MembershipFactory, TeamFactory

    team = TeamFactory()
    viewer = UserFactory()
    MembershipFactory(team=team, user=viewer, role=Membership.Role.VIEWER)
    api.force_authenticate(viewer)

    response = api.post(
        "/api/content/save",
        {"title": "t", "content": "c", "platform": "linkedin"},
        format="json",
        HTTP_X_TEAM_ID=str(team.pk),
    )

    assert_envelope(response, 403, "PERMISSION_DENIED")


def test_a_real_endpoint_over_its_rate_is_a_429_envelope_with_headers(api, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "FREE": "2/minute"}
    api.force_authenticate(UserFactory())

    answers = [api.get("/api/me/") for _ in range(3)]

    assert [r.status_code for r in answers[:2]] == [200, 200]
    error = assert_envelope(answers[2], 429, "RATE_LIMIT_EXCEEDED")
    assert error["retryable"] is True
    assert 0 < error["retryAfter"] <= 60
    assert answers[2]["X-RateLimit-Limit"] == "2"
    assert answers[2]["X-RateLimit-Remaining"] == "0"
    assert int(answers[2]["Retry-After"]) == error["retryAfter"]


def test_a_real_object_of_another_team_is_a_404_envelope(api):
    from content.tests.factories import ContentPostFactory

    post = ContentPostFactory()
    api.force_authenticate(UserFactory())

    assert_envelope(api.get(f"/api/posts/{post.pk}/"), 404, "NOT_FOUND")
