"""Team management writes: teams, switching, invitations, roles, ownership, leaving.

Every write checks the actor's role here (not only in views), records an ActivityEvent and sends
its emails after commit. Plan limits live in billing, above teams in the import order: billing
answers the `seats_requested` signal and raises 402/429 from its receiver.
"""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from accounts.permissions import verified_email_require
from accounts.services import user_email_verified_by_link
from core.api.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from core.stored_messages import Message
from teams.models import Invitation, Membership, Notification, Team
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record, notification_send, team_create

Role = Membership.Role

# Sent before a seat is taken (an invitation or an acceptance), with `team`, `current` (members plus
# other open invitations) and `adding`. A receiver refuses by raising an ApiError.
seats_requested = Signal()

INVITABLE_ROLES = [r for r in Role.values if r != Role.OWNER]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _seats_in_use(team: Team, *, excluding_invitation: Invitation | None = None) -> int:
    pending = Invitation.objects.filter(team=team, status=Invitation.Status.PENDING, expires_at__gt=timezone.now())
    if excluding_invitation is not None:
        pending = pending.exclude(pk=excluding_invitation.pk)
    return Membership.objects.filter(team=team).count() + pending.count()


def _check_timezone(tz: str) -> str:
    if tz not in zoneinfo.available_timezones():
        raise ValidationFailed("Unknown time zone.", details={"timezone": ["Use an IANA name such as Europe/Paris."]})
    return tz


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed("A team needs a name.", details={"name": ["Between 1 and 120 characters."]})
    return name


def team_create_for(*, user: User, name: str, tz: str = "UTC") -> Team:
    """A new (non-personal) team owned by `user`, who switches to it."""
    with transaction.atomic():
        team = team_create(owner=user, name=_check_name(name), timezone=_check_timezone(tz))
        team_switch(user=user, team=team)
        activity_record(
            team=team,
            actor=user,
            verb="team.created",
            summary=Message(gettext_noop("%(email)s created %(team)s"), email=user.email, team=team.name),
            target=team,
        )
    return team


def team_switch(*, user: User, team: Team) -> None:
    """Make `team` the user's current team; 404 when they are not a member."""
    if not Membership.objects.filter(user=user, team=team).exists():
        raise NotFoundError("No such team.")
    User.objects.filter(pk=user.pk).update(current_team=team)
    user.current_team = team


def team_settings_update(
    *, ctx: TeamContext, name: str | None = None, tz: str | None = None, requires_approval: bool | None = None
) -> Team:
    require(ctx, Capability.MANAGE_TEAM)
    team = ctx.team
    changed: list[str] = []
    if name is not None and name.strip() != team.name:
        team.name = _check_name(name)
        changed.append("name")
    if tz is not None and tz != team.timezone:
        team.timezone = _check_timezone(tz)
        changed.append("timezone")
    if requires_approval is not None and requires_approval != team.requires_approval:
        team.requires_approval = requires_approval
        changed.append("requires_approval")
    if changed:
        with transaction.atomic():
            team.save(update_fields=[*changed, "updated_at"])
            activity_record(
                team=team,
                actor=ctx.user,
                verb="team.updated",
                summary=Message(gettext_noop("%(email)s changed the team's settings"), email=ctx.user.email),
                target=team,
                data={"fields": changed},
            )
    return team


# Invitations --------------------------------------------------------------------------------------
def _invite_link(token: str, base_url: str | None) -> str:
    base = (base_url or settings.SITE_URL).rstrip("/")
    return f"{base}{reverse('teams:invitation', args=[token])}"


