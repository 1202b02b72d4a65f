"""The PDF report a client can receive, in the active language (the caller sets it).

Title page (workspace, brand, period and comparison period); KPIs against the previous period with
readable names and units; engagements gained per day on a dated axis and per platform on bars from
zero; top posts with their text; best times to post; and the daily figures as an appendix.
"""

from __future__ import annotations

import functools
import io
from datetime import date
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, PageBreak, SimpleDocTemplate, Spacer, TableStyle

from analytics.metrics import INTERACTIONS, platform_label
from analytics.pdf_text import ReportText
from analytics.templatetags.analytics_tags import points

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


def _table(
    text: ReportText, header: list[str], body: list[list[Any]], widths: list[float], *, align_from: int = 1
) -> LongTable:
    """A table whose header cells wrap (a long label such as "Veces compartido" never runs into its
    neighbour) and whose figures line up at the end of their cells; mirrored for a right-to-left reader."""
    style = ParagraphStyle("head", fontName=text.bold, fontSize=7.5, leading=9, alignment=TA_RIGHT if text.rtl else 0)
    head = [text.paragraph(str(cell), style, width=width - 12) for cell, width in zip(header, widths, strict=True)]
    rows = [head[::-1] if text.rtl else head, *(text.row(row) for row in body)]
    count = len(widths)
    figures = ((0, 1), (count - 1 - align_from, -1)) if text.rtl else ((align_from, 1), (-1, -1))
    table = LongTable(rows, colWidths=text.columns(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), text.bold, 8),
                ("FONT", (0, 1), (-1, -1), text.regular, 8),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER),
                ("GRID", (0, 0), (-1, -1), 0.25, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 1), (-1, -1), "RIGHT" if text.rtl else "LEFT"),
                ("ALIGN", *figures, "LEFT" if text.rtl else "RIGHT"),
            ]
        )
    )
    return table


def _kpi_table(dataset: dict[str, Any], text: ReportText) -> LongTable:
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
            "-" if rate["absolute"] is None else ("+" if rate["absolute"] > 0 else "") + points(rate["absolute"]),
            "-" if rate["percent"] is None else f"{rate['percent']:.1f} %",
        ]
    )
    return _table(text, header, body, [60 * mm, 30 * mm, 30 * mm, 30 * mm, 25 * mm])


def _engagements(row: dict[str, Any]) -> int:
    return int(sum(row.get(m, 0) for m in INTERACTIONS))


def _daily_chart(dataset: dict[str, Any], text: ReportText) -> Drawing:
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
    chart.categoryAxis.categoryNames = [
        text.visual(_day(day, "j M")) if i % step == 0 else "" for i, day in enumerate(days)
    ]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = text.regular
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: _count(v)
    chart.lines[0].strokeColor = PRIMARY
    chart.lines[0].strokeWidth = 1.5
    drawing.add(chart)
    return drawing


