"""An account's queue on its page: move a post up or down (or drop it elsewhere in the list), or shuffle.

The posts keep the queue's slot times and take them in the new order (`queue_reorder`, `queue_shuffle`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.api.errors import ApiError, ValidationFailed
from core.messages import error_message
from scheduling.queueing import queue_reorder, queue_shuffle
from scheduling.selectors import queue_for_account
from social import selectors as social_selectors
from teams.permissions import Capability, request_team_context, require


def _moved(current: list[str], move: str) -> list[str]:
    """`<id>:up` or `<id>:down` applied to the current order."""
    scheduled_id, _sep, direction = move.partition(":")
    if scheduled_id not in current or direction not in {"up", "down"}:
        raise ValidationFailed(_("That post is not in this queue."), details={"move": [_("Unknown post.")]})
    order = current[:]
    i = order.index(scheduled_id)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return order


@login_required
@require_POST
def queue_reorder_view(request: HttpRequest, account_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    account = social_selectors.account_get(team=ctx.team, account_id=account_id)
    require(ctx, Capability.PUBLISH)
    current = [str(pk) for pk in queue_for_account(account=account).values_list("pk", flat=True)]
    try:
        order = request.POST.getlist("order") or _moved(current, request.POST.get("move", ""))
        queue_reorder(account=account, ordered_ids=order)
    except ApiError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Queue reordered: the posts keep the slot times in their new order."))
    return redirect("scheduling:queue", account_id=account.pk)


@login_required
@require_POST
def queue_shuffle_view(request: HttpRequest, account_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    account = social_selectors.account_get(team=ctx.team, account_id=account_id)
    require(ctx, Capability.PUBLISH)
    queue_shuffle(account=account)
    messages.success(request, _("Queue shuffled."))
    return redirect("scheduling:queue", account_id=account.pk)
