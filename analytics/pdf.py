"""The PDF report: the totals, two charts (daily engagements, totals per platform) and the daily table."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from analytics.metrics import INTERACTIONS

PRIMARY = colors.HexColor("#4f46e5")


def _format(value: Any) -> str:
    return f"{value:.6f}" if isinstance(value, float) else str(value)


def _table(rows: list[dict], metrics: list[str], with_date: bool) -> LongTable:
    header = (["date"] if with_date else []) + ["platform", *metrics]
    body = [[*([r["date"]] if with_date else []), r["platform"], *(_format(r[m]) for m in metrics)] for r in rows]
    table = LongTable([header, *body], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2ff")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#cbd5e1")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _engagement_chart(daily: list[dict]) -> Drawing:
    per_day: dict[str, float] = {}
    for row in daily:
        per_day[row["date"]] = per_day.get(row["date"], 0) + sum(row.get(m, 0) for m in INTERACTIONS)
    drawing = Drawing(250 * mm, 60 * mm)
    drawing.add(String(0, 55 * mm, "Engagements per day", fontName="Helvetica-Bold", fontSize=10))
    points = [(i, v) for i, (_, v) in enumerate(sorted(per_day.items()))] or [(0, 0)]
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 10 * mm, 5 * mm, 230 * mm, 45 * mm
    plot.data = [points]
    plot.lines[0].strokeColor = PRIMARY
    plot.lines[0].strokeWidth = 1.5
    drawing.add(plot)
    return drawing


def _platform_chart(totals: list[dict]) -> Drawing:
    drawing = Drawing(250 * mm, 60 * mm)
    drawing.add(String(0, 55 * mm, "Engagements per platform", fontName="Helvetica-Bold", fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 10 * mm, 8 * mm, 120 * mm, 42 * mm
    chart.data = [[sum(row.get(m, 0) for m in INTERACTIONS) for row in totals] or [0]]
    chart.categoryAxis.categoryNames = [row["platform"] for row in totals] or ["-"]
    chart.bars[0].fillColor = PRIMARY
    drawing.add(chart)
    return drawing


def build_pdf(dataset: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title="Analytics report",
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
    )
    styles = getSampleStyleSheet()
    metrics = dataset["metrics"]
    daily = [r for r in dataset["rows"] if r["section"] == "daily"]
    totals = [r for r in dataset["rows"] if r["section"] == "total"]
    span = dataset["timeRange"]
    story: list[Any] = [
        # Paragraph text is reportlab markup: a team called "R&D <Lab>" must print as such, not break the build.
        Paragraph(f"Analytics report: {escape(str(dataset['team']))}", styles["Title"]),
        Paragraph(f"{span['from']} to {span['to']} · platform: {escape(str(dataset['platform']))}", styles["Normal"]),
        Spacer(1, 4 * mm),
        Paragraph("Totals (latest value of each post within the range)", styles["Heading2"]),
        _table(totals, metrics, with_date=False),
        Spacer(1, 4 * mm),
    ]
    if any(m in INTERACTIONS for m in metrics):
        story += [_engagement_chart(daily), _platform_chart([r for r in totals if r["platform"] != "all"])]
    story += [Paragraph("Daily values", styles["Heading2"]), _table(daily, metrics, with_date=True)]
    doc.build(story)
    return buffer.getvalue()
