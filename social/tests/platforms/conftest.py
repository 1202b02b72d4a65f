from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx


@pytest.fixture
def mock_http() -> Iterator[respx.MockRouter]:
    """respx router with no passthrough: any request a test did not expect fails it."""
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
def http_client(mock_http: respx.MockRouter) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as client:
        yield client
