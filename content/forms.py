"""Studio and library forms: they validate page input the way the API serializers do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from content import platform_rules
from content.models import BrandAsset, PostStatus

TONE_CHOICES = [
    ("professional", _("Professional")),
    ("casual", _("Casual")),
    ("fun", _("Fun")),
    ("viral", _("Bold / viral")),
    ("inspirational", _("Inspirational")),
    ("informative", _("Informative")),
]
STUDIO_LANGUAGES = ["en", "es", "fr", "de", "ar", "he", "pt", "it"]


def studio_language_choices() -> list[tuple[str, str]]:
    """Each language named in itself (English, Español, العربيّة), as the language switcher names them:
    a reader finds their own language whatever the page's language is."""
    return [(code, capfirst(get_language_info(code)["name_local"])) for code in STUDIO_LANGUAGES]


def platform_choices() -> list[tuple[str, str]]:
    return [(p, platform_rules.rule_for(p).label) for p in platform_rules.platforms() if p != "sandbox"]


# Bootstrap's select (its chevron sits at the inline end, so it follows the page's direction).
SELECT = forms.Select(attrs={"class": "form-select"})


class LanguageSelect(forms.Select):
    """Each option says which language its name is in (`lang`), so screen readers pronounce "Deutsch"
    as German and the translation checks know it is not an untranslated word."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["lang"] = option["value"]
        return option


class StudioForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    platforms = forms.MultipleChoiceField(
        label=_("Platforms"), choices=platform_choices, widget=forms.CheckboxSelectMultiple
    )
    tone = forms.ChoiceField(label=_("Tone"), choices=TONE_CHOICES, initial="professional", widget=SELECT)
    audience = forms.CharField(label=_("Audience"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=studio_language_choices,
        initial="en",
        widget=LanguageSelect(attrs={"class": "form-select"}),
    )
    # Brand and template ids are looked up through the team's selectors (another team's id is a 404),
    # so the select only offers choices; it does not validate against them.
    brand = forms.CharField(label=_("Brand voice"), required=False, widget=SELECT)
    template = forms.CharField(label=_("Template"), required=False, widget=SELECT)
    provider = forms.ChoiceField(label=_("AI provider"), required=False, widget=SELECT)
    regenerate = forms.BooleanField(label=_("Write a fresh answer (skip the cache)"), required=False)

    def __init__(self, *args: Any, brands: Any = (), templates: Any = (), providers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].widget.choices = [("", _("No brand"))] + [(str(b.pk), b.name) for b in brands]
        self.fields["template"].widget.choices = [("", _("No template"))] + [(str(t.pk), t.name) for t in templates]
        provider_field: Any = self.fields["provider"]
        provider_field.choices = [("", _("Automatic (by priority)"))] + [(p.name, p.label) for p in providers]

    def clean_platforms(self) -> list[str]:
        return [platform_rules.normalize_platform(p) for p in self.cleaned_data["platforms"]][:6]


class SaveDraftForm(forms.Form):
    post_id = forms.UUIDField(required=False)
    title = forms.CharField(max_length=255, required=False)
    content = forms.CharField(max_length=70000)
    platform = forms.ChoiceField(choices=platform_choices)
    tone = forms.CharField(max_length=50, required=False)
    audience = forms.CharField(max_length=200, required=False)
    language = forms.CharField(max_length=10, required=False)
    provider = forms.CharField(max_length=30, required=False)
    scheduled_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
    # The studio's brand select: blank is "No brand"; the view checks the id is one of the team's brands.
    brand = forms.UUIDField(required=False)
    first_comment = forms.CharField(max_length=5000, required=False, strip=False)
    # The studio's "Track links" toggle (content.tracked_links): sent only when switched on.
    track_links = forms.BooleanField(required=False)
    link_campaign = forms.CharField(max_length=100, required=False)


class CountForm(forms.Form):
    text = forms.CharField(required=False, strip=False, max_length=70000)
    platforms = forms.MultipleChoiceField(choices=platform_choices)


class PostFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *PostStatus.choices])
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=lambda: [("", _("Any platform")), *platform_choices()]
    )


class BrandAssetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BrandAsset.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    color = forms.CharField(label=_("Colour (#RRGGBB)"), max_length=7, required=False)
    file = forms.FileField(label=_("File"), required=False)
