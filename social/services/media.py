"""Media uploads: sniff the real type, read dimensions and duration, make a thumbnail, store.

Images get a 480 px JPEG thumbnail; videos a frame one second in when ffmpeg is installed, otherwise a
poster of the video's shape with a play sign and its length (so every upload has a thumbnail).
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess  # noqa: S404  (ffmpeg with a fixed argv, never a shell)
import tempfile
import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from accounts.models import User
from content.models import ContentPost, PostStatus
from content.platform_rules import platforms, rule_for
from core.api.errors import ValidationFailed
from core.uploads import TooManyPixels, UploadRefused, image_header
from social.models import MediaAsset, PostMedia
from social.platforms.base import MediaItem
from teams.models import Team
from teams.permissions import Capability, TeamContext, require

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
}
THUMBNAIL_SIZE = (480, 480)


UNREADABLE = "This is not an image or video we can read (JPEG, PNG, GIF, WebP, MP4, MOV, WebM)."


def _image_thumbnail(upload: UploadedFile) -> bytes:
    """A JPEG preview of the first frame; JPEGs are decoded at a reduced scale (draft) to spare memory."""
    try:
        with Image.open(upload) as image:
            image.draft("RGB", THUMBNAIL_SIZE)
            preview = image.convert("RGB")
            preview.thumbnail(THUMBNAIL_SIZE)
            buffer = io.BytesIO()
            preview.save(buffer, format="JPEG", quality=82)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise _reject(UNREADABLE) from exc
    return buffer.getvalue()


def _reject(message: str) -> ValidationFailed:
    return ValidationFailed(message, details={"file": [message]})


def _largest_allowed(kind: str) -> int:
    """No platform takes more than this; per-platform limits are pre-publish checks."""
    attr = "video_max_bytes" if kind == "video" else "image_max_bytes"
    largest = max(getattr(rule_for(p).media, attr) for p in platforms())
    return min(largest, settings.SOCIAL_MEDIA_MAX_UPLOAD_BYTES)


def _sniff_video(head: bytes) -> str | None:
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:10] == b"qt" else "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


def _iter_boxes(stream: IO[bytes], start: int, end: int):  # type: ignore[no-untyped-def]
    offset = start
    while offset + 8 <= end:
        stream.seek(offset)
        header = stream.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        header_size = 8
        if size == 1:
            size = struct.unpack(">Q", stream.read(8))[0]
            header_size = 16
        elif size == 0:
            size = end - offset
        if size < header_size:
            return
        yield kind, offset + header_size, offset + size
        offset += size


def mp4_properties(stream: IO[bytes], total: int) -> tuple[float | None, int | None, int | None]:
    """Duration (mvhd) and the first visual track's size (tkhd) from an ISO-BMFF file, without ffmpeg.

    Never raises: a truncated or odd file (a box cut short, a size pointing past the end) gives
    whatever was read before the damage, None for the rest; the platforms judge the video itself.
    """
    found: dict[str, Any] = {}
    try:
        _read_mp4_boxes(stream, total, found)
    except (IndexError, struct.error, ValueError, OverflowError, OSError):
        pass
    return found.get("duration"), found.get("width"), found.get("height")


def _read_mp4_boxes(stream: IO[bytes], total: int, found: dict[str, Any]) -> None:
    duration = width = height = None
    for kind, body, end in _iter_boxes(stream, 0, total):
        if kind != b"moov":
            continue
        for child, child_body, child_end in _iter_boxes(stream, body, end):
            if child == b"mvhd":
                stream.seek(child_body)
                version = stream.read(1)[0]
                stream.seek(child_body + (20 if version == 1 else 12))
                if version == 1:
                    timescale, length = struct.unpack(">IQ", stream.read(12))
                else:
                    timescale, length = struct.unpack(">II", stream.read(8))
                duration = length / timescale if timescale else None
                found["duration"] = duration
            elif child == b"trak" and width is None:
                for grandchild, _body, gc_end in _iter_boxes(stream, child_body, child_end):
                    if grandchild == b"tkhd":
                        stream.seek(gc_end - 8)
                        w, h = struct.unpack(">II", stream.read(8))
                        if w and h:
                            width, height = w >> 16, h >> 16
                            found.update(width=width, height=height)


def _video_frame(upload: UploadedFile) -> bytes | None:
    """A JPEG of the frame one second in, when ffmpeg is installed; None otherwise or when it fails."""
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        return None
    with tempfile.TemporaryDirectory(prefix="cg-thumb-") as workdir:
        source, target = Path(workdir) / "video", Path(workdir) / "thumb.jpg"
        with source.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        upload.seek(0)
        argv = [ffmpeg, "-v", "error", "-ss", "1", "-i", str(source), "-frames:v", "1"]
        argv += ["-vf", f"scale='min({THUMBNAIL_SIZE[0]},iw)':-2", "-y", str(target)]
        try:
            subprocess.run(argv, capture_output=True, timeout=30, check=True)  # noqa: S603 (fixed argv, no shell)
        except (OSError, subprocess.SubprocessError):
            return None
        return target.read_bytes() if target.exists() and target.stat().st_size else None


def video_poster(*, width: int | None, height: int | None, duration: float | None) -> bytes:
    """A stand-in thumbnail for a video without ffmpeg: the video's shape, a play sign and its length."""
    ratio = (width / height) if width and height else 16 / 9
    box_w, box_h = THUMBNAIL_SIZE
    size = (box_w, max(1, round(box_w / ratio))) if ratio >= 1 else (max(1, round(box_h * ratio)), box_h)
    poster = Image.new("RGB", size, (33, 37, 41))
    draw = ImageDraw.Draw(poster)
    cx, cy, r = size[0] / 2, size[1] / 2, min(size) / 6
    draw.polygon([(cx - r * 0.6, cy - r), (cx - r * 0.6, cy + r), (cx + r, cy)], fill=(248, 249, 250))
    if duration:
        minutes, seconds = divmod(round(duration), 60)
        draw.text((8, size[1] - 18), f"{minutes}:{seconds:02d}", fill=(248, 249, 250), font=ImageFont.load_default())
    buffer = io.BytesIO()
    poster.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def media_upload(
    *, team: Team, user: User | None, upload: UploadedFile, alt_text: str = "", post: ContentPost | None = None
) -> MediaAsset:
    size = upload.size or 0
    if size == 0:
        raise _reject("The file is empty.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    video_type = _sniff_video(head)
    thumbnail: ContentFile | None = None
    duration = None
    if video_type:
        kind = MediaAsset.Kind.VIDEO
        content_type = video_type
        width = height = None
        if video_type != "video/webm":
            duration, width, height = mp4_properties(upload, size)
            upload.seek(0)
        frame = _video_frame(upload) if size <= _largest_allowed(kind) else None
        thumbnail = ContentFile(frame or video_poster(width=width, height=height, duration=duration), name="thumb.jpg")
    else:
        kind = MediaAsset.Kind.IMAGE
        try:
            # Measured from the header first: nothing is decoded above IMAGE_MAX_PIXELS.
            header = image_header(upload)
        except TooManyPixels as exc:
            raise _reject(str(exc)) from exc
        except UploadRefused as exc:
            raise _reject(UNREADABLE) from exc
        content_type = IMAGE_TYPES.get(header.format, "")
        width, height = header.width, header.height
        if not content_type:
            raise _reject(f"{header.format} images are not accepted: use JPEG, PNG, GIF or WebP.")
        thumbnail = ContentFile(_image_thumbnail(upload), name="thumb.jpg")
        upload.seek(0)
    if size > _largest_allowed(kind):
        raise _reject(f"The file is {size // 1_000_000} MB; the limit is {_largest_allowed(kind) // 1_000_000} MB.")
    asset = MediaAsset(
        team=team,
        uploaded_by=user,
        original_name=(upload.name or "")[:255],
        kind=kind,
        content_type=content_type,
        size_bytes=size,
        width=width,
        height=height,
        duration_seconds=duration,
        alt_text=alt_text[:1500],
    )
    # A generated name with the detected type's extension: the uploaded name is only shown, never served.
    asset.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}", upload, save=False)
    if thumbnail is not None:
        asset.thumbnail.save("thumb.jpg", thumbnail, save=False)
    with transaction.atomic():
        asset.save()
        if post is not None:
            media_attach(post=post, assets=[asset], append=True)
    return asset


