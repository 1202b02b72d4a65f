"""Everything that could stop a draft going out, and how to fix it: the one check behind the composer
card and the MCP tool `check_draft`.

The platform's limit counted as the platform counts, media and format rules of the ticked accounts'
connectors, the accounts' connection health, and moderation (including near-duplicates) of the exact
outgoing text from `content.outgoing`. It lives in social because it needs the accounts and the
connectors' checks, which sit above content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from content import platform_rules
from content.moderation_gate import ModerationDecision, moderate_text
from content.outgoing import Outgoing, outgoing_compose
from social.models import AccountHealth, MediaAsset, SocialAccount
from social.services.checks import checks_run
from teams.models import Team

# A draft cannot even be saved with these; everything of severity "error" (and no account) stops publishing.
SAVE_BLOCKING = frozenset({"too_long", "moderation_block"})


@dataclass(frozen=True)
class DraftCheck:
    platform: str
    outgoing: Outgoing
    issues: list[dict[str, str]]
    moderation: ModerationDecision

    @property
    def _save_blocking(self) -> list[dict[str, str]]:
        return [i for i in self.issues if i["severity"] == "error" and i["code"] in SAVE_BLOCKING]

    @property
    def _publish_blocking(self) -> list[dict[str, str]]:
        return [i for i in self.issues if i["severity"] == "error" or i["code"] == "not_connected"]

    @property
    def can_save(self) -> bool:
        return not self._save_blocking and bool(self.outgoing.text.strip())

    @property
    def save_reason(self) -> str:
        blocking = self._save_blocking
        if blocking:
            return blocking[0]["message"]
        return "" if self.outgoing.text.strip() else _("Write something first.")

    @property
    def can_publish(self) -> bool:
        return not self._publish_blocking and bool(self.outgoing.text.strip())

    @property
    def publish_reason(self) -> str:
        blocking = self._publish_blocking
        return blocking[0]["message"] if blocking else ""


def _issue(code: str, message: str, fix: str, severity: str = "error", url: str = "") -> dict[str, str]:
    return {"code": code, "message": message, "fix": fix, "severity": severity, "url": url}


def _limit_issue(platform: str, text: str) -> dict[str, str] | None:
    used, limit = platform_rules.count_characters(platform, text), platform_rules.character_limit(platform)
    if used <= limit:
        return None
    label = platform_rules.rule_for(platform).label
    return _issue(
        "too_long",
        _("%(used)s of %(limit)s characters as %(label)s counts them.")
        % {"used": used, "limit": limit, "label": label},
        _("Remove %(n)s characters.") % {"n": used - limit},
    )


def _account_issues(accounts: list[SocialAccount], platform: str) -> list[dict[str, str]]:
    accounts_url = reverse("social:accounts")
    if not accounts:
        label = platform_rules.rule_for(platform).label
        return [
            _issue(
                "not_connected",
                _("No account is ticked to post this to."),
                _("Tick an account below, or connect a %(label)s account.") % {"label": label},
                severity="warning",  # a draft needs no account; publishing does (canPublish says so)
                url=accounts_url,
            )
        ]
    issues = []
    for account in accounts:
        if account.health == AccountHealth.NEEDS_RECONNECT:
            issues.append(
                _issue(
                    "needs_reconnect",
                    _("%(name)s was disconnected by the platform.") % {"name": account.account_name},
                    _("Reconnect it in Accounts."),
                    url=accounts_url,
                )
            )
        elif account.health == AccountHealth.DEGRADED:
            issues.append(
                _issue(
                    "degraded",
                    _("%(name)s had a temporary problem at its last call.") % {"name": account.account_name},
                    _("Publishing retries on its own; check it in Accounts if it persists."),
                    severity="warning",
                    url=accounts_url,
                )
            )
    return issues


def _moderation_issues(decision: Any) -> list[dict[str, str]]:
    if decision.decision == "allow":
        return []
    reasons = "; ".join(dict.fromkeys(r.message for r in decision.reasons))
    if decision.blocked:
        return [_issue("moderation_block", reasons, _("Rewrite the flagged words: a blocked text cannot be saved."))]
    return [
        _issue(
            "moderation_flag",
            reasons,
            _("A moderator must approve it before it goes out; rewording avoids the wait."),
            severity="warning",
        )
    ]


def draft_check(
    *,
    team: Team,
    user: User | None,
    platform: str,
    text: str,
    first_comment: str = "",
    accounts: list[SocialAccount],
    media: Sequence[MediaAsset] = (),
) -> DraftCheck:
    platform = platform_rules.normalize_platform(platform)
    outgoing = outgoing_compose(body=text, first_comment=first_comment)
    text = outgoing.text
    issues = [i for i in [_limit_issue(platform, text)] if i]
    issues += _account_issues(accounts, platform)
    # With no account ticked the platform is checked bare, so its media rules show while writing.
    targets: dict[str, Any] = {"accounts": accounts} if accounts else {"platforms": [platform]}
    for check in checks_run(text=text, media=media, first_comment=outgoing.first_comment, **targets):
        for problem in check.problems:
            if problem.code not in {"too_long"}:
                name = check.account.account_name if check.account else check.label
                issues.append(_issue(problem.code, f"{name}: {problem.message}", "", severity=problem.severity))
    decision = moderate_text(text=outgoing.moderated, team=team, user=user, platform=platform)
    issues += _moderation_issues(decision)
    return DraftCheck(platform=platform, outgoing=outgoing, issues=issues, moderation=decision)
