"""core.uploads: archives refused by member count and size, images by declared pixels, before the work."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from core.uploads import TooManyPixels, UploadRefused, image_header, zip_member_read


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_member_within_the_bounds_is_read():
    assert zip_member_read(_zip({"posts.csv": b"a,b\n"}), "posts.csv", max_bytes=100, max_members=2) == b"a,b\n"


def test_too_many_members_are_refused_before_reading():
    archive = _zip({f"f{i}.txt": b"x" for i in range(5)} | {"posts.csv": b"a"})
    with pytest.raises(UploadRefused, match="more than 4 files"):
        zip_member_read(archive, "posts.csv", max_bytes=100, max_members=4)


def test_a_member_inflating_past_the_cap_is_refused():
    archive = _zip({"posts.csv": b"a" * 5000})
    assert len(archive) < 200
    with pytest.raises(UploadRefused, match="inflates to more than"):
        zip_member_read(archive, "posts.csv", max_bytes=4096, max_members=4)


def test_a_missing_member_is_a_key_error():
    with pytest.raises(KeyError):
        zip_member_read(_zip({"other.csv": b""}), "posts.csv", max_bytes=100, max_members=4)


def test_pixels_are_counted_from_the_header():
    out = io.BytesIO()
    Image.new("L", (300, 200)).save(out, format="PNG")
    assert (image_header(out, max_pixels=60_000).width, image_header(out, max_pixels=60_000).height) == (300, 200)
    with pytest.raises(TooManyPixels, match="300×200"):
        image_header(out, max_pixels=59_999)


def test_bytes_that_are_not_an_image_are_refused():
    with pytest.raises(UploadRefused) as refused:
        image_header(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), max_pixels=10)
    assert not isinstance(refused.value, TooManyPixels)
