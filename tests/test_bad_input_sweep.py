"""Bad input to every API write is a 4xx in the error envelope and changes nothing; never a 500.

For every POST, PUT and PATCH operation in the OpenAPI schema, the owner of a team with an object of
every kind (so the path names real objects) sends bodies a careless or hostile client would: nothing,
the wrong JSON type, broken JSON, and each documented field set to a value of the wrong type, null, or
an oversized string. Any answer below 500 is allowed, since some of these bodies are valid; every 4xx
uses the envelope, and after a 4xx none of the team's rows has changed.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import get_resolver, resolve
from rest_framework.test import APIClient

from accounts.tokens import tokens_issue
from tests.world import World

pytestmark = pytest.mark.django_db

# The webhook authenticates by Stripe's signature, not by a user: its bad input is tested in billing.
SKIPPED = {"/api/billing/webhook/"}
WRONG_VALUES: dict[str, list[Any]] = {
    "string": [12345, {"nested": True}, None, "x" * 100_000],
    "integer": ["not-a-number", -(10**12), None, [1]],
    "number": ["NaN-ish", None, {}],
    "boolean": ["maybe", None, [True]],
    "array": ["not-a-list", None, [{"deep": [None]}], list(range(5000))],
    "object": ["not-an-object", None, [1, 2]],
}
FIELDS_PER_OPERATION = 8


def _schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(urlconf=get_resolver().urlconf_name).get_schema(request=None, public=True)


def _properties(schema: dict[str, Any], operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    return body.get("properties", {})


def _operations() -> list[tuple[str, str, dict[str, dict[str, Any]]]]:
    schema = _schema()
    found = []
    for path, item in schema["paths"].items():
        if not path.startswith("/api/") or path in SKIPPED:
            continue
        for method, operation in item.items():
            if method in {"post", "put", "patch"}:
                found.append((path, method, _properties(schema, operation)))
    return found


def _concrete(path: str, world: World) -> str:
    probe = re.sub(r"\{[^}]+\}", lambda m: "1" if m.group(0) == "{number}" else str(uuid.uuid4()), path)
    route_name = resolve(probe).url_name or ""
    return re.sub(r"\{([^}]+)\}", lambda m: world.value(route_name, m.group(1)), path)


def _bad_bodies(properties: dict[str, dict[str, Any]]) -> list[tuple[str, Any]]:
    bodies: list[tuple[str, Any]] = [("empty object", {}), ("a list", []), ("a string", "text"), ("a number", 7)]
    for name, spec in list(properties.items())[:FIELDS_PER_OPERATION]:
        kind = spec.get("type", "string")
        for value in WRONG_VALUES.get(kind, WRONG_VALUES["string"]):
            shown = (
                value
                if not isinstance(value, (str, list)) or len(value) < 20
                else f"{type(value).__name__}[{len(value)}]"
            )
            bodies.append((f"{name}={shown!r}", {name: value}))
    return bodies


OPERATIONS = _operations()


@pytest.mark.parametrize(
    ("path", "method", "properties"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS]
)
def test_bad_input_is_a_4xx_in_the_envelope_and_changes_nothing(path, method, properties, settings):
    # Every plan feature on, so the body is judged, not the plan; billing itself is hidden when self-hosted.
    settings.SELF_HOSTED = not path.startswith("/api/billing/")
    world = World()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=world.owner).access}")
    url = _concrete(path, world)

    broken = client.generic(method.upper(), url, "{not json", content_type="application/json")
    if properties:  # an action that takes no body may ignore one
        assert broken.status_code == 400, (url, broken.status_code, broken.content[:300])
        assert broken.json()["error"]["code"] in {"VALIDATION_ERROR", "PARSE_ERROR"}
    assert broken.status_code < 500, (url, broken.status_code, broken.content[:300])

    for label, body in _bad_bodies(properties):
        cache.clear()  # rate limits are not what this test is about
        before = world.fingerprint()
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code < 500, (url, label, response.status_code, response.content[:300])
        if response.status_code >= 400:
            envelope = response.json()
            assert envelope["success"] is False and envelope["error"]["code"], (url, label, envelope)
            assert world.fingerprint() == before, (url, label, "a refused request changed data")
