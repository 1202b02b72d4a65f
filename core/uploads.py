"""Bounded work per upload: images are measured before they are decoded, archives capped while they inflate.

A 600 KB PNG can declare 12000x12000 pixels (576 MB once decoded) and a 600 KB zip can inflate to
300 MB. Both are refused from what they declare and, for archives, from what they actually produce,
before the memory is spent. Limits are settings (docs/security.md):

- IMAGE_MAX_PIXELS (default 40 million, e.g. 8000x5000): well under Pillow's own bomb guard
  (89.5 million pixels warns, twice that raises), and above what any platform accepts.
- ARCHIVE_MAX_MEMBERS / ARCHIVE_MAX_INFLATED_BYTES: per archive read.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

_CHUNK = 64 * 1024


class UploadRefused(ValueError):
    """The upload is not something we read, or reading it would cost more than its limit."""


class TooManyPixels(UploadRefused):
    """The image declares more pixels than IMAGE_MAX_PIXELS."""


@dataclass(frozen=True)
class ImageHeader:
    format: str
    width: int
    height: int


def image_header(stream: IO[bytes], *, max_pixels: int | None = None) -> ImageHeader:
    """Format and size from the image's header; refused above the pixel limit before any pixel is decoded.

    The stream is rewound. Pillow's `open` reads only the header; `verify` checks the structure
    (chunks, checksums) without decompressing the pixels.
    """
    limit = max_pixels if max_pixels is not None else settings.IMAGE_MAX_PIXELS
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89.5 million pixels; our own, lower limit is checked just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream) as probe:
                width, height = probe.size
                image_format = probe.format or ""
                if width * height > limit:
                    raise TooManyPixels(
                        _("The image is %(w)s×%(h)s pixels; the limit is %(m)s million pixels.")
                        % {"w": width, "h": height, "m": limit // 1_000_000}
                    )
                probe.verify()
    except UploadRefused:
        raise
    except Image.DecompressionBombError as exc:  # over twice Pillow's limit: refused by Pillow's open itself
        raise TooManyPixels(_("The image is larger than %(m)s million pixels.") % {"m": limit // 1_000_000}) from exc
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise UploadRefused(_("This is not an image we can read.")) from exc
    finally:
        stream.seek(0)
    return ImageHeader(format=image_format, width=width, height=height)


def zip_member_read(
    data: bytes | IO[bytes], name: str, *, max_bytes: int | None = None, max_members: int | None = None
) -> bytes:
    """One member of a zip, inflated in chunks and stopped at `max_bytes` whatever its header claims.

    Raises KeyError when the member is missing and zipfile.BadZipFile for a broken archive.
    """
    max_bytes = max_bytes if max_bytes is not None else settings.ARCHIVE_MAX_INFLATED_BYTES
    max_members = max_members if max_members is not None else settings.ARCHIVE_MAX_MEMBERS
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with zipfile.ZipFile(source) as archive:
        members = archive.infolist()
        if len(members) > max_members:
            raise UploadRefused(_("The archive holds more than %(n)s files.") % {"n": max_members})
        info = archive.getinfo(name)
        too_large = UploadRefused(
            _("%(name)s inflates to more than %(mb)s MB.") % {"name": name, "mb": max_bytes // (1024 * 1024)}
        )
        if info.file_size > max_bytes:
            raise too_large
        out = bytearray()
        with archive.open(info) as member:
            # The header's size can lie: count what inflating really produces.
            while chunk := member.read(_CHUNK):
                out += chunk
                if len(out) > max_bytes:
                    raise too_large
    return bytes(out)
