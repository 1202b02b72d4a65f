from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import CaseStatus, Decision


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("Text to check"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}), strip=False
    )
    platform = forms.ChoiceField(
        label=_("Platform"),
        required=False,
        choices=[("", _("Any platform"))]
        + [(p, p.title()) for p in ("twitter", "linkedin", "instagram", "facebook", "tiktok", "mastodon", "bluesky")],
    )
    sponsored = forms.BooleanField(label=_("Sponsored post"), required=False)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("Give some text to check."))
        return text


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the author"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppealForm(forms.Form):
    message = forms.CharField(
        label=_("Why should a moderator look again?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("pending", _("Needs a decision")), *CaseStatus.choices],
    )
    decision = forms.ChoiceField(label=_("Decision"), required=False, choices=[("", _("All")), *Decision.choices])
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(
        label=_("Note to the authors"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
