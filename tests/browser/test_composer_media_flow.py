"""Media in the composer, in a browser: Instagram asks for a picture while writing; an upload shows
in the post card, clears the rule, and is the saved post's media."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts.models import User
from content.models import ContentPost
from tests.browser.conftest import RESULTS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_ai")]

PASSWORD = "correct-horse-battery"


def test_an_image_uploaded_in_the_composer_is_previewed_checked_and_saved(page, log_in, page_problems, tmp_path):
    page.set_default_navigation_timeout(30_000)  # the first page of a session is slow on a loaded machine
    user = User.objects.create_user("ines@example.com", PASSWORD, first_name="Inês", email_verified=True)
    picture = tmp_path / "loaves.png"
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1080), "peru").save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())
    log_in(user.email, PASSWORD)
    page.goto("/generate/")
    page.get_by_label("Topic").fill("Fresh loaves at 7 every morning")
    page.get_by_label("Instagram").check()
    page.get_by_label("LinkedIn").uncheck()
    page.get_by_test_id("write-own").click()
    card = page.get_by_test_id("preview-card").filter(has=page.get_by_role("heading", name="Instagram"))
    issues = card.get_by_test_id("composer-issues")
    expect(issues).to_contain_text("needs an image or a video")

    card.get_by_label("Images or video (optional)").set_input_files(str(picture))

    expect(card.get_by_test_id("media-item")).to_have_count(1)
    expect(card.get_by_test_id("preview-media").locator("img")).to_have_count(1)
    expect(issues).not_to_contain_text("needs an image or a video")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "composer-media.png"), full_page=True)
    card.get_by_test_id("save-draft").click()
    expect(page.locator(".toast").filter(has_text="Draft saved")).to_be_visible()
    post = ContentPost.objects.get()
    assert [asset.original_name for asset in post.media_assets.all()] == ["loaves.png"]

    # removed on the card and saved again: the post carries none
    card.get_by_test_id("composer-media-remove").click()
    expect(card.get_by_test_id("preview-media")).to_be_hidden()
    expect(issues).to_contain_text("needs an image or a video")
    card.get_by_test_id("save-draft").click()
    expect(page.locator(".toast").filter(has_text="Draft saved")).to_have_count(2)
    assert not post.media_assets.exists()
    assert page_problems.collect(page) == []
