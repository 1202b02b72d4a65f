"""Platform admins hear about suspected intrusions in the app, not only by email.

accounts raises the alert (it sits below teams in the import order); this receiver turns it into
notifications for every platform admin.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from accounts.services import intrusion_suspected
from teams.models import Notification
from teams.services import notification_send


@receiver(intrusion_suspected, dispatch_uid="teams_intrusion_notify_admins")
def notify_platform_admins(sender: Any, alert: dict[str, Any], subject: str, message: str, **kwargs: Any) -> None:
    admins = User.objects.filter(is_active=True, platform_role=User.PlatformRole.ADMIN)
    for admin_user in admins:
        notification_send(
            user=admin_user,
            title=subject[:200],
            body=message,
            kind=Notification.Kind.WARNING,
            url=reverse("admin:accounts_securityevent_changelist"),
        )
