"""The committed catalogues are complete, safe to format, and compile to what Django loads."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from core.translations import catalogues, compile_translations

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%%|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")
LANGUAGES_WITH_CATALOGUES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def test_every_offered_language_but_the_source_one_has_a_catalogue():
    found = {path.parts[-3] for path in catalogues(LOCALE_DIR)}

    assert found == set(LANGUAGES_WITH_CATALOGUES)


@pytest.mark.parametrize("language", LANGUAGES_WITH_CATALOGUES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = _catalogue(language)

    assert len(catalogue) > 500
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    empty_plurals = [entry.msgid for entry in catalogue if entry.msgid_plural and not all(entry.msgstr_plural.values())]
    assert untranslated == [] and fuzzy == [] and empty_plurals == []


@pytest.mark.parametrize("language", LANGUAGES_WITH_CATALOGUES)
def test_placeholders_match_between_source_and_translation(language):
    mismatched = []
    for entry in _catalogue(language):
        if entry.msgid_plural:
            allowed = set(_placeholders(entry.msgid)) | set(_placeholders(entry.msgid_plural))
            # A plural form may leave the number out ("one quota"), never invent a placeholder.
            mismatched += [
                (entry.msgid, form) for form in entry.msgstr_plural.values() if not set(_placeholders(form)) <= allowed
            ]
            if not any(
                set(_placeholders(entry.msgid_plural)) <= set(_placeholders(f)) for f in entry.msgstr_plural.values()
            ):
                mismatched.append((entry.msgid_plural, "no form carries every placeholder"))
        elif _placeholders(entry.msgid) != _placeholders(entry.msgstr):
            mismatched.append((entry.msgid, entry.msgstr))
    assert mismatched == []


@pytest.mark.parametrize("language", LANGUAGES_WITH_CATALOGUES)
def test_translations_are_real_not_copies(language):
    catalogue = _catalogue(language)
    # Brand names, units and codes may stay as they are; prose may not.
    copies = [e.msgid for e in catalogue if not e.msgid_plural and e.msgstr == e.msgid and len(e.msgid.split()) > 1]

    assert copies == []


def test_plural_forms_headers():
    arabic = _catalogue("ar").metadata["Plural-Forms"]
    spanish = _catalogue("es").metadata["Plural-Forms"]

    assert arabic.startswith("nplurals=6;")
    assert spanish.startswith("nplurals=2;")
    assert all(len(e.msgstr_plural) == 6 for e in _catalogue("ar") if e.msgid_plural)


def test_arabic_plurals_pick_the_form_for_each_count():
    msgid, plural = "%(counter)s post in this workspace.", "%(counter)s posts in this workspace."
    with translation.override("ar"):
        forms = {n: translation.ngettext(msgid, plural, n) % {"counter": n} for n in (0, 1, 2, 3, 11, 100)}

    assert len(set(forms.values())) == 6  # six different sentences, one per Arabic plural category
    assert "منشوران" in forms[2]


def test_compiled_files_hold_exactly_the_catalogue(tmp_path):
    # given a copy of the committed catalogues
    for po_path in catalogues(LOCALE_DIR):
        target = tmp_path / po_path.relative_to(LOCALE_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)  # django.po and djangojs.po share it
        target.write_bytes(po_path.read_bytes())

    # when they are compiled, and compiled again with nothing changed
    written = compile_translations(tmp_path)
    again = compile_translations(tmp_path)

    # then every message reads back from the .mo, and an up-to-date .mo is left alone
    assert len(written) == len(catalogues(LOCALE_DIR)) and again == []
    for mo_path in written:
        source = polib.pofile(str(mo_path.with_suffix(".po")))
        compiled = {(e.msgid, e.msgid_plural): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_path))}
        for entry in source:
            stored = compiled[(entry.msgid, entry.msgid_plural)]
            if entry.msgid_plural:
                assert [stored[1][k] for k in sorted(stored[1])] == [
                    entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)
                ]
            else:
                assert stored[0] == entry.msgstr


def test_compile_translations_command_writes_the_mo_files_django_reads(tmp_path, settings):
    from django.core.management import call_command

    for po_path in catalogues(LOCALE_DIR):
        target = tmp_path / po_path.relative_to(LOCALE_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)  # django.po and djangojs.po share it
        target.write_bytes(po_path.read_bytes())
    settings.LOCALE_PATHS = [tmp_path]

    call_command("compile_translations", "--force")

    assert sorted(p.parts[-3] for p in tmp_path.glob("*/LC_MESSAGES/django.mo")) == sorted(LANGUAGES_WITH_CATALOGUES)
    assert sorted(p.parts[-3] for p in tmp_path.glob("*/LC_MESSAGES/djangojs.mo")) == sorted(LANGUAGES_WITH_CATALOGUES)


def _template_messages() -> set[tuple[str | None, str]]:
    """(context, msgid) of every literal {% translate %} and {% blocktranslate %} in our templates."""
    from django.template import engines
    from django.templatetags.i18n import BlockTranslateNode, TranslateNode

    engine = engines["django"].engine  # type: ignore[attr-defined]
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    found: set[tuple[str | None, str]] = set()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix not in {".html", ".txt"} or ".venv" in path.parts:
                continue
            nodelist = engine.from_string(path.read_text()).nodelist
            for node in nodelist.get_nodes_by_type(TranslateNode):
                var = node.filter_expression.var
                if isinstance(var.literal, str) and not node.noop:
                    # as Variable looks it up: a literal "%" is "%%" in the catalogue
                    found.add((var.message_context, var.literal.replace("%", "%%")))
            for node in nodelist.get_nodes_by_type(BlockTranslateNode):
                context = node.message_context.var if node.message_context else None
                singular, _vars = node.render_token_list(node.singular)
                if node.trimmed:
                    singular = translation.trim_whitespace(singular)
                found.add((context if isinstance(context, str) else None, singular))
    return found


@pytest.mark.parametrize("language", LANGUAGES_WITH_CATALOGUES)
def test_every_template_string_has_a_translation(language):
    # catches a string added to a template after the last `makemessages`: it is in no catalogue at all
    catalogue = _catalogue(language)
    messages = _template_messages()

    assert len(messages) > 400  # the templates were really read
    missing = sorted(
        msgid
        for context, msgid in messages
        if not (entry := catalogue.find(msgid, msgctxt=context) or None)
        or "fuzzy" in entry.flags
        or not (entry.msgstr or all(entry.msgstr_plural.values()))
    )
    assert missing == []


@pytest.mark.parametrize(
    ("language", "heading", "button", "direction"),
    [("es", "Invitar a alguien", "Guardar ajustes", "ltr"), ("ar", "دعوة شخص", "حفظ الإعدادات", "rtl")],
)
def test_the_team_pages_speak_the_language(db, client, language, heading, button, direction):
    from django.core.cache import cache
    from django.urls import reverse

    from accounts.models import User
    from accounts.services import user_preferences_ensure
    from billing.models import Subscription
    from teams.services import team_create

    cache.clear()  # cached language preferences
    owner = User.objects.create_user("ada@example.com", "correct-horse-battery", first_name="Ada")
    team = team_create(owner=owner, name="Lovelace Studio")
    Subscription.objects.filter(team=team).update(tier="PRO")
    User.objects.filter(pk=owner.pk).update(current_team=team)
    prefs = user_preferences_ensure(user=owner)
    prefs.language = language
    prefs.save()
    client.force_login(owner)

    try:
        team_page = client.get(reverse("teams:team")).content.decode()
        workflows = client.get(reverse("content:workflows")).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)
        cache.clear()

    assert f'dir="{direction}"' in team_page
    assert heading in team_page and button in team_page
    assert "Invite someone" not in team_page and "Save settings" not in team_page
    assert "Save workflow" not in workflows and "Approval workflows" not in workflows


GETTEXT_CALLS = {
    "_": 0,
    "_lazy": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "npgettext": 1,
    "npgettext_lazy": 1,
}


def _error_classes() -> set[str]:
    """ApiError and its subclasses: a literal message they are raised with is translated as a msgid."""
    import inspect

    from core.api import errors

    return {name for name, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, errors.ApiError)}


def _python_messages() -> set[tuple[str | None, str]]:
    """(context, msgid) of every literal passed to gettext and friends in our Python code, and of every
    literal message an ApiError is raised with (core.api.errors translates those).

    What `makemessages` would extract (xgettext's Python keywords), read with `ast` so the check needs
    no GNU gettext: a string marked in code but never added to the catalogues is English on every page.
    """
    import ast

    calls = {**GETTEXT_CALLS, **dict.fromkeys(_error_classes(), 0)}
    base = Path(settings.BASE_DIR)
    found: set[tuple[str | None, str]] = set()
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(base).parts
        if parts[0] in {".venv", "var", "node_modules"} or "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in calls:
                continue
            position = calls[name]
            args = node.args
            message = args[position] if len(args) > position else None
            if not (isinstance(message, ast.Constant) and isinstance(message.value, str)):
                continue
            first = args[0]
            context = first.value if position == 1 and isinstance(first, ast.Constant) else None
            found.add((str(context) if context is not None else None, message.value))
    return found


@pytest.mark.parametrize("language", LANGUAGES_WITH_CATALOGUES)
def test_every_python_string_has_a_translation(language):
    # a string marked in Python after the last `makemessages`, or never added: it is in no catalogue
    catalogue = _catalogue(language)
    messages = _python_messages()

    assert len(messages) > 300  # the code was really read
    missing = sorted(
        msgid
        for context, msgid in messages
        if not (entry := catalogue.find(msgid, msgctxt=context) or None)
        or "fuzzy" in entry.flags
        or not (entry.msgstr or all(entry.msgstr_plural.values()))
    )
    assert missing == []


@pytest.mark.parametrize(
    ("language", "grouped", "month"),
    [
        ("en", "1,234,567", "December 2026"),
        ("es", "1\xa0234\xa0567", "diciembre de 2026"),
        ("ar", "1.234.567", "ديسمبر 2026"),
    ],
)
def test_figures_are_grouped_and_months_named_in_every_language(language, grouped, month):
    # Django's Arabic formats group nothing (no NUMBER_GROUPING): config/formats/ar adds it
    import datetime

    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils.formats import date_format

    with translation.override(language):
        assert intcomma(1234567) == grouped
        assert date_format(datetime.date(2026, 12, 7), "YEAR_MONTH_FORMAT") == month
