"""Existing notifications and activity lines, stored as English text, get the key and parameters of the
template that wrote them, so they too are shown in the reader's language. A text that matches no
known template (a moderator title already translated, an intrusion alert, a user's own words) keeps
no key and is shown as stored.

The templates are frozen here as they were written: later edits to the code must not change what
this migration did.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

TITLES = [
    "%(name)s commented on “%(post)s”",
    "%(name)s invited you to %(team)s",
    "%(name)s mentioned you on “%(post)s”",
    "%(name)s shared “%(post)s” with you",
    "%(email)s joined %(team)s",
    "Approval given: %(post)s",
    "Approval requested: %(post)s",
    "Approved: %(post)s",
    "Changes requested: %(post)s",
    "Could not publish on %(platform)s",
    "Due soon: %(task)s",
    "Going out on %(platform)s in %(minutes)s min",
    "New task: %(task)s",
    "Overdue: %(task)s",
    "Published %(count)s scheduled posts on %(platforms)s",
    "Published on %(platform)s",
    "Reconnect %(platform)s · %(account)s",
    "You now own %(team)s",
    "Your content was approved",
    "Your content was rejected",
    "New moderation case",
    "Appeal to review",
]
BODIES = [
    "%(team)s would like your review.",
    "%(who)s approved. The post is ready to schedule.",
    "%(who)s approved stage “%(stage)s” (%(given)s of %(required)s).",
    "%(who)s approved; stage “%(stage)s” is done, now “%(next)s”.",
    "Due %(when)s",
    "Open the link in the email to accept or decline.",
    "Stage %(number)s: %(name)s",
    "The platform refused the post.",
    "The platform no longer accepts our access. Posts to this account wait until you reconnect it.",
    "Was due %(when)s",
    "%(who)s: %(comment)s",
]
SUMMARIES = [
    "%(email)s added %(kind)s %(asset)s to %(brand)s",
    "%(email)s created brand %(brand)s",
    "%(email)s declined the invitation",
    "%(email)s deleted brand %(brand)s",
    "%(email)s edited brand %(brand)s",
    "%(email)s invited %(invitee)s as %(role)s",
    "%(email)s joined as %(role)s",
    "%(email)s left the team",
    "%(email)s made %(member)s the owner",
    "%(email)s made %(member)s %(role)s",
    "%(email)s removed %(asset)s from %(brand)s",
    "%(email)s revoked the invitation of %(invitee)s",
    "%(email)s removed %(member)s",
    "%(email)s set %(count)s account(s) for %(brand)s",
    "%(name)s shared “%(post)s” with %(email)s",
    "%(name)s stopped sharing “%(post)s” with %(email)s",
    "%(who)s approved “%(post)s” (%(stage)s)",
    "%(who)s requested changes to “%(post)s”",
    "Imported %(created)s posts (%(scheduled)s schedules) from a %(source)s file",
    "assigned “%(task)s” to %(name)s",
    "commented on “%(post)s”",
    "deleted the workflow “%(name)s”",
    "edited “%(post)s”; its approvals no longer count",
    "finished “%(task)s”",
    "reopened a comment on “%(post)s”",
    "reopened “%(task)s”",
    "resolved a comment on “%(post)s”",
    "restored revision %(number)s of “%(post)s”",
    "saved the workflow “%(name)s”",
    "shared “%(post)s” with a client for approval",
    "shared “%(post)s” with %(client)s for approval",
    "submitted “%(post)s”",
    "withdrew the client link for “%(post)s”",
    "wrote “%(post)s”",
    "%(email)s created %(team)s",
]
# Old texts whose wording changed with the keys: (pattern as the old code wrote it, key it becomes).
LEGACY = [
    ("%(email)s changed %(fields)s", "%(email)s changed the team's settings"),
    ("Requested a %(format)s export (%(kinds)s), anonymised", "Requested a %(format)s export (%(kinds)s), anonymised"),
    ("Requested a %(format)s export (%(kinds)s)", "Requested a %(format)s export (%(kinds)s)"),
]
ROLES = {"owner": "Owner", "admin": "Admin", "editor": "Editor", "reviewer": "Reviewer", "viewer": "Viewer",
         "client": "Client"}  # fmt: skip
KINDS = {"logo": "Logo", "colour": "Colour", "file": "File"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _pattern(template: str) -> re.Pattern[str]:
    parts = PLACEHOLDER.split(template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}$", re.DOTALL)


def _compiled(templates: list[str], legacy: bool = False) -> list[tuple[re.Pattern[str], str]]:
    pairs = [(t, t) for t in templates] + (LEGACY if legacy else [])
    return [(_pattern(old), key) for old, key in pairs]


def _param(name: str, value: str) -> Any:
    # words the old code wrote in English inside a sentence are keys of their own now
    if name == "role" and value.lower() in ROLES:
        return {"msgid": ROLES[value.lower()]}
    if name == "kind" and value.lower() in KINDS:
        return {"msgid": KINDS[value.lower()]}
    if name == "who" and value.endswith(" (client)"):
        return {"msgid": "%(name)s (client)", "params": {"name": value[: -len(" (client)")]}}
    return value


def match(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> tuple[str, dict[str, Any]] | None:
    for pattern, key in patterns:
        found = pattern.match(text or "")
        if found:
            key_names = set(PLACEHOLDER.findall(key))
            params = {k: _param(k, v) for k, v in found.groupdict().items() if k in key_names}
            return key, params
    return None


def forwards(apps: Any, schema_editor: Any) -> None:
    Notification = apps.get_model("teams", "Notification")
    ActivityEvent = apps.get_model("teams", "ActivityEvent")
    titles, bodies, summaries = _compiled(TITLES), _compiled(BODIES), _compiled(SUMMARIES, legacy=True)
    for row in Notification.objects.filter(title_key="").iterator(chunk_size=500):
        title, body = match(row.title, titles), match(row.body, bodies) if row.body else None
        if title is None and body is None:
            continue
        params: dict[str, Any] = {}
        if body is not None:
            row.body_key, body_params = body
            params.update(body_params)
        if title is not None:
            row.title_key, title_params = title
            params.update(title_params)
        row.params = params
        row.save(update_fields=["title_key", "body_key", "params"])
    for event in ActivityEvent.objects.filter(summary_key="").iterator(chunk_size=500):
        found = match(event.summary, summaries)
        if found is not None:
            event.summary_key, event.params = found
            event.save(update_fields=["summary_key", "params"])


def backwards(apps: Any, schema_editor: Any) -> None:
    # the English text was never changed: dropping the keys is enough
    apps.get_model("teams", "Notification").objects.update(title_key="", body_key="", params={})
    apps.get_model("teams", "ActivityEvent").objects.update(summary_key="", params={})


class Migration(migrations.Migration):
    dependencies = [("teams", "0007_stored_message_keys")]

    operations = [migrations.RunPython(forwards, backwards)]
