from __future__ import annotations

from typing import Any

from rest_framework.parsers import JSONParser

from core.api.casing import underscoreize


class CamelCaseJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return underscoreize(super().parse(stream, media_type, parser_context))
