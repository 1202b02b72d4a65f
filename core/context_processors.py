from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def product(request: HttpRequest) -> dict[str, object]:
    """Values every page template may use."""
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        from django.apps import apps

        # String reference: core sits below teams in the import order.
        notification_model = apps.get_model("teams", "Notification")
        unread = notification_model.objects.filter(user=user, read_at__isnull=True).count()
    return {"SELF_HOSTED": settings.SELF_HOSTED, "PRODUCT_NAME": "ContentGenAI", "unread_notifications": unread}
