"""Uploaded files as Django serves them (the embedded default; production serves media from S3).

Uploads are data, never code: only images, videos and PDFs are shown inline, anything else is a
download with a neutral type, and `nosniff` keeps a browser from reading a file as script or page
whatever its bytes look like (a GIF that is also valid JavaScript, say).
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve

INLINE_PREFIXES = ("image/png", "image/jpeg", "image/gif", "image/webp", "video/", "application/pdf")


def media_serve(request: HttpRequest, path: str) -> HttpResponseBase:
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    guessed, _encoding = mimetypes.guess_type(path)
    name = PurePosixPath(path).name.replace('"', "")
    if guessed and guessed.startswith(INLINE_PREFIXES):
        response["Content-Disposition"] = f'inline; filename="{name}"'
    else:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
