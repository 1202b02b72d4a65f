from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from content import platform_rules
from scheduling.models import DataExport
from scheduling.portability import importers
from scheduling.portability.dataset import KINDS
from social.models import Platform

KIND_LABELS = {"posts": _("Posts"), "schedules": _("Schedules"), "analytics": _("Analytics"), "metadata": _("Metadata")}


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=DataExport.Format.choices)
    types = forms.MultipleChoiceField(
        label=_("What to include"),
        choices=[(k, KIND_LABELS[k]) for k in KINDS],
        initial=list(KINDS),
        widget=forms.CheckboxSelectMultiple,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    anonymize = forms.BooleanField(
        label=_("Anonymise for sharing"),
        required=False,
        help_text=_("Replaces names, email addresses and account handles with stable pseudonyms."),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The range ends before it starts."))
        return data


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("File from"), choices=[(k, v[0]) for k, v in importers.SOURCES.items()])
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 CSV, or the zip of a CSV export."))
    platform = forms.ChoiceField(
        label=_("Platform for rows that name none"),
        required=False,
        choices=[("", _("None (drafts)"))] + [(p, Platform(p).label) for p in platform_rules.platforms()],
    )
    day_first = forms.BooleanField(label=_("Dates are day first (DD/MM/YYYY)"), required=False)
