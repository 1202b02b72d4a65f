from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from teams.membership_services import INVITABLE_ROLES
from teams.models import Membership, Notification
from teams.notification_preferences import CONFIGURABLE_EVENTS, MODE_LABELS

ROLE_CHOICES = [(r, Membership.Role(r).label) for r in INVITABLE_ROLES]


def _timezone_choices() -> list[tuple[str, str]]:
    return [(z, z) for z in sorted(zoneinfo.available_timezones())]


class TeamCreateForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    timezone = forms.ChoiceField(label=_("Time zone"), initial="UTC", choices=_timezone_choices)


class TeamSettingsForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=_timezone_choices)
    requires_approval = forms.BooleanField(label=_("Posts need approval before they are scheduled"), required=False)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=Membership.Role.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class NotificationPreferencesForm(forms.Form):
    """One live / email digest / off choice per event type."""

    def __init__(self, *args: object, modes: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for event in CONFIGURABLE_EVENTS:
            self.fields[event.value] = forms.ChoiceField(
                label=Notification.Event(event).label,
                choices=list(MODE_LABELS.items()),
                initial=modes.get(event.value, "live"),
                widget=forms.RadioSelect,
            )
