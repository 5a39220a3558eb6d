"""Authoring rules: the page tree can only be built the right way round."""

import pytest
from django.core.exceptions import ValidationError

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from home.models import HomePage


def test_each_page_type_lives_only_where_it_belongs():
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]
    assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]
    assert ModulePage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_parent_page_models() == [ModulePage]
    assert CoursePage.allowed_subpage_models() == [ModulePage]
    assert LessonPage.allowed_subpage_models() == []


def test_a_module_cannot_go_straight_under_the_catalogue(course_index):
    assert not ModulePage.can_create_at(course_index)
    assert CoursePage.can_create_at(course_index)


def test_lessons_cannot_nest_inside_lessons(course):
    lesson = LessonPage.objects.descendant_of(course).first()
    assert not LessonPage.can_create_at(lesson)
    assert not ModulePage.can_create_at(lesson)


@pytest.mark.parametrize(
    "title",
    [
        "Leaving trafficking behind",
        "Trauma basics",
        "A survivor's path",
        "Apoyo a sobrevivientes",
        "La trata de personas",
    ],
)
def test_titles_that_would_expose_a_learner_are_refused(course, title):
    lesson = LessonPage.objects.descendant_of(course).first()
    lesson.title = title
    with pytest.raises(ValidationError) as error:
        lesson.clean()
    assert "neutral" in str(error.value.message_dict["title"])


def test_slugs_that_would_expose_a_learner_are_refused(course):
    module = ModulePage.objects.child_of(course).first()
    module.slug = "abuse-and-control"
    with pytest.raises(ValidationError) as error:
        module.clean()
    assert "slug" in error.value.message_dict


def test_title_and_slug_help_text_warns_about_history_and_certificates(
    admin_client, course
):
    response = admin_client.get(f"/admin/pages/{course.pk}/edit/")
    html = response.content.decode()
    assert "browser tabs, history and on certificates" in html
    assert "shows in browser history" in html


def test_a_cover_image_needs_a_description(course):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    course.cover_image = Image.objects.create(title="x", file=get_test_image_file())
    course.cover_image_alt = ""
    with pytest.raises(ValidationError) as error:
        course.clean()
    assert "cover_image_alt" in error.value.message_dict


def test_trainers_preview_a_lesson_as_learners_see_it(rf, trainer, course):
    lesson = LessonPage.objects.descendant_of(course).first()
    original = rf.get("/")
    original.user = trainer
    response = lesson.make_preview_request(original_request=original)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Listening starts with noticing." in html
    assert "Step 1 of 4" in html
    # A preview records nothing and offers nothing to mark.
    assert "Mark complete" not in html


def test_uploads_with_sensitive_file_names_are_refused(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents.models import Document

    response = admin_client.post(
        "/admin/documents/add/",
        {
            "title": "Worksheet",
            "file": SimpleUploadedFile("trafficking-worksheet.pdf", b"%PDF-1.4\n"),
            "collection": 1,
        },
    )
    assert "Please rename the file" in response.content.decode()
    assert not Document.objects.exists()
    ok = admin_client.post(
        "/admin/documents/add/",
        {
            "title": "Worksheet",
            "file": SimpleUploadedFile("listening-worksheet.pdf", b"%PDF-1.4\n"),
            "collection": 1,
        },
    )
    assert ok.status_code == 302
    assert Document.objects.count() == 1
