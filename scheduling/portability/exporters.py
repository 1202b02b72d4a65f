"""One export dataset, three renderings: JSON (the dataset as is), CSV (a zip with one file per
record type; posts.csv is also our import format) and XML (one element per record)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405  (writing only; reading uses defusedxml)

from core.spreadsheet import SafeCsvWriter

POST_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "content",
    "hashtags",
    "platform",
    "tone",
    "audience",
    "status",
    "scheduled_at",
    "timezone",
    "accounts",
    "published_at",
    "engagement_score",
    "author",
    "author_email",
    "created_at",
    "metadata",
)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value  # text: SafeCsvWriter neutralises formulas
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue().encode("utf-8")


def posts_csv(posts: list[dict[str, Any]]) -> bytes:
    # Accounts are joined with "|" (handles may hold spaces); hashtags with spaces.
    rows = [{**p, "accounts": "|".join(p.get("accounts", []))} for p in posts]
    return _csv(rows, list(POST_COLUMNS))


def render_csv(dataset: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if "posts" in dataset:
            archive.writestr("posts.csv", posts_csv(dataset["posts"]))
        for kind in ("schedules", "analytics"):
            if kind in dataset:
                rows = dataset[kind]
                columns = list(rows[0]) if rows else []
                archive.writestr(f"{kind}.csv", _csv(rows, columns))
        if "metadata" in dataset:
            meta = dataset["metadata"]
            rows = [{"record": "team", **meta["team"]}]
            rows += [{"record": "account", **a} for a in meta["accounts"]]
            rows += [{"record": "member", **m} for m in meta["members"]]
            columns = ["record", "id", "name", "timezone", "platform", "handle", "active", "email", "role"]
            archive.writestr("metadata.csv", _csv(rows, columns))
        archive.writestr(
            "export.json", json.dumps({k: dataset[k] for k in ("format", "version", "exported_at", "filters")})
        )
    return out.getvalue()


def render_json(dataset: dict[str, Any]) -> bytes:
    return json.dumps(dataset, indent=2, ensure_ascii=False).encode("utf-8")


def _element(parent: ET.Element, tag: str, record: dict[str, Any]) -> None:
    element = ET.SubElement(parent, tag)
    for key, value in record.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            for item in value:
                ET.SubElement(child, "item").text = _cell(item)
        else:
            child.text = _cell(value)


def render_xml(dataset: dict[str, Any]) -> bytes:
    root = ET.Element(
        "export",
        {"format": dataset["format"], "version": str(dataset["version"]), "exportedAt": dataset["exported_at"]},
    )
    for kind, tag in (("posts", "post"), ("schedules", "schedule"), ("analytics", "snapshot")):
        if kind in dataset:
            section = ET.SubElement(root, kind)
            for record in dataset[kind]:
                _element(section, tag, record)
    if "metadata" in dataset:
        meta = ET.SubElement(root, "metadata")
        _element(meta, "team", dataset["metadata"]["team"])
        for tag, records in (("account", dataset["metadata"]["accounts"]), ("member", dataset["metadata"]["members"])):
            group = ET.SubElement(meta, f"{tag}s")
            for record in records:
                _element(group, tag, record)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


RENDERERS: dict[str, tuple[Callable[[dict[str, Any]], bytes], str, str]] = {
    "JSON": (render_json, "json", "application/json"),
    "CSV": (render_csv, "zip", "application/zip"),
    "XML": (render_xml, "xml", "application/xml"),
}
