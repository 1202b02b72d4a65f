"""Small uploads that would cost a lot: refused before the cost, measured on this process's memory.

Each hostile file is a few hundred KB: a zip inflating to 300 MB, a PNG declaring 12000x12000 pixels
(576 MB once decoded to RGBA), a truncated MP4. A sampler thread reads the process's resident memory
(VmRSS) every few milliseconds while the request runs; the peak above the baseline must stay small.
"""

from __future__ import annotations

import io
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from social.models import MediaAsset

pytestmark = pytest.mark.django_db

MEMORY_BOUND = 64 * 1024 * 1024  # the 300 MB bomb and the 576 MB PNG stay far below this


def _rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")  # pragma: no cover


@contextmanager
def peak_rss_growth() -> Iterator[Callable[[], int]]:
    """Yields a function giving the highest resident memory above the baseline seen during the block."""
    baseline, peak, stop = _rss(), [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _rss())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield lambda: max(0, peak[0] - baseline)
    finally:
        stop.set()
        sampler.join()
        peak[0] = max(peak[0], _rss())


def zip_bomb(inflated: int = 300 * 1024 * 1024) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("posts.csv", "w", force_zip64=True) as member:
            member.write(b"title,content\n")
            chunk = b"a" * (1024 * 1024)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def png_bomb(side: int = 12000) -> bytes:
    """A valid greyscale PNG of side x side pixels, compressed to a few hundred KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * side  # filter byte + one byte per pixel
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


def _small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG")
    return out.getvalue()


def test_a_zip_bomb_import_is_refused_without_inflating_it(api):
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    # The same request with a harmless file first: the code path is loaded before memory is measured.
    warm = api.post("/api/imports/preview/", {"source": "contentgenai", "file": io.BytesIO(b"title,content\nA,B\n")})
    assert warm.status_code == 200, warm.content

    with peak_rss_growth() as growth:
        response = api.post("/api/imports/preview/", {"source": "contentgenai", "file": io.BytesIO(bomb)})

    assert growth() < MEMORY_BOUND, f"grew {growth() / 1e6:.0f} MB"
    assert response.status_code == 400, response.content
    assert "inflates to more than" in response.json()["error"]["message"]


def test_a_pixel_bomb_is_refused_as_media_before_decoding(api):
    bomb = png_bomb()
    assert len(bomb) < 1024 * 1024
    warm = api.post("/api/media/", {"file": SimpleUploadedFile("small.png", _small_png(), "image/png")})
    assert warm.status_code == 201, warm.content

    with peak_rss_growth() as growth:
        response = api.post("/api/media/", {"file": SimpleUploadedFile("huge.png", bomb, "image/png")})

    assert growth() < MEMORY_BOUND, f"grew {growth() / 1e6:.0f} MB"
    assert response.status_code == 400, response.content
    assert "12000×12000" in response.json()["error"]["message"]
    assert MediaAsset.objects.count() == 1  # the warm-up image only


def test_a_pixel_bomb_is_refused_as_an_avatar_before_decoding(client, owner):
    client.force_login(owner)
    bomb = png_bomb()
    warm = client.post(
        reverse("accounts:profile"),
        {"form": "profile", "first_name": "A", "last_name": "B", "avatar": SimpleUploadedFile("s.png", _small_png())},
    )
    assert warm.status_code == 302
    owner.avatar = ""
    owner.save(update_fields=["avatar"])

    with peak_rss_growth() as growth:
        response = client.post(
            reverse("accounts:profile"),
            {"form": "profile", "first_name": "A", "last_name": "B", "avatar": SimpleUploadedFile("a.png", bomb)},
        )

    assert growth() < MEMORY_BOUND, f"grew {growth() / 1e6:.0f} MB"
    assert response.status_code == 200  # the form again, with the error next to the field
    assert "12000×12000" in response.content.decode()
    owner.refresh_from_db()
    assert not owner.avatar


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


@pytest.mark.parametrize(
    "payload",
    [
        # moov whose mvhd box is empty: the old probe read its version byte with read(1)[0]
        _box(b"ftyp", b"isom\x00\x00\x02\x00") + struct.pack(">I4s", 16, b"moov") + struct.pack(">I4s", 8, b"mvhd"),
        # mvhd cut off in the middle of its timescale
        _box(b"ftyp", b"isom\x00\x00\x02\x00") + _box(b"moov", _box(b"mvhd", b"\x00" * 14)),
        # a 64-bit box size with no 64-bit field after it
        _box(b"ftyp", b"mp42\x00\x00\x00\x00") + struct.pack(">I4s", 1, b"moov"),
        # nothing but the ftyp header
        b"\x00\x00\x00\x18ftypmp42",
    ],
)
def test_a_truncated_mp4_is_stored_without_a_crash(api, payload):
    response = api.post("/api/media/", {"file": SimpleUploadedFile("clip.mp4", payload, "video/mp4")})

    assert response.status_code == 201, response.content
    assert response.json()["media"]["kind"] == "video"
    assert response.json()["media"]["durationSeconds"] is None


def test_a_normal_mp4_still_reports_its_duration(api):
    mvhd = b"\x00" * 4 + b"\x00" * 8 + struct.pack(">II", 1000, 12_500) + b"\x00" * 80
    payload = _box(b"ftyp", b"isom\x00\x00\x02\x00") + _box(b"moov", _box(b"mvhd", mvhd))
    response = api.post("/api/media/", {"file": SimpleUploadedFile("clip.mp4", payload, "video/mp4")})
    assert response.status_code == 201, response.content
    assert response.json()["media"]["durationSeconds"] == 12.5
