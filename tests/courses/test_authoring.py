"""Authoring rules: the page tree can only be built the right way round."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.blocks.struct_block import StructBlockValidationError

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


@pytest.mark.parametrize(
    "page_type", ["coursepage", "modulepage", "lessonpage", "quizzes.quizpage"]
)
def test_every_new_page_fills_its_slug_from_its_title(admin_client, course, page_type):
    app, _, model = page_type.rpartition(".")
    parents = {
        "coursepage": course.get_parent(),
        "modulepage": course,
        "lessonpage": ModulePage.objects.child_of(course).first(),
        "quizpage": ModulePage.objects.child_of(course).first(),
    }
    response = admin_client.get(
        f"/admin/pages/add/{app or 'courses'}/{model}/{parents[model].pk}/"
    )
    title = BeautifulSoup(response.content, "html.parser").select_one("#id_title")
    assert "w-sync" in title["data-controller"]
    assert "#id_slug" in title["data-w-sync-target-value"]


def test_a_course_of_no_hours_is_refused_in_the_form_and_the_database(course):
    course.estimated_hours = 0
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "estimated_hours" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CoursePage.objects.filter(pk=course.pk).update(estimated_hours=0)


def test_the_admin_lists_steps_in_learning_order_with_their_step_numbers(
    admin_client, course
):
    first, second = ModulePage.objects.child_of(course)
    moved = LessonPage.objects.child_of(first).first()
    moved.slug = "moved"
    moved.save_revision().publish()
    moved.move(second, pos="first-child")
    # The tree is the order: the listing follows it, not the last edit.
    LessonPage.objects.child_of(second).last().save_revision().publish()

    html = admin_client.get(f"/admin/pages/{second.pk}/").content.decode()
    titles = [
        t.get_text(" ", strip=True)
        for t in BeautifulSoup(html, "html.parser").select("td.title .title-wrapper a")
    ]
    assert titles == [
        "Step 2 · Lesson 1.1",
        "Step 3 · Lesson 2.1",
        "Step 4 · Lesson 2.2",
    ]


def test_a_move_says_where_the_step_will_land_and_where_it_landed(admin_client, course):
    first, second = ModulePage.objects.child_of(course)
    lesson = LessonPage.objects.child_of(first).first()
    lesson.slug = "moved"
    lesson.save_revision().publish()

    confirm = admin_client.get(f"/admin/pages/{lesson.pk}/move/{second.pk}/confirm/")
    assert "will land last in “Module 2”, after “Lesson 2.2”" in (
        confirm.content.decode()
    )
    moved = admin_client.post(
        f"/admin/pages/{lesson.pk}/move/{second.pk}/confirm/", follow=True
    )
    assert "Learners now meet “Lesson 1.1” as step 4 of the course" in (
        moved.content.decode()
    )


def test_an_image_described_in_the_library_needs_no_second_description(course):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from courses.blocks import ImageBlock

    image = Image.objects.create(
        title="x", file=get_test_image_file(), description="Two chairs by a window."
    )
    block = ImageBlock()
    value = block.clean(block.to_python({"image": image.pk, "alt_text": ""}))
    assert value.alt == "Two chairs by a window."
    course.cover_image, course.cover_image_alt = image, ""
    course.clean()
    assert course.cover_image_description == "Two chairs by a window."

    image.description = ""
    image.save()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": ""}))


def test_an_abandoned_add_page_form_leaves_no_draft_behind(admin_client, course):
    module = ModulePage.objects.child_of(course).first()
    adding = admin_client.get(f"/admin/pages/add/courses/lessonpage/{module.pk}/")
    editing = admin_client.get(f"/admin/pages/{module.pk}/edit/")
    # Autosave would create the page as soon as the trainer typed.
    form = BeautifulSoup(adding.content, "html.parser").select_one("#page-edit-form")
    assert "w-autosave" not in form["data-controller"]
    form = BeautifulSoup(editing.content, "html.parser").select_one("#page-edit-form")
    assert "w-autosave" in form["data-controller"]


def test_a_pseudonymous_trainer_changes_the_admin_language_without_a_name(
    client, trainer
):
    client.force_login(trainer)
    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "",
            "name_email-last_name": "",
            "name_email-email": "",
            "locale-preferred_language": "es",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    trainer.wagtail_userprofile.refresh_from_db()
    assert trainer.wagtail_userprofile.preferred_language == "es"


def test_step_numbers_in_the_admin_cost_no_query_per_step(admin_client, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import LessonFactory

    first, second = ModulePage.objects.child_of(course)
    for n in range(4):
        LessonFactory(parent=second, title=f"Extra {n}", slug=f"extra-{n}")

    def queries(module):
        admin_client.get(f"/admin/pages/{module.pk}/")  # warm the caches
        with CaptureQueriesContext(connection) as captured:
            html = admin_client.get(f"/admin/pages/{module.pk}/").content.decode()
        assert "Step " in html
        return len(captured)

    # Wagtail's explorer for a module: the user and their profile, the module
    # and its rows, workflow states, revisions, the steps, sites, locales,
    # owners and editors for the filters, content types, privacy and usage.
    # Step numbers come from the cached outline: none per step. The site the
    # request is for is known to the process (circles/site_lookup.py).
    # wagtail-localize adds the locales and, for its "Translate" item in each
    # row's menu, two queries per row: the four extra steps cost 8, and the
    # step numbers still nothing.
    assert queries(first) == 33
    assert queries(second) == 33 + 2 * 4
