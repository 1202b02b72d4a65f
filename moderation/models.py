from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Decision(models.TextChoices):
    ALLOW = "allow", _("Allow")
    FLAG = "flag", _("Flag for review")
    BLOCK = "block", _("Block")


class Action(models.TextChoices):
    FLAG = "flag", _("Flag for review")
    BLOCK = "block", _("Block")


class ModerationPolicy(TimeStampedModel):
    """A team's moderation settings; a row with a brand id applies to that brand's posts instead.

    The brand is kept as a bare UUID: brands live in the teams app's newer models, and a policy
    must outlive a brand being renamed or archived.
    """

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="moderation_policies")
    brand_id = models.UUIDField(null=True, blank=True, help_text="Leave empty for the team-wide policy.")
    min_audience_age = models.PositiveSmallIntegerField(
        choices=[(13, "13+"), (16, "16+"), (18, "18+")],
        default=18,
        help_text="The youngest audience the posts reach; topics unsuitable below it are flagged.",
    )
    ai_enabled = models.BooleanField(default=True, help_text="Also ask the AI moderation service, when configured.")
    disclosure_action = models.CharField(max_length=10, choices=Action.choices, default=Action.FLAG)
    disclosure_tags = models.JSONField(
        default=list, blank=True, help_text='Accepted disclosures, e.g. ["#ad", "#sponsored"]. Empty: the defaults.'
    )
    allowed_terms = models.JSONField(
        default=list, blank=True, help_text="Trademarks this team owns or is licensed to use (never flagged)."
    )
    strictness = models.JSONField(
        default=dict,
        blank=True,
        help_text='Per check: "flag" (hits need review), "block" (hits block) or "off"; missing: the default.',
    )

    class Meta:
        verbose_name_plural = "moderation policies"
        constraints = [
            models.UniqueConstraint(fields=["team", "brand_id"], name="moderation_policy_one_per_brand"),
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(brand_id__isnull=True), name="moderation_policy_one_team_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} policy" + (f" (brand {self.brand_id})" if self.brand_id else "")


class PolicyRule(TimeStampedModel):
    class Kind(models.TextChoices):
        WORD = "word", _("Blocked word or phrase")
        PATTERN = "pattern", _("Regular expression")
        TOPIC = "topic", _("Blocked topic (keywords)")

    policy = models.ForeignKey(ModerationPolicy, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WORD)
    value = models.TextField(
        help_text="A word or phrase; a regular expression; or a topic's keywords separated by commas or new lines."
    )
    label = models.CharField(max_length=120, blank=True, help_text="Shown to the author, e.g. the topic's name.")
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.BLOCK)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value[:40]}"

    def keywords(self) -> list[str]:
        if self.kind != self.Kind.TOPIC:
            return [self.value.strip()]
        return [part.strip() for part in self.value.replace("\n", ",").split(",") if part.strip()]

    def clean(self) -> None:
        from moderation.checks.policy import pattern_error

        if self.kind == self.Kind.PATTERN:
            error = pattern_error(self.value)
            if error:
                raise ValidationError({"value": error})
        elif not self.keywords():
            raise ValidationError({"value": "Give at least one word."})