def _platform_chart(totals: list[dict[str, Any]], text: ReportText | None = None) -> Drawing:
    text = text or ReportText()
    drawing = Drawing(180 * mm, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 10 * mm, 120 * mm, 40 * mm
    chart.data = [[_engagements(row) for row in totals] or [0]]
    chart.categoryAxis.categoryNames = [
        text.visual(row["platformName"] + (" *" if row["simulated"] else "")) for row in totals
    ] or ["-"]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = text.regular
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0  # bars from zero: a short bar is a small number, not a cut-off axis
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: _count(v)
    chart.bars[0].fillColor = PRIMARY
    drawing.add(chart)
    return drawing


def _top_posts(dataset: dict[str, Any], text: ReportText) -> LongTable:
    small = ParagraphStyle("cell", parent=text.styles["Normal"], fontSize=8, leading=10)
    labels = _labels()
    header = [_("Post"), labels["impressions"], labels["engagements"], labels["engagement_rate"]]
    body = [
        [
            text.paragraph(post["text"], small, width=102 * mm - 12, bold_first=post["title"], auto=True),
            _count(post["impressions"]),
            _count(_engagements(post)),
            _pct(post["engagement_rate"]),
        ]
        for post in dataset["topPosts"]
    ]
    return _table(text, header, body, [102 * mm, 26 * mm, 26 * mm, 26 * mm])


def _best_times(dataset: dict[str, Any], text: ReportText) -> LongTable:
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
    return _table(text, header, body, [60 * mm, 30 * mm, 30 * mm])


def _source_note(dataset: dict[str, Any]) -> str:
    source = dataset["bestTimes"][0]["source"] if dataset["bestTimes"] else "benchmark"
    if source == "own":
        return _("From your own results: your published posts near each time, and how much their results vary.")
    if source == "model":
        return _("From your engagement model, trained on your posts.")
    return _("From platform benchmarks, until you have published a few posts with metrics.")


def _daily_table(dataset: dict[str, Any], text: ReportText) -> LongTable:
    labels = _labels()
    metrics = dataset["metrics"]
    header = [_("Date"), _("Platform"), *(labels.get(m, m) for m in metrics)]
    body = [
        [row["date"], row["platformName"] + (" *" if row["simulated"] else ""), *(_value(m, row[m]) for m in metrics)]
        for row in dataset["rows"]
        if row["section"] == "daily"
    ]
    widths = [20 * mm, 22 * mm, *([(140 * mm) / max(1, len(metrics))] * len(metrics))]
    return _table(text, header, body, widths, align_from=2)


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
    text = ReportText()
    styles = text.styles

    def para(words: str, style: str = "Normal") -> Any:
        # Plain text, escaped by the writer: a team called "R&D <Lab>" prints as such.
        return text.paragraph(words, styles[style], width=doc.width)

    span, previous = dataset["timeRange"], dataset["previousRange"]
    totals = [r for r in dataset["rows"] if r["section"] == "total" and r["platform"] != "all"]
    story: list[Any] = [Spacer(1, 50 * mm), para(f"{title}: {dataset['team']}", "Title")]
    if dataset.get("brand"):
        story.append(para(_("Brand: %(brand)s") % {"brand": dataset["brand"]}, "Heading3"))
    story += [
        Spacer(1, 8 * mm),
        para(_("Period: %(start)s to %(end)s") % {"start": _day(span["from"]), "end": _day(span["to"])}, "Heading2"),
        para(_("Compared with: %(start)s to %(end)s") % {"start": _day(previous["from"]), "end": _day(previous["to"])}),
        para(_("Platforms: %(names)s") % {"names": dataset.get("platformName") or _("all platforms")}),
        para(_("Prepared on %(day)s") % {"day": date_format(timezone.now().date(), "j M Y")}),
        Spacer(1, 8 * mm),
        para(
            _(
                "Figures for the period are activity: what the posts gained during it (the rise of their "
                "cumulative counters), by UTC day. Top posts show each post's lifetime figures: its latest value."
            )
        ),
    ]
    if dataset.get("partialDay"):
        story.append(para(_("The last day, today, is partial: its figures are not final.")))
    if dataset["simulatedPlatforms"]:
        names = ", ".join(platform_label(name) for name in dataset["simulatedPlatforms"])
        story.append(
            para(
                _(
                    "Simulated figures (marked *): %(names)s. The sandbox platform made them up; "
                    "no network reported them."
                )
                % {"names": names}
            )
        )
    story += [PageBreak(), para(_("Key figures against the previous period"), "Heading2")]
    if not dataset["hasPrevious"]:
        story.append(para(_("No previous data: nothing was measured before this period.")))
    story += [
        _kpi_table(dataset, text),
        Spacer(1, 6 * mm),
        para(_("Engagements gained per day"), "Heading3"),
        _daily_chart(dataset, text),
        para(_("Engagements gained per platform"), "Heading3"),
        _platform_chart(totals, text),
        PageBreak(),
        para(_("Top posts (lifetime figures)"), "Heading2"),
        _top_posts(dataset, text) if dataset["topPosts"] else para(_("No posts with metrics in this period.")),
        Spacer(1, 6 * mm),
        para(_("Best times to post"), "Heading2"),
        para(_source_note(dataset)),
        _best_times(dataset, text),
        PageBreak(),
        para(_("Appendix: daily activity per platform"), "Heading2"),
        _daily_table(dataset, text),
    ]
    # The page's initial font and language too: no Helvetica left over, and readers know the language.
    doc.build(
        story, canvasmaker=functools.partial(Canvas, initialFontName=text.regular, lang=translation.get_language())
    )
    return buffer.getvalue()
