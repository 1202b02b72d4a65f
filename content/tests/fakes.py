"""Wire-format bodies of the OpenAI and Anthropic APIs, for respx routes and the local fake server."""

from __future__ import annotations

import json
from typing import Any

from content.tests.fake_server import FakeResponse


def openai_completion(
    text: str, *, model: str = "gpt-4o-mini", tokens_in: int = 42, tokens_out: int = 17
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out, "total_tokens": tokens_in + tokens_out},
    }


def openai_stream_body(
    pieces: list[str], *, model: str = "gpt-4o-mini", tokens_in: int = 40, tokens_out: int = 12
) -> bytes:
    """`data: {chunk}` lines, a usage-only chunk (stream_options.include_usage), then `data: [DONE]`."""

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": 1_700_000_000,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": piece}) for piece in pieces]
    events.append(chunk({}, "stop"))
    events.append(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": 1_700_000_000,
            "model": model,
            "choices": [],
            "usage": {
                "prompt_tokens": tokens_in,
                "completion_tokens": tokens_out,
                "total_tokens": tokens_in + tokens_out,
            },
        }
    )
    lines = [f"data: {json.dumps(e)}\n\n" for e in events] + ["data: [DONE]\n\n"]
    return "".join(lines).encode()


def anthropic_message(
    text: str, *, model: str = "claude-haiku-4-5", tokens_in: int = 30, tokens_out: int = 20
) -> dict[str, Any]:
    return {
        "id": "msg_test",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": tokens_in, "output_tokens": tokens_out},
    }


def anthropic_stream_body(
    pieces: list[str], *, model: str = "claude-haiku-4-5", tokens_in: int = 25, tokens_out: int = 9
) -> bytes:
    """Anthropic's named SSE events: message_start, content_block_*, ping, message_delta, message_stop."""
    events: list[tuple[str, dict[str, Any]]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_test",
                    "type": "message",
                    "role": "assistant",
                    "content": [],
                    "model": model,
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": tokens_in, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        ),
        ("ping", {"type": "ping"}),
    ]
    events += [
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}})
        for p in pieces
    ]
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": tokens_out},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events).encode()


def sse_response(body: bytes) -> FakeResponse:
    return FakeResponse(200, body, stream=True)


def ok(body: dict[str, Any]) -> FakeResponse:
    return FakeResponse(200, body)


def error_response(status: int, *, retry_after: str | None = None, kind: str = "openai") -> FakeResponse:
    headers = {"retry-after": retry_after} if retry_after else {}
    if kind == "anthropic":
        body: dict[str, Any] = {
            "type": "error",
            "error": {"type": "rate_limit_error" if status == 429 else "api_error", "message": "busy"},
        }
    else:
        body = {"error": {"message": "busy", "type": "rate_limit" if status == 429 else "server_error", "code": None}}
    return FakeResponse(status, body, headers=headers)
