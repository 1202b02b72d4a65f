"""snake_case <-> camelCase for API payloads."""

from __future__ import annotations

import re
from typing import Any

_CAMEL_BOUNDARY = re.compile(r"(?<!^)([A-Z])")


def to_camel(key: str) -> str:
    if "_" not in key:
        return key
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_snake(key: str) -> str:
    return _CAMEL_BOUNDARY.sub(r"_\1", key).lower() if any(c.isupper() for c in key) else key


def camelize(data: Any) -> Any:
    if isinstance(data, dict):
        return {(to_camel(k) if isinstance(k, str) else k): camelize(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [camelize(v) for v in data]
    return data


def underscoreize(data: Any) -> Any:
    if isinstance(data, dict):
        return {(to_snake(k) if isinstance(k, str) else k): underscoreize(v) for k, v in data.items()}
    if isinstance(data, list):
        return [underscoreize(v) for v in data]
    return data
