"""Uploaded files served by Django: images inline with nosniff, anything else a neutral download."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory

from core.media_views import media_serve


@pytest.fixture
def stored():
    names: list[str] = []

    def _store(name: str, content: bytes) -> str:
        saved = default_storage.save(name, ContentFile(content))
        names.append(saved)
        return saved

    yield _store
    for name in names:
        default_storage.delete(name)


def test_an_image_is_inline_with_nosniff(stored):
    name = stored("brands/logo.gif", b"GIF89a/*...*/=1;alert(1)//")
    response = media_serve(RequestFactory().get(f"/media/{name}"), name)

    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize("name", ["legacy/x.js", "legacy/page.html", "legacy/drawing.svg", "legacy/noext"])
def test_anything_else_is_a_download_never_script_or_page(stored, name):
    saved = stored(name, b"alert(document.domain)")
    response = media_serve(RequestFactory().get(f"/media/{saved}"), saved)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
