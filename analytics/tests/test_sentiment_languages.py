"""Sentiment in the languages we serve: a real score (English) or "not available", never a fake 0.0."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analytics.insights import content_measures, sentiment_of
from analytics.models import CompetitorPost
from analytics.predictions import engagement_model_train, feature_row, training_data, without_unmeasured_sentiment
from analytics.tests.conftest import make_history
from analytics.tests.test_models_ml import _synthetic_team

SPANISH_LOVE = "Me encanta este pan, es increíble"
ARABIC_BAD = "هذا سيء جدا"


@pytest.mark.parametrize(
    ("text", "language"), [(SPANISH_LOVE, "es"), (ARABIC_BAD, "ar"), ("Dieses Brot ist wunderbar", "de")]
)
def test_a_language_vader_cannot_read_has_no_score_rather_than_a_neutral_one(text, language):
    result = sentiment_of(text)

    assert result.available is False and result.label == "unavailable"
    assert result.compound is None and result.emotional_impact is None  # not 0.0
    assert result.language == language


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I love this bread, it is amazing", "positive"),
        ("This is very bad", "negative"),
        ("Terrible service", "negative"),
    ],
)
def test_english_still_gets_a_real_score(text, label):
    result = sentiment_of(text)

    assert result.available and result.label == label and result.language == "en"


def test_measures_say_when_sentiment_is_unavailable():
    measures = content_measures(text=SPANISH_LOVE, metrics={"impressions": 100, "likes": 5})

    assert measures["sentiment"] is None and measures["emotional_impact"] is None
    assert measures["sentiment_available"] is False and measures["sentiment_label"] == "unavailable"


@pytest.mark.django_db
def test_the_insights_api_and_page_show_unavailable_instead_of_zero(api, pro_user, client):
    posts = make_history(pro_user, posts=2)
    posts[0].content = SPANISH_LOVE
    posts[0].save(update_fields=["content"])
    posts[1].content = "I love this bread, it is amazing and wonderful"
    posts[1].save(update_fields=["content"])
    CompetitorPost.objects.create(team=pro_user.current_team, competitor="Rival", platform="x", text=ARABIC_BAD)

    data = api.get("/api/analytics/insights?timeRange=30d").json()["data"]

    rows = {row["label"]: row for row in data["sentiment"]}
    assert rows["unavailable"]["available"] is False and rows["unavailable"]["avgEmotionalImpact"] is None
    assert rows["unavailable"]["posts"] == 1 and rows["positive"]["posts"] == 1
    rival = data["competitors"]["competitors"][0]["measures"]
    assert rival["sentiment"] is None and rival["sentimentAvailable"] is False
    # your average sentiment is over the one post it could be measured on, not diluted by a fake 0.0
    assert data["competitors"]["yours"]["sentiment"] == sentiment_of(posts[1].content).compound
    client.force_login(pro_user)
    html = client.get("/analytics/?timeRange=30d").content.decode()
    assert 'data-testid="sentiment-unavailable"' in html and "n/a" in html


@pytest.mark.django_db
def test_the_engagement_model_never_learns_a_neutral_sentiment_it_did_not_measure():
    team = _synthetic_team(120)  # English posts ("Post number 7")
    x, _y = training_data(team=team)
    assert all("sentiment" in row for row in x)
    spanish = feature_row(
        platform="linkedin", when=datetime(2025, 1, 1, tzinfo=UTC), text=SPANISH_LOVE, hashtags=[], has_media=False
    )
    assert "sentiment" not in spanish

    mixed = [*x, {**{k: v for k, v in x[0].items() if k != "sentiment"}}]
    assert all("sentiment" not in row for row in without_unmeasured_sentiment(mixed))
    assert without_unmeasured_sentiment(x) == x

    first = team.posts.order_by("published_at").first()
    first.content = SPANISH_LOVE
    first.save(update_fields=["content"])
    model = engagement_model_train(team=team)
    assert model is not None and "sentiment" not in model.features


@pytest.mark.django_db
def test_the_page_breaks_lifetime_figures_down_by_language_by_name_with_grouped_numbers(pro_user, client):
    from analytics.models import DailyMetricRollup

    make_history(pro_user, posts=2, days=12)
    DailyMetricRollup.objects.filter(team=pro_user.current_team).update(language="es")
    client.force_login(pro_user)

    html = client.get("/analytics/?timeRange=30d").content.decode()

    table = html[html.index('data-testid="breakdown-language"') :]
    table = table[: table.index("</table>")]
    # both posts' latest cumulative impressions: 1,200 + 1,201, said to be lifetime figures per post
    assert "<td>Spanish</td>" in table and "2,401" in table
    assert "Lifetime per post" in html[html.index("By language") : html.index('data-testid="breakdown-language"')]
