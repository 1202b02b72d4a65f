"""X API v2 media upload: initialize, append in segments, finalize, then wait for processing."""

from __future__ import annotations

import time
from typing import Any

import httpx

from social.platforms.base import ConnectorError, ErrorKind, MediaItem
from social.platforms.http import json_body, media_bytes, send
from social.platforms.twitter.errors import raise_for_x

SEGMENT_BYTES = 4 * 1024 * 1024
MAX_PROCESSING_WAIT = 300


def media_category(content_type: str) -> str:
    if content_type == "image/gif":
        return "tweet_gif"
    if content_type.startswith("video/"):
        return "tweet_video"
    return "tweet_image"


def upload_media(http: httpx.Client, api_base: str, token: str, item: MediaItem) -> str:
    """Upload one file and return the media id to put in `media.media_ids`."""
    headers = {"Authorization": f"Bearer {token}"}
    data = media_bytes(http, item)
    response = send(
        http,
        "POST",
        f"{api_base}/2/media/upload/initialize",
        headers=headers,
        json={
            "media_type": item.content_type,
            "total_bytes": len(data),
            "media_category": media_category(item.content_type),
        },
    )
    raise_for_x(response, "start the media upload")
    media_id = str(json_body(response)["data"]["id"])
    for index, start in enumerate(range(0, len(data), SEGMENT_BYTES)):
        response = send(
            http,
            "POST",
            f"{api_base}/2/media/upload/{media_id}/append",
            headers=headers,
            data={"segment_index": str(index)},
            files={"media": ("media", data[start : start + SEGMENT_BYTES], "application/octet-stream")},
        )
        raise_for_x(response, "upload the media")
    response = send(http, "POST", f"{api_base}/2/media/upload/{media_id}/finalize", headers=headers)
    raise_for_x(response, "finish the media upload")
    _wait_for_processing(http, api_base, headers, media_id, json_body(response).get("data", {}))
    return media_id


def _wait_for_processing(
    http: httpx.Client, api_base: str, headers: dict[str, str], media_id: str, data: dict[str, Any]
) -> None:
    # Video and GIFs are transcoded after finalize; a post that names them before "succeeded" is refused.
    waited = 0
    info = data.get("processing_info")
    while info and info.get("state") in ("pending", "in_progress"):
        delay = max(0, int(info.get("check_after_secs", 1)))
        if waited + delay > MAX_PROCESSING_WAIT:
            raise ConnectorError("X is still processing the video; try again later.", kind=ErrorKind.TRANSIENT)
        time.sleep(delay)
        waited += delay
        response = send(
            http,
            "GET",
            f"{api_base}/2/media/upload",
            headers=headers,
            params={"command": "STATUS", "media_id": media_id},
        )
        raise_for_x(response, "check the media processing")
        info = json_body(response).get("data", {}).get("processing_info")
    if info and info.get("state") == "failed":
        error = info.get("error") or {}
        raise ConnectorError(
            f"X could not process the media: {error.get('message') or error.get('name') or 'failed'}.",
            kind=ErrorKind.CONTENT,
            platform_code="media_failed",
        )
