"""Every export format parses back to the same numbers."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

import pytest
from pypdf import PdfReader

from analytics.exports import EXPORT_METRICS, RENDERERS, export_dataset
from analytics.metrics import parse_time_range
from analytics.services import weekly_reports_send

pytestmark = pytest.mark.django_db


def _numbers(row: dict, metrics: list[str]) -> dict:
    return {m: (float(row[m]) if m == "engagementRate" else int(row[m])) for m in metrics}


def _parse(fmt: str, content: bytes, metrics: list[str]) -> list[dict]:
    if fmt == "CSV":
        rows = list(csv.DictReader(io.StringIO(content.decode())))
    elif fmt == "JSON":
        rows = json.loads(content)["rows"]
    elif fmt == "XML":
        root = ET.fromstring(content)  # noqa: S314  (our own file)
        rows = [{**el.attrib, **{child.tag: child.text for child in el}} for el in root]
    else:
        text = "\n".join(page.extract_text(extraction_mode="layout") for page in PdfReader(io.BytesIO(content)).pages)
        rows = []
        for line in text.splitlines():
            parts = line.split()
            if len(parts) == len(metrics) + 2 and parts[0][:2] == "20":
                rows.append(
                    {
                        "section": "daily",
                        "date": parts[0],
                        "platform": parts[1],
                        **dict(zip(metrics, parts[2:], strict=True)),
                    }
                )
            elif len(parts) == len(metrics) + 1 and parts[0] in {"linkedin", "twitter", "all"}:
                rows.append(
                    {"section": "total", "date": "", "platform": parts[0], **dict(zip(metrics, parts[1:], strict=True))}
                )
    return [
        {"section": r["section"], "date": r["date"] or "", "platform": r["platform"], **_numbers(r, metrics)}
        for r in rows
    ]


# Property 16: Analytics Reporting and Export
@pytest.mark.parametrize("fmt", ["CSV", "JSON", "XML", "PDF"])
@pytest.mark.parametrize("metrics", [list(EXPORT_METRICS), ["likes", "engagementRate"]])
def test_exports_parse_back_to_the_same_numbers(pro_user, history, fmt, metrics):
    dataset = export_dataset(
        team=pro_user.current_team, time_range=parse_time_range("30d"), platform=None, metrics=metrics
    )
    render, _, _ = RENDERERS[fmt]
    parsed = _parse(fmt, render(dataset), metrics)
    expected = [
        {"section": r["section"], "date": r["date"], "platform": r["platform"], **_numbers(r, metrics)}
        for r in dataset["rows"]
    ]

    def order(r):
        return (r["section"], r["date"], r["platform"])

    assert sorted(parsed, key=order) == sorted(expected, key=order)
    assert len([r for r in expected if r["section"] == "daily"]) == 10


def test_pdf_has_charts(pro_user, history):
    dataset = export_dataset(
        team=pro_user.current_team, time_range=parse_time_range("30d"), platform=None, metrics=list(EXPORT_METRICS)
    )
    content = RENDERERS["PDF"][0](dataset)
    assert content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Engagements per day" in text and "Engagements per platform" in text


def test_weekly_report_goes_to_users_who_asked(pro_user, history, mailoutbox):
    from accounts.models import UserPreferences
    from accounts.tests.factories import UserFactory

    UserPreferences.objects.update_or_create(user=pro_user, defaults={"notification_settings": {"weeklyReport": True}})
    quiet = UserFactory()
    UserPreferences.objects.update_or_create(user=quiet, defaults={"notification_settings": {"weeklyReport": False}})

    assert weekly_reports_send() == 1
    assert mailoutbox[0].to == [pro_user.email]
    assert "Impressions" in mailoutbox[0].body
