"""Trainers see which translations need an update when the original changes."""

import json

import pytest
from wagtail.models import Locale
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from courses.models import LessonPage, ModulePage

URL = "/admin/translations-to-update/"


def body(sentence):
    return json.dumps([{"type": "rich_text", "value": f"<p>{sentence}</p>"}])


@pytest.fixture
def lesson(course):
    module = ModulePage.objects.child_of(course).first()
    lesson = LessonPage(
        title="Reflective listening", slug="reflective", body=body("Listen first.")
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


def translate_every_string(page, language):
    """What a translator does in wagtail-localize's editor, all at once."""
    locale, _created = Locale.objects.get_or_create(language_code=language)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale
    )
    for segment in StringSegment.objects.filter(source=source).select_related(
        "string", "context"
    ):
        StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": f"[{language}] {segment.string.data}"},
        )
    translation.save_target(publish=True)
    return translation


@pytest.fixture
def spanish(lesson):
    for page in [*lesson.get_ancestors().filter(depth__gt=1).specific(), lesson]:
        translate_every_string(page, "es")  # parents first, as a translator would
    return Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale__language_code="es"
    )


def rows(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get(URL).content, "html.parser")
    return {
        row.select("td")[0].get_text(" ", strip=True): row.get_text(" ", strip=True)
        for row in page.select("tbody tr")
    }


def test_a_changed_sentence_in_english_shows_the_spanish_lesson_needs_an_update(
    client, trainer, lesson, spanish
):
    client.force_login(trainer)
    before = rows(client)
    assert "Up to date" in before["[es] Reflective listening"]

    lesson.body = body("Listen first, then reflect back what you heard.")
    lesson.save_revision().publish()

    after = rows(client)
    row = after["[es] Reflective listening"]
    assert "Needs an update: the original changed" in row and "Spanish" in row
    assert "Up to date" in after["[es] Listening well"]  # the course did not change
    html = client.get(URL).content.decode()
    assert f"/admin/localize/update/{spanish.source_id}/" in html

    # Updating from the original brings in the new sentence, untranslated.
    spanish.source.update_from_db()
    row = rows(client)["[es] Reflective listening"]
    assert "Waiting for translations: 1 of 2 strings" in row  # only the new one waits


def test_learners_cannot_read_the_translations_list(learner_client, lesson):
    assert learner_client.get(URL).status_code == 302


def test_translators_are_never_offered_a_slug(lesson, spanish):
    """Every language shares one address: the slug follows the original."""
    contexts = set(
        StringSegment.objects.filter(source=spanish.source).values_list(
            "context__path", flat=True
        )
    )
    assert "title" in contexts and "slug" not in contexts
    translated = spanish.get_target_instance()
    assert translated.slug == lesson.slug and translated.url == lesson.url
