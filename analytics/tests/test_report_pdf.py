"""The PDF report reads like a report a client could receive, in the reader's language.

The pages are also rendered to PNG (pdftoppm, from Debian's poppler-utils) under
var/test-results/analytics-report/ so a person can look at them.
"""

from __future__ import annotations

import io
import shutil
import subprocess  # noqa: S404  (pdftoppm, a fixed local binary)
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from analytics.exports import RENDERERS, export_dataset
from analytics.metrics import parse_time_range
from analytics.tests.factories import bulk_snapshots
from content.models import Brand
from content.tests.factories import ContentPostFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 15, tzinfo=UTC)
RESULTS = Path(__file__).resolve().parents[2] / "var" / "test-results" / "analytics-report"


def _history(user) -> None:
    """Two platforms over 50 days, measured daily with a gap, so both periods have activity."""
    rows = []
    for index, (platform, scale) in enumerate((("linkedin", 40), ("tiktok", 3), ("sandbox", 12))):
        post = ContentPostFactory(
            author=user,
            title=f"Autumn launch, part {index + 1}",
            content=f"Our autumn blend is here: notes of fig and cocoa. Post {index} says why it sold out.",
            status="PUBLISHED",
            published_at=NOW - timedelta(days=50),
        )
        for day in range(1, 51):
            if day in {20, 21}:
                continue  # not measured: the next day's growth covers them
            rows.append(
                {
                    "post": post,
                    "platform": platform,
                    "simulated": platform == "sandbox",
                    "recorded_at": NOW - timedelta(days=50 - day, hours=2),
                    "impressions": scale * 100 * day,
                    "reach": scale * 80 * day,
                    "views": scale * 50 * day,
                    "likes": scale * 4 * day,
                    "comments": scale * day,
                    "shares": scale * day // 2,
                    "clicks": scale * 2 * day,
                }
            )
    bulk_snapshots(rows)


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _render_png(content: bytes, stem: str) -> list[Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    pdf = RESULTS / f"{stem}.pdf"
    pdf.write_bytes(content)
    for old in RESULTS.glob(f"{stem}-*.png"):
        old.unlink()
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: scripts/ensure-system-deps.sh installs poppler-utils"
    subprocess.run([pdftoppm, "-r", "60", "-png", str(pdf), str(RESULTS / stem)], check=True)  # noqa: S603
    return sorted(RESULTS.glob(f"{stem}-*.png"))


@time_machine.travel(NOW, tick=False)
def test_the_pdf_report_has_a_title_page_kpis_top_posts_and_best_times(pro_user):
    # given a team with a brand and 50 days of history on LinkedIn, TikTok and the sandbox
    team = pro_user.current_team
    team.name = "Hartley Bakery"
    team.save(update_fields=["name"])
    Brand.objects.create(team=team, name="Hartley & Sons")
    _history(pro_user)
    dataset = export_dataset(team=team, time_range=parse_time_range("30d"), platform=None, metrics=[])

    # when
    content = RENDERERS["PDF"][0](dataset)
    pages = _pages(content)

    # then the title page names the workspace, the brand, the period and the comparison period
    assert "Analytics report: Hartley Bakery" in pages[0]
    assert "Brand: Hartley & Sons" in pages[0]
    assert "Period: 1 Nov 2026 to 30 Nov 2026" in pages[0]
    assert "Compared with: 2 Oct 2026 to 31 Oct 2026" in pages[0]
    assert "Simulated figures" in pages[0] and "Sandbox" in pages[0]
    # the KPIs have readable names and units, with the previous period and the change
    kpis = pages[1]
    assert "Impressions (count)" in kpis and "Engagement rate (%)" in kpis
    assert "engagementRate" not in "".join(pages) and "linkedin" not in "".join(pages)
    impressions = dataset["kpis"]["impressions"]
    assert impressions["previous"] > 0 and impressions["absolute"] is not None
    assert f"{impressions['current']:,}" in kpis
    # a dated axis, platform display names
    assert "1 Nov" in kpis and "LinkedIn" in kpis and "TikTok" in kpis
    # top posts with their text, and best times
    assert "notes of fig and cocoa" in pages[2]
    assert "Best times to post" in pages[2]

    images = _render_png(content, "report-en")
    assert len(images) == len(pages) >= 4


@time_machine.travel(NOW, tick=False)
def test_the_pdf_report_is_written_in_the_readers_language(pro_user):
    _history(pro_user)
    with translation.override("es"):
        dataset = export_dataset(
            team=pro_user.current_team, time_range=parse_time_range("30d"), platform=None, metrics=[]
        )
        content = RENDERERS["PDF"][0](dataset)
    pages = _pages(content)

    assert "Informe de analítica" in pages[0]
    assert "nov 2026" in pages[0].lower()
    assert "Impresiones (número)" in pages[1]
    _render_png(content, "report-es")


def test_a_bar_chart_starts_at_zero_even_when_platforms_are_close():
    from analytics.pdf import _platform_chart

    totals = [
        {"platformName": "LinkedIn", "simulated": False, "likes": 1000},
        {"platformName": "TikTok", "simulated": False, "likes": 990},
    ]

    chart = _platform_chart(totals).contents[0]

    assert chart.valueAxis.valueMin == 0
    assert chart.categoryAxis.categoryNames == ["LinkedIn", "TikTok"]


def _logical(page: str) -> str:
    """Extracted text with the joined (presentation) forms of Arabic letters back to plain letters.

    pypdf puts right-to-left runs back in reading order itself."""
    return unicodedata.normalize("NFKC", page)


@time_machine.travel(NOW, tick=False)
def test_an_arabic_reader_gets_the_report_in_arabic_right_to_left_with_joined_letters(pro_user):
    _history(pro_user)
    with translation.override("ar"):
        dataset = export_dataset(
            team=pro_user.current_team, time_range=parse_time_range("30d"), platform=None, metrics=[]
        )
        content = RENDERERS["PDF"][0](dataset)
        title, impressions = gettext("Analytics report"), gettext("Impressions")
    pages = _pages(content)

    # drawn in joined (presentation) forms and right-to-left order: read back, it is the Arabic text
    assert title != "Analytics report" and title in _logical(pages[0])
    assert any("\ufb50" <= char <= "\ufeff" for char in pages[0]), "letters are not joined"
    assert impressions in _logical(pages[1])
    fonts = {str(font.get("/BaseFont")) for page in PdfReader(io.BytesIO(content)).pages for font in _fonts(page)}
    assert any("DejaVuSans" in font for font in fonts)
    _render_png(content, "report-ar")


def _fonts(page) -> list:
    resources = page.get("/Resources") or {}
    return [font.get_object() for font in (resources.get("/Font") or {}).values()]


def test_without_the_report_font_an_arabic_reader_gets_english_rather_than_empty_boxes(settings):
    from analytics.pdf_text import can_write, fonts

    fonts.cache_clear()
    settings.REPORT_FONT_DIRS = ["/nonexistent"]
    try:
        assert not can_write("ar") and can_write("es")
    finally:
        fonts.cache_clear()
