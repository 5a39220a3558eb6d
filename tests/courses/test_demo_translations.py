"""The demo in three languages: Boundaries in Spanish, its first module in Arabic.

The demo is built as `manage.py seed_demo` builds it; its translations come
from the PO files in courses/demo/translations/ (courses/demo_translations.py).
"""

import io
import re

import polib
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from courses.demo_translations import (
    CATALOGUES,
    CONTEXT_SEPARATOR,
    TRANSLATIONS_DIR,
    catalogue_path,
    export_catalogue,
    source_pages,
    stable_contexts,
)
from courses.translation_report import page_translation_states

BOUNDARIES = next(c for c in CATALOGUES if c.name == "boundaries")
COURSE = "/courses/boundaries-and-self-care/"
FIRST_MODULE = COURSE + "setting-clear-limits/"
FIRST_LESSON = FIRST_MODULE + "knowing-your-limits/"
LATER_LESSON = COURSE + "a-plan-that-lasts/your-personal-care-plan/"
REVIEW = "awaiting review by a native speaker"
PO_FILES = sorted(TRANSLATIONS_DIR.glob("*.po"))


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in this thread; undo that."""
    yield
    translation.deactivate()


def in_language(client, language):
    client.cookies["circles_language"] = language
    return client


def text_of(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def copy_in(page: Page, language: str) -> Page:
    return page.get_translation(Locale.objects.get(language_code=language))


def progress(page: Page, language: str) -> tuple[int, int]:
    """Strings of the page in all, and those translated into the language."""
    source = TranslationSource.objects.get_for_instance(page)
    translation = Translation.objects.get(
        source=source, target_locale__language_code=language
    )
    return translation.get_progress()


@pytest.fixture
def boundaries(demo):
    return source_pages(BOUNDARIES)


def test_every_string_of_every_boundaries_page_is_in_spanish(boundaries):
    assert len(boundaries) == 13  # the course, 3 modules, 6 lessons, 3 quizzes
    for page in boundaries:
        total, translated = progress(page, "es")
        assert total and translated == total, page.url_path
        spanish = copy_in(page, "es")
        assert spanish.alias_of_id is None and spanish.live, page.url_path


def test_the_first_module_is_in_arabic_and_the_rest_follows_the_english(boundaries):
    for page in boundaries:
        arabic = copy_in(page, "ar")
        if page.url == COURSE or page.url.startswith(FIRST_MODULE):
            total, translated = progress(page, "ar")
            assert total and translated == total, page.url_path
            assert arabic.alias_of_id is None, page.url_path
        else:
            # An alias shows the English page, and follows it when it changes.
            assert arabic.alias_of_id == page.pk, page.url_path


def test_trainers_see_every_demo_translation_up_to_date(demo):
    states = page_translation_states()

    assert len(states) == 13 + 5 + 2 * 2  # Boundaries and its module 1, home pages
    assert [state.title for state in states if state.needs_update] == []


def test_translated_pages_keep_the_english_addresses(boundaries):
    for page in boundaries:
        for language in ("es", "ar"):
            assert copy_in(page, language).url == page.url


@pytest.mark.parametrize(
    ("path", "spanish"),
    [
        (COURSE, "Límites y autocuidado para personas mentoras"),
        (FIRST_LESSON, "Hay límites del programa y límites personales."),
        (LATER_LESSON, "Lo pequeño, gratuito y realista vale más"),
    ],
)
def test_a_learner_reading_in_spanish_sees_spanish_at_the_same_address(
    client, demo, path, spanish
):
    assert client.login(username="learner", password="circles-learner-demo")
    english = client.get(path)
    response = in_language(client, "es").get(path)

    assert english.status_code == response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").html["lang"] == "es"
    assert spanish in text_of(response)
    assert spanish not in text_of(english)


def test_a_spanish_quiz_asks_in_spanish(client, demo):
    assert client.login(username="learner", password="circles-learner-demo")
    quiz = FIRST_MODULE + "check-your-understanding/"

    text = text_of(in_language(client, "es").get(quiz))

    assert "Practica cómo decir que no con cuidado." in text


def test_the_first_module_reads_in_arabic_right_to_left(client, demo):
    assert client.login(username="learner", password="circles-learner-demo")

    response = in_language(client, "ar").get(FIRST_LESSON)

    html = BeautifulSoup(response.content, "html.parser").html
    assert html["lang"] == "ar" and html["dir"] == "rtl"
    assert "هناك حدود للبرنامج وحدود شخصية. وكلاهما مهم." in text_of(response)


def test_a_later_module_stays_in_english_inside_the_arabic_frame(client, demo):
    assert client.login(username="learner", password="circles-learner-demo")

    response = in_language(client, "ar").get(LATER_LESSON)

    assert BeautifulSoup(response.content, "html.parser").html["dir"] == "rtl"
    assert "Small, free and realistic beats big and fancy." in text_of(response)


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_home_page_is_translated(client, demo, language):
    welcome = {"es": "Te damos la bienvenida a Circles", "ar": "مرحبًا بك في Circles"}

    assert welcome[language] in text_of(in_language(client, language).get("/"))


def test_seeding_again_changes_nothing(demo):
    def pages_by_language():
        return {
            locale.language_code: Page.objects.filter(
                locale=locale, depth__gt=1
            ).count()
            for locale in Locale.objects.all()
        }

    before = pages_by_language()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert pages_by_language() == before
    assert before["es"] == before["ar"] == before["en"]  # every page in each tree
    assert "0 pages newly translated" in out.getvalue()


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_committed_catalogues_match_the_demo_pages(demo, language):
    """Fails when the English demo changed: export the catalogue again (FORMAT.md)."""
    for catalogue in CATALOGUES:
        exported = {(e.msgctxt, e.msgid) for e in export_catalogue(catalogue, language)}
        committed = polib.pofile(str(catalogue_path(catalogue, language)))
        assert {(e.msgctxt, e.msgid) for e in committed} <= exported
        if language == "es":
            assert len(committed) == len(exported), catalogue.name


@pytest.mark.parametrize("path", PO_FILES, ids=lambda path: path.name)
def test_every_catalogue_entry_is_filled_in_and_keeps_its_tags(path):
    po = polib.pofile(str(path))
    assert len(po) >= 10
    assert len({(e.msgctxt, e.msgid) for e in po}) == len(po)
    tags = re.compile(r"</?\w+[^>]*>")
    for entry in po:
        assert entry.msgstr.strip(), entry.msgctxt
        assert CONTEXT_SEPARATOR in entry.msgctxt
        assert tags.findall(entry.msgstr) == tags.findall(entry.msgid), entry.msgid
        if entry.msgctxt.endswith("#slug"):
            assert entry.msgstr == entry.msgid


@pytest.mark.parametrize(
    "path", [p for p in PO_FILES if ".ar." in p.name], ids=lambda path: path.name
)
def test_arabic_entries_wait_for_a_native_speaker(path):
    for entry in polib.pofile(str(path)):
        if not entry.msgctxt.endswith("#slug"):
            assert REVIEW in entry.tcomment, entry.msgctxt


def test_block_ids_become_places_among_siblings():
    a, b, c = (
        "0f0e4c2a-1111-4a4a-8b8b-000000000001",
        "0f0e4c2a-2222-4a4a-8b8b-000000000002",
        "0f0e4c2a-3333-4a4a-8b8b-000000000003",
    )
    contexts = [
        "title",
        f"body.{a}",
        f"body.{a}",
        f"questions.{b}.choices.{c}.text",
        f"questions.{b}.choices.{a}.text",
        f"body.{c}.text",
    ]

    assert stable_contexts(contexts) == [
        "title",
        "body.1",
        "body.1",
        "questions.1.choices.1.text",
        "questions.1.choices.2.text",
        "body.2.text",
    ]
