from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from content.forms import platform_choices
from content.models import Brand
from core.events import EVENT_NAMES
from social.models import SocialAccount
from teams.models import Team

EVENT_LABELS = {
    "post.approved": _("Post approved"),
    "post.scheduled": _("Post scheduled"),
    "post.published": _("Post published"),
    "post.failed": _("Post failed to publish"),
    "metrics.updated": _("Metrics updated"),
    "comment.added": _("Comment added"),
    "moderation.case_opened": _("Moderation case opened"),
}


class WebhookForm(forms.Form):
    url = forms.CharField(label=_("Endpoint URL"), max_length=2000, widget=forms.URLInput)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(name, EVENT_LABELS[name]) for name in EVENT_NAMES],
        widget=forms.CheckboxSelectMultiple,
    )


class FeedForm(forms.Form):
    url = forms.CharField(label=_("Feed URL (RSS or Atom)"), max_length=2000, widget=forms.URLInput)
    title = forms.CharField(label=_("Name"), max_length=200, required=False)
    rewrite_with_ai = forms.BooleanField(label=_("Rewrite each item with the AI writer"), required=False)
    brand = forms.ModelChoiceField(label=_("Brand voice"), queryset=Brand.objects.none(), required=False)
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    queue_account = forms.ModelChoiceField(
        label=_("Add drafts to this account's queue"), queryset=SocialAccount.objects.none(), required=False
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = Brand.objects.filter(team=team).order_by("name")  # type: ignore[attr-defined]
        self.fields["queue_account"].queryset = SocialAccount.objects.filter(  # type: ignore[attr-defined]
            team=team, is_active=True
        ).order_by("platform", "account_name")
        self.fields["platform"].choices = [("", _("Any platform")), *platform_choices()]  # type: ignore[attr-defined]
