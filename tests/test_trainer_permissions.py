"""Learner data is for trainers: Wagtail's Editors and Moderators see none of it.

Walks every report, gradebook and export URL, and every gradebook action, as
a user in Wagtail's own "Editors" or "Moderators" group (made by Wagtail's
initial data: admin access and page permissions), then as a trainer.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.outline import course_outline
from courses.services import enrol
from quizzes.models import QuizAttempt, QuizPage
from quizzes.services import start_attempt, submit_attempt
from tests.factories import UserFactory
from tests.quizzes.conftest import course_with_quiz, right_answers

LEARNER_NAME = "quiet-sparrow"


@pytest.fixture
def setting(course_index):
    course = course_with_quiz(course_index, quiz_title="Check")
    quiz = QuizPage.objects.get()
    learner = UserFactory(username=LEARNER_NAME)
    enrol(learner=learner, course=course)
    submit_attempt(
        attempt=start_attempt(learner=learner, quiz=quiz), answers=right_answers(quiz)
    )
    lesson_id = course_outline(course).steps[0].id
    return course, quiz, learner, lesson_id


def pages(course, quiz, learner):
    """Every GET that shows learner data, exports included."""
    gradebook = reverse("gradebook_course", args=[course.pk])
    progress = reverse("course_progress_detail", args=[course.pk])
    report = reverse("quiz_report", args=[quiz.pk])
    return [
        reverse("course_progress"),
        reverse("course_progress_results"),
        progress,
        reverse("course_progress_detail_results", args=[course.pk]),
        progress + "?export=csv",
        progress + "?export=xlsx",
        reverse("quiz_reports"),
        reverse("quiz_reports_results"),
        report,
        reverse("quiz_report_results", args=[quiz.pk]),
        report + "?export=csv",
        report + "?export=xlsx",
        reverse("gradebook"),
        reverse("gradebook_results"),
        gradebook,
        gradebook + "?needs_a_hand=true",
        reverse("gradebook_course_results", args=[course.pk]),
        gradebook + "?export=csv",
        gradebook + "?export=xlsx",
        reverse("gradebook_learner", args=[course.pk, learner.pk]),
    ]


def actions(course, quiz, learner, lesson_id):
    """Every POST that reads or changes a learner's record."""
    return [
        (
            reverse("gradebook_find_learner", args=[course.pk]),
            {"username": LEARNER_NAME},
        ),
        (
            reverse("gradebook_reset_attempts", args=[course.pk, learner.pk, quiz.pk]),
            {"reason": "Testing who may do this."},
        ),
        (
            reverse("gradebook_mark_complete", args=[course.pk, learner.pk, lesson_id]),
            {"reason": "Testing who may do this."},
        ),
    ]


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def refused(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


@pytest.fixture(params=["Editors", "Moderators"])
def wagtail_group_client(request, client, home):
    user = UserFactory(username=f"in-{request.param.lower()}", is_staff=True)
    user.groups.add(Group.objects.get(name=request.param))
    client.force_login(user)
    return client


def test_editors_and_moderators_are_refused_everywhere(wagtail_group_client, setting):
    course, quiz, learner, lesson_id = setting
    for url in pages(course, quiz, learner):
        response = wagtail_group_client.get(url)
        assert refused(response), url
        assert LEARNER_NAME.encode() not in body(response), url
    for url, data in actions(course, quiz, learner, lesson_id):
        response = wagtail_group_client.post(url, data)
        assert refused(response), url
    attempt = QuizAttempt.objects.get(learner=learner)
    assert attempt.reset_at is None
    assert not learner.completions.filter(step_id=lesson_id).exists()


def test_editors_and_moderators_see_no_menu_items_or_dashboard_panels(
    wagtail_group_client, setting
):
    course, _quiz, _learner, _lesson = setting
    html = wagtail_group_client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (
        reverse("course_progress"),
        reverse("quiz_reports"),
        reverse("gradebook"),
        reverse("gradebook_course", args=[course.pk]),
    ):
        assert url not in html


def test_a_trainer_may_read_and_act_everywhere(client, trainer, setting):
    course, quiz, learner, lesson_id = setting
    client.force_login(trainer)
    for url in pages(course, quiz, learner):
        response = client.get(url)
        assert response.status_code == 200, url
    learner_page = reverse("gradebook_learner", args=[course.pk, learner.pk])
    for url, data in actions(course, quiz, learner, lesson_id):
        response = client.post(url, data)
        assert response.status_code == 302 and response.url.startswith(learner_page)
    assert QuizAttempt.objects.get(learner=learner).reset_at is not None
    assert learner.completions.filter(step_id=lesson_id, marked_by=trainer).exists()

    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (
        reverse("course_progress"),
        reverse("quiz_reports"),
        reverse("gradebook"),
    ):
        assert url in html
    assert f'id="course-{course.pk}-section"' in html
