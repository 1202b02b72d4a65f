"""Helpers for the API tests of accounts: clients, logins, TOTP codes, envelope checks."""

from __future__ import annotations

import time
from typing import Any

from django_otp.oath import TOTP
from rest_framework.test import APIClient

from accounts.models import SealedTOTPDevice as TOTPDevice
from accounts.models import User
from accounts.services import totp_device_confirm, totp_device_start

PASSWORD = "correct-horse-battery"
ENVELOPE_KEYS = {"code", "message", "details", "timestamp", "requestId", "retryable", "retryAfter"}


def totp_now(device: TOTPDevice, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def enable_two_factor(user: User) -> tuple[TOTPDevice, list[str]]:
    """Enrol TOTP through the real services; returns the device and the ten recovery codes."""
    device = totp_device_start(user=user)
    codes = totp_device_confirm(device=device, token=totp_now(device))
    assert codes is not None
    device.refresh_from_db()
    # The enrolment code is spent (last_t); a login in the same 30 s step needs the next one.
    return device, codes


def login(client: APIClient, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/api/auth/login", {"email": email, "password": password, **extra}, format="json")


def bearer(client: APIClient, user: User, password: str = PASSWORD) -> dict[str, Any]:
    response = login(client, user.email, password)
    assert response.status_code == 200, response.content
    tokens = response.json()["tokens"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    return tokens


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is False
    assert set(body["error"]) == ENVELOPE_KEYS
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]
