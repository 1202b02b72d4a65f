"""Every export format parses back to the same numbers."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

import pytest
from pypdf import PdfReader

from analytics.exports import EXPORT_METRICS, RENDERERS, export_dataset
from analytics.metrics import parse_time_range, platform_label
from analytics.services import weekly_reports_send

pytestmark = pytest.mark.django_db


def _numbers(row: dict, metrics: list[str]) -> dict:
    return {m: (float(row[m]) if m == "engagementRate" else int(row[m])) for m in metrics}


def _pdf_daily_rows(content: bytes, metrics: list[str]) -> list[dict]:
    """The appendix table of the PDF: date, platform display name, then each metric as printed."""
    names = {platform_label(p): p for p in ("linkedin", "twitter", "instagram", "tiktok", "sandbox")}
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in PdfReader(io.BytesIO(content)).pages)
    rows = []
    for line in text.splitlines():
        parts = [p for p in line.split() if p != "%"]
        if len(parts) == len(metrics) + 2 and parts[0][:2] == "20" and parts[1] in names:
            values = {
                m: (float(v) / 100 if m == "engagementRate" else int(v.replace(",", "")))
                for m, v in zip(metrics, parts[2:], strict=True)
            }
            rows.append({"section": "daily", "date": parts[0], "platform": names[parts[1]], **values})
    return rows


def _parse(fmt: str, content: bytes, metrics: list[str]) -> list[dict]:
    if fmt == "CSV":
        rows = list(csv.DictReader(io.StringIO(content.decode())))
    elif fmt == "JSON":
        rows = json.loads(content)["rows"]
    elif fmt == "XML":
        root = ET.fromstring(content)  # noqa: S314  (our own file)
        rows = [{**el.attrib, **{child.tag: child.text for child in el}} for el in root]
    else:
        rows = _pdf_daily_rows(content, metrics)
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
        if fmt != "PDF" or r["section"] == "daily"  # the PDF prints the totals as KPIs, not as rows
    ]
    if fmt == "PDF":  # printed as a percentage with two decimals
        parsed = [
            {**r, "engagementRate": round(r["engagementRate"], 4)} if "engagementRate" in r else r for r in parsed
        ]
        expected = [
            {**r, "engagementRate": round(r["engagementRate"], 4)} if "engagementRate" in r else r for r in expected
        ]

    def order(r):
        return (r["section"], r["date"], r["platform"])

    assert sorted(parsed, key=order) == sorted(expected, key=order)
    assert len([r for r in expected if r["section"] == "daily"]) == 10
    # every row says what kind of figure it is
    assert all(r["kind"] == "activity" for r in dataset["rows"])


def test_pdf_has_charts(pro_user, history):
    dataset = export_dataset(
        team=pro_user.current_team, time_range=parse_time_range("30d"), platform=None, metrics=list(EXPORT_METRICS)
    )
    content = RENDERERS["PDF"][0](dataset)
    assert content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(content)).pages[1].extract_text()
    assert "Engagements gained per day" in text and "Engagements gained per platform" in text


@pytest.mark.parametrize("name", ["R&D <Lab>", "Tom & <i>Jerry", "<b>bold"])
def test_a_team_name_with_markup_characters_prints_as_is_in_the_pdf(pro_user, history, name):
    team = pro_user.current_team
    team.name = name
    team.save(update_fields=["name"])
    dataset = export_dataset(team=team, time_range=parse_time_range("30d"), platform=None, metrics=["likes"])

    content = RENDERERS["PDF"][0](dataset)

    assert f"Analytics report: {name}" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_weekly_report_goes_to_users_who_turned_it_on_in_settings(client, pro_user, history, mailoutbox):
    from django.urls import reverse
    from rest_framework.test import APIClient

    from accounts.tests.factories import UserFactory

    # given one user who ticks "Send me a weekly performance summary" on the settings page (in Spanish),
    client.force_login(pro_user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "form": "preferences",
            "default_platform": "linkedin",
            "default_tone": "professional",
            "language": "es",
            "timezone": "UTC",
            "notifications": ["email_weekly_digest"],
        },
    )
    assert response.status_code == 302
    # one who turns it on through the API, and one who leaves it off
    api_user = UserFactory()
    api = APIClient()
    api.force_authenticate(api_user)
    answer = api.patch(
        "/api/me/", {"preferences": {"notificationSettings": {"emailWeeklyDigest": True}}}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    UserFactory()

    # when the Monday task runs
    assert weekly_reports_send() == 2

    # then both get last week's numbers, each in their own language
    by_recipient = {tuple(m.to): m for m in mailoutbox}
    spanish = by_recipient[(pro_user.email,)]
    assert spanish.subject.startswith("Tu semana en")
    assert "Impresiones" in spanish.body and "Tasa de interacción" in spanish.body
    assert "Impresiones" in spanish.alternatives[0][0]
    english = by_recipient[(api_user.email,)]
    assert english.subject.startswith("Your week on") and "Impressions" in english.body
