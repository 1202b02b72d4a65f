from __future__ import annotations

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from moderation.checks.lists import reload_lists


@pytest.fixture(autouse=True)
def _no_ai_by_default(settings):
    # Tests that exercise the AI call turn it on against respx; the rest run local checks only.
    settings.MODERATION_OPENAI_API_KEY = ""
    reload_lists()


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def team(author):
    return author.current_team


@pytest.fixture
def moderator():
    return UserFactory(platform_role=User.PlatformRole.MODERATOR)


@pytest.fixture
def platform_admin():
    return UserFactory(platform_role=User.PlatformRole.ADMIN)
