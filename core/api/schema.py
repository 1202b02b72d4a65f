"""drf-spectacular post-processing: the schema shows the camelCase names the API speaks."""

from __future__ import annotations

from typing import Any

from core.api.casing import to_camel


def _camelize_component(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("properties"), dict):
        schema["properties"] = {to_camel(k): v for k, v in schema["properties"].items()}
        for value in schema["properties"].values():
            _camelize_component(value)
    if isinstance(schema.get("required"), list):
        schema["required"] = [to_camel(k) for k in schema["required"]]
    for key in ("items", "additionalProperties"):
        _camelize_component(schema.get(key))
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []) or []:
            _camelize_component(sub)


def camelize_schema(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    for component in result.get("components", {}).get("schemas", {}).values():
        _camelize_component(component)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["name"] = to_camel(parameter["name"])
    return result
