"""Pre-publish checks, media uploads, and the dashboard's OAuth flow through the sandbox consent page."""

from __future__ import annotations

import io
import struct
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from social.models import MediaAsset, PostMedia, SocialAccount
from social.services.media import mp4_properties
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_validate_splits_long_text_into_a_thread_on_x(api):
    text = " ".join(["word"] * 120)  # ~600 characters
    response = api.post("/api/social/validate", {"text": text, "platforms": ["x", "linkedin"]}, format="json")
    assert response.status_code == 200, response.content
    by_platform = {r["platform"]: r for r in response.json()["results"]}
    assert len(by_platform["twitter"]["thread"]) >= 3
    assert any(p["code"] == "thread" for p in by_platform["twitter"]["problems"])
    assert by_platform["linkedin"]["ok"] is True and by_platform["linkedin"]["thread"] == []


def test_validate_uses_the_mastodon_servers_own_limit(api, team):
    account = SocialAccountFactory(team=team, platform="mastodon", metadata={"max_characters": 100})
    response = api.post("/api/social/validate", {"text": "a" * 150, "accountIds": [str(account.pk)]}, format="json")
    (result,) = response.json()["results"]
    assert result["charLimit"] == 100
    assert len(result["thread"]) == 2  # Mastodon threads: split at the server's limit


def test_validate_rejects_empty_targets(api):
    response = api.post("/api/social/validate", {"text": "hi"}, format="json")
    assert response.status_code == 400
    assert "platforms" in response.json()["error"]["details"]


def test_checks_partial_for_the_studio(client, user):
    client.force_login(user)
    response = client.post(
        "/social/checks/",
        {"text": " ".join(f"#tag{n}" for n in range(40)), "platforms": ["instagram"]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'data-problem="too_many_hashtags"' in response.content
    assert b'data-problem="media_required"' in response.content


def _png(width: int = 1200, height: int = 800) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_upload_reads_size_and_makes_a_thumbnail(api, post):
    upload = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    response = api.post("/api/media/", {"file": upload, "altText": "A teal square", "postId": str(post.pk)})
    assert response.status_code == 201, response.content
    media = response.json()["media"]
    assert media["contentType"] == "image/png" and (media["width"], media["height"]) == (1200, 800)
    assert media["url"].startswith("http") and media["thumbnailUrl"]
    asset = MediaAsset.objects.get()
    with Image.open(asset.thumbnail) as thumb:
        assert max(thumb.size) <= 480
    assert PostMedia.objects.filter(post=post, asset=asset).exists()


def test_upload_that_is_not_media_is_refused(api):
    upload = SimpleUploadedFile("notes.png", b"this is text", content_type="image/png")
    response = api.post("/api/media/", {"file": upload})
    assert response.status_code == 400
    assert "file" in response.json()["error"]["details"]
    assert not MediaAsset.objects.exists()


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def test_mp4_duration_and_size_without_ffmpeg():
    mvhd = _box(b"mvhd", bytes(4) + bytes(8) + struct.pack(">II", 1000, 12_500) + bytes(80))
    tkhd = _box(b"tkhd", bytes(76) + struct.pack(">II", 1080 << 16, 1920 << 16))
    data = _box(b"ftyp", b"isom" + bytes(4)) + _box(b"moov", mvhd + _box(b"trak", tkhd))
    assert mp4_properties(io.BytesIO(data), len(data)) == (12.5, 1080, 1920)


def test_dashboard_connects_the_sandbox_through_its_consent_page(client, user):
    client.force_login(user)
    start = client.post("/social/connect/sandbox/")
    assert start.status_code == 302
    consent = urlsplit(start["Location"])
    query = {k: v[0] for k, v in parse_qs(consent.query).items()}
    assert query["code_challenge_method"] == "S256" and query["state"]
    page = client.get(start["Location"])
    assert page.status_code == 200
    allowed = client.post(consent.path, {**query, "decision": "allow", "profile": "brand"})
    callback = client.get(allowed["Location"])
    assert callback.status_code == 302 and callback["Location"] == "/social/"
    account = SocialAccount.objects.get()
    assert account.team == user.current_team and account.connected_by == user
    # the state is single use
    again = client.get(allowed["Location"])
    assert again.status_code == 302
    assert SocialAccount.objects.count() == 1


def test_callback_with_a_forged_state_connects_nothing(client, user):
    client.force_login(user)
    response = client.get("/social/callback/sandbox/", {"state": "forged", "code": "x"})
    assert response.status_code == 302
    assert not SocialAccount.objects.exists()


def test_video_upload_gets_a_thumbnail_of_its_shape(api):
    # A frame when ffmpeg is installed and can decode it; this box-only MP4 has no frames, so the poster.
    mvhd = _box(b"mvhd", bytes(4) + bytes(8) + struct.pack(">II", 1000, 83_000) + bytes(80))
    tkhd = _box(b"tkhd", bytes(76) + struct.pack(">II", 1080 << 16, 1920 << 16))
    data = _box(b"ftyp", b"isom" + bytes(4)) + _box(b"moov", mvhd + _box(b"trak", tkhd))

    response = api.post("/api/media/", {"file": SimpleUploadedFile("reel.mp4", data, content_type="video/mp4")})

    assert response.status_code == 201, response.content
    media = response.json()["media"]
    assert media["kind"] == "video" and media["durationSeconds"] == 83.0 and media["thumbnailUrl"]
    with Image.open(MediaAsset.objects.get().thumbnail) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (270, 480)  # portrait 9:16, like the video
