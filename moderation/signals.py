"""Keep the decision memo honest: any change to what a decision depends on replaces its tokens."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from moderation import memo
from moderation.models import ContentFingerprint, ModerationPolicy, PolicyRule, ProtectedTerm


@receiver(post_save, sender=ModerationPolicy)
@receiver(post_delete, sender=ModerationPolicy)
@receiver(post_save, sender=PolicyRule)
@receiver(post_delete, sender=PolicyRule)
@receiver(post_save, sender=ProtectedTerm)
@receiver(post_delete, sender=ProtectedTerm)
def _rules_changed(sender: Any, **kwargs: Any) -> None:
    memo.rules_changed()


@receiver(post_save, sender=ContentFingerprint)
@receiver(post_delete, sender=ContentFingerprint)
def _fingerprint_changed(sender: Any, instance: ContentFingerprint, **kwargs: Any) -> None:
    memo.fingerprints_changed([instance.simhash])
