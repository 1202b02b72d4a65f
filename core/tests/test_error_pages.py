from __future__ import annotations

import pytest

from core.views import handler500


@pytest.mark.django_db
def test_the_500_page_renders_without_touching_the_database(rf, django_assert_num_queries):
    request = rf.get("/dashboard/")

    with django_assert_num_queries(0):
        response = handler500(request)

    assert response.status_code == 500
    assert b"<html" in response.content.lower()
