from __future__ import annotations

from typing import Any

from rest_framework.renderers import JSONRenderer

from core.api.casing import camelize


class CamelCaseJSONRenderer(JSONRenderer):
    """Render snake_case Python data as camelCase JSON.

    Keys inside fields that hold free-form user data (e.g. `metadata`) are converted too; the API
    promises camelCase everywhere.
    """

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return super().render(camelize(data), accepted_media_type, renderer_context)