def _send_invitation_email(*, invitation: Invitation, token: str, base_url: str | None) -> None:
    context = {"invitation": invitation, "team": invitation.team, "link": _invite_link(token, base_url)}
    subject = gettext("You are invited to join %(team)s on ContentGenAI") % {"team": invitation.team.name}
    body = render_to_string("teams/email/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email], fail_silently=False))


def invitation_create(*, ctx: TeamContext, email: str, role: str, base_url: str | None = None) -> Invitation:
    """Invite an address with a role; inviting an address with an open invitation sends a fresh link."""
    require(ctx, Capability.MANAGE_MEMBERS)
    verified_email_require(ctx.user)
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationFailed("Enter a valid email address.", details={"email": ["Enter a valid email address."]})
    if role not in INVITABLE_ROLES:
        raise ValidationFailed(
            "Invite as admin, editor, reviewer, viewer or client; ownership is transferred, not invited.",
            details={"role": [f"One of {', '.join(INVITABLE_ROLES)}."]},
        )
    if Membership.objects.filter(team=ctx.team, user__email__iexact=email).exists():
        raise ConflictError(
            f"{email} is already a member of {ctx.team.name}.", details={"email": ["Already a member."]}
        )
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=settings.TEAMS_INVITATION_DAYS)
    with transaction.atomic():
        # Serialise seat counting per team so two invitations cannot both take the last seat.
        Team.objects.select_for_update().filter(pk=ctx.team.pk).first()
        existing = (
            Invitation.objects.select_for_update()
            .filter(team=ctx.team, email=email, status=Invitation.Status.PENDING)
            .first()
        )
        if existing is None:
            seats_requested.send(sender=Team, team=ctx.team, current=_seats_in_use(ctx.team), adding=1)
            invitation = Invitation.objects.create(
                team=ctx.team, email=email, role=role, token_hash=token_hash(token), expires_at=expires_at,
                invited_by=ctx.user,
            )  # fmt: skip
        else:
            seats_requested.send(
                sender=Team, team=ctx.team, current=_seats_in_use(ctx.team, excluding_invitation=existing), adding=1
            )
            existing.role, existing.token_hash, existing.expires_at, existing.invited_by = (
                role, token_hash(token), expires_at, ctx.user,
            )  # fmt: skip
            existing.save(update_fields=["role", "token_hash", "expires_at", "invited_by", "updated_at"])
            invitation = existing
        activity_record(
            team=ctx.team,
            actor=ctx.user,
            verb="member.invited",
            summary=Message(
                gettext_noop("%(email)s invited %(invitee)s as %(role)s"),
                email=ctx.user.email,
                invitee=email,
                role=Message(Role(role).label),
            ),
            target=invitation,
            data={"email": email, "role": role},
        )
        _send_invitation_email(invitation=invitation, token=token, base_url=base_url)
        invitee = User.objects.filter(email__iexact=email).first()
        if invitee is not None:
            notification_send(
                user=invitee,
                title=Message(
                    gettext_noop("%(name)s invited you to %(team)s"),
                    name=ctx.user.get_full_name() or ctx.user.email,
                    team=ctx.team.name,
                ),
                body=Message(gettext_noop("Open the link in the email to accept or decline.")),
                event=Notification.Event.INVITATION,
            )
    return invitation


def invitation_revoke(*, ctx: TeamContext, invitation: Invitation) -> Invitation:
    require(ctx, Capability.MANAGE_MEMBERS)
    if invitation.status != Invitation.Status.PENDING:
        raise ConflictError(f"This invitation is already {invitation.get_status_display().lower()}.")
    with transaction.atomic():
        invitation.status = Invitation.Status.REVOKED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
        activity_record(
            team=ctx.team, actor=ctx.user, verb="invitation.revoked",
            summary=Message(
                gettext_noop("%(email)s revoked the invitation of %(invitee)s"),
                email=ctx.user.email, invitee=invitation.email,
            ),
            target=invitation,
        )  # fmt: skip
    return invitation


def invitation_by_token(*, token: str) -> Invitation:
    """The invitation a link points at, whatever its state; 404 for a token that never existed."""
    invitation = Invitation.objects.select_related("team", "invited_by").filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise NotFoundError("This invitation link is not valid. Ask for a new one.")
    return invitation


def _check_open(invitation: Invitation) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise ConflictError(
            f"This invitation was already {invitation.get_status_display().lower()}.",
            details={"status": invitation.status},
        )
    if invitation.expires_at <= timezone.now():
        raise ConflictError(
            "This invitation has expired. Ask the team for a new one.",
            details={"status": "expired", "expiresAt": invitation.expires_at.isoformat()},
        )


def _check_addressee(invitation: Invitation, user: User) -> None:
    if user.email.lower() != invitation.email.lower():
        raise PermissionDeniedError(
            f"This invitation is for {invitation.email}. Sign in with that address to answer it.",
            details={"email": invitation.email},
        )


def invitation_accept(*, token: str, user: User) -> Membership:
    """Join the team with the invited role; the invitee switches to it."""
    with transaction.atomic():
        invitation = invitation_by_token(token=token)
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("team").get(pk=invitation.pk)
        _check_open(invitation)
        _check_addressee(invitation, user)
        team = invitation.team
        if Membership.objects.filter(team=team, user=user).exists():
            raise ConflictError(f"You are already a member of {team.name}.")
        seats_requested.send(
            sender=Team, team=team, current=_seats_in_use(team, excluding_invitation=invitation), adding=1
        )
        try:
            with transaction.atomic():
                membership = Membership.objects.create(team=team, user=user, role=invitation.role)
        except IntegrityError as exc:
            raise ConflictError(f"You are already a member of {team.name}.") from exc
        invitation.status = Invitation.Status.ACCEPTED
        invitation.responded_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["status", "responded_at", "accepted_by", "updated_at"])
        team_switch(user=user, team=team)
        # The link reached only the invited address and the user signed in with that address: that
        # proves the address as the verification mail would.
        user_email_verified_by_link(user=user, via="invitation")
        activity_record(
            team=team, actor=user, verb="member.joined",
            summary=Message(
                gettext_noop("%(email)s joined as %(role)s"),
                email=user.email, role=Message(Role(invitation.role).label),
            ),
            target=membership,
        )  # fmt: skip
        if invitation.invited_by_id:
            notification_send(
                user=invitation.invited_by,  # type: ignore[arg-type]
                team=team,
                title=Message(gettext_noop("%(email)s joined %(team)s"), email=user.email, team=team.name),
                kind=Notification.Kind.SUCCESS,
                url=reverse("teams:team"),
                event=Notification.Event.INVITATION,
            )
    return membership


