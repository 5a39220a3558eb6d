"""The Arabic interface: every string translated, kept reviewable and safe to render.

Each entry of locale/ar/LC_MESSAGES/django.po carries the translator comment
"awaiting review by a native speaker" until an organisation's reviewer
confirms it. A translation that drops or changes a placeholder would break the
page it appears on, so placeholders and HTML tags must match the English.
"""

import re
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES"
REVIEW_NOTE = "awaiting review by a native speaker"
ARABIC_PLURALS = 6
# Forms 0, 1 and 2 serve exactly n = 0, 1 and 2, so they may leave the number out.
SINGLE_VALUE_FORMS = {0, 1, 2}
PLACEHOLDER = re.compile(
    r"%\(\w+\)[sd]"  # %(name)s, %(count)d
    r"|%%"  # a literal percent sign
    r"|%[sd]"  # %s, %d
    r"|\{\{[^}]*\}\}"  # {{ variable }}
    r"|\{\w*\}"  # {name}, as in the certificate wording
    r"|</?[a-zA-Z][^>]*>"  # HTML tags
)
QUICK_EXIT_ARABIC = "الخروج من هذه الصفحة"


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def placeholders(text: str) -> list[str]:
    """Every placeholder and HTML tag in a message, sorted, repeats kept."""
    return sorted(PLACEHOLDER.findall(text))


def label(entry: polib.POEntry) -> str:
    """How a failing entry is named in an assertion message."""
    return f"{entry.msgctxt + ': ' if entry.msgctxt else ''}{entry.msgid!r}"


def test_the_catalogue_declares_arabic_six_plural_forms(catalogue):
    assert catalogue.metadata["Language"] == "ar"
    assert catalogue.metadata["Plural-Forms"].startswith(f"nplurals={ARABIC_PLURALS};")
    assert not catalogue.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    assert len(catalogue) > 0
    assert [label(e) for e in catalogue if "fuzzy" in e.flags] == []
    assert [label(e) for e in catalogue.untranslated_entries()] == []


def test_every_entry_is_marked_as_awaiting_review(catalogue):
    unmarked = [
        label(e) for e in catalogue if REVIEW_NOTE not in e.tcomment.splitlines()
    ]
    assert unmarked == []
    # The header tells a reviewer to remove the line once they confirm an entry.
    assert REVIEW_NOTE in catalogue.header
    assert "reviewer" in catalogue.header


def test_singular_translations_keep_every_placeholder_and_tag(catalogue):
    changed = [
        (label(e), placeholders(e.msgid), placeholders(e.msgstr))
        for e in catalogue
        if not e.msgid_plural and placeholders(e.msgstr) != placeholders(e.msgid)
    ]
    assert changed == []


def test_plural_translations_have_six_forms_with_their_placeholders(catalogue):
    problems = []
    for entry in (e for e in catalogue if e.msgid_plural):
        if sorted(entry.msgstr_plural) != list(range(ARABIC_PLURALS)):
            problems.append((label(entry), "forms", sorted(entry.msgstr_plural)))
            continue
        expected = {*placeholders(entry.msgid), *placeholders(entry.msgid_plural)}
        for index, form in entry.msgstr_plural.items():
            used = set(placeholders(form))
            left_out = expected - used
            allowed_to_leave_out = (
                index in SINGLE_VALUE_FORMS
                and len(left_out) <= 1
                and all(p.startswith("%(") for p in left_out)
            )
            if used - expected or (left_out and not allowed_to_leave_out):
                problems.append((label(entry), index, sorted(used), sorted(expected)))
    assert problems == []


def translations(entry: polib.POEntry | polib.MOEntry) -> list[str]:
    """An entry's translation, or its plural forms in order."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural, key=int)]
    return [entry.msgstr]


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    """A stale django.mo would show learners old or English text."""
    mo_file = polib.mofile(str(LOCALE / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): translations(e) for e in mo_file}
    stale = [
        label(e)
        for e in catalogue
        if compiled.get((e.msgctxt, e.msgid)) != translations(e)
    ]
    assert stale == []


def test_a_page_in_arabic_shows_the_arabic_quick_exit(client, home, support_settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert page.html["lang"] == "ar"
    button = page.select_one("[data-quick-exit-button]")
    assert QUICK_EXIT_ARABIC in button.get_text()
    assert button["href"] == "/exit/"
    skip_links = [a.get_text(strip=True) for a in page.select("a.skip-link")]
    assert QUICK_EXIT_ARABIC in skip_links
