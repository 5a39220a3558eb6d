"""One learner, one progress: switching language keeps the place in a course."""

import pytest
from wagtail.models import Locale, Page

from courses.models import Enrolment, LessonPage, StepCompletion
from courses.outline import course_outline
from courses.services import enrol


def translate_tree(course, language: str) -> Page:
    """Copy the course and everything in it into `language`, titles marked."""
    locale, _created = Locale.objects.get_or_create(language_code=language)
    for page in [course, *course.get_descendants().specific()]:
        copy = page.specific.copy_for_translation(locale, copy_parents=True)
        copy.title = f"[{language}] {page.title}"
        copy.save_revision().publish()
    return course.get_translation(locale).specific


@pytest.fixture
def spanish_course(course):
    return translate_tree(course, "es")


def in_language(client, language):
    client.cookies["circles_language"] = language
    return client


def test_a_translated_course_has_the_same_address(client, course, spanish_course):
    assert spanish_course.url == course.url
    html = in_language(client, "es").get(course.url).content.decode()
    assert "[es] Listening well" in html
    html = in_language(client, "en").get(course.url).content.decode()
    assert "[es]" not in html and "Listening well" in html


def test_switching_language_midway_keeps_progress_and_the_resume_point(
    learner_client, learner, course, steps, spanish_course
):
    enrol(learner=learner, course=course)
    first, second, third = steps[0], steps[1], steps[2]
    assert learner_client.post(first.url + "complete/").status_code == 302

    # In Spanish: the same enrolment, one step done, the next step in Spanish.
    client = in_language(learner_client, "es")
    html = client.get(course.url).content.decode()
    assert "[es] " + second.title in html
    assert 'aria-valuenow="25"' in html
    response = client.get(second.url)
    assert response.status_code == 200
    assert "[es] " + second.title in response.content.decode()
    response = client.post(second.url + "complete/")
    assert response.status_code == 302 and response["Location"] == third.url

    # Every record points at the original pages, whichever language was read.
    assert set(StepCompletion.objects.values_list("step_id", flat=True)) == {
        first.id,
        second.id,
    }
    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.course_id == course.pk and enrolment.last_step_id == second.id

    # Back in English: two done, and the page offers the third step next.
    html = in_language(learner_client, "en").get(course.url).content.decode()
    assert 'aria-valuenow="50"' in html
    assert third.url in html and "[es]" not in html


def test_enrolling_in_the_translation_enrols_in_the_original(
    learner_client, learner, course, spanish_course
):
    client = in_language(learner_client, "es")
    response = client.post(course.url + "enrol/")
    assert response.status_code == 302
    assert list(Enrolment.objects.values_list("course_id", flat=True)) == [course.pk]
    # Enrolled once: English shows the learner as enrolled, not a second offer.
    html = in_language(learner_client, "en").get(course.url).content.decode()
    assert 'class="enrol-form"' not in html and 'aria-valuenow="0"' in html


def test_the_outline_of_a_translation_names_the_originals(course, spanish_course):
    original = course_outline(course)
    translated = course_outline(spanish_course)
    assert translated.step_ids == original.step_ids
    assert translated.course_id == course.pk
    assert [s.url for s in translated.steps] == [s.url for s in original.steps]
    assert all(s.title.startswith("[es] ") for s in translated.steps)


def test_a_trainer_previews_a_translation_in_its_own_language(rf, trainer, course):
    arabic = translate_tree(course, "ar")
    lesson = arabic.get_descendants().type(LessonPage).first().specific
    original = rf.get(f"/admin/pages/{lesson.pk}/edit/preview/")
    original.user = trainer
    html = lesson.make_preview_request(original_request=original).content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "bootstrap.rtl" in html and "الخروج من هذه الصفحة" in html
    # The admin's own language is untouched for the next request.
    original = rf.get(f"/admin/pages/{course.pk}/edit/preview/")
    original.user = trainer
    html = course.make_preview_request(original_request=original).content.decode()
    assert 'lang="en"' in html and 'dir="ltr"' in html
