"""Taking a quiz down while a learner is in it never loses their answers or pass."""

from unittest import mock

import pytest

from courses.models import ModulePage, StepCompletion
from courses.selectors import learner_progress
from quizzes.models import QuizAttempt

from .conftest import form_data, right_answers


@pytest.fixture
def started(learner_client, enrolled, quiz):
    learner_client.post(f"{quiz.url}start/")
    return QuizAttempt.objects.get()


def _unpublish_module(quiz):
    module = ModulePage.objects.get(pk=quiz.get_parent().pk)
    module.unpublish()
    return module


def test_submitting_after_the_module_was_unpublished_keeps_answers_and_says_why(
    learner_client, learner, started, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _unpublish_module(quiz)

    response = learner_client.post(
        f"{quiz.url}attempts/{started.pk}/", form_data(right_answers(quiz)), follow=True
    )

    text = response.content.decode()
    assert "taken this quiz down for a while" in text
    assert "You passed" not in text
    started.refresh_from_db()
    assert started.is_open
    assert started.answers == right_answers(quiz)
    assert not StepCompletion.objects.filter(learner=learner, step_id=quiz.pk).exists()


def test_once_the_module_is_back_the_saved_answers_pass_and_complete_the_step(
    learner_client, learner, started, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        module = _unpublish_module(quiz)
    learner_client.post(
        f"{quiz.url}attempts/{started.pk}/", form_data(right_answers(quiz))
    )
    with django_capture_on_commit_callbacks(execute=True):
        module.save_revision().publish()

    response = learner_client.post(
        f"{quiz.url}attempts/{started.pk}/", form_data(right_answers(quiz)), follow=True
    )

    assert "You passed with 100%" in response.content.decode()
    assert StepCompletion.objects.filter(learner=learner, step_id=quiz.pk).exists()
    course = module.get_parent().specific
    assert learner_progress(learner=learner, course=course).is_done(quiz.pk)


def test_a_pass_graded_as_the_quiz_went_down_completes_the_step_when_it_is_back(
    learner_client, learner, started, quiz, django_capture_on_commit_callbacks
):
    # The quiz leaves the course between the check and the completion: the
    # grade stands, and publishing again turns it into a completion.
    with (
        mock.patch("quizzes.services.is_live_step", return_value=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        module = _unpublish_module(quiz)
        learner_client.post(
            f"{quiz.url}attempts/{started.pk}/", form_data(right_answers(quiz))
        )
    started.refresh_from_db()
    assert started.passed
    assert not StepCompletion.objects.filter(learner=learner, step_id=quiz.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        module.save_revision().publish()

    assert StepCompletion.objects.filter(learner=learner, step_id=quiz.pk).exists()
    page = learner_client.get(quiz.url)
    assert "Not started" not in page.content.decode()


def test_submitting_after_the_quiz_itself_was_unpublished_keeps_answers(
    learner_client, started, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        quiz.unpublish()

    response = learner_client.post(
        f"{quiz.url}attempts/{started.pk}/",
        form_data(right_answers(quiz)),
        follow=True,
    )

    assert "taken this quiz down for a while" in response.content.decode()
    started.refresh_from_db()
    assert started.is_open
    assert started.answers == right_answers(quiz)


def test_an_unpublished_quiz_cannot_be_started(learner_client, enrolled, quiz):
    quiz.unpublish()

    assert learner_client.post(f"{quiz.url}start/").status_code == 404
