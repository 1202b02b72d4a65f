"""/api/schema/ builds and documents the accounts endpoints with their camelCase shapes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_builds_and_lists_the_auth_profile_and_key_endpoints():
    response = APIClient().get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path, method in [
        ("/api/auth/register", "post"),
        ("/api/auth/login", "post"),
        ("/api/auth/refresh", "post"),
        ("/api/auth/logout", "post"),
        ("/api/me/", "get"),
        ("/api/me/", "patch"),
        ("/api/api-keys/", "get"),
        ("/api/api-keys/", "post"),
        ("/api/api-keys/{key_id}/", "delete"),
    ]:
        assert method in paths[path], (path, method)
    components = schema["components"]["schemas"]
    assert set(components["LoginRequestRequest"]["properties"]) == {"email", "password", "otpToken"}
    assert {"accessToken", "refreshToken", "tokenType", "expiresIn", "refreshExpiresIn"} <= set(
        components["Tokens"]["properties"]
    )
    assert "apiKeyAuth" in schema["components"]["securitySchemes"]
    assert paths["/api/auth/login"]["post"].get("security") in ([], [{}], None)