class ProtectedTerm(TimeStampedModel):
    """A team's own trademark: other teams naming it are flagged; the owning team is not."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="protected_terms")
    term = models.CharField(max_length=120)
    owner = models.CharField(max_length=200, help_text="The name shown in reasons, e.g. the legal owner.")

    class Meta:
        ordering = ["term"]
        constraints = [models.UniqueConstraint(fields=["team", "term"], name="protected_term_unique_per_team")]

    def __str__(self) -> str:
        return f"{self.term} ({self.owner})"


class ContentFingerprint(models.Model):
    """SimHash of a published text; band columns are indexed so near-duplicates are found by equality."""

    id = models.BigAutoField(primary_key=True)
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="content_fingerprints")
    post_id = models.CharField(max_length=64, db_index=True)
    simhash = models.BigIntegerField()
    band0 = models.PositiveSmallIntegerField(db_index=True)
    band1 = models.PositiveSmallIntegerField(db_index=True)
    band2 = models.PositiveSmallIntegerField(db_index=True)
    band3 = models.PositiveSmallIntegerField(db_index=True)
    band4 = models.PositiveSmallIntegerField(db_index=True)
    band5 = models.PositiveSmallIntegerField(db_index=True)
    band6 = models.PositiveSmallIntegerField(db_index=True)
    band7 = models.PositiveSmallIntegerField(db_index=True)
    excerpt = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["team", "post_id"], name="fingerprint_one_per_post")]

    def __str__(self) -> str:
        return f"{self.post_id} {self.simhash:#x}"


class FingerprintKey(models.Model):
    """One pair of a fingerprint's bands as a single indexed integer (moderation.simhash.pair_keys).
    Near copies share a key, and a key is shared by ~1/65,536 of all fingerprints where one band is
    shared by 1/256: the search reads a few rows, not every published text that happens to share a band."""

    id = models.BigAutoField(primary_key=True)
    fingerprint = models.ForeignKey(ContentFingerprint, on_delete=models.CASCADE, related_name="keys")
    key = models.IntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.fingerprint_id}: {self.key:#x}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    APPEALED = "appealed", _("Appealed")


class ModerationCase(TimeStampedModel):
    """A text a human must look at: flagged before publishing, or blocked and then appealed."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="moderation_cases")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_cases"
    )
    subject_type = models.CharField(max_length=40, default="text")
    subject_id = models.CharField(max_length=64, blank=True)
    platform = models.CharField(max_length=20, blank=True)
    text = models.TextField()
    text_hash = models.CharField(max_length=64, db_index=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reasons = models.JSONField(default=list)
    scores = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    appeal_message = models.TextField(blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["team", "text_hash"]),
            models.Index(fields=["team", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {self.text[:50]}"

    @property
    def is_pending(self) -> bool:
        return self.status in (CaseStatus.OPEN, CaseStatus.CLAIMED, CaseStatus.APPEALED)

    @property
    def priority(self) -> str:
        """ "high" for an appeal or a case waiting past MODERATION_CASE_URGENT_HOURS, else "normal"."""
        if self.status == CaseStatus.APPEALED:
            return "high"
        waited = timezone.now() - self.created_at
        if self.is_pending and waited >= timedelta(hours=settings.MODERATION_CASE_URGENT_HOURS):
            return "high"
        return "normal"

    @property
    def can_appeal(self) -> bool:
        return self.status == CaseStatus.REJECTED and not self.appealed_at


class AuditLogImmutable(Exception):
    """The moderation audit log is append-only: rows are never changed or removed."""


class AuditEventQuerySet(models.QuerySet["ModerationAuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutable("Moderation audit events cannot be updated.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AuditLogImmutable("Moderation audit events cannot be deleted.")

    def _raw_delete(self, using: Any) -> NoReturn:
        raise AuditLogImmutable("Moderation audit events cannot be deleted.")


class ModerationAuditEvent(models.Model):
    """One decision or action, kept for compliance. Plain ids (no foreign keys) so the record
    survives the team, user or case it mentions, and deleting those never touches this table."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Automatic decision")
        CASE_OPENED = "case_opened", _("Case opened")
        CLAIMED = "claimed", _("Claimed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        APPEALED = "appealed", _("Appealed")
        POLICY_CHANGED = "policy_changed", _("Policy changed")
        EXPORTED = "exported", _("Audit log exported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    team_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_id = models.UUIDField(null=True, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    context = models.CharField(max_length=20, blank=True)
    text_hash = models.CharField(max_length=64, blank=True)
    decision = models.CharField(max_length=10, blank=True)
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogImmutable("Moderation audit events cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        raise AuditLogImmutable("Moderation audit events cannot be deleted.")
