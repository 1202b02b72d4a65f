from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import ContentPost, PostStatus
from social.models import SocialAccount
from teams.models import Team


class ScheduleForm(forms.Form):
    post = forms.ModelChoiceField(queryset=ContentPost.objects.none(), label=_("Post"))
    accounts = forms.ModelMultipleChoiceField(
        queryset=SocialAccount.objects.none(), label=_("Accounts"), widget=forms.CheckboxSelectMultiple
    )
    when = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("In the workspace's time zone. Leave empty and press “Add to queue” to use the next free slot."),
    )

    def __init__(self, *args: object, team: Team, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["post"].queryset = ContentPost.objects.filter(  # type: ignore[attr-defined]
            team=team, status__in=[PostStatus.DRAFT, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.FAILED]
        ).order_by("-created_at")
        self.fields["accounts"].queryset = SocialAccount.objects.filter(  # type: ignore[attr-defined]
            team=team, is_active=True
        )


class QueueSlotsForm(forms.Form):
    weekdays = forms.MultipleChoiceField(
        choices=[
            (str(i), name)
            for i, name in enumerate([_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")])
        ],
        widget=forms.CheckboxSelectMultiple,
        label=_("Days"),
    )
    times = forms.CharField(label=_("Times"), help_text=_("Comma-separated, 24-hour: 09:00, 12:30, 17:45"))

    def clean_times(self) -> list:
        from datetime import time

        raw = [t.strip() for t in self.cleaned_data["times"].split(",") if t.strip()]
        try:
            parsed = sorted({time.fromisoformat(t) for t in raw if len(t) == 5})
            if len(parsed) != len(set(raw)):
                raise ValueError("bad time")
        except ValueError as exc:
            raise forms.ValidationError(_("Write times as HH:MM, separated by commas.")) from exc
        if not parsed or len(parsed) > 12:
            raise forms.ValidationError(_("Give between one and twelve times."))
        return parsed
