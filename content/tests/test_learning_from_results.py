"""Learning from results (spec 10.1): the team's best posts and its model's findings reach the writer."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from analytics.predictions import engagement_model_train
from analytics.tests.conftest import make_history
from analytics.tests.test_models_ml import _synthetic_team
from content.tests import fakes

pytestmark = pytest.mark.django_db

BEST = [
    "Our oven is on at 5am so your bread is warm at 7 🥖 Who is coming by?",
    "Three loaves, one secret: time. We ferment our dough for 36 hours 🌾",
    "Rainy morning in Lisbon? Soup and sourdough are on us until noon ☔",
]


def _team_with_results(user):
    posts = make_history(user, posts=3)  # post i gets slightly more likes than post i - 1
    for post, text in zip(posts, BEST, strict=True):
        post.content = text
        post.save(update_fields=["content"])
    return posts


def _generate(api, **extra):
    body = {"prompt": "New rye bread this weekend", "platform": "linkedin", "contentType": "CAPTION"}
    return api.post("/api/content/generate", {**body, **extra}, format="json")


def _api_for(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_teams_best_posts_are_style_examples_in_the_prompt(user, api, openai_configured):
    _team_with_results(user)
    openai_configured.default = fakes.ok(fakes.openai_completion("New rye this weekend. Who wants a loaf? #Rye"))

    meta = _generate(api).json()["metadata"]

    system = openai_configured.requests[-1].json()["messages"][0]["content"]
    assert "best-performing posts on this platform" in system
    assert all(text in system for text in BEST)
    assert system.index(BEST[2]) < system.index(BEST[0])  # best first: post 2 has the highest rate
    assert meta["learnedFrom"]["posts"] == 3
    assert meta["learnedFrom"]["summary"] == "Based on your 3 best posts"


def test_without_published_results_nothing_is_claimed(api, openai_configured):
    openai_configured.default = fakes.ok(fakes.openai_completion("New rye this weekend. Who wants a loaf? #Rye"))

    meta = _generate(api).json()["metadata"]

    assert meta["learnedFrom"] is None
    assert "best-performing" not in openai_configured.requests[-1].json()["messages"][0]["content"]


def test_another_teams_results_never_reach_the_prompt(api, openai_configured):
    _team_with_results(UserFactory())  # someone else's history
    openai_configured.default = fakes.ok(fakes.openai_completion("New rye this weekend. Who wants a loaf? #Rye"))

    meta = _generate(api).json()["metadata"]

    assert meta["learnedFrom"] is None
    assert not any(text in openai_configured.requests[-1].body.decode() for text in BEST)


def test_the_models_strongest_writing_feature_becomes_guidance(openai_configured):
    team = _synthetic_team(160)  # engagement depends on media (and the hour): media is what matters
    model = engagement_model_train(team=team)
    assert model is not None and model.beats_baseline
    openai_configured.default = fakes.ok(fakes.openai_completion("New rye this weekend. Who wants a loaf? #Rye"))

    meta = _generate(_api_for(team.owner)).json()["metadata"]

    system = openai_configured.requests[-1].json()["messages"][0]["content"]
    assert "Media matters in your results: most of your best posts carry an image or a video." in system
    assert meta["learnedFrom"]["guidance"] == [
        "Media matters in your results: most of your best posts carry an image or a video."
    ]


def test_the_studio_says_what_the_offline_draft_learned_from(user):
    _team_with_results(user)  # every best post has an emoji and most ask nothing
    client = Client()
    client.force_login(user)

    response = client.post(
        "/generate/stream/",
        {"topic": "New rye bread this weekend", "platforms": ["linkedin"], "tone": "professional", "language": "en"},
    )

    body = b"".join(response.streaming_content).decode()
    done = next(
        json.loads(block.split("\n")[1][len("data: ") :])
        for block in body.strip().split("\n\n")
        if block.startswith("event: done")
    )
    assert done["learnedFrom"]["summary"] == "Based on your 3 best posts"
    html = client.get("/generate/").content.decode()
    assert 'data-testid="preview-notes"' in html


def test_the_offline_writer_follows_the_style_of_the_best_posts(user, api):
    body = {"tone": "informative", "variants": 4}
    without = [v["content"] for v in _generate(api, **body).json()["variants"]]
    _team_with_results(user)  # two of the three best posts ask the reader a question

    learned = [v["content"] for v in _generate(api, regenerate=True, **body).json()["variants"]]

    question = "Questions? Ask below and we will answer."
    assert not all(question in text for text in without)  # left alone, the variants vary their call to action
    assert all(question in text for text in learned)  # taught by the results, they ask


def test_a_team_without_results_is_not_asked_again_until_its_first_metrics_land(user, api, openai_configured):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analytics.insights import generation_context
    from teams.permissions import team_context

    team = team_context(user=user).team
    openai_configured.default = fakes.ok(fakes.openai_completion("New rye this weekend. Who wants a loaf? #Rye"))
    assert _generate(api).json()["metadata"]["learnedFrom"] is None

    with CaptureQueriesContext(connection) as queries:
        assert generation_context(team=team, platform="linkedin") is None
    assert queries.captured_queries == []  # "no results" is remembered like results are

    _team_with_results(user)  # the metrics are folded into rollups: what was remembered is dropped

    meta = _generate(api, regenerate=True).json()["metadata"]
    assert meta["learnedFrom"]["posts"] == 3
    assert all(text in openai_configured.requests[-1].json()["messages"][0]["content"] for text in BEST)