def invitation_decline(*, token: str, user: User) -> Invitation:
    with transaction.atomic():
        invitation = invitation_by_token(token=token)
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("team").get(pk=invitation.pk)
        _check_open(invitation)
        _check_addressee(invitation, user)
        invitation.status = Invitation.Status.DECLINED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
        activity_record(
            team=invitation.team, actor=user, verb="invitation.declined",
            summary=Message(gettext_noop("%(email)s declined the invitation"), email=user.email),
            target=invitation,
        )  # fmt: skip
    return invitation


# Members ---------------------------------------------------------------------------------------
def member_role_change(*, ctx: TeamContext, membership: Membership, role: str) -> Membership:
    """Owners and admins change roles; the owner's role only moves by transferring ownership."""
    require(ctx, Capability.MANAGE_MEMBERS)
    if role not in INVITABLE_ROLES:
        raise ValidationFailed(
            "Choose admin, editor, reviewer, viewer or client; use transfer ownership to make an owner.",
            details={"role": [f"One of {', '.join(INVITABLE_ROLES)}."]},
        )
    if membership.role == Role.OWNER:
        raise ConflictError("The owner's role changes only by transferring ownership.")
    if membership.role == role:
        return membership
    before = membership.role
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        activity_record(
            team=ctx.team, actor=ctx.user, verb="member.role_changed",
            summary=Message(
                gettext_noop("%(email)s made %(member)s %(role)s"),
                email=ctx.user.email, member=membership.user.email, role=Message(Role(role).label),
            ),
            target=membership, data={"from": before, "to": role},
        )  # fmt: skip
    return membership


def _leave_current(user: User, team: Team) -> None:
    """A user who is no longer a member falls back to their personal workspace."""
    if user.current_team_id == team.pk:
        fallback = Team.objects.filter(memberships__user=user).exclude(pk=team.pk).order_by("-is_personal").first()
        User.objects.filter(pk=user.pk).update(current_team=fallback)
        user.current_team = fallback


def member_remove(*, ctx: TeamContext, membership: Membership) -> None:
    require(ctx, Capability.MANAGE_MEMBERS)
    if membership.role == Role.OWNER:
        raise ConflictError("The owner cannot be removed. Transfer ownership first.")
    if membership.user_id == ctx.user.pk:
        raise ConflictError("Use leave team to remove yourself.")
    user = membership.user
    with transaction.atomic():
        membership.delete()
        _leave_current(user, ctx.team)
        activity_record(
            team=ctx.team, actor=ctx.user, verb="member.removed",
            summary=Message(gettext_noop("%(email)s removed %(member)s"), email=ctx.user.email, member=user.email),
            data={"email": user.email},
        )  # fmt: skip


def member_leave(*, ctx: TeamContext) -> None:
    if ctx.membership.role == Role.OWNER:
        raise ConflictError("The owner cannot leave. Transfer ownership to another member first.")
    with transaction.atomic():
        ctx.membership.delete()
        _leave_current(ctx.user, ctx.team)
        activity_record(
            team=ctx.team,
            actor=ctx.user,
            verb="member.left",
            summary=Message(gettext_noop("%(email)s left the team"), email=ctx.user.email),
        )


def ownership_transfer(*, ctx: TeamContext, membership: Membership) -> Team:
    """Only the owner hands the team over; they stay on as an admin."""
    require(ctx, Capability.MANAGE_TEAM)
    team = ctx.team
    if team.is_personal:
        raise ConflictError("A personal workspace cannot change hands. Create a team to share.")
    if membership.user_id == ctx.user.pk:
        raise ConflictError("You already own this team.")
    with transaction.atomic():
        Membership.objects.filter(team=team, role=Role.OWNER).update(role=Role.ADMIN, updated_at=timezone.now())
        Membership.objects.filter(pk=membership.pk).update(role=Role.OWNER, updated_at=timezone.now())
        team.owner = membership.user
        team.save(update_fields=["owner", "updated_at"])
        activity_record(
            team=team, actor=ctx.user, verb="team.ownership_transferred",
            summary=Message(
                gettext_noop("%(email)s made %(member)s the owner"), email=ctx.user.email, member=membership.user.email
            ),
            target=team,
            data={"from": ctx.user.email, "to": membership.user.email},
        )  # fmt: skip
        notification_send(
            user=membership.user, team=team, title=Message(gettext_noop("You now own %(team)s"), team=team.name),
            url=reverse("teams:team"),
            event=Notification.Event.GENERAL,
        )  # fmt: skip
    membership.role = Role.OWNER
    return team