def media_attach(*, post: ContentPost, assets: list[MediaAsset], append: bool = False) -> None:
    """Set (or extend) the media a post carries, in the given order."""
    with transaction.atomic():
        if not append:
            PostMedia.objects.filter(post=post).delete()
        start = PostMedia.objects.filter(post=post).count()
        for position, asset in enumerate(assets, start=start):
            PostMedia.objects.get_or_create(post=post, asset=asset, defaults={"position": position})


MAX_POST_MEDIA = 20


def post_media_set(*, ctx: TeamContext, post: ContentPost, assets: list[MediaAsset]) -> None:
    """The composer's media for a post, in the order shown; editing rules as for the post's text."""
    require(ctx, Capability.CREATE_CONTENT)
    if post.status == PostStatus.PUBLISHED:
        raise ValidationFailed(_("A published post cannot be edited."), details={"mediaIds": [_("Already published.")]})
    if len(assets) > MAX_POST_MEDIA:
        raise ValidationFailed(
            _("A post carries at most %(n)s files.") % {"n": MAX_POST_MEDIA},
            details={"mediaIds": [_("Remove some files.")]},
        )
    media_attach(post=post, assets=assets)


def absolute_media_url(path_or_url: str) -> str:
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return f"{settings.SITE_URL.rstrip('/')}{path_or_url}"


def media_item(asset: MediaAsset) -> MediaItem:
    return MediaItem(
        url=absolute_media_url(asset.file.url),
        content_type=asset.content_type,
        size_bytes=asset.size_bytes,
        width=asset.width,
        height=asset.height,
        duration_seconds=asset.duration_seconds,
        alt_text=asset.alt_text,
        storage_path=asset.file.name or "",
    )
