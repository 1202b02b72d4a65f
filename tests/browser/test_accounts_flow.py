"""The account lifecycle in a real browser: sign up, verify, 2FA, recovery codes, data export, deletion."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.models import AccountDeletion, SecurityEvent, User
from accounts.models import SealedTOTPDevice as TOTPDevice
from content.tests.factories import ContentPostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-42"
EMAIL = "grace@example.com"


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):0{device.digits}d}"


def _log_out(page):
    page.goto("/accounts/logout/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _log_in_with_password(page):
    page.goto("/accounts/login/")
    page.fill('input[name="login"]', EMAIL)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('form.cg-form button[type="submit"]')


def _submit_code(page, code: str):
    page.fill('input[name="otp_token"]', code)
    with page.expect_navigation():
        page.get_by_role("button", name="Verify").click()


def test_sign_up_verify_2fa_recovery_export_and_delete(page, page_problems):
    # given: a new visitor signs up
    page.goto("/accounts/signup/")
    page.fill('input[name="first_name"]', "Grace")
    page.fill('input[name="last_name"]', "Hopper")
    page.fill('input[name="email"]', EMAIL)
    page.fill('input[name="password1"]', PASSWORD)
    page.fill('input[name="password2"]', PASSWORD)
    with page.expect_navigation():
        page.click('form.cg-form button[type="submit"]')
    user = User.objects.get(email=EMAIL)
    assert (user.first_name, user.last_name, user.email_verified) == ("Grace", "Hopper", False)

    # the verification link from the email verifies the address
    message = next(m for m in mail.outbox if EMAIL in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    assert message.alternatives, "verification email has an HTML part"
    page.goto(link)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    user.refresh_from_db()
    assert user.email_verified is True

    # 2FA: enrol with a code computed from the device's key
    page.goto("/settings/security/")
    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    expect(page.get_by_test_id("totp-qr")).to_be_visible()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill('input[name="otp_token"]', _code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and turn on").click()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    user.refresh_from_db()
    assert user.two_factor_enabled is True

    # log out, log in: the password alone is not enough
    _log_out(page)
    _log_in_with_password(page)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/$"))
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/(login|two-factor)/"))
    page.goto("/accounts/two-factor/")
    # the enrolment code's time step is spent; the next step is within the device's tolerance
    _submit_code(page, _code(TOTPDevice.objects.get(user=user), drift=1))
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # a recovery code works once
    _log_out(page)
    _log_in_with_password(page)
    _submit_code(page, codes[0])
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    _log_out(page)
    _log_in_with_password(page)
    _submit_code(page, codes[0])
    expect(page.locator(".invalid-feedback")).to_contain_text("not valid")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/$"))
    page.wait_for_timeout(1100)  # django-otp throttles the device for a second after a failure
    _submit_code(page, codes[1])
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # download my data: the ZIP holds the user's posts
    post = ContentPostFactory(author=user, team=user.current_team, title="Grace's launch post")
    page.goto("/settings/privacy/")
    with page.expect_navigation():
        page.get_by_role("button", name="Download my data").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    data = json.loads(archive.read("data.json"))
    assert any(row["id"] == str(post.pk) for row in data["data"]["content.contentpost"])
    assert "password" not in data["data"]["accounts.user"][0]
    assert "content.contentpost" in {n.removeprefix("csv/").removesuffix(".csv") for n in archive.namelist()}

    # request deletion: password and a 2FA code, then signed out
    page.fill('input[name="password"]', PASSWORD)
    page.fill("#id_otp_token", codes[2])
    with page.expect_navigation():
        page.get_by_role("button", name="Delete my account").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("body")).to_contain_text("will be deleted on")
    assert AccountDeletion.objects.filter(user=user).exists()
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.DELETION_REQUESTED).exists()
    assert page_problems.collect(page) == []
