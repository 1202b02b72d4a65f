"""Running server-side work from a browser test."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def off_thread(fn: Callable[[], Any]) -> Any:
    """Run `fn` in a plain thread, as beat and the worker would, and return its result.

    Playwright's sync API owns the test thread's event loop, so Django's ORM calls made there are
    refused as async-unsafe; a thread of its own (with its own connection, closed after) is not.
    """
    from django.db import connection

    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the test thread
            box["error"] = exc
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=60)
    if "error" in box:
        raise box["error"]
    return box["value"]
