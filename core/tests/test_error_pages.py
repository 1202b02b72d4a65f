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


@pytest.mark.django_db
def test_an_api_error_raised_in_a_page_renders_its_error_page(rf):
    from core.api.errors import NotFoundError, PermissionDeniedError, ValidationFailed
    from core.middleware import ApiErrorPageMiddleware

    middleware = ApiErrorPageMiddleware(lambda request: None)
    page = rf.get("/calendar/queue/x/")

    assert middleware.process_exception(page, NotFoundError("No such account.")).status_code == 404
    forbidden = middleware.process_exception(page, PermissionDeniedError("Viewers cannot publish."))
    assert forbidden.status_code == 403
    assert b"Viewers cannot publish." in forbidden.content
    assert middleware.process_exception(page, ValidationFailed("Bad date.")).status_code == 400
    # the API keeps its envelope (DRF handles it), other exceptions are left alone
    assert middleware.process_exception(rf.get("/api/schedules/"), NotFoundError()) is None
    assert middleware.process_exception(page, RuntimeError("bug")) is None
