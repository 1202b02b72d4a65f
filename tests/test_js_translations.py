"""The scripts speak the page's language: every string they show goes through Django's JavaScript
catalogue (/jsi18n/, loaded by a script tag before app.js) and has a Spanish and an Arabic translation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from accounts.models import UserPreferences
from accounts.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "static" / "js").glob("*.js"))
# gettext("...") and the singular and plural of ngettext("...", "...", n), as xgettext reads them.
CALL = re.compile(r'\b(?:gettext|ngettext)\(\s*"((?:[^"\\]|\\.)*)"(?:\s*,\s*"((?:[^"\\]|\\.)*)")?')


def _msgids() -> set[str]:
    found = set()
    for script in SCRIPTS:
        for singular, plural in CALL.findall(script.read_text()):
            found.add(singular.replace('\\"', '"'))
            if plural:
                found.add(plural.replace('\\"', '"'))
    return found


@pytest.mark.parametrize("language", ["es", "ar"])
def test_every_script_string_is_translated(language):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "djangojs.po"))
    translated = {e.msgid for e in catalogue if e.translated()} | {
        e.msgid_plural for e in catalogue if e.msgid_plural and e.translated()
    }
    wanted = _msgids()

    assert len(wanted) > 30  # the toasts, chart legends and composer messages of studio.js and the rest
    assert sorted(wanted - translated) == []


@pytest.mark.parametrize("language", ["es", "ar"])
def test_script_translations_keep_their_placeholders(language):
    placeholders = re.compile(r"%\(\w+\)s")
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "djangojs.po"))
    mismatched = []
    for entry in catalogue:
        wanted = sorted(placeholders.findall(entry.msgid_plural or entry.msgid))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        # an Arabic plural form may spell the number out ("one", "two"); the general forms carry it
        if not any(sorted(placeholders.findall(form)) == wanted for form in forms):
            mismatched.append(entry.msgid)
        mismatched += [form for form in forms if not set(placeholders.findall(form)) <= set(wanted)]
    assert mismatched == []


@pytest.mark.django_db
def test_the_catalogue_follows_the_readers_language(client):
    user = UserFactory()
    UserPreferences.objects.update_or_create(user=user, defaults={"language": "ar"})
    client.force_login(user)

    page = client.get("/dashboard/").content.decode()
    catalogue = client.get("/jsi18n/")

    # loaded by a tag before the script that first uses it (no inline script: the CSP allows none)
    assert page.index('<script src="/jsi18n/"></script>') < page.index("js/app.js")
    assert catalogue.status_code == 200
    assert catalogue["Content-Type"].startswith("text/javascript")
    body = catalogue.content.decode()
    assert json.dumps({"Draft saved": "تم حفظ المسودة"})[1:-1] in body
    assert '"Available %s"' not in body  # only the project's catalogue, not every app's (the admin's)
