"""Export files: one dataset, four renderings (CSV, JSON, XML, PDF) that carry the same numbers.

The dataset has `daily` rows (per day and platform: the sum of that day's rollups) and `total` rows
(per platform and `all`: the latest value of each post within the range), with the requested metrics
and the engagement rate rounded to 6 decimals.
"""

from __future__ import annotations

import io
import json
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405  (writing only)

from django.db.models import Sum

from analytics.metrics import METRICS, TimeRange, with_rate
from analytics.models import DailyMetricRollup
from analytics.selectors import platform_totals
from core.spreadsheet import SafeDictCsvWriter

EXPORT_METRICS: tuple[str, ...] = (*METRICS, "engagementRate")


def _pick(values: dict[str, float], metrics: list[str]) -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    for name in metrics:
        if name == "engagementRate":
            out[name] = round(float(values["engagement_rate"]), 6)
        else:
            out[name] = int(values[name])
    return out


def export_dataset(*, team: Any, time_range: TimeRange, platform: str | None, metrics: list[str]) -> dict[str, Any]:
    metrics = [m for m in EXPORT_METRICS if m in metrics] or list(EXPORT_METRICS)
    qs = DailyMetricRollup.objects.filter(team=team, date__gte=time_range.start, date__lte=time_range.end)
    if platform:
        qs = qs.filter(platform=platform)
    daily = qs.values("date", "platform").annotate(**{m: Sum(m) for m in METRICS}).order_by("date", "platform")
    rows: list[dict[str, Any]] = [
        {"section": "daily", "date": r["date"].isoformat(), "platform": r["platform"], **_pick(with_rate(r), metrics)}
        for r in daily
    ]
    per_platform = platform_totals(team=team, time_range=time_range, platform=platform)
    for name, values in sorted(per_platform.items()):
        rows.append({"section": "total", "date": "", "platform": name, **_pick(values, metrics)})
    overall = with_rate({m: sum(v[m] for v in per_platform.values()) for m in METRICS})
    rows.append({"section": "total", "date": "", "platform": "all", **_pick(overall, metrics)})
    return {
        "team": team.name,
        "timeRange": time_range.as_dict(),
        "platform": platform or "all",
        "metrics": metrics,
        "rows": rows,
    }


def render_csv(dataset: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = SafeDictCsvWriter(buffer, fieldnames=["section", "date", "platform", *dataset["metrics"]])
    writer.writeheader()
    writer.writerows(dataset["rows"])
    return buffer.getvalue().encode()


def render_json(dataset: dict[str, Any]) -> bytes:
    return json.dumps(dataset, indent=2).encode()


def render_xml(dataset: dict[str, Any]) -> bytes:
    root = ET.Element(
        "analytics",
        {
            "team": dataset["team"],
            "from": dataset["timeRange"]["from"],
            "to": dataset["timeRange"]["to"],
            "platform": dataset["platform"],
        },
    )
    for row in dataset["rows"]:
        element = ET.SubElement(
            root, "row", {"section": row["section"], "date": row["date"], "platform": row["platform"]}
        )
        for metric in dataset["metrics"]:
            ET.SubElement(element, metric).text = str(row[metric])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render_pdf(dataset: dict[str, Any]) -> bytes:
    from analytics.pdf import build_pdf

    return build_pdf(dataset)


RENDERERS = {
    "CSV": (render_csv, "csv", "text/csv"),
    "JSON": (render_json, "json", "application/json"),
    "XML": (render_xml, "xml", "application/xml"),
    "PDF": (render_pdf, "pdf", "application/pdf"),
}
