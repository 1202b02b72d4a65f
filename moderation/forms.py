from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import CaseStatus, Decision

# Brand names, the same in every language (social sits above moderation, so its choices are not imported).
PLATFORM_NAMES = {
    "twitter": "X (Twitter)",
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "tiktok": "TikTok",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
}


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("Text to check"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}), strip=False
    )
    platform = forms.ChoiceField(
        label=_("Platform"),
        required=False,
        choices=[("", _("Any platform"))] + list(PLATFORM_NAMES.items()),
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


STRICTNESS_LABELS = {
    "default": _("Default"),
    "flag": _("Needs review"),
    "block": _("Block"),
    "off": _("Off"),
}
CHECK_LABELS = {
    "profanity": _("Profanity"),
    "age": _("Age-restricted topics"),
    "disclosure": _("Sponsored-post disclosure"),
    "trademark": _("Other companies' trademarks"),
    "duplicate": _("Near-duplicates"),
    "guidelines": _("Platform guidelines"),
    "ai": _("AI moderation"),
}
# shown on a decision; the policy page offers only the checks above
REASON_LABELS = {**CHECK_LABELS, "policy": _("Team policy")}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class TeamPolicyForm(forms.Form):
    """The dashboard's view of moderation.team_policy.TeamPolicy: one phrase or term per line."""

    blocked_phrases = forms.CharField(
        label=_("Blocked phrases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. A post containing one cannot be saved or published."),
    )
    flagged_phrases = forms.CharField(
        label=_("Phrases that need a review"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. A moderator must approve a post containing one before it goes out."),
    )
    protected_terms = forms.CharField(
        label=_("Your protected terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'One per line, optionally with the owner: "Zentrix | Zentrix GmbH". Other teams naming them are flagged.'
        ),
    )
    min_audience_age = forms.TypedChoiceField(
        label=_("Youngest audience"), coerce=int, choices=[(13, "13+"), (16, "16+"), (18, "18+")]
    )
    ai_enabled = forms.BooleanField(label=_("Also ask the AI moderation service"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from moderation.checks.policy import TUNABLE_CHECKS

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for check, levels in TUNABLE_CHECKS.items():
            self.fields[f"strictness_{check}"] = forms.ChoiceField(
                label=CHECK_LABELS[check], choices=[(level, STRICTNESS_LABELS[level]) for level in levels]
            )

    def strictness_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("strictness_")]

    @staticmethod
    def initial_from(policy: dict) -> dict:
        initial = {
            "blocked_phrases": "\n".join(policy["blocked_phrases"]),
            "flagged_phrases": "\n".join(policy["flagged_phrases"]),
            "protected_terms": "\n".join(f"{t['term']} | {t['owner']}" for t in policy["protected_terms"]),
            "min_audience_age": policy["min_audience_age"],
            "ai_enabled": policy["ai_enabled"],
        }
        initial.update({f"strictness_{check}": level for check, level in policy["strictness"].items()})
        return initial

    def policy_data(self) -> dict:
        data = self.cleaned_data
        terms = []
        for line in _lines(data["protected_terms"]):
            term, _sep, owner = line.partition("|")
            terms.append({"term": term.strip(), "owner": owner.strip()})
        return {
            "blocked_phrases": _lines(data["blocked_phrases"]),
            "flagged_phrases": _lines(data["flagged_phrases"]),
            "protected_terms": terms,
            "min_audience_age": data["min_audience_age"],
            "ai_enabled": data["ai_enabled"],
            "strictness": {
                name.removeprefix("strictness_"): data[name] for name in data if name.startswith("strictness_")
            },
        }
