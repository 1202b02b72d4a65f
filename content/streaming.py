"""Server-sent events for the studio: one stream per request, one section per platform.

Under ASGI (uvicorn) the sync event generator is driven from an async iterator, one chunk at a time,
so text reaches the browser as it is written; under WSGI the same generator streams as is.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, StreamingHttpResponse

_END = object()


def sse(event: str, data: dict[str, Any]) -> bytes:
    # DjangoJSONEncoder: a translated label (a lazy string) goes out in the reader's language.
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)}\n\n".encode()


async def _drive(events: Iterator[bytes]) -> AsyncIterator[bytes]:
    step = sync_to_async(lambda: next(events, _END), thread_sensitive=True)
    try:
        while (chunk := await step()) is not _END:
            yield chunk  # type: ignore[misc]
    finally:
        # Closing the generator runs its cleanup (a quota unit given back if the browser left early).
        await sync_to_async(getattr(events, "close", lambda: None), thread_sensitive=True)()


def sse_response(request: HttpRequest, events: Iterator[bytes]) -> StreamingHttpResponse:
    content: Any = _drive(events) if isinstance(request, ASGIRequest) else events
    response = StreamingHttpResponse(content, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
