"""The PDF report a client can receive, in the active language (the caller sets it).

Title page (workspace, brand, period and comparison period); KPIs against the previous period with
readable names and units; engagements gained per day on a dated axis and per platform on bars from
zero; top posts with their text; best times to post; and the daily figures as an appendix.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from analytics.metrics import INTERACTIONS, platform_label

PRIMARY = colors.HexColor("#4f46e5")
GRID = colors.HexColor("#cbd5e1")
HEADER = colors.HexColor("#eef2ff")


def _labels() -> dict[str, str]:
    from analytics.templatetags.analytics_tags import METRIC_LABELS

    return {name: str(label) for name, label in METRIC_LABELS.items()} | {"engagementRate": _("Engagement rate")}


def _day(iso: str, fmt: str = "j M Y") -> str:
    return date_format(date.fromisoformat(iso), fmt)


def _count(value: Any) -> str:
    return number_format(int(round(float(value))), use_l10n=True, force_grouping=True)


def _pct(value: Any) -> str:
    return f"{number_format(round(float(value) * 100, 2), 2, use_l10n=True)} %"


def _value(name: str, value: Any) -> str:
    return _pct(value) if name in {"engagementRate", "engagement_rate"} else _count(value)


_HEAD = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=7.5, leading=9)


def _head(cells: list[str]) -> list[Paragraph]:
    """Header cells that wrap, so a long label ("Veces compartido") never runs into its neighbour."""
    return [Paragraph(escape(str(cell)), _HEAD) for cell in cells]


def _style(table: LongTable, *, align_from: int = 1) -> LongTable:
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER),
                ("GRID", (0, 0), (-1, -1), 0.25, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (align_from, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _kpi_table(dataset: dict[str, Any]) -> LongTable:
    labels = _labels()
    header = [_("Measure (unit)"), _("This period"), _("Previous period"), _("Change (absolute)"), _("Change %")]
    body = []
    for name in ("impressions", "views", "reach", "likes", "comments", "shares", "clicks", "engagements"):
        kpi = dataset["kpis"][name]
        unit = _("count")
        body.append(
            [
                f"{labels.get(name, name)} ({unit})",
                _count(kpi["current"]),
                "-" if kpi["previous"] is None else _count(kpi["previous"]),
                "-" if kpi["absolute"] is None else ("+" if kpi["absolute"] > 0 else "") + _count(kpi["absolute"]),
                "-" if kpi["percent"] is None else f"{'+' if kpi['percent'] > 0 else ''}{kpi['percent']:.1f} %",
            ]
        )
    rate = dataset["kpis"]["engagement_rate"]
    body.append(
        [
            f"{labels['engagement_rate']} (%)",
            _pct(rate["current"]),
            "-" if rate["previous"] is None else _pct(rate["previous"]),
            "-" if rate["absolute"] is None else _pct(rate["absolute"]),
            "-" if rate["percent"] is None else f"{rate['percent']:.1f} %",
        ]
    )
    return _style(LongTable([_head(header), *body], colWidths=[60 * mm, 30 * mm, 30 * mm, 30 * mm, 25 * mm]))


def _engagements(row: dict[str, Any]) -> int:
    return int(sum(row.get(m, 0) for m in INTERACTIONS))


def _daily_chart(dataset: dict[str, Any]) -> Drawing:
    """Engagements gained per day, one point per day of the period, dated axis, from zero."""
    per_day: dict[str, int] = {}
    for row in dataset["rows"]:
        if row["section"] == "daily":
            per_day[row["date"]] = per_day.get(row["date"], 0) + _engagements(row)
    start = date.fromisoformat(dataset["timeRange"]["from"])
    days = [date.fromordinal(start.toordinal() + i).isoformat() for i in range(dataset["timeRange"]["days"])]
    step = max(1, len(days) // 8)
    drawing = Drawing(180 * mm, 62 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 12 * mm, 162 * mm, 46 * mm
    chart.data = [[per_day.get(day, 0) for day in days]]
    chart.categoryAxis.categoryNames = [_day(day, "j M") if i % step == 0 else "" for i, day in enumerate(days)]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: _count(v)
    chart.lines[0].strokeColor = PRIMARY
    chart.lines[0].strokeWidth = 1.5
    drawing.add(chart)
    return drawing


def _platform_chart(totals: list[dict[str, Any]]) -> Drawing:
    drawing = Drawing(180 * mm, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 10 * mm, 120 * mm, 40 * mm
    chart.data = [[_engagements(row) for row in totals] or [0]]
    chart.categoryAxis.categoryNames = [row["platformName"] + (" *" if row["simulated"] else "") for row in totals] or [
        "-"
    ]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0  # bars from zero: a short bar is a small number, not a cut-off axis
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: _count(v)
    chart.bars[0].fillColor = PRIMARY
    drawing.add(chart)
    return drawing


def _top_posts(dataset: dict[str, Any], styles: Any) -> LongTable:
    small = ParagraphStyle("cell", parent=styles["Normal"], fontSize=8, leading=10)
    labels = _labels()
    header = [_("Post"), labels["impressions"], labels["engagements"], labels["engagement_rate"]]
    body = [
        [
            Paragraph(f"<b>{escape(post['title'])}</b><br/>{escape(post['text'])}", small),
            _count(post["impressions"]),
            _count(_engagements(post)),
            _pct(post["engagement_rate"]),
        ]
        for post in dataset["topPosts"]
    ]
    return _style(LongTable([_head(header), *body], colWidths=[102 * mm, 26 * mm, 26 * mm, 26 * mm], repeatRows=1))


def _best_times(dataset: dict[str, Any]) -> LongTable:
    from analytics.posting_times import DAYS

    header = [_("When (%(zone)s)") % {"zone": dataset["timezone"]}, _("Score (0-100)"), _("Confidence")]
    body = [
        [
            f"{_(DAYS[slot['weekday']])} {slot['hour']:02d}:00",
            f"{slot['score']:.0f}",
            f"{slot['confidence'] * 100:.0f} %",
        ]
        for slot in dataset["bestTimes"]
    ]
    return _style(LongTable([_head(header), *body], colWidths=[60 * mm, 30 * mm, 30 * mm]))


def _source_note(dataset: dict[str, Any]) -> str:
    source = dataset["bestTimes"][0]["source"] if dataset["bestTimes"] else "benchmark"
    if source == "own":
        return _("From your own results: your published posts near each time, and how much their results vary.")
    if source == "model":
        return _("From your engagement model, trained on your posts.")
    return _("From platform benchmarks, until you have published a few posts with metrics.")


def _daily_table(dataset: dict[str, Any]) -> LongTable:
    labels = _labels()
    metrics = dataset["metrics"]
    header = [_("Date"), _("Platform"), *(labels.get(m, m) for m in metrics)]
    body = [
        [row["date"], row["platformName"] + (" *" if row["simulated"] else ""), *(_value(m, row[m]) for m in metrics)]
        for row in dataset["rows"]
        if row["section"] == "daily"
    ]
    widths = [20 * mm, 22 * mm, *([(140 * mm) / max(1, len(metrics))] * len(metrics))]
    return _style(LongTable([_head(header), *body], repeatRows=1, colWidths=widths), align_from=2)


def build_pdf(dataset: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    title = _("Analytics report")
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    styles = getSampleStyleSheet()
    span, previous = dataset["timeRange"], dataset["previousRange"]
    totals = [r for r in dataset["rows"] if r["section"] == "total" and r["platform"] != "all"]
    # Paragraph text is reportlab markup: a team called "R&D <Lab>" must print as such, not break the build.
    team = escape(str(dataset["team"]))
    story: list[Any] = [
        Spacer(1, 50 * mm),
        Paragraph(f"{title}: {team}", styles["Title"]),
    ]
    if dataset.get("brand"):
        story.append(Paragraph(_("Brand: %(brand)s") % {"brand": escape(dataset["brand"])}, styles["Heading3"]))
    story += [
        Spacer(1, 8 * mm),
        Paragraph(
            _("Period: %(start)s to %(end)s") % {"start": _day(span["from"]), "end": _day(span["to"])},
            styles["Heading2"],
        ),
        Paragraph(
            _("Compared with: %(start)s to %(end)s") % {"start": _day(previous["from"]), "end": _day(previous["to"])},
            styles["Normal"],
        ),
        Paragraph(
            _("Platforms: %(names)s") % {"names": escape(dataset.get("platformName") or _("all platforms"))},
            styles["Normal"],
        ),
        Paragraph(_("Prepared on %(day)s") % {"day": date_format(timezone.now().date(), "j M Y")}, styles["Normal"]),
        Spacer(1, 8 * mm),
        Paragraph(
            _(
                "Figures for the period are activity: what the posts gained during it (the rise of their "
                "cumulative counters), by UTC day. Top posts show each post's lifetime figures: its latest value."
            ),
            styles["Normal"],
        ),
    ]
    if dataset.get("partialDay"):
        story.append(Paragraph(_("The last day, today, is partial: its figures are not final."), styles["Normal"]))
    if dataset["simulatedPlatforms"]:
        names = ", ".join(platform_label(name) for name in dataset["simulatedPlatforms"])
        story.append(
            Paragraph(
                _(
                    "Simulated figures (marked *): %(names)s. The sandbox platform made them up; "
                    "no network reported them."
                )
                % {"names": escape(names)},
                styles["Normal"],
            )
        )
    story += [PageBreak(), Paragraph(_("Key figures against the previous period"), styles["Heading2"])]
    if not dataset["hasPrevious"]:
        story.append(Paragraph(_("No previous data: nothing was measured before this period."), styles["Normal"]))
    story += [
        _kpi_table(dataset),
        Spacer(1, 6 * mm),
        Paragraph(_("Engagements gained per day"), styles["Heading3"]),
        _daily_chart(dataset),
        Paragraph(_("Engagements gained per platform"), styles["Heading3"]),
        _platform_chart(totals),
        PageBreak(),
        Paragraph(_("Top posts (lifetime figures)"), styles["Heading2"]),
    ]
    story.append(
        _top_posts(dataset, styles)
        if dataset["topPosts"]
        else Paragraph(_("No posts with metrics in this period."), styles["Normal"])
    )
    story += [
        Spacer(1, 6 * mm),
        Paragraph(_("Best times to post"), styles["Heading2"]),
        Paragraph(_source_note(dataset), styles["Normal"]),
        _best_times(dataset),
        PageBreak(),
        Paragraph(_("Appendix: daily activity per platform"), styles["Heading2"]),
        _daily_table(dataset),
    ]
    doc.build(story)
    return buffer.getvalue()
