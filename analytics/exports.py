"""Export files: one dataset, four renderings (CSV, JSON, XML, PDF) that carry the same numbers.

Every row is *activity in the period* (`kind` "activity": what posts gained, the rise of their
cumulative counters): `daily` rows per day and platform, `total` rows per platform and `all` for the
whole period. The dataset also carries the KPIs against the previous period, the top posts with
their *lifetime* figures (each post's latest value), the best times to post, and which platforms'
figures are simulated (the sandbox). Engagement rate is rounded to 6 decimals.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405  (writing only)

from django.db.models import Sum

from analytics.metrics import METRICS, TimeRange, platform_label, with_rate
from analytics.models import DailyMetricRollup
from analytics.posting_times import best_posting_times
from analytics.selectors import ACTIVITY, LIFETIME, dashboard_data

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
    daily = (
        qs.values("date", "platform").annotate(**{m: Sum(f"{m}_gained") for m in METRICS}).order_by("date", "platform")
    )
    data = dashboard_data(team=team, time_range=time_range, platform=platform)
    simulated = set(data["simulated_platforms"])

    def row(section: str, day: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "section": section,
            "kind": ACTIVITY,
            "date": day,
            "platform": name,
            "platformName": platform_label(name) if name != "all" else "",
            "simulated": name in simulated or (name == "all" and bool(simulated)),
            **_pick(values, metrics),
        }

    rows: list[dict[str, Any]] = [row("daily", r["date"].isoformat(), r["platform"], with_rate(r)) for r in daily]
    for values in data["by_platform"]:
        rows.append(row("total", "", values["platform"], values))
    rows.append(row("total", "", "all", data["totals"]))
    brand = team.brands.order_by("name").values_list("name", flat=True).first() if hasattr(team, "brands") else None
    return {
        "team": team.name,
        "brand": brand or "",
        "timeRange": time_range.as_dict(),
        "previousRange": time_range.previous().as_dict(),
        "platform": platform or "all",
        "platformName": platform_label(platform) if platform else "",
        "metrics": metrics,
        "kinds": {
            ACTIVITY: "what posts gained in the period (differences of their cumulative counters)",
            LIFETIME: "each post's latest cumulative value up to the period's end",
        },
        "rows": rows,
        "hasPrevious": data["has_previous"],
        "kpis": data["kpis"],
        "partialDay": data["partial_day"],
        "simulatedPlatforms": sorted(simulated),
        "topPosts": [{**post, "kind": LIFETIME} for post in data["top_posts"]],
        "timezone": getattr(team, "timezone", "UTC") or "UTC",
        "bestTimes": [slot._asdict() for slot in best_posting_times(team=team, platform=platform, limit=5)],
    }


def render_csv(dataset: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        fieldnames=["section", "kind", "date", "platform", "platformName", "simulated", *dataset["metrics"]],
    )
    writer.writeheader()
    writer.writerows({**row, "simulated": "true" if row["simulated"] else "false"} for row in dataset["rows"])
    return buffer.getvalue().encode()


def render_json(dataset: dict[str, Any]) -> bytes:
    return json.dumps(dataset, indent=2, default=str).encode()


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
            root,
            "row",
            {
                "section": row["section"],
                "kind": row["kind"],
                "date": row["date"],
                "platform": row["platform"],
                "platformName": row["platformName"],
                "simulated": "true" if row["simulated"] else "false",
            },
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
